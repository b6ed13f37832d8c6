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
    /// Root cause (id or label from the workflow's list), for a resolution.
    pub cause: Option<String>,
    /// Prevention step, for a resolution.
    pub prevention: Option<String>,
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
    if let Some(p) = &opts.prevention {
        check_body("field.prevention", p)?;
    }
    let cause = cause_id(ctx, opts.cause.as_deref())?;
    let record = Record {
        note: opts.note.as_deref(),
        cause: cause.as_deref(),
        prevention: opts.prevention.as_deref(),
    };
    let facts = MoveFacts {
        has_assignee: ticket.assignee.is_some(),
        accepted: ticket.accepted_at.is_some(),
        note: opts.note.as_deref(),
        cause: record.cause,
        prevention: record.prevention,
        role: ctx.actor.role,
        override_requested: opts.override_requirements,
        open_subtasks: w.reader().open_subtasks(id)?,
        open_blockers: open_blockers(w, ctx, id)?,
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
    apply(w, ctx, &ticket, to, decision, record)?;
    reload(w, id)
}

/// What a move carries: its note and, for a resolution, the record.
#[derive(Debug, Clone, Copy, Default)]
struct Record<'a> {
    note: Option<&'a str>,
    cause: Option<&'a str>,
    prevention: Option<&'a str>,
}

/// The cause's id in the workflow's list; a cause it does not list is
/// refused with the ones it does.
fn cause_id(ctx: &Ctx<'_>, cause: Option<&str>) -> Result<Option<String>> {
    let Some(text) = cause.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    match ctx.workflow.cause(text) {
        Some(term) => Ok(Some(term.id.clone())),
        None => Err(Error::Invalid(crate::domain::InvalidValue {
            field: "cause",
            value: text.to_string(),
            expected: ctx
                .workflow
                .causes()
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })),
    }
}

fn some_text(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
}

/// Writes an accepted move: status, timestamps, note, events.
fn apply(
    w: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    ticket: &Ticket,
    to: &str,
    decision: MoveDecision,
    record: Record<'_>,
) -> Result<()> {
    let note = record.note;
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
        update.cause = Some(None);
        update.prevention = Some(None);
        update.accepted_by = Some(None);
        update.solved_by = Some(None);
        update.reopens = Some(ticket.closure.reopens.saturating_add(1));
    }
    if to_state.is_final && !from_state.is_final {
        update.closed_at = Some(Some(ctx.now));
    } else if from_state.is_final && !to_state.is_final {
        update.closed_at = Some(None);
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let (cause, prevention) = (some_text(record.cause), some_text(record.prevention));
    if decision.note_use == NoteUse::Resolution {
        update.resolution = Some(note.map(String::from));
        update.cause = Some(cause.clone());
        update.prevention = Some(prevention.clone());
    }
    save(w, ctx, ticket, &update)?;
    if from_state.is_resolved && !to_state.is_resolved {
        w.withdraw_automation_mail(ticket.id)?;
    }
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
            for (field, value) in [("cause", &cause), ("prevention", &prevention)] {
                if let Some(v) = value {
                    ctx.log(w, ticket.id, EventKind::Field, Some(field), None, Some(v))?;
                }
            }
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

/// Tickets blocking `id` that are in no solved or final state.
fn open_blockers(w: &Writer<'_>, ctx: &Ctx<'_>, id: i64) -> Result<usize> {
    let done: Vec<&str> = ctx
        .workflow
        .states()
        .iter()
        .filter(|s| s.is_resolved || s.is_final)
        .map(|s| s.id.as_str())
        .collect();
    w.reader().open_blockers(id, &done)
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
        cause: None,
        prevention: None,
        role: ctx.actor.role,
        override_requested: false,
        open_subtasks: w.reader().open_subtasks(id)?,
        open_blockers: open_blockers(w, ctx, id)?,
    };
    if let Ok(decision) = ctx.workflow.check_move(&ticket.status, &target, facts) {
        apply(w, ctx, &ticket, &target, decision, Record::default())?;
    }
    Ok(())
}
