//! Links between tickets: blocks / blocked by, duplicate of, related,
//! parent / child. A member links tickets they may change; each side's
//! history says so. A link to a ticket the member may not see shows as a
//! count of hidden tickets, never its number or title. Like subtasks, a
//! link is taken back with `unlink`, not `tdesk undo`.

use crate::domain::{EventKind, InvalidValue, LINK_NAMES, LinkKind, LinkedTicket, Links};
use crate::error::{Error, Result};

use super::{Desk, ops};

impl Desk {
    /// Ticket `id`'s links, as far as the member may see the other side.
    pub fn links(&self, id: i64) -> Result<Links> {
        let reader = self.store.reader();
        self.visible_ticket(&reader, id)?;
        let scope = self.me()?.scope();
        let mut out = Links::default();
        for (kind, outgoing, other, title, status, assignee, team) in reader.links_of(id)? {
            if scope.allows(assignee.as_deref(), team.as_deref()) {
                out.shown.push(LinkedTicket {
                    kind,
                    outgoing,
                    id: other,
                    title,
                    status,
                });
            } else {
                out.hidden += 1;
            }
        }
        Ok(out)
    }

    /// Links ticket `a` to ticket `b` as `named` says from `a`'s side
    /// (`blocks`, `blocked-by`, `duplicate-of`, `related`, `parent-of`,
    /// `child-of`); false when that link was there already.
    pub fn link(&mut self, a: i64, b: i64, named: &str) -> Result<bool> {
        let (kind, from, to) = directed(a, b, named)?;
        self.write_outside_undo(|w, ctx| {
            ops::load(w, ctx, a, None)?;
            ops::load(w, ctx, b, None)?;
            // A chain back from `to` to `from` would make a ticket wait on
            // itself (or be its own ancestor).
            if matches!(
                kind,
                LinkKind::Blocks | LinkKind::Parent | LinkKind::Duplicate
            ) && w.reader().link_path(to, from, kind)?
            {
                return Err(Error::LinkLoop { from: a, to: b });
            }
            let added = w.insert_link(from, to, kind, &ctx.actor.login, ctx.now)?;
            if added {
                log_both(w, ctx, kind, from, to, true)?;
            }
            Ok(added)
        })
    }

    /// Removes the link between `a` and `b` that `named` names (any kind
    /// when `None`); returns how many links were removed.
    pub fn unlink(&mut self, a: i64, b: i64, named: Option<&str>) -> Result<usize> {
        let wanted: Vec<(LinkKind, i64, i64)> = match named {
            Some(n) => vec![directed(a, b, n)?],
            None => LinkKind::ALL
                .into_iter()
                .flat_map(|k| [(k, a, b), (k, b, a)])
                .collect(),
        };
        self.write_outside_undo(|w, ctx| {
            ops::load(w, ctx, a, None)?;
            ops::load(w, ctx, b, None)?;
            let mut removed = 0;
            for (kind, from, to) in wanted {
                if w.delete_link(from, to, kind)? {
                    log_both(w, ctx, kind, from, to, false)?;
                    removed += 1;
                }
            }
            Ok(removed)
        })
    }
}

impl Desk {
    /// A ticket's history as the member may read it: a link event names
    /// the other ticket only when the member may see it (`related #–`
    /// otherwise), so the history tells no more than the links do.
    pub(super) fn redact_links(
        &self,
        reader: &crate::store::Reader<'_>,
        mut events: Vec<crate::domain::Event>,
    ) -> Result<Vec<crate::domain::Event>> {
        for e in events
            .iter_mut()
            .filter(|e| e.field.as_deref() == Some("link"))
        {
            for text in [&mut e.old, &mut e.new].into_iter().flatten() {
                let hidden = text
                    .split_once(" #")
                    .and_then(|(_, n)| n.parse::<i64>().ok())
                    .is_some_and(|other| self.visible_ticket(reader, other).is_err());
                if hidden && let Some((side, _)) = text.split_once(" #") {
                    *text = format!("{side} #–");
                }
            }
        }
        Ok(events)
    }
}

/// The stored direction of a link named from `a`'s side; a related link
/// runs from the lower number, so it is stored once whichever side names it.
fn directed(a: i64, b: i64, named: &str) -> Result<(LinkKind, i64, i64)> {
    let (kind, reversed) = LinkKind::parse_named(named)
        .ok_or_else(|| Error::Invalid(InvalidValue::new("as", named, LINK_NAMES)))?;
    if a == b {
        return Err(Error::LinkToItself(a));
    }
    let (from, to) = match (kind, reversed) {
        (LinkKind::Related, _) => (a.min(b), a.max(b)),
        (_, false) => (a, b),
        (_, true) => (b, a),
    };
    Ok((kind, from, to))
}

/// Each side's history: `blocks #12` on one, `blocked_by #7` on the other.
fn log_both(
    w: &mut crate::store::Writer<'_>,
    ctx: &ops::Ctx<'_>,
    kind: LinkKind,
    from: i64,
    to: i64,
    added: bool,
) -> Result<()> {
    for (ticket, other, outgoing) in [(from, to, true), (to, from, false)] {
        let text = format!("{} #{other}", kind.side(outgoing));
        let (old, new) = if added {
            (None, Some(text.as_str()))
        } else {
            (Some(text.as_str()), None)
        };
        ctx.log(w, ticket, EventKind::Field, Some("link"), old, new)?;
    }
    Ok(())
}
