//! The audit log and comments.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::rows::{self, COMMENT_COLUMNS, EVENT_COLUMNS};
use super::{Reader, Writer};
use crate::domain::{Comment, Event, EventKind};
use crate::error::Result;

/// An event about to be appended.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub ticket: Option<i64>,
    pub actor: &'a str,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub field: Option<&'a str>,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
    /// The user action this event belongs to (for undo).
    pub change: Option<i64>,
}

impl Reader<'_> {
    /// The text of one comment, if it exists.
    pub fn comment_body(&self, id: i64) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT body FROM comments WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Who wrote comment `id`.
    pub fn comment_author(&self, id: i64) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT author FROM comments WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// The number of the newest event (events are numbered upwards).
    pub fn last_event_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT value FROM counters WHERE name = 'event'", [], |r| {
                r.get(0)
            })?)
    }

    /// A ticket's events, oldest first.
    pub fn events(&self, ticket: i64) -> Result<Vec<Event>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE ticket_id = +?1 ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let events = stmt
            .query_map([ticket], rows::event)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(events)
    }

    /// The newest event of a ticket (who touched it last, and when).
    pub fn last_event(&self, ticket: i64) -> Result<Option<Event>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE ticket_id = +?1 ORDER BY id DESC LIMIT 1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query_map([ticket], rows::event)?;
        Ok(rows.next().transpose()?)
    }

    /// A ticket's comments, oldest first.
    pub fn comments(&self, ticket: i64) -> Result<Vec<Comment>> {
        let sql =
            format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE ticket_id = +?1 ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let comments = stmt
            .query_map([ticket], rows::comment)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(comments)
    }
}

impl Writer<'_> {
    /// Starts a user action; its events carry the returned id.
    pub fn begin_change(
        &mut self,
        actor: &str,
        at: DateTime<Utc>,
        kind: &str,
        detail: &str,
    ) -> Result<i64> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO changes (actor, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
        )?;
        stmt.execute(params![actor, rows::to_ms(at), kind, detail])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Appends an event; returns its id (monotonic across the desk).
    /// The number of the newest event, counting this transaction's.
    pub fn last_event_id(&self) -> Result<i64> {
        match self.last_event {
            Some(id) => Ok(id),
            None => self.reader().last_event_id(),
        }
    }

    /// Notes that the SLA columns (deadline, clock outcomes) of `ids` were
    /// written complete as of the events so far: what follows the writing
    /// need not work them out again unless a later event touches them.
    pub fn note_deadlines_current(&mut self, ids: impl IntoIterator<Item = i64>) -> Result<()> {
        let mark = self.last_event_id()?;
        self.deadlines_current = Some((mark, ids.into_iter().collect()));
        Ok(())
    }

    /// Takes the note of [`Writer::note_deadlines_current`]: the last event
    /// number then and the tickets.
    pub fn take_deadlines_current(&mut self) -> Option<(i64, std::collections::HashSet<i64>)> {
        self.deadlines_current.take()
    }

    /// Writes the event counter back (once per transaction, at commit).
    pub(super) fn save_event_counter(&mut self) -> Result<()> {
        if let Some(id) = self.last_event {
            self.tx
                .prepare_cached("UPDATE counters SET value = ?1 WHERE name = 'event'")?
                .execute([id])?;
        }
        Ok(())
    }

    pub fn append_event(&mut self, e: &NewEvent) -> Result<i64> {
        let id = self.last_event_id()? + 1;
        self.last_event = Some(id);
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO events (ticket_id, id, actor, at, kind, field, old, new, change_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        stmt.execute(params![
            e.ticket.unwrap_or(0),
            id,
            e.actor,
            rows::to_ms(e.at),
            e.kind.as_str(),
            e.field,
            e.old,
            e.new,
            e.change,
        ])?;
        Ok(id)
    }

    pub fn insert_comment(
        &mut self,
        ticket: i64,
        author: &str,
        body: &str,
        internal: bool,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO comments (ticket_id, author, body, internal, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        stmt.execute(params![ticket, author, body, internal, rows::to_ms(at)])?;
        Ok(self.tx.last_insert_rowid())
    }
}
