//! Exports: every ticket a query matches and the member may see, with its
//! customer, conversation, history, attachment records and mail thread,
//! then the customers (with handles, orders, notes). Supervisors and admins.

use std::collections::BTreeSet;

use crate::domain::{Query, Role};
use crate::error::Result;
use crate::interchange::json::{ExportedCustomer, ExportedTicket};

use super::Desk;

/// Tickets read per batch, so a million-ticket export stays small in memory.
const BATCH: usize = 500;

impl Desk {
    /// Fails unless the member may export (supervisors and admins): asked
    /// before anything is written, so a refusal leaves no partial output.
    pub fn require_export(&self) -> Result<()> {
        self.require("action.export", Role::Supervisor).map(drop)
    }

    /// Calls `each` with every ticket `query` matches (in number order) that
    /// the member may see; returns how many and the customers they belong to.
    pub fn export_each(
        &self,
        query: &Query,
        mut each: impl FnMut(&ExportedTicket) -> Result<()>,
    ) -> Result<(usize, BTreeSet<i64>)> {
        self.require("action.export", Role::Supervisor)?;
        let query = self.scoped(query.clone())?;
        let reader = self.store.reader();
        let ids = reader.ids(&query)?;
        let mut customers = BTreeSet::new();
        for chunk in ids.chunks(BATCH) {
            for &id in chunk {
                let d = self.detail(id)?;
                if let Some(c) = &d.customer {
                    customers.insert(c.id);
                }
                each(&ExportedTicket {
                    external_id: reader.external_id(id)?,
                    attachments: reader.attachments(id)?,
                    messages: reader
                        .message_ids(id)?
                        .into_iter()
                        .map(|(m, _)| m)
                        .collect(),
                    subtasks: reader.subtasks(id)?,
                    links: self.links(id)?.shown,
                    time: self.time_entries(id)?,
                    ticket: d.ticket,
                    customer: d.customer,
                    comments: d.comments,
                    events: d.events,
                })?;
            }
        }
        Ok((ids.len(), customers))
    }

    /// The customers to export: every one for an admin, else those of
    /// `seen`, without the orders and notes of a customer who also has
    /// tickets the member may not see (as `customer show` withholds them).
    pub fn export_customers(&self, seen: &BTreeSet<i64>) -> Result<Vec<ExportedCustomer>> {
        let reader = self.store.reader();
        let scope = self.me()?.scope();
        let ids: Vec<i64> = if self.me()?.role == Role::Admin {
            reader
                .customers(None, usize::MAX, 0)?
                .into_iter()
                .map(|c| c.id)
                .collect()
        } else {
            seen.iter().copied().collect()
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(customer) = reader.customer(id)? else {
                continue;
            };
            let (handles, mut orders, mut notes) = reader.customer_extras(id)?;
            let hidden = reader
                .customer_ticket_owners(id)?
                .iter()
                .any(|(a, t)| !scope.allows(a.as_deref(), t.as_deref()));
            if hidden {
                orders.clear();
                notes.clear();
            }
            out.push(ExportedCustomer {
                customer,
                handles,
                orders,
                notes,
            });
        }
        Ok(out)
    }
}
