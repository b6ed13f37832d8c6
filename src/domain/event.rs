//! The append-only audit log: one event per change, with actor and UTC time.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What kind of change an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Ticket created; `new` holds the initial status.
    Created,
    /// Status changed through the workflow engine; `old` → `new`.
    Status,
    /// Assignee changed; `old` → `new` (empty = unassigned).
    Assigned,
    /// A plain field changed; `field` names it.
    Field,
    /// A comment was added; `field` is `reply` or `note`, `new` holds the comment id.
    Comment,
    /// The customer's acceptance was recorded; `new` holds the rating if any.
    Accepted,
    /// A supervisor closed without the customer's acceptance; `new` holds the reason.
    Override,
    /// A desk member was added or changed (no ticket).
    User,
    /// The desk's workflow definition was replaced (no ticket).
    Workflow,
    /// The customer's verdict on the fix; `field` says where it came from
    /// (mail, agent, survey), `new` holds the rating and yes/no (`4 yes`),
    /// `old` the number of the note with the customer's words, if any.
    Verdict,
    /// A knowledge-base article was added, edited, imported or removed (no
    /// ticket); `field` is `<id> <lang>`, `new` what happened.
    Article,
    /// A letter the desk sent came back undelivered; `field` is its
    /// recipient, `old` the letter's number, `new` the reason given.
    Bounced,
}

impl EventKind {
    const ALL: [EventKind; 12] = [
        EventKind::Created,
        EventKind::Status,
        EventKind::Assigned,
        EventKind::Field,
        EventKind::Comment,
        EventKind::Accepted,
        EventKind::Override,
        EventKind::User,
        EventKind::Workflow,
        EventKind::Verdict,
        EventKind::Article,
        EventKind::Bounced,
    ];

    /// Stable id used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Status => "status",
            EventKind::Assigned => "assigned",
            EventKind::Field => "field",
            EventKind::Comment => "comment",
            EventKind::Accepted => "accepted",
            EventKind::Override => "override",
            EventKind::User => "user",
            EventKind::Workflow => "workflow",
            EventKind::Verdict => "verdict",
            EventKind::Article => "article",
            EventKind::Bounced => "bounced",
        }
    }

    /// Inverse of [`EventKind::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One audit-log entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: i64,
    /// The ticket changed, if the event is about a ticket.
    pub ticket: Option<i64>,
    /// Login of who did it (or `automation:<rule>` later).
    pub actor: String,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Replays a ticket's events (oldest first) to the status they lead to.
///
/// Returns `None` when the log has no creation event, or when a status event
/// does not start from the status the log had reached (a broken chain).
pub fn replay_status(events: &[Event]) -> Option<String> {
    let mut status: Option<String> = None;
    for event in events {
        match event.kind {
            EventKind::Created => status = event.new.clone(),
            EventKind::Status => {
                if status.is_none() || status != event.old {
                    return None;
                }
                status = event.new.clone();
            }
            _ => {}
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: EventKind, old: Option<&str>, new: Option<&str>) -> Event {
        Event {
            id: 0,
            ticket: Some(1),
            actor: "alice".into(),
            at: DateTime::<Utc>::MIN_UTC,
            kind,
            field: None,
            old: old.map(str::to_string),
            new: new.map(str::to_string),
        }
    }

    #[test]
    fn replay_follows_the_status_chain() {
        let log = vec![
            ev(EventKind::Created, None, Some("new")),
            ev(EventKind::Assigned, None, Some("alice")),
            ev(EventKind::Status, Some("new"), Some("in_progress")),
            ev(EventKind::Status, Some("in_progress"), Some("resolved")),
        ];
        assert_eq!(replay_status(&log).as_deref(), Some("resolved"));
    }

    #[test]
    fn replay_rejects_a_broken_chain() {
        let log = vec![
            ev(EventKind::Created, None, Some("new")),
            ev(EventKind::Status, Some("resolved"), Some("closed")),
        ];
        assert_eq!(replay_status(&log), None);
        assert_eq!(replay_status(&[]), None);
    }

    #[test]
    fn kinds_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
    }
}
