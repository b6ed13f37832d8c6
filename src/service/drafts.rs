//! Drafts: a reply typed and not sent stays the member's, per ticket, in
//! the desk — through quitting, a crash of the terminal or a dropped SSH
//! connection — until it is sent or emptied.

use crate::error::Result;

use super::Desk;

impl Desk {
    /// The member's drafts on tickets they may (still) see: (ticket, text).
    pub fn drafts(&self) -> Result<Vec<(i64, String)>> {
        let reader = self.store.reader();
        let mut out = Vec::new();
        for (ticket, body) in reader.drafts(&self.login)? {
            if self.visible_ticket(&reader, ticket).is_ok() {
                out.push((ticket, body));
            }
        }
        Ok(out)
    }

    /// Keeps `body` as the member's draft on `ticket`; an empty one drops it.
    pub fn save_draft(&mut self, ticket: i64, body: &str) -> Result<()> {
        self.visible_ticket(&self.store.reader(), ticket)?;
        let (login, now) = (self.login.clone(), self.clock.now());
        self.store.write(|w| w.set_draft(&login, ticket, body, now))
    }
}
