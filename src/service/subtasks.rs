//! Subtasks: a ticket's work broken into steps, each with its own owner
//! (from any team), due date and done mark. Whoever may change the ticket
//! adds, edits and removes its steps; a step's owner or whoever may change
//! the ticket marks it done. Every change is in the ticket's history; a
//! step is put back by the inverse command (`task undo`, `task edit`), not
//! by `tdesk undo`.

use crate::domain::NoticeKind;
use crate::domain::{EventKind, NewSubtask, SUBTASK_TITLE_MAX, Subtask, SubtaskChanges, User};
use crate::error::{Error, Result};
use crate::store::{NewNotice, Writer};

use super::{Desk, current_user, ops};

impl Desk {
    /// A ticket's subtasks in order, if the member may see the ticket.
    pub fn subtasks(&self, ticket: i64) -> Result<Vec<Subtask>> {
        let reader = self.store.reader();
        self.visible_ticket(&reader, ticket)?;
        reader.subtasks(ticket)
    }

    /// The member's own open steps, soonest due first.
    pub fn my_subtasks(&self, limit: usize) -> Result<Vec<Subtask>> {
        let reader = self.store.reader();
        let mut steps = reader.open_subtasks_of(&self.login, limit)?;
        // A step's note belongs to its ticket: an owner from another team
        // gets the step, not what the ticket's team wrote beside it.
        for s in &mut steps {
            if self.visible_ticket(&reader, s.ticket).is_err() {
                s.note.clear();
            }
        }
        Ok(steps)
    }

    /// A ticket's title and description, for a member who may see the
    /// ticket or owns one of its steps: a step's owner from another team
    /// learns what the step is about, not the conversation or the customer.
    pub fn ticket_brief(&self, ticket: i64) -> Result<(String, String)> {
        let reader = self.store.reader();
        let t = match self.visible_ticket(&reader, ticket) {
            Ok(t) => t,
            Err(Error::TicketNotFound(_)) if reader.owns_step_of(&self.login, ticket)? => reader
                .ticket(ticket)?
                .ok_or(Error::TicketNotFound(ticket))?,
            Err(e) => return Err(e),
        };
        Ok((t.title, t.description))
    }

    /// Adds a step at the end of ticket `ticket`'s list.
    pub fn add_subtask(&mut self, ticket: i64, mut new: NewSubtask) -> Result<Subtask> {
        new.title = clean_title(&new.title)?;
        self.write_outside_undo(|w, ctx| {
            ops::load(w, ctx, ticket, None)?;
            if let Some(login) = &new.assignee {
                ops::require_active_user(w, login)?;
            }
            let s = w.insert_subtask(ticket, &new, ctx.now)?;
            ctx.log(
                w,
                ticket,
                EventKind::Field,
                Some("subtask"),
                None,
                Some(&label(&s)),
            )?;
            tell_owner(w, ctx, &s)?;
            Ok(s)
        })
    }

    /// Marks step `id` done (or open again).
    pub fn set_subtask_done(&mut self, id: i64, done: bool) -> Result<Subtask> {
        self.write_outside_undo(|w, ctx| {
            let mut s = owned_step(w, ctx, id, true)?;
            if s.is_done() == done {
                return Ok(s);
            }
            let before = label(&s);
            s.done_at = done.then_some(ctx.now);
            s.done_by = done.then(|| ctx.actor.login.clone());
            w.update_subtask(&s)?;
            ctx.log(
                w,
                s.ticket,
                EventKind::Field,
                Some("subtask"),
                Some(&before),
                Some(&label(&s)),
            )?;
            Ok(s)
        })
    }

    /// Changes a step's title, owner, due date or note.
    pub fn edit_subtask(&mut self, id: i64, changes: SubtaskChanges) -> Result<Subtask> {
        let title = changes.title.as_deref().map(clean_title).transpose()?;
        self.write_outside_undo(|w, ctx| {
            let mut s = owned_step(w, ctx, id, false)?;
            let before = label(&s);
            if let Some(t) = title {
                s.title = t;
            }
            let mut new_owner = false;
            if let Some(a) = changes.assignee {
                if let Some(login) = &a {
                    ops::require_active_user(w, login)?;
                }
                new_owner = a.is_some() && a != s.assignee;
                s.assignee = a;
            }
            if let Some(d) = changes.due {
                s.due = d;
            }
            if let Some(n) = changes.note {
                s.note = n;
            }
            w.update_subtask(&s)?;
            let after = label(&s);
            if after != before {
                ctx.log(
                    w,
                    s.ticket,
                    EventKind::Field,
                    Some("subtask"),
                    Some(&before),
                    Some(&after),
                )?;
            }
            if new_owner {
                tell_owner(w, ctx, &s)?;
            }
            Ok(s)
        })
    }

