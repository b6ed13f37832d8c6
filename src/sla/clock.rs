//! One SLA clock — first response or resolution — evaluated at an instant:
//! business time spent since the ticket arrived, minus every stretch it
//! waited on the customer, against a target.

use chrono::{DateTime, Duration, Utc};

use super::Calendar;

/// What a clock needs to know about its ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockInput<'a> {
    /// When the clock started (the ticket arrived).
    pub start: DateTime<Utc>,
    pub target: Duration,
    /// When the clock stopped (first response, or resolution), if it did.
    pub stopped: Option<DateTime<Utc>>,
    /// Stretches waiting on the customer, in order, not overlapping; the
    /// last may still be open (`None`: paused now).
    pub pauses: &'a [(DateTime<Utc>, Option<DateTime<Utc>>)],
    /// Fraction of the target after which the clock is at risk (e.g. 0.75).
    pub risk_fraction: f64,
}

/// Where a clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    /// Stopped within its target.
    Met,
    /// Stopped after its target.
    MetLate,
    /// Running: due at `due`, at risk from `risk`.
    Running {
        due: DateTime<Utc>,
        risk: DateTime<Utc>,
    },
    /// Waiting on the customer: the clock does not run; `left` remains.
    Paused { left: Duration },
    /// Running and past its target.
    Breached { due: DateTime<Utc> },
    /// The calendar never reaches the target (a team without hours).
    Never,
}

/// Business time the clock has run up to `until`.
pub fn elapsed(cal: &Calendar, input: &ClockInput<'_>, until: DateTime<Utc>) -> Duration {
    let end = input.stopped.map_or(until, |s| s.min(until));
    let mut total = cal.business_between(input.start, end);
    for &(from, to) in input.pauses {
        let from = from.max(input.start);
        let to = to.unwrap_or(end).min(end);
        if from < to {
            total -= cal.business_between(from, to);
        }
    }
    total.max(Duration::zero())
}

/// The clock at `now`.
pub fn evaluate(cal: &Calendar, input: &ClockInput<'_>, now: DateTime<Utc>) -> ClockState {
    let spent = elapsed(cal, input, now);
    if input.stopped.is_some_and(|s| s <= now) {
        return if spent <= input.target {
            ClockState::Met
        } else {
            ClockState::MetLate
        };
    }
    let paused = input
        .pauses
        .last()
        .is_some_and(|&(from, to)| from <= now && to.is_none());
    if paused {
        return ClockState::Paused {
            left: (input.target - spent).max(Duration::zero()),
        };
    }
    if spent >= input.target {
        // When it was due: the instant the target was reached.
        let due = due_from_start(cal, input).unwrap_or(now);
        return ClockState::Breached { due };
    }
    let Some(due) = cal.add_business(now, input.target - spent) else {
        return ClockState::Never;
    };
    let risk_at = scale(input.target, input.risk_fraction);
    let risk = if spent >= risk_at {
        now
    } else {
        cal.add_business(now, risk_at - spent).unwrap_or(due)
    };
    ClockState::Running { due, risk }
}

/// The instant the clock reached its target, walking pauses; for a breach.
fn due_from_start(cal: &Calendar, input: &ClockInput<'_>) -> Option<DateTime<Utc>> {
    let mut t = input.start;
    let mut left = input.target;
    for &(from, to) in input.pauses {
        if from > t {
            let run = cal.business_between(t, from);
            if run >= left {
                return cal.add_business(t, left);
            }
            left -= run;
        }
        t = t.max(to?);
    }
    cal.add_business(t, left)
}

fn scale(d: Duration, fraction: f64) -> Duration {
    let ms = d.num_milliseconds() as f64 * fraction.clamp(0.0, 1.0);
    Duration::milliseconds(ms as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn t(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, m, 0)
            .single()
            .expect("valid")
    }

    fn office() -> Calendar {
        let day = vec![(9 * 60, 17 * 60)];
        Calendar {
            tz: chrono_tz::Tz::UTC,
            week: [
                day.clone(),
                day.clone(),
                day.clone(),
                day.clone(),
                day,
                Vec::new(),
                Vec::new(),
            ],
            holidays: Default::default(),
            always: false,
        }
    }

    #[test]
    fn waiting_on_the_customer_stops_the_clock_and_moves_the_due_time() {
        let cal = office();
        // Monday 16 Nov 09:00, 4 business hours to answer.
        let pauses = [(t(16, 10, 0), Some(t(16, 12, 0)))];
        let input = ClockInput {
            start: t(16, 9, 0),
            target: Duration::hours(4),
            stopped: None,
            pauses: &pauses,
            risk_fraction: 0.75,
        };
        // 1 h spent, 3 h left from noon; 75 % is 3 h: at risk 2 h from noon.
        assert_eq!(
            evaluate(&cal, &input, t(16, 12, 0)),
            ClockState::Running {
                due: t(16, 15, 0),
                risk: t(16, 14, 0)
            }
        );
        let open = [(t(16, 10, 0), None)];
        let waiting = ClockInput {
            pauses: &open,
            ..input.clone()
        };
        assert_eq!(
            evaluate(&cal, &waiting, t(17, 9, 0)),
            ClockState::Paused {
                left: Duration::hours(3)
            }
        );
        assert_eq!(
            evaluate(&cal, &input, t(17, 10, 0)),
            ClockState::Breached { due: t(16, 15, 0) }
        );
        let answered = ClockInput {
            stopped: Some(t(16, 14, 0)),
            ..input
        };
        assert_eq!(evaluate(&cal, &answered, t(20, 0, 0)), ClockState::Met);
    }

    proptest! {
        /// The time a clock has run equals the business minutes in its span
        /// outside every pause, counted one by one.
        #[test]
        fn elapsed_matches_a_minute_count(
            start in 0i64..3_000,
            pauses in proptest::collection::vec((0i64..300, 1i64..900), 0..4),
            now in 0i64..8_000,
        ) {
            let cal = office();
            let base = t(16, 0, 0);
            let mut list = Vec::new();
            let mut at = base + Duration::minutes(start);
            for (gap, len) in pauses {
                let from = at + Duration::minutes(gap);
                list.push((from, Some(from + Duration::minutes(len))));
                at = from + Duration::minutes(len);
            }
            let input = ClockInput {
                start: base + Duration::minutes(start),
                target: Duration::hours(8),
                stopped: None,
                pauses: &list,
                risk_fraction: 0.75,
            };
            let now = base + Duration::minutes(now);
            let mut want = 0;
            let mut m = input.start;
            while m < now {
                let paused = list.iter().any(|&(f, to)| m >= f && to.is_none_or(|to| m < to));
                if cal.is_open(m) && !paused {
                    want += 1;
                }
                m += Duration::minutes(1);
            }
            prop_assert_eq!(elapsed(&cal, &input, now), Duration::minutes(want));
        }
    }
}
