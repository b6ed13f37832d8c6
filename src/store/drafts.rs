//! Unsent replies, kept per member and ticket (see migration V14).

use super::{Reader, Writer};
use crate::error::Result;

impl Reader<'_> {
    /// `login`'s unsent replies: (ticket, text), oldest ticket first.
    pub fn drafts(&self, login: &str) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT ticket_id, body FROM drafts WHERE login = ?1 ORDER BY ticket_id",
        )?;
        let rows = stmt
            .query_map([login], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

impl Writer<'_> {
    /// Keeps `body` as `login`'s draft on `ticket` (an empty one is dropped).
    pub fn set_draft(
        &mut self,
        login: &str,
        ticket: i64,
        body: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        if body.trim().is_empty() {
            self.tx.execute(
                "DELETE FROM drafts WHERE login = ?1 AND ticket_id = ?2",
                rusqlite::params![login, ticket],
            )?;
        } else {
            self.tx.execute(
                "INSERT INTO drafts (login, ticket_id, body, updated_at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (login, ticket_id) DO UPDATE SET body = ?3, updated_at = ?4",
                rusqlite::params![login, ticket, body, super::rows::to_ms(now)],
            )?;
        }
        Ok(())
    }
}
