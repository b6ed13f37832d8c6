//! Links between tickets, stored one way (`from`, kind, `to`).

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::rows::to_ms;
use super::{Reader, Writer};
use crate::domain::LinkKind;
use crate::error::Result;

/// A stored link as one ticket sees it: kind, whether it is the link's
/// `from`, the other ticket's number, title, state, assignee and team.
pub type LinkRow = (
    LinkKind,
    bool,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
);

impl Reader<'_> {
    /// Every link of ticket `id`, both ways, with the other ticket's fields.
    pub fn links_of(&self, id: i64) -> Result<Vec<LinkRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.kind, 1, t.id, t.title, t.status, t.assignee, t.team \
             FROM ticket_links l JOIN tickets t ON t.id = l.to_id WHERE l.from_id = +?1 \
             UNION ALL \
             SELECT l.kind, 0, t.id, t.title, t.status, t.assignee, t.team \
             FROM ticket_links l JOIN tickets t ON t.id = l.from_id WHERE l.to_id = +?1 \
             ORDER BY 1, 3",
        )?;
        let rows = stmt
            .query_map([id], |r| {
                let kind: String = r.get(0)?;
                Ok((
                    LinkKind::parse_stored(&kind)
                        .ok_or_else(|| super::rows::bad_value("kind", &kind))?,
                    r.get::<_, bool>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Whether `to` can be reached from `from` along links of `kind`
    /// (a link from `to` back to `from` would close a loop).
    pub fn link_path(&self, from: i64, to: i64, kind: LinkKind) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "WITH RECURSIVE reach(id) AS (SELECT ?1 UNION \
                 SELECT l.to_id FROM ticket_links l JOIN reach ON l.from_id = reach.id \
                 WHERE l.kind = ?3) \
                 SELECT 1 FROM reach WHERE id = ?2 LIMIT 1",
            )?
            .query_row(params![from, to, kind.as_str()], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Tickets that block `id` and are in none of `done_states`.
    pub fn open_blockers(&self, id: i64, done_states: &[&str]) -> Result<usize> {
        let states = serde_json::to_string(done_states)
            .map_err(|e| crate::error::Error::Database(e.to_string()))?;
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM ticket_links l JOIN tickets t ON t.id = l.from_id \
                 WHERE l.to_id = +?1 AND l.kind = 'blocks' \
                 AND t.status NOT IN (SELECT value FROM json_each(?2))",
            )?
            .query_row(params![id, states], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }
}

impl Writer<'_> {
    /// Adds a link; false when it was there already.
    pub fn insert_link(
        &mut self,
        from: i64,
        to: i64,
        kind: LinkKind,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO ticket_links (from_id, to_id, kind, created_at, created_by) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![from, to, kind.as_str(), to_ms(at), by])?;
        Ok(n == 1)
    }

    /// Removes a link; false when there was none.
    pub fn delete_link(&mut self, from: i64, to: i64, kind: LinkKind) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached(
                "DELETE FROM ticket_links WHERE from_id = ?1 AND to_id = ?2 AND kind = ?3",
            )?
            .execute(params![from, to, kind.as_str()])?;
        Ok(n == 1)
    }
}
