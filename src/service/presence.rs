//! Collision detection: who else is looking at, or typing into, the ticket
//! you have open. Each open TUI beats every [`BEAT_EVERY`]; a beat older than
//! [`BEAT_EXPIRES`] no longer counts, so a TUI that was killed disappears.

use std::time::Duration;

use crate::error::Result;
use crate::store::Presence;

use super::Desk;

/// How often an open TUI says where it is.
pub const BEAT_EVERY: Duration = Duration::from_secs(5);
/// After how long without a beat someone is gone.
const BEAT_EXPIRES: chrono::Duration = chrono::Duration::seconds(15);

/// Someone else on the same ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub login: String,
    /// Typing a reply, a note or an edit of it right now.
    pub editing: bool,
}

impl Desk {
    fn presence(&mut self) -> Result<Option<&mut Presence>> {
        if self.presence.is_none()
            && let Some(path) = &self.path
        {
            self.presence = Some(Presence::open(path)?);
        }
        Ok(self.presence.as_mut())
    }

    /// Records that the member is on `ticket` (none: on no ticket), typing
    /// into it when `editing`. A private in-memory desk has no one else.
    pub fn heartbeat(&mut self, ticket: Option<i64>, editing: bool) -> Result<()> {
        let login = self.login.clone();
        let now = self.clock.now();
        match self.presence()? {
            Some(p) => p.beat(&login, ticket, editing, now),
            None => Ok(()),
        }
    }

    /// The other members on `ticket` right now (only for a ticket the member
    /// may see: no one learns of a ticket through who is on it).
    pub fn viewers(&mut self, ticket: i64) -> Result<Vec<Viewer>> {
        self.visible_ticket(&self.store.reader(), ticket)?;
        let login = self.login.clone();
        let since = self.clock.now() - BEAT_EXPIRES;
        let Some(p) = self.presence()? else {
            return Ok(Vec::new());
        };
        Ok(p.others(ticket, &login, since)?
            .into_iter()
            .map(|(login, editing)| Viewer { login, editing })
            .collect())
    }
}
