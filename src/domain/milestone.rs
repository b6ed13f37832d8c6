//! Milestones: a name and a date that group tickets and steps (the fix of
//! a product defect that touched forty tickets, the move to a new
//! warehouse), with how far the work is and what is late.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// Longest milestone name, in characters.
pub const MILESTONE_NAME_MAX: usize = 80;

/// From this long before its date an unfinished item is at risk.
pub const AT_RISK_WITHIN: Duration = Duration::hours(48);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub owner: Option<String>,
    pub due: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// Closed milestones leave the lists and take no new items.
    pub closed_at: Option<DateTime<Utc>>,
}

impl Milestone {
    pub fn is_closed(&self) -> bool {
        self.closed_at.is_some()
    }
}

/// Input for a new milestone.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewMilestone {
    pub name: String,
    pub description: String,
    pub owner: Option<String>,
    pub due: Option<DateTime<Utc>>,
}

/// Changes to a milestone; `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MilestoneChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub owner: Option<Option<String>>,
    pub due: Option<Option<DateTime<Utc>>>,
}

/// How far a milestone is, over the items its reader may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct MilestoneProgress {
    pub tickets: usize,
    pub tickets_done: usize,
    pub steps: usize,
    pub steps_done: usize,
    /// Unfinished items within [`AT_RISK_WITHIN`] of their date (their own
    /// or, without one, the milestone's).
    pub at_risk: usize,
    /// Unfinished items past that date.
    pub overdue: usize,
}

impl MilestoneProgress {
    pub fn done(&self) -> usize {
        self.tickets_done + self.steps_done
    }

    pub fn total(&self) -> usize {
        self.tickets + self.steps
    }

    /// Done of all, in whole percent (100 with nothing in it).
    pub fn percent(&self) -> usize {
        match self.total() {
            0 => 100,
            total => self.done() * 100 / total,
        }
    }
}

/// A milestone with its progress, as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MilestoneSummary {
    #[serde(flatten)]
    pub milestone: Milestone,
    pub progress: MilestoneProgress,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_counts_tickets_and_steps_together_and_empty_is_complete() {
        let p = MilestoneProgress {
            tickets: 3,
            tickets_done: 1,
            steps: 1,
            steps_done: 1,
            ..Default::default()
        };
        assert_eq!((p.done(), p.total(), p.percent()), (2, 4, 50));
        assert_eq!(MilestoneProgress::default().percent(), 100);
    }
}
