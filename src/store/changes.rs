//! User actions ("changes") and what undo needs to know about them.

use rusqlite::{OptionalExtension, Row, params};

use super::rows::{self, EVENT_COLUMNS, from_ms};
use super::{Reader, Writer};
use crate::domain::{ChangeRecord, Event};
use crate::error::Result;

const CHANGE_COLUMNS: &str = "c.id, c.actor, c.at, c.kind, c.detail, c.undoes, c.undone_by, \
     (SELECT count(DISTINCT e.ticket_id) FROM events e WHERE e.change_id = c.id)";

fn change(r: &Row) -> rusqlite::Result<ChangeRecord> {
    Ok(ChangeRecord {
        id: r.get(0)?,
        actor: r.get(1)?,
        at: from_ms(r.get(2)?),
        kind: r.get(3)?,
        detail: r.get(4)?,
        undoes: r.get(5)?,
        undone_by: r.get(6)?,
        tickets: r.get(7)?,
    })
}

impl Reader<'_> {
    pub fn change(&self, id: i64) -> Result<Option<ChangeRecord>> {
        let sql = format!("SELECT {CHANGE_COLUMNS} FROM changes c WHERE c.id = ?1");
        Ok(self.conn.query_row(&sql, [id], change).optional()?)
    }

    /// `actor`'s most recent changes that touched tickets, newest first.
    pub fn recent_changes(&self, actor: &str, limit: usize) -> Result<Vec<ChangeRecord>> {
        let sql = format!(
            "SELECT {CHANGE_COLUMNS} FROM changes c WHERE c.actor = ?1 \
             AND EXISTS (SELECT 1 FROM events e WHERE e.change_id = c.id) ORDER BY c.id DESC LIMIT ?2"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(params![actor, i64::try_from(limit).unwrap_or(50)], change)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The events of a change, newest first.
    pub fn change_events(&self, change: i64) -> Result<Vec<Event>> {
        let sql =
            format!("SELECT {EVENT_COLUMNS} FROM events WHERE change_id = ?1 ORDER BY id DESC");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map([change], rows::event)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The events of `change` after event `after`, newest first: what one
    /// chunk of a long change wrote (reading only those keeps a 100,000-row
    /// import linear).
    pub fn change_events_after(&self, change: i64, after: i64) -> Result<Vec<Event>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE change_id = +?1 AND id > +?2 ORDER BY id DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map([change, after], rows::event)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The first event on `ticket` after event `after` that belongs to another
    /// change still standing. Changes since undone, and the undos themselves,
    /// cancel out and do not count.
    pub fn later_event(&self, ticket: i64, after: i64, change: i64) -> Result<Option<Event>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE ticket_id = ?1 AND id > ?2 \
             AND coalesce(change_id, 0) != ?3 \
             AND coalesce(change_id, 0) NOT IN \
                 (SELECT id FROM changes WHERE undone_by IS NOT NULL OR kind = 'undo') \
             ORDER BY id LIMIT 1"
        );
        Ok(self
            .conn
            .query_row(&sql, params![ticket, after, change], rows::event)
            .optional()?)
    }
}

impl Writer<'_> {
    /// Records that `change` was undone by `by`.
    pub fn mark_undone(&mut self, change: i64, by: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE changes SET undone_by = ?2 WHERE id = ?1",
            params![change, by],
        )?;
        self.tx.execute(
            "UPDATE changes SET undoes = ?1 WHERE id = ?2",
            params![change, by],
        )?;
        Ok(())
    }

    /// Deletes a comment (an undone reply or note); its text leaves the search index.
    pub fn delete_comment(&mut self, id: i64) -> Result<bool> {
        Ok(self
            .tx
            .execute("DELETE FROM comments WHERE id = ?1", [id])?
            == 1)
    }

    /// Runs `f` inside a savepoint: its writes are kept on `Ok` and undone on
    /// `Err`, while the surrounding transaction goes on (one refused ticket in
    /// a bulk action leaves the others).
    pub fn savepoint<T>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        self.tx.execute_batch("SAVEPOINT one_ticket")?;
        match f(self) {
            Ok(v) => {
                self.tx.execute_batch("RELEASE one_ticket")?;
                Ok(v)
            }
            Err(e) => {
                self.tx
                    .execute_batch("ROLLBACK TO one_ticket; RELEASE one_ticket")?;
                Err(e)
            }
        }
    }
}
