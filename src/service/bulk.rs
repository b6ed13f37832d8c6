//! Bulk actions: one change applied to many tickets, each through the same
//! rules as a single edit (the workflow engine for moves). Tickets are taken
//! in chunks, one transaction each, so other members keep writing; a refused
//! ticket is listed with its reason and the rest go ahead.

use crate::domain::ChangeKind;
use serde::Serialize;

use crate::domain::{Priority, Query, TicketChanges};
use crate::error::{Error, Result};

use super::{Desk, MoveOptions, ops};

/// Tickets per transaction.
const CHUNK: usize = 500;

/// Which tickets a bulk action applies to.
#[derive(Debug, Clone, PartialEq)]
pub enum Targets {
    Ids(Vec<i64>),
    /// Every ticket the query matches (resolved when the action runs).
    Query(Query),
}

/// What to do to each ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    Assign(Option<String>),
    Move { to: String, note: Option<String> },
    AddTag(String),
    RemoveTag(String),
    Priority(Priority),
}

impl BulkAction {
    fn detail(&self) -> String {
        match self {
            BulkAction::Assign(l) => format!("assign {}", l.as_deref().unwrap_or("-")),
            BulkAction::Move { to, .. } => format!("move {to}"),
            BulkAction::AddTag(t) => format!("tag +{t}"),
            BulkAction::RemoveTag(t) => format!("tag -{t}"),
            BulkAction::Priority(p) => format!("priority {p}"),
        }
    }
}

/// What a bulk action did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BulkOutcome {
    /// The change it was recorded as (undo takes it back in one step).
    pub change: Option<i64>,
    pub done: Vec<i64>,
    /// Tickets left alone, with why.
    #[serde(skip)]
    pub refused: Vec<(i64, Error)>,
}

impl Desk {
    /// Applies `action` to every target ticket.
    pub fn bulk(&mut self, targets: &Targets, action: &BulkAction) -> Result<BulkOutcome> {
        let ids = match targets {
            Targets::Ids(ids) => ids.clone(),
            Targets::Query(q) => {
                let q = self.scoped(q.clone())?;
                self.store.reader().ids(&q)?
            }
        };
        let action = match action {
            BulkAction::Move { to, note } => BulkAction::Move {
                to: self.state_id(to),
                note: note.clone(),
            },
            other => other.clone(),
        };
        let mut outcome = BulkOutcome {
            change: None,
            done: Vec::new(),
            refused: Vec::new(),
        };
        let detail = format!("{} ({} tickets)", action.detail(), ids.len());
        for chunk in ids.chunks(CHUNK) {
            let change = outcome.change;
            let ((done, refused), change) =
                self.write_chunk(change, ChangeKind::Bulk, &detail, |w, ctx| {
                    let mut done = Vec::new();
                    let mut refused = Vec::new();
                    for &id in chunk {
                        match w.savepoint(|w| apply(w, ctx, id, &action)) {
                            Ok(()) => done.push(id),
                            Err(e @ Error::Database(_)) => return Err(e),
                            Err(e) => refused.push((id, e)),
                        }
                    }
                    Ok((done, refused))
                })?;
            outcome.change = Some(change);
            outcome.done.extend(done);
            outcome.refused.extend(refused);
        }
        Ok(outcome)
    }
}

fn apply(
    w: &mut crate::store::Writer<'_>,
    ctx: &ops::Ctx<'_>,
    id: i64,
    action: &BulkAction,
) -> Result<()> {
    match action {
        BulkAction::Assign(login) => ops::assign(w, ctx, id, login.as_deref(), None).map(|_| ()),
        BulkAction::Move { to, note } => {
            let opts = MoveOptions {
                note: note.clone(),
                ..MoveOptions::default()
            };
            ops::transition(w, ctx, id, to, &opts).map(|_| ())
        }
        BulkAction::AddTag(tag) => edit(
            w,
            ctx,
            id,
            TicketChanges {
                add_tags: vec![tag.clone()],
                ..Default::default()
            },
        ),
        BulkAction::RemoveTag(tag) => edit(
            w,
            ctx,
            id,
            TicketChanges {
                remove_tags: vec![tag.clone()],
                ..Default::default()
            },
        ),
        BulkAction::Priority(p) => edit(
            w,
            ctx,
            id,
            TicketChanges {
                priority: Some(*p),
                ..Default::default()
            },
        ),
    }
}

fn edit(
    w: &mut crate::store::Writer<'_>,
    ctx: &ops::Ctx<'_>,
    id: i64,
    changes: TicketChanges,
) -> Result<()> {
    ops::edit(w, ctx, id, &changes, None).map(|_| ())
}
