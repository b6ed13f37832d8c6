//! Where this member is, for the other agents' collision warnings, and who
//! else is on the ticket open here: a heartbeat when the member moves to
//! another ticket or starts or stops typing into one, and every few seconds.

use chrono::{DateTime, Utc};

use super::{App, Overlay, Pane};
use crate::service::{BEAT_EVERY, Viewer};
use crate::tui::action::Effect;

#[derive(Debug, Clone, Default)]
pub struct PresenceState {
    /// The last beat sent: ticket, typing, when.
    sent: Option<(Option<i64>, bool, DateTime<Utc>)>,
    /// The others on the ticket `of`, as last asked.
    pub others: Vec<Viewer>,
    pub of: Option<i64>,
}

impl App {
    /// The ticket the member is on and whether they are typing into it.
    fn whereabouts(&self) -> (Option<i64>, bool) {
        match &self.overlay {
            Some(Overlay::Comment { id, .. }) => (Some(*id), true),
            Some(Overlay::Form(form)) if form.ticket_id().is_some() => (form.ticket_id(), true),
            _ => (
                self.detail_id().filter(|_| self.pane == Pane::Detail),
                false,
            ),
        }
    }

    /// A heartbeat, when the member moved or the last one is getting old.
    pub(super) fn beat(&mut self) -> Option<Effect> {
        let (ticket, editing) = self.whereabouts();
        let every = chrono::Duration::from_std(BEAT_EVERY).unwrap_or_default();
        let due = match self.presence.sent {
            Some((t, e, at)) => t != ticket || e != editing || self.now - at >= every,
            None => ticket.is_some(),
        };
        if !due {
            return None;
        }
        self.presence.sent = Some((ticket, editing, self.now));
        if ticket != self.presence.of {
            self.presence.others.clear();
            self.presence.of = ticket;
        }
        Some(Effect::Heartbeat { ticket, editing })
    }

    pub(super) fn viewers_loaded(&mut self, ticket: i64, others: Vec<Viewer>) {
        if self.presence.of == Some(ticket) {
            self.presence.others = others;
        }
    }

    /// The others on the ticket shown in the detail pane.
    pub fn others_here(&self) -> &[Viewer] {
        match self.detail_id() {
            Some(id) if self.presence.of == Some(id) => &self.presence.others,
            _ => &[],
        }
    }
}
