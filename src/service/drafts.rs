//! Drafts: a reply or note typed and not sent stays the member's, per
//! ticket and kind, in the desk — through quitting, a crash of the terminal
//! or a dropped SSH connection — until it is sent or emptied.

use crate::error::Result;

use super::Desk;

impl Desk {
    /// The member's drafts on tickets they may (still) see: (ticket,
    /// internal note?, text).
    pub fn drafts(&self) -> Result<Vec<(i64, bool, String)>> {
        let reader = self.store.reader();
        let mut out = Vec::new();
        for (ticket, internal, body) in reader.drafts(&self.login)? {
            if self.visible_ticket(&reader, ticket).is_ok() {
                out.push((ticket, internal, body));
            }
        }
        Ok(out)
    }

    /// Keeps `body` as the member's draft reply (or `internal` note) on
    /// `ticket`; an empty one drops it.
    pub fn save_draft(&mut self, ticket: i64, internal: bool, body: &str) -> Result<()> {
        self.visible_ticket(&self.store.reader(), ticket)?;
        let (login, now) = (self.login.clone(), self.clock.now());
        self.store
            .write(|w| w.set_draft(&login, ticket, internal, body, now))
    }
}
