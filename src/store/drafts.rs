//! Unsent replies and notes, kept per member, ticket and kind (see
//! migrations V14 and V16).

use super::{Reader, Writer};
use crate::error::Result;

impl Reader<'_> {
    /// `login`'s unsent comments: (ticket, internal note?, text), oldest
    /// ticket first.
    pub fn drafts(&self, login: &str) -> Result<Vec<(i64, bool, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT ticket_id, internal, body FROM drafts WHERE login = ?1 ORDER BY ticket_id, internal",
        )?;
        let rows = stmt
            .query_map([login], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

impl Writer<'_> {
    /// Keeps `body` as `login`'s draft reply (or `internal` note) on
    /// `ticket`; an empty one is dropped.
    pub fn set_draft(
        &mut self,
        login: &str,
        ticket: i64,
        internal: bool,
        body: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        if body.trim().is_empty() {
            self.tx.execute(
                "DELETE FROM drafts WHERE login = ?1 AND ticket_id = ?2 AND internal = ?3",
                rusqlite::params![login, ticket, internal],
            )?;
        } else {
            self.tx.execute(
                "INSERT INTO drafts (login, ticket_id, internal, body, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (login, ticket_id, internal) DO UPDATE SET body = ?4, updated_at = ?5",
                rusqlite::params![login, ticket, internal, body, super::rows::to_ms(now)],
            )?;
        }
        Ok(())
    }
}
