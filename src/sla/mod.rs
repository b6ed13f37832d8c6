//! Service-level agreements — pure: business-hours calendars now; policies,
//! due times and breach states build on them. No IO, no clock reads: every
//! function takes the instants it reasons about.

mod calendar;

pub use calendar::{Calendar, Opening};
