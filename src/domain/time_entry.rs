//! Time spent on tickets: a member's timer, or a stretch logged after.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// One stretch of work on a ticket; running while `stopped` is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeEntry {
    pub id: i64,
    pub ticket: i64,
    pub login: String,
    pub started: DateTime<Utc>,
    pub stopped: Option<DateTime<Utc>>,
    pub note: String,
    /// The step of the ticket it was spent on, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<i64>,
}

impl TimeEntry {
    /// How long it ran (up to `now` while running; never negative).
    pub fn spent(&self, now: DateTime<Utc>) -> Duration {
        (self.stopped.unwrap_or(now) - self.started).max(Duration::zero())
    }
}

/// `1h 25m`, `25m`, `0m`: whole minutes.
pub fn minutes_text(d: Duration) -> String {
    let m = d.num_minutes().max(0);
    match (m / 60, m % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h {m}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_running_entry_counts_to_now_and_text_is_whole_minutes() {
        let at = |m| {
            Utc.with_ymd_and_hms(2026, 11, 20, 9, m, 0)
                .single()
                .expect("t")
        };
        let mut e = TimeEntry {
            id: 1,
            ticket: 1,
            login: "emma".into(),
            started: at(0),
            stopped: None,
            note: String::new(),
            step: None,
        };
        assert_eq!(minutes_text(e.spent(at(25))), "25m");
        e.stopped = Some(at(10));
        assert_eq!(minutes_text(e.spent(at(59))), "10m");
        assert_eq!(minutes_text(Duration::minutes(85)), "1h 25m");
        assert_eq!(minutes_text(Duration::minutes(120)), "2h");
        assert_eq!(minutes_text(Duration::minutes(-5)), "0m");
    }
}
