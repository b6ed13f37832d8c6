//! A problem ticket resolved resolves its incidents: each open child
//! ticket (a `parent-of` link) goes to the parent's new state with the
//! same resolution, through the workflow engine one by one — so its
//! guards, its customer's confirmation request and its automations happen
//! as for a resolution by hand — and what the engine refuses is reported,
//! never forced. Children the member may not see are left alone.

use crate::domain::LinkKind;
use crate::error::{Error, Result};

use super::{Desk, MoveOptions};

/// What moving a parent's children did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChildrenOutcome {
    pub moved: Vec<i64>,
    /// Children the engine refused, with why.
    pub refused: Vec<(i64, Error)>,
    /// Open children the member may not see (left alone).
    pub hidden: usize,
}

impl Desk {
    /// Open child tickets of `parent` the member may see.
    pub fn open_children(&self, parent: i64) -> Result<Vec<i64>> {
        Ok(self.children(parent)?.0)
    }

    /// (visible open children, hidden open children).
    fn children(&self, parent: i64) -> Result<(Vec<i64>, usize)> {
        let reader = self.store.reader();
        self.visible_ticket(&reader, parent)?;
        let scope = self.me()?.scope();
        let unsolved = self.unsolved_states();
        let mut shown = Vec::new();
        let mut hidden = 0;
        for (kind, outgoing, child, _, status, assignee, team) in reader.links_of(parent)? {
            if kind != LinkKind::Parent || !outgoing || !unsolved.contains(&status.as_str()) {
                continue;
            }
            if scope.allows(assignee.as_deref(), team.as_deref()) {
                shown.push(child);
            } else {
                hidden += 1;
            }
        }
        Ok((shown, hidden))
    }

    /// Moves every open child of `parent` to state `to` with `opts` (the
    /// parent's resolution), each on its own.
    pub fn move_children(
        &mut self,
        parent: i64,
        to: &str,
        opts: &MoveOptions,
    ) -> Result<ChildrenOutcome> {
        let (children, hidden) = self.children(parent)?;
        let opts = MoveOptions {
            expected_version: None,
            ..opts.clone()
        };
        let mut out = ChildrenOutcome {
            hidden,
            ..ChildrenOutcome::default()
        };
        for child in children {
            match self.move_ticket(child, to, &opts) {
                Ok(_) => out.moved.push(child),
                Err(e) => out.refused.push((child, e)),
            }
        }
        Ok(out)
    }
}
