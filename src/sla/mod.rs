//! Service-level agreements — pure: business-hours calendars, SLA clocks
//! that pause while a ticket waits on the customer, and the policy that
//! sets their targets. No IO, no clock reads: every function takes the
//! instants it reasons about.

mod calendar;
mod clock;
mod outcome;
mod policy;

pub use calendar::{Calendar, Opening};
pub use clock::{ClockInput, ClockState, elapsed, evaluate};
pub use outcome::{Outcome, PAUSE_STATES, Pause, Stops, outcomes, pauses};
pub use policy::{
    DEFAULT_POLICY, Escalation, Match, Notify, Override, Policy, PolicyError, Targets, TicketFacts,
    Trigger, shift_calendar,
};
