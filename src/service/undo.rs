//! Undo, built on the audit log: every user action is a change whose events
//! say what was before. Undoing restores those values ticket by ticket —
//! unless someone (or something) changed the ticket afterwards, in which case
//! that ticket is left alone and the refusal names who changed it and when.

use crate::domain::ChangeKind;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::ChangeRecord;
use crate::domain::{Category, Channel, Event, EventKind, Priority, TicketChanges};
use crate::error::{Error, RefusedMove, Result};
use crate::store::{TicketUpdate, Writer};

use super::{Desk, ops};

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UndoOutcome {
    /// The change that was undone.
    pub undone: ChangeRecord,
    pub reverted: Vec<i64>,
    /// Tickets left as they are, and why.
    pub refused: Vec<(i64, UndoRefusal)>,
}

/// Why undo left a ticket as it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum UndoRefusal {
    /// Someone (or something) changed it after the change being undone.
    ChangedSince { by: String, at: DateTime<Utc> },
    /// The workflow has no way back to the old state.
    Workflow,
    /// The member may no longer see it (it answers like a missing ticket:
    /// nothing about who changed it, or when).
    Gone,
}

impl Desk {
    /// The member's recent changes, newest first.
    pub fn recent_changes(&self, limit: usize) -> Result<Vec<ChangeRecord>> {
        let me = self.me()?;
        self.store.reader().recent_changes(&me.login, limit)
    }

    /// Undoes change `id`, or the member's latest change still standing.
    pub fn undo(&mut self, id: Option<i64>) -> Result<UndoOutcome> {
        let me = self.me()?;
        let target = match id {
            Some(id) => self.store.reader().change(id)?,
            None => self
                .store
                .reader()
                .recent_changes(&me.login, 200)?
                .into_iter()
                .find(|c| c.undone_by.is_none() && c.kind != ChangeKind::Undo.as_str()),
        };
        let Some(target) = target.filter(|c| c.actor == me.login) else {
            return Err(Error::NothingToUndo);
        };
        if target.undone_by.is_some() || target.kind == ChangeKind::Undo.as_str() {
            return Err(Error::NothingToUndo);
        }
        if target.kind == ChangeKind::Create.as_str() {
            return Err(Error::CannotUndoCreate);
        }
        // A merge moved comments; taking it back event by event would lose them.
        if target.kind == ChangeKind::Merge.as_str() {
            return Err(Error::CannotUndoMerge);
        }
        let detail = format!("change {}", target.id);
        self.write_as(ChangeKind::Undo, &detail, |w, ctx| {
            let events = w.reader().change_events(target.id)?;
            let mut tickets: Vec<i64> = events.iter().filter_map(|e| e.ticket).collect();
            tickets.sort_unstable();
            tickets.dedup();
            let mut outcome = UndoOutcome {
                undone: target.clone(),
                reverted: Vec::new(),
                refused: Vec::new(),
            };
            let scope = me.scope();
            for ticket in tickets {
                let seen = w
                    .reader()
                    .ticket(ticket)?
                    .is_some_and(|t| scope.allows(t.assignee.as_deref(), t.team.as_deref()));
                if !seen {
                    outcome.refused.push((ticket, UndoRefusal::Gone));
                    continue;
                }
                let mine: Vec<&Event> =
                    events.iter().filter(|e| e.ticket == Some(ticket)).collect();
                let last = mine.iter().map(|e| e.id).max().unwrap_or(0);
                if let Some(later) = w.reader().later_event(ticket, last, target.id)? {
                    let why = UndoRefusal::ChangedSince {
                        by: later.actor,
                        at: later.at,
                    };
                    outcome.refused.push((ticket, why));
                    continue;
                }
                match w.savepoint(|w| revert(w, ctx, ticket, &mine)) {
                    Ok(()) => outcome.reverted.push(ticket),
                    Err(e @ Error::Database(_)) => return Err(e),
                    Err(_) => outcome.refused.push((ticket, UndoRefusal::Workflow)),
                }
            }
            if let Some(change) = ctx.change {
                w.mark_undone(target.id, change)?;
            }
            Ok(outcome)
        })
    }
}

