//! Exports: every ticket a query matches and the member may see, with its
//! customer, conversation and history. Supervisors and admins only.

use crate::domain::{Query, Role, TicketDetail};
use crate::error::Result;

use super::Desk;

/// Tickets read per batch, so a million-ticket export stays small in memory.
const BATCH: usize = 500;

impl Desk {
    /// Calls `each` with every ticket `query` matches (in number order) that
    /// the member may see.
    pub fn export_each(
        &self,
        query: &Query,
        mut each: impl FnMut(&TicketDetail) -> Result<()>,
    ) -> Result<usize> {
        self.require("action.export", Role::Supervisor)?;
        let query = self.scoped(query.clone())?;
        let ids = self.store.reader().ids(&query)?;
        for chunk in ids.chunks(BATCH) {
            for &id in chunk {
                each(&self.detail(id)?)?;
            }
        }
        Ok(ids.len())
    }
}
