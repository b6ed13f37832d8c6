//! Write operations on an open transaction. Each takes a [`Ctx`] (workflow,
//! actor, now) so the desk, the demo generator and later importers share one
//! implementation of every rule.

mod change;
mod create;
mod transition;
pub mod verdict;

use chrono::{DateTime, Utc};

use crate::domain::{EventKind, Role, Ticket, User};
use crate::error::{Error, Result};
use crate::store::{NewEvent, TicketUpdate, Writer};
use crate::workflow::Workflow;

pub use change::{
    add_comment, assign, assign_plain, comment, counts_as_response, edit, may_assign,
};
pub use create::{create, new_ticket, require_active_user, resolve_type};
pub use transition::{MoveOptions, follow_on_assign, transition};

/// Longest title stored, in characters.
pub const TITLE_MAX_CHARS: usize = 500;
/// Longest description or comment stored, in bytes (1 MiB).
pub const BODY_MAX_BYTES: usize = 1 << 20;

/// Who does an operation, when, under which workflow.
pub struct Ctx<'a> {
    pub workflow: &'a Workflow,
    pub actor: &'a User,
    pub now: DateTime<Utc>,
    /// The user action the events belong to, for undo.
    pub change: Option<i64>,
}

impl Ctx<'_> {
    /// Appends one audit event by this actor, now.
    pub fn log(
        &self,
        w: &mut Writer<'_>,
        ticket: i64,
        kind: EventKind,
        field: Option<&str>,
        old: Option<&str>,
        new: Option<&str>,
    ) -> Result<()> {
        w.append_event(&NewEvent {
            ticket: Some(ticket),
            actor: &self.actor.login,
            at: self.now,
            kind,
            field,
            old,
            new,
            change: self.change,
        })?;
        Ok(())
    }
}

/// Loads a ticket the actor may see (any other is "not found", exactly as a
/// missing one), refusing with `Conflict` when the caller saw another version.
pub fn load(
    w: &Writer<'_>,
    ctx: &Ctx<'_>,
    id: i64,
    expected_version: Option<i64>,
) -> Result<Ticket> {
    let ticket = reload(w, id)?;
    if !ctx
        .actor
        .scope()
        .allows(ticket.assignee.as_deref(), ticket.team.as_deref())
    {
        return Err(Error::TicketNotFound(id));
    }
    match expected_version {
        Some(v) if v != ticket.version => Err(conflict(w, id)?),
        _ => Ok(ticket),
    }
}

/// Reads a ticket back after this operation changed it (no access check:
/// the change itself was checked, and may have moved it out of view).
pub fn reload(w: &Writer<'_>, id: i64) -> Result<Ticket> {
    w.reader().ticket(id)?.ok_or(Error::TicketNotFound(id))
}

/// The conflict error for `id`, naming who changed it last and when.
fn conflict(w: &Writer<'_>, id: i64) -> Result<Error> {
    let last = w.reader().last_event(id)?;
    Ok(Error::Conflict {
        ticket: id,
        by: last.as_ref().map(|e| e.actor.clone()).unwrap_or_default(),
        at: last.map(|e| e.at).unwrap_or(DateTime::UNIX_EPOCH),
    })
}

/// Writes `update` over `ticket`, which must still be at its version.
pub fn save(
    w: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    ticket: &Ticket,
    update: &TicketUpdate,
) -> Result<()> {
    if w.update_ticket(ticket.id, ticket.version, update, ctx.now)? {
        Ok(())
    } else {
        Err(conflict(w, ticket.id)?)
    }
}

/// Trims a title, flattens newlines, and checks it is present and not too long.
pub fn clean_title(title: &str) -> Result<String> {
    clean_title_within(title, TITLE_MAX_CHARS)
}

/// [`clean_title`] for a title of at most `max` characters (a subtask's).
pub fn clean_title_within(title: &str, max: usize) -> Result<String> {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        return Err(Error::Empty("field.title"));
    }
    if title.chars().count() > max {
        return Err(Error::TooLong {
            field: "field.title",
            max,
        });
    }
    Ok(title)
}

/// Checks a description or comment body fits.
pub fn check_body(field: &'static str, body: &str) -> Result<()> {
    if body.len() > BODY_MAX_BYTES {
        return Err(Error::TooLong {
            field,
            max: BODY_MAX_BYTES,
        });
    }
    Ok(())
}

/// Records a membership change in the audit log.
pub fn log_user_event(
    w: &mut Writer<'_>,
    actor: &str,
    now: DateTime<Utc>,
    login: &str,
    old: Option<Role>,
    new: Option<Role>,
) -> Result<()> {
    w.append_event(&NewEvent {
        ticket: None,
        actor,
        at: now,
        kind: EventKind::User,
        field: Some(login),
        old: old.map(Role::as_str),
        new: new.map(Role::as_str),
        change: None,
    })?;
    Ok(())
}
