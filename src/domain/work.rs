//! Read models of planned work: a member's own queue ("my work": tickets
//! and steps together by date) and what the timeline draws beside a page
//! of tickets (their steps, and which open tickets block them).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Subtask, TicketRow};

/// One entry of a member's own queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkItem {
    /// An unsolved ticket assigned to the member.
    Ticket(TicketRow),
    /// An open step the member owns, with its ticket's title; `visible`:
    /// whether the member may open the ticket itself (a step's owner from
    /// another team may not).
    Step {
        step: Subtask,
        ticket_title: String,
        visible: bool,
    },
}

impl WorkItem {
    pub fn due(&self) -> Option<DateTime<Utc>> {
        match self {
            WorkItem::Ticket(t) => t.due_at,
            WorkItem::Step { step, .. } => step.due,
        }
    }

    /// The ticket it belongs to.
    pub fn ticket(&self) -> i64 {
        match self {
            WorkItem::Ticket(t) => t.id,
            WorkItem::Step { step, .. } => step.ticket,
        }
    }
}

/// Soonest due first, undated last; ties by ticket number.
pub fn by_due(items: &mut [WorkItem]) {
    items.sort_by_key(|i| (i.due().is_none(), i.due(), i.ticket()));
}

/// What the timeline shows beside a page of tickets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimelineExtras {
    /// The tickets asked about (each answered, with or without steps).
    pub tickets: Vec<i64>,
    pub steps: Vec<Subtask>,
    /// (blocked ticket, the open ticket blocking it), visible ones only.
    pub blocked_by: Vec<(i64, i64)>,
}
