//! What a ticket's clocks came to, for reports: the stretches it waited on
//! the customer (read from its state changes) and, for each stopped clock,
//! the business time it ran and whether it missed its target.

use chrono::{DateTime, Duration, Utc};

use super::{Calendar, ClockInput, ClockState, Policy, TicketFacts, elapsed, evaluate};

/// While a ticket is in one of these states its clocks stop.
pub const PAUSE_STATES: [&str; 1] = ["waiting_customer"];

/// A stretch waiting on the customer; the end is `None` while it lasts.
pub type Pause = (DateTime<Utc>, Option<DateTime<Utc>>);

/// The pauses of a ticket from its state changes, in order: each change's
/// instant and the state it went to (creation included).
pub fn pauses<'a>(changes: impl IntoIterator<Item = (DateTime<Utc>, &'a str)>) -> Vec<Pause> {
    let mut pauses: Vec<Pause> = Vec::new();
    for (at, to) in changes {
        let open = pauses.last().is_some_and(|p| p.1.is_none());
        let pausing = PAUSE_STATES.contains(&to);
        if pausing && !open {
            pauses.push((at, None));
        } else if !pausing
            && open
            && let Some(last) = pauses.last_mut()
        {
            last.1 = Some(at);
        }
    }
    pauses
}

/// A stopped clock: business time it ran and whether that missed the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub spent: Duration,
    pub late: bool,
}

/// When a ticket's clocks started and stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stops {
    pub created: DateTime<Utc>,
    pub first_response: Option<DateTime<Utc>>,
    /// The resolution, else the close (a ticket closed unresolved).
    pub resolved: Option<DateTime<Utc>>,
}

/// The outcome of both clocks (`None` for one still running).
pub fn outcomes(
    policy: &Policy,
    facts: &TicketFacts<'_>,
    stops: Stops,
    pauses: &[Pause],
) -> (Option<Outcome>, Option<Outcome>) {
    let targets = policy.targets_for(facts);
    let (_, calendar) = policy.calendar_of(facts);
    let one = |target, stopped| stopped_outcome(&calendar, target, stops.created, stopped, pauses);
    (
        one(targets.response, stops.first_response),
        one(targets.resolve, stops.resolved),
    )
}

fn stopped_outcome(
    calendar: &Calendar,
    target: Duration,
    start: DateTime<Utc>,
    stopped: Option<DateTime<Utc>>,
    pauses: &[Pause],
) -> Option<Outcome> {
    let stopped = stopped?;
    let input = ClockInput {
        start,
        target,
        stopped: Some(stopped),
        pauses,
        risk_fraction: 1.0,
    };
    let late = evaluate(calendar, &input, stopped) == ClockState::MetLate;
    Some(Outcome {
        spent: elapsed(calendar, &input, stopped),
        late,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Channel, Priority};
    use chrono::TimeZone;

    fn at(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0)
            .single()
            .expect("valid")
            + Duration::hours(h)
    }

    #[test]
    fn pauses_open_on_waiting_and_close_on_any_other_state() {
        let p = pauses([
            (at(0), "new"),
            (at(1), "waiting_customer"),
            (at(2), "waiting_customer"),
            (at(3), "in_progress"),
            (at(5), "waiting_customer"),
        ]);
        assert_eq!(p, vec![(at(1), Some(at(3))), (at(5), None)]);
    }

    #[test]
    fn a_stopped_clock_reports_its_business_time_without_pauses_and_lateness() {
        let policy = Policy::default_policy();
        let facts = TicketFacts {
            priority: Priority::P2,
            tier: None,
            kind: "question",
            channel: Channel::Email,
            team: None,
            tags: &[],
        };
        let stops = Stops {
            created: at(0),
            first_response: Some(at(1)),
            resolved: None,
        };
        let (response, resolve) = outcomes(&policy, &facts, stops, &[]);
        let response = response.expect("stopped");
        assert!(resolve.is_none(), "still running");
        assert_eq!(
            response.late,
            response.spent > policy.targets_for(&facts).response
        );
        // Three hours, one of them waiting on the customer.
        let stops = Stops {
            first_response: Some(at(3)),
            ..stops
        };
        let (response, _) = outcomes(&policy, &facts, stops, &[(at(1), Some(at(2)))]);
        let (_, calendar) = policy.calendar_of(&facts);
        let expected =
            calendar.business_between(at(0), at(3)) - calendar.business_between(at(1), at(2));
        assert_eq!(response.expect("stopped").spent, expected);
    }
}
