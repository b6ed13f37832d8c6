//! Subtasks: a ticket's problem broken into steps with their own owners
//! and dates (a return: logistics picks it up, the warehouse checks it,
//! finance refunds it).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest subtask title, in characters.
pub const SUBTASK_TITLE_MAX: usize = 200;

/// One step of a ticket's work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subtask {
    pub id: i64,
    pub ticket: i64,
    /// Order within the ticket (1, 2, …).
    pub position: i64,
    pub title: String,
    pub assignee: Option<String>,
    pub due: Option<DateTime<Utc>>,
    pub note: String,
    /// When it was done, and by whom; `None` while open.
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Subtask {
    pub fn is_done(&self) -> bool {
        self.done_at.is_some()
    }

    /// Open and past its due date at `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        !self.is_done() && self.due.is_some_and(|d| d < now)
    }
}

/// Input for a new subtask.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewSubtask {
    pub title: String,
    pub assignee: Option<String>,
    pub due: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// Changes to a subtask; `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SubtaskChanges {
    pub title: Option<String>,
    pub assignee: Option<Option<String>>,
    pub due: Option<Option<DateTime<Utc>>>,
    pub note: Option<String>,
}

/// How far a ticket's subtasks are: done of total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

impl Progress {
    /// No steps at all (nothing to show).
    pub fn is_none(&self) -> bool {
        self.total == 0
    }

    pub fn of(subtasks: &[Subtask]) -> Self {
        Self {
            done: subtasks.iter().filter(|s| s.is_done()).count(),
            total: subtasks.len(),
        }
    }

    /// Every subtask done (true when there are none).
    pub fn complete(self) -> bool {
        self.done == self.total
    }
}

impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.done, self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn step(done: bool, due_day: Option<u32>) -> Subtask {
        let day = |d| {
            Utc.with_ymd_and_hms(2026, 11, d, 9, 0, 0)
                .single()
                .expect("date")
        };
        Subtask {
            id: 1,
            ticket: 1,
            position: 1,
            title: "Pick up the return".into(),
            assignee: None,
            due: due_day.map(day),
            note: String::new(),
            done_at: done.then(|| day(1)),
            done_by: None,
            created_at: day(1),
        }
    }

    #[test]
    fn progress_counts_done_of_all_and_none_is_complete() {
        let p = Progress::of(&[step(true, None), step(false, None), step(true, None)]);
        assert_eq!(p.to_string(), "2/3");
        assert!(!p.complete());
        assert!(Progress::of(&[]).complete());
    }

    #[test]
    fn only_an_open_step_past_its_date_is_overdue() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
            .single()
            .expect("now");
        assert!(step(false, Some(19)).is_overdue(now));
        assert!(!step(true, Some(19)).is_overdue(now));
        assert!(!step(false, Some(21)).is_overdue(now));
        assert!(!step(false, None).is_overdue(now));
    }
}