fn parse_opt<T>(v: &Option<String>, f: impl Fn(&str) -> Option<T>) -> Option<T> {
    v.as_deref().and_then(f)
}

/// Takes back one ticket's events of a change, newest first.
fn revert(w: &mut Writer<'_>, ctx: &ops::Ctx<'_>, id: i64, events: &[&Event]) -> Result<()> {
    for e in events {
        match e.kind {
            EventKind::Status => {
                let (Some(previous), Some(current)) = (&e.old, &e.new) else {
                    continue;
                };
                ctx.workflow
                    .check_revert(current, previous)
                    .map_err(|refused| {
                        Error::Refused(Box::new(RefusedMove::new(
                            ctx.workflow,
                            id,
                            current,
                            previous,
                            refused,
                        )))
                    })?;
                let ticket = ops::load(w, ctx, id, None)?;
                let was_resolved = ctx.workflow.state(previous).is_some_and(|s| s.is_resolved);
                let was_final = ctx.workflow.state(previous).is_some_and(|s| s.is_final);
                let mut update = TicketUpdate {
                    status: Some(previous.clone()),
                    ..TicketUpdate::default()
                };
                if !was_resolved {
                    update.resolved_at = Some(None);
                    update.resolution = Some(None);
                }
                if !was_final {
                    update.closed_at = Some(None);
                }
                ops::save(w, ctx, &ticket, &update)?;
                ctx.log(
                    w,
                    id,
                    EventKind::Status,
                    Some("undo"),
                    Some(current),
                    Some(previous),
                )?;
            }
            EventKind::Assigned => {
                ops::assign_plain(w, ctx, id, e.old.as_deref())?;
            }
            EventKind::Comment => {
                if let Some(cid) = parse_opt(&e.new, |v| v.parse::<i64>().ok()) {
                    w.delete_comment(cid)?;
                    ctx.log(
                        w,
                        id,
                        EventKind::Comment,
                        Some("retracted"),
                        e.new.as_deref(),
                        None,
                    )?;
                }
            }
            EventKind::Accepted => {
                let ticket = ops::load(w, ctx, id, None)?;
                let update = TicketUpdate {
                    accepted_at: Some(None),
                    rating: Some(None),
                    ..TicketUpdate::default()
                };
                ops::save(w, ctx, &ticket, &update)?;
                ctx.log(
                    w,
                    id,
                    EventKind::Field,
                    Some("acceptance"),
                    e.new.as_deref(),
                    None,
                )?;
            }
            EventKind::Field => revert_field(w, ctx, id, e)?,
            // Overrides and resolutions go back with their status change.
            _ => {}
        }
    }
    Ok(())
}

fn revert_field(w: &mut Writer<'_>, ctx: &ops::Ctx<'_>, id: i64, e: &Event) -> Result<()> {
    let old = e.old.clone();
    let mut changes = TicketChanges::default();
    match e.field.as_deref().unwrap_or("") {
        "title" => changes.title = old,
        "description" => changes.description = Some(old.unwrap_or_default()),
        "priority" => changes.priority = parse_opt(&old, |v| Priority::parse(v).ok()),
        "type" => changes.kind = old,
        "category" => changes.category = Some(parse_opt(&old, |v| Category::parse(v).ok())),
        "channel" => changes.channel = parse_opt(&old, |v| Channel::parse(v).ok()),
        "team" => changes.team = Some(old),
        "due" => {
            changes.due = Some(parse_opt(&old, |v| {
                DateTime::parse_from_rfc3339(v)
                    .ok()
                    .map(|d| d.with_timezone(&Utc))
            }))
        }
        "tag" => match (&e.old, &e.new) {
            (None, Some(added)) => changes.remove_tags = vec![added.clone()],
            (Some(removed), None) => changes.add_tags = vec![removed.clone()],
            _ => {}
        },
        f if f.starts_with("custom.") => {
            let key = f.trim_start_matches("custom.").to_string();
            let value = parse_opt(&old, |v| serde_json::from_str(v).ok())
                .unwrap_or(serde_json::Value::Null);
            changes.custom.insert(key, value);
        }
        // The resolution goes back with the status change it came with.
        _ => return Ok(()),
    }
    ops::edit(w, ctx, id, &changes, None).map(|_| ())
}
