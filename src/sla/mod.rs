//! Service-level agreements — pure: business-hours calendars and SLA clocks
//! that pause while a ticket waits on the customer. No IO, no clock reads:
//! every function takes the instants it reasons about.

mod calendar;
mod clock;

pub use calendar::{Calendar, Opening};
pub use clock::{ClockInput, ClockState, elapsed, evaluate};
