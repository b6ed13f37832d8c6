//! Planned work as the TUI's timeline and "my work" panes read it.

use crate::domain::{
    Clause, Field, LinkKind, ListRequest, Query, SortDir, SortKey, TimelineExtras, WorkItem, by_due,
};
use crate::error::{Error, Result};

use super::Desk;

impl Desk {
    /// The member's own queue: unsolved tickets assigned to them and their
    /// open steps (of any team's tickets), soonest due first, at most
    /// `limit` of each.
    pub fn my_work(&self, limit: usize) -> Result<Vec<WorkItem>> {
        let unsolved = self
            .unsolved_states()
            .into_iter()
            .map(String::from)
            .collect();
        let query = Query {
            clauses: vec![
                Clause::Field {
                    field: Field::Assignee,
                    values: vec![self.login.clone()],
                    negated: false,
                },
                Clause::Field {
                    field: Field::Status,
                    values: unsolved,
                    negated: false,
                },
            ],
        };
        let tickets = self.list(&ListRequest {
            query,
            sort: SortKey::Due,
            dir: SortDir::Asc,
            limit,
            offset: 0,
            group: None,
            backwards: false,
        })?;
        let mut items: Vec<WorkItem> = tickets.into_iter().map(WorkItem::Ticket).collect();
        let reader = self.store.reader();
        for step in self.my_subtasks(limit)? {
            let visible = match self.visible_ticket(&reader, step.ticket) {
                Ok(_) => true,
                Err(Error::TicketNotFound(_)) => false,
                Err(e) => return Err(e),
            };
            let (ticket_title, _) = self.ticket_brief(step.ticket)?;
            items.push(WorkItem::Step {
                step,
                ticket_title,
                visible,
            });
        }
        by_due(&mut items);
        Ok(items)
    }

    /// Where a place falls in `query`'s tickets in due-date order: the row
    /// of ticket `id` due at `due`, or the first row due at `due` or later.
    pub fn due_rank(
        &self,
        query: &Query,
        due: Option<chrono::DateTime<chrono::Utc>>,
        id: Option<i64>,
    ) -> Result<usize> {
        let query = self.scoped(query.clone())?;
        let n = self.store.reader().rows_before_due(&query, due, id)?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The steps of tickets `ids` and the open tickets blocking them, for
    /// the tickets the member may see (others are left out, as missing).
    pub fn timeline_extras(&self, ids: &[i64]) -> Result<TimelineExtras> {
        let reader = self.store.reader();
        let unsolved = self.unsolved_states();
        let mut out = TimelineExtras::default();
        for &id in ids {
            // `links` checks the member may see the ticket: one check, not two.
            let links = match self.links(id) {
                Ok(links) => links,
                Err(Error::TicketNotFound(_)) => continue,
                Err(e) => return Err(e),
            };
            out.tickets.push(id);
            out.steps.extend(reader.subtasks(id)?);
            for l in links.shown {
                let blocker = l.kind == LinkKind::Blocks && !l.outgoing;
                if blocker && unsolved.contains(&l.status.as_str()) {
                    out.blocked_by.push((id, l.id));
                }
            }
        }
        Ok(out)
    }
}