    /// Removes step `id`.
    pub fn remove_subtask(&mut self, id: i64) -> Result<Subtask> {
        self.write_outside_undo(|w, ctx| {
            let s = owned_step(w, ctx, id, false)?;
            w.delete_subtask(id)?;
            ctx.log(
                w,
                s.ticket,
                EventKind::Field,
                Some("subtask"),
                Some(&label(&s)),
                None,
            )?;
            Ok(s)
        })
    }

    /// A transaction for a change of subtasks or links: in the tickets'
    /// history, outside the changes `tdesk undo` takes back.
    pub(super) fn write_outside_undo<T>(
        &mut self,
        f: impl FnOnce(&mut Writer<'_>, &ops::Ctx<'_>) -> Result<T>,
    ) -> Result<T> {
        let now = self.clock.now();
        let login = self.login.clone();
        let workflow = &self.workflow;
        self.store.write(|w| {
            let me: User = current_user(&w.reader(), &login)?;
            let ctx = ops::Ctx {
                workflow,
                actor: &me,
                now,
                change: None,
            };
            f(w, &ctx)
        })
    }
}

/// Step `id`, if the member may change its ticket; otherwise it looks
/// exactly like a missing one.
pub(super) fn changeable_step(w: &Writer<'_>, ctx: &ops::Ctx<'_>, id: i64) -> Result<Subtask> {
    owned_step(w, ctx, id, false)
}

/// Step `id`, if the member may change its ticket or owns the step (who
/// may mark it done, and time it).
pub(super) fn markable_step(w: &Writer<'_>, ctx: &ops::Ctx<'_>, id: i64) -> Result<Subtask> {
    owned_step(w, ctx, id, true)
}

/// Step `id`, if the member may change its ticket — or, when `own_counts`,
/// is the step's owner. A step of a ticket the member cannot change looks
/// exactly like a missing one.
fn owned_step(w: &Writer<'_>, ctx: &ops::Ctx<'_>, id: i64, own_counts: bool) -> Result<Subtask> {
    let s = w.reader().subtask(id)?.ok_or(Error::SubtaskNotFound(id))?;
    let owner = own_counts && s.assignee.as_deref() == Some(ctx.actor.login.as_str());
    if !owner {
        ops::load(w, ctx, s.ticket, None).map_err(|e| match e {
            Error::TicketNotFound(_) => Error::SubtaskNotFound(id),
            other => other,
        })?;
    }
    Ok(s)
}

/// A step's new owner hears of it in their inbox (not when they gave it
/// to themselves).
fn tell_owner(w: &mut Writer<'_>, ctx: &ops::Ctx<'_>, s: &Subtask) -> Result<()> {
    match s.assignee.as_deref() {
        Some(owner) if owner != ctx.actor.login => w.add_notice(&NewNotice {
            login: owner,
            ticket: Some(s.ticket),
            kind: NoticeKind::Step,
            actor: &ctx.actor.login,
            at: ctx.now,
            change: None,
            detail: Some(&s.title),
        }),
        _ => Ok(()),
    }
}

/// How a step reads in the ticket's history: `#12 Pick up the return
/// (logistics.li, due 2026-12-01) ✓`.
fn label(s: &Subtask) -> String {
    let mut out = format!("{} {}", s.position, s.title);
    let mut details = Vec::new();
    if let Some(a) = &s.assignee {
        details.push(a.clone());
    }
    if let Some(d) = s.due {
        details.push(format!("due {}", d.format("%Y-%m-%d")));
    }
    if !details.is_empty() {
        out.push_str(&format!(" ({})", details.join(", ")));
    }
    if s.is_done() {
        out.push_str(" ✓");
    }
    out
}

/// A step's title, on one line and short.
fn clean_title(title: &str) -> Result<String> {
    ops::clean_title_within(title, SUBTASK_TITLE_MAX)
}
