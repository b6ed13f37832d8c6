//! Write use cases on tickets, each one transaction as the current member.

use super::ops::verdict::{VerdictInput, VerdictOutcome, VerdictSource};
use crate::domain::ChangeKind;
use crate::domain::{Comment, NewTicket, Ticket, TicketChanges};
use crate::error::{Error, Result};

use super::{Desk, MoveOptions, ops};

/// The tag, and the reason, a ticket marked as spam gets.
pub const SPAM: &str = "spam";

impl Desk {
    /// Creates a ticket; returns its number. The customer may be named by
    /// e-mail (found, or made), or by number or any other handle (a phone,
    /// a buyer id: found among the customers the member may see).
    pub fn create_ticket(&mut self, mut new: NewTicket) -> Result<i64> {
        if let Some(key) = new.customer_email.take() {
            let key = key.trim().to_string();
            if key.contains('@') {
                new.customer_email = Some(key);
            } else if !key.is_empty() {
                new.customer_id = Some(self.find_customer(&key)?);
            }
        }
        let rules = self.rules.clone();
        self.write_as(ChangeKind::Create, "", |w, ctx| {
            let id = ops::create(w, ctx, new)?;
            super::routing::route_new(w, ctx.workflow, &rules, id, ctx.now, ctx.change)?;
            Ok(id)
        })
    }

    /// Moves a ticket to another state through the workflow engine.
    /// `to` may be a state id or its label in any language.
    pub fn move_ticket(&mut self, id: i64, to: &str, opts: &MoveOptions) -> Result<Ticket> {
        let to = self.state_id(to);
        self.write_as(ChangeKind::Move, &format!("#{id} {to}"), |w, ctx| {
            ops::transition(w, ctx, id, &to, opts)
        })
    }

    /// Marks a ticket as spam in one change, so one undo takes all of it
    /// back: tagged `spam` and moved to the workflow's first final state
    /// (closed), with "spam" as the reason.
    pub fn mark_spam(&mut self, id: i64, expected_version: Option<i64>) -> Result<Ticket> {
        let to = self
            .workflow
            .states()
            .iter()
            .find(|s| s.is_final)
            .map(|s| s.id.clone())
            .ok_or(Error::TicketNotFound(id))?;
        self.write_as(ChangeKind::Spam, &format!("#{id}"), |w, ctx| {
            let tag = TicketChanges {
                add_tags: vec![SPAM.into()],
                ..TicketChanges::default()
            };
            ops::edit(w, ctx, id, &tag, expected_version)?;
            let opts = MoveOptions {
                note: Some(SPAM.into()),
                ..MoveOptions::default()
            };
            ops::transition(w, ctx, id, &to, &opts)
        })
    }

    /// Sets (or with `None` clears) the assignee.
    pub fn assign(
        &mut self,
        id: i64,
        login: Option<&str>,
        expected_version: Option<i64>,
    ) -> Result<Ticket> {
        let detail = format!("#{id} {}", login.unwrap_or("-"));
        self.write_as(ChangeKind::Assign, &detail, |w, ctx| {
            ops::assign(w, ctx, id, login, expected_version)
        })
    }

    /// Adds a public reply or an internal note.
    pub fn comment(&mut self, id: i64, body: &str, internal: bool) -> Result<Comment> {
        self.comment_with_files(id, body, internal, &[])
    }

    /// Edits plain fields.
    pub fn edit(
        &mut self,
        id: i64,
        changes: &TicketChanges,
        expected_version: Option<i64>,
    ) -> Result<Ticket> {
        self.write_as(ChangeKind::Edit, &format!("#{id}"), |w, ctx| {
            ops::edit(w, ctx, id, changes, expected_version)
        })
    }

    /// Records the customer's acceptance of the fix (a "yes" verdict a
    /// member enters): with the customer's words, a message from them
    /// since the fix, or by a supervisor it closes the ticket; otherwise
    /// it is refused (nothing is written).
    pub fn accept(
        &mut self,
        id: i64,
        rating: Option<u8>,
        words: Option<&str>,
        expected_version: Option<i64>,
    ) -> Result<VerdictOutcome> {
        let input = VerdictInput {
            rating,
            satisfied: Some(true),
            words: words.map(String::from),
        };
        self.record_verdict(id, &input, VerdictSource::Agent, expected_version)
    }

    /// Records the customer's verdict and acts on it (close, reopen to a
    /// senior member, or keep it for the agent).
    pub fn record_verdict(
        &mut self,
        id: i64,
        input: &VerdictInput,
        source: VerdictSource,
        expected_version: Option<i64>,
    ) -> Result<VerdictOutcome> {
        self.write_as(ChangeKind::Accept, &format!("#{id}"), |w, ctx| {
            ops::verdict::record(w, ctx, id, input, source, expected_version)
        })
    }

    /// The state id for an id or a label; unknown text is returned as given
    /// so the engine can refuse it with the allowed list.
    pub fn state_id(&self, text: &str) -> String {
        let t = text.trim();
        self.workflow
            .states()
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(t) || s.label.matches(t))
            .map(|s| s.id.clone())
            .unwrap_or_else(|| t.to_string())
    }
}
