//! What the app does with the runner's answers: saved writes, failures,
//! a loaded ticket.

use super::{App, Overlay, Pane, Status};
use crate::domain::TicketDetail;
use crate::error::Error;
use crate::tui::action::{Effect, Job, SavedKind};

impl App {
    pub(super) fn saved(&mut self, id: i64, kind: SavedKind) -> Vec<Effect> {
        if !matches!(
            self.overlay,
            Some(Overlay::Help { .. }) | Some(Overlay::Filter { .. })
        ) {
            self.overlay = None;
        }
        let mut effects = Vec::new();
        if kind.posted() {
            if let Some(slug) = self.kb.used.remove(&id) {
                effects.push(Effect::ArticleUsed { ticket: id, slug });
            }
            let internal = kind == SavedKind::Noted;
            self.drafts.remove(&(id, internal));
            self.reply_files.remove(&id);
            effects.push(Effect::SaveDraft {
                id,
                internal,
                body: String::new(),
            });
        }
        self.status = Some(Status {
            text: self.cat.f(kind.key(), &[("id", &id)]),
            // A reply that cannot go out is not a plain success.
            error: matches!(kind, SavedKind::ReplyWaiting | SavedKind::ReplyNoAddress),
        });
        if kind == SavedKind::Created {
            self.prev_pane = self.pane;
            self.pane = Pane::Detail;
            self.detail.scroll = 0;
        }
        let show_detail = self.pane == Pane::Detail || kind == SavedKind::Created;
        effects.extend(self.reload(show_detail.then_some(id).or(self.shown_ticket())));
        effects
    }

    pub(super) fn failed(&mut self, err: Error) -> Vec<Effect> {
        self.timeline_failed();
        let text = self.describe(&err);
        if let Some(Overlay::Filter { error, .. }) = &mut self.overlay {
            *error = Some(text);
            return Vec::new();
        }
        if let Some(Overlay::Form(form)) = &mut self.overlay {
            form.error = Some(text.clone());
        }
        let mut effects = Vec::new();
        if let Error::Conflict { ticket, .. } = &err {
            if let Some(Overlay::Form(form)) = &mut self.overlay {
                form.conflict = true;
            }
            effects.push(Effect::Background(Job::View(*ticket)));
            effects.extend(self.reload(None));
        }
        self.status = Some(Status {
            text: text.lines().next().unwrap_or_default().to_string(),
            error: true,
        });
        effects
    }

    /// The detail pane's ticket arrived from the worker: shown if it is the
    /// one last asked for, dropped if the cursor has moved on meanwhile.
    pub(super) fn view_loaded(&mut self, view: crate::service::TicketView) {
        let id = view.detail.ticket.id;
        if self.detail.wanted != Some(id) {
            return;
        }
        self.detail.failed = None;
        self.detail.clocks = view.clocks.map(|c| (id, c));
        self.detail.similar = Some((id, view.similar));
        self.detail.suggestions = Some((id, view.suggestions));
        self.detail.subtasks = Some((id, view.subtasks));
        self.detail.links = Some((id, view.links));
        self.detail.mail = Some((
            id,
            crate::tui::action::MailInfo {
                attachments: view.attachments,
                outgoing: view.outgoing,
                ready: view.mail_ready,
            },
        ));
        self.detail_loaded(view.detail);
    }

    fn detail_loaded(&mut self, detail: TicketDetail) {
        if let Some(Overlay::Form(form)) = &mut self.overlay
            && form.conflict
            && form.ticket_id() == Some(detail.ticket.id)
        {
            form.rebase(detail.ticket.version);
        }
        if self.detail_id() != Some(detail.ticket.id) {
            self.detail.scroll = 0;
        }
        // A resolution being written keeps up with the ticket's version:
        // the engine checks the move against the state it is in now.
        if let Some(Overlay::Resolve(form)) = &mut self.overlay
            && form.id == detail.ticket.id
        {
            form.version = detail.ticket.version;
        }
        self.detail.ticket = Some(detail);
    }
}
