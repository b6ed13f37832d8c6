//! Status changes: every one goes through the workflow engine.

use crate::domain::{EventKind, Ticket};
use crate::error::{Error, RefusedMove, Result};
use crate::store::{TicketUpdate, Writer};
use crate::workflow::{MoveDecision, MoveFacts, NoteUse};

use super::{Ctx, check_body, load, reload, save};

/// Options of a move.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoveOptions {
    /// Resolution note or reason, as the transition requires.
    pub note: Option<String>,
    /// Ask to skip the requirements (supervisor override); needs a note.
    pub override_requirements: bool,
    /// The version the caller saw; a mismatch is a conflict.
    pub expected_version: Option<i64>,
}

/// Moves ticket `id` to state `to` if the engine allows it.
pub fn transition(
    w: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    id: i64,
    to: &str,
    opts: &MoveOptions,
) -> Result<Ticket> {
    let ticket = load(w, ctx, id, opts.expected_version)?;
    if let Some(note) = &opts.note {
        check_body("field.note", note)?;
    }
    let facts = MoveFacts {
        has_assignee: ticket.assignee.is_some(),
        accepted: ticket.accepted_at.is_some(),
        note: opts.note.as_deref(),
        role: ctx.actor.role,
        override_requested: opts.override_requirements,
    };
    let decision = ctx
        .workflow
        .check_move(&ticket.status, to, facts)
        .map_err(|refused| {
            Error::Refused(Box::new(RefusedMove::new(
                ctx.workflow,
                id,
                &ticket.status,
                to,
                refused,
            )))
        })?;
    apply(w, ctx, &ticket, to, decision, opts.note.as_deref())?;
    reload(w, id)
}

/// Writes an accepted move: status, timestamps, note, events.
fn apply(
    w: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    ticket: &Ticket,
    to: &str,
    decision: MoveDecision,
    note: Option<&str>,
) -> Result<()> {
    let (Some(from_state), Some(to_state)) =
        (ctx.workflow.state(&ticket.status), ctx.workflow.state(to))
    else {
        return Err(Error::TicketNotFound(ticket.id));
    };
    let mut update = TicketUpdate {
        status: Some(to.to_string()),
        ..TicketUpdate::default()
    };
    if to_state.is_resolved && !from_state.is_resolved {
        update.resolved_at = Some(Some(ctx.now));
    }
    if from_state.is_resolved && !to_state.is_resolved {
        // A reopen: the old fix and the customer's acceptance no longer hold.
        update.resolved_at = Some(None);
        update.closed_at = Some(None);
        update.accepted_at = Some(None);
        update.rating = Some(None);
        update.resolution = Some(None);
    }
    if to_state.is_final && !from_state.is_final {
        update.closed_at = Some(Some(ctx.now));
    } else if from_state.is_final && !to_state.is_final {
        update.closed_at = Some(None);
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if decision.note_use == NoteUse::Resolution {
        update.resolution = Some(note.map(String::from));
    }
    save(w, ctx, ticket, &update)?;
    ctx.log(
        w,
        ticket.id,
        EventKind::Status,
        None,
        Some(&ticket.status),
        Some(to),
    )?;
    match (decision.note_use, note) {
        (NoteUse::Resolution, Some(text)) => {
            ctx.log(
                w,
                ticket.id,
                EventKind::Field,
                Some("resolution"),
                None,
                Some(text),
            )?;
        }
        (NoteUse::Reason, Some(text)) => {
            let cid = w.insert_comment(ticket.id, &ctx.actor.login, text, true, ctx.now)?;
            ctx.log(
                w,
                ticket.id,
                EventKind::Comment,
                Some("note"),
                None,
                Some(&cid.to_string()),
            )?;
        }
        _ => {}
    }
    if decision.overridden {
        ctx.log(
            w,
            ticket.id,
            EventKind::Override,
            Some("requirements"),
            None,
            note,
        )?;
    }
    Ok(())
}

/// After an assignment: if the ticket's state names an `on_assign` target and
/// the engine allows the move, take it. A refused follow-up move is not an error.
pub fn follow_on_assign(w: &mut Writer<'_>, ctx: &Ctx<'_>, id: i64) -> Result<()> {
    let ticket = reload(w, id)?;
    let Some(target) = ctx
        .workflow
        .state(&ticket.status)
        .and_then(|s| s.on_assign.clone())
    else {
        return Ok(());
    };
    let facts = MoveFacts {
        has_assignee: ticket.assignee.is_some(),
        accepted: ticket.accepted_at.is_some(),
        note: None,
        role: ctx.actor.role,
        override_requested: false,
    };
    if let Ok(decision) = ctx.workflow.check_move(&ticket.status, &target, facts) {
        apply(w, ctx, &ticket, &target, decision, None)?;
    }
    Ok(())
}
