//! Subtasks of tickets: ordered steps with their own owners and dates.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::rows::{from_ms, opt_from_ms, to_ms};
use super::{Reader, Writer};
use crate::domain::{NewSubtask, Subtask};
use crate::error::Result;

const SUBTASK_COLUMNS: &str =
    "id, ticket_id, position, title, assignee, due_at, note, done_at, done_by, created_at";
/// The same columns of a subtask aliased `s`.
pub(super) const SUBTASK_COLUMNS_S: &str = "s.id, s.ticket_id, s.position, s.title, s.assignee, \
     s.due_at, s.note, s.done_at, s.done_by, s.created_at";

/// A step as a report counts it: (ticket, owner, done in the period, open,
/// late now).
pub type StepFact = (i64, Option<String>, bool, bool, bool);

pub(super) fn subtask(r: &Row) -> rusqlite::Result<Subtask> {
    Ok(Subtask {
        id: r.get(0)?,
        ticket: r.get(1)?,
        position: r.get(2)?,
        title: r.get(3)?,
        assignee: r.get(4)?,
        due: opt_from_ms(r.get(5)?),
        note: r.get(6)?,
        done_at: opt_from_ms(r.get(7)?),
        done_by: r.get(8)?,
        created_at: from_ms(r.get(9)?),
    })
}

impl Reader<'_> {
    /// A ticket's subtasks in order.
    pub fn subtasks(&self, ticket: i64) -> Result<Vec<Subtask>> {
        let sql = format!(
            "SELECT {SUBTASK_COLUMNS} FROM subtasks WHERE ticket_id = +?1 ORDER BY position, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let list = stmt
            .query_map([ticket], subtask)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    pub fn subtask(&self, id: i64) -> Result<Option<Subtask>> {
        let sql = format!("SELECT {SUBTASK_COLUMNS} FROM subtasks WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row([id], subtask).optional()?)
    }

    /// How many of a ticket's steps are not done yet.
    pub fn open_subtasks(&self, ticket: i64) -> Result<usize> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM subtasks WHERE ticket_id = +?1 AND done_at IS NULL",
            )?
            .query_row([ticket], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Whether `login` owns a step of ticket `ticket`.
    pub fn owns_step_of(&self, login: &str, ticket: i64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM subtasks WHERE ticket_id = +?1 AND assignee = ?2 LIMIT 1",
            )?
            .query_row(params![ticket, login], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Steps open now or done in `[since, until)`: (ticket, owner, done in
    /// the period, open, open and past its date at `now`).
    pub fn steps_for_report(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<StepFact>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT ticket_id, assignee, coalesce(done_at >= ?1 AND done_at < ?2, 0), \
                    done_at IS NULL, coalesce(done_at IS NULL AND due_at < ?3, 0) \
             FROM subtasks WHERE done_at IS NULL OR (done_at >= ?1 AND done_at < ?2)",
        )?;
        let rows = stmt
            .query_map(params![to_ms(since), to_ms(until), to_ms(now)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Open subtasks assigned to `login`, soonest due first (undated last).
    pub fn open_subtasks_of(&self, login: &str, limit: usize) -> Result<Vec<Subtask>> {
        let sql = format!(
            "SELECT {SUBTASK_COLUMNS} FROM subtasks WHERE assignee = ?1 AND done_at IS NULL \
             ORDER BY due_at IS NULL, due_at, id LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let list = stmt
            .query_map(params![login, limit as i64], subtask)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }
}

impl Writer<'_> {
    /// Adds a subtask at the end of the ticket's list.
    pub fn insert_subtask(
        &mut self,
        ticket: i64,
        new: &NewSubtask,
        now: DateTime<Utc>,
    ) -> Result<Subtask> {
        self.tx
            .prepare_cached(
                "INSERT INTO subtasks (ticket_id, position, title, assignee, due_at, note, created_at) \
                 VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM subtasks WHERE ticket_id = ?1), \
                 ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                ticket,
                new.title,
                new.assignee,
                new.due.map(to_ms),
                new.note.as_deref().unwrap_or(""),
                to_ms(now)
            ])?;
        let id = self.tx.last_insert_rowid();
        self.reader()
            .subtask(id)?
            .ok_or(crate::error::Error::SubtaskNotFound(id))
    }

    /// Writes a subtask's own fields back.
    pub fn update_subtask(&mut self, s: &Subtask) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE subtasks SET title = ?2, assignee = ?3, due_at = ?4, note = ?5, \
                 done_at = ?6, done_by = ?7 WHERE id = ?1",
            )?
            .execute(params![
                s.id,
                s.title,
                s.assignee,
                s.due.map(to_ms),
                s.note,
                s.done_at.map(to_ms),
                s.done_by
            ])?;
        Ok(())
    }

    /// Moves every step of ticket `from` to the end of ticket `to`'s list
    /// (a merge), with both tickets' counters.
    pub fn move_subtasks(&mut self, from: i64, to: i64) -> Result<usize> {
        // Time spent on a step goes with it (a timer running on one too).
        self.tx
            .prepare_cached(
                "UPDATE time_entries SET ticket_id = ?2 \
                 WHERE ticket_id = ?1 AND subtask_id IS NOT NULL",
            )?
            .execute(params![from, to])?;
        let moved = self
            .tx
            .prepare_cached(
                "UPDATE subtasks SET ticket_id = ?2, position = position + \
                 (SELECT coalesce(max(position), 0) FROM subtasks WHERE ticket_id = ?2) \
                 WHERE ticket_id = ?1",
            )?
            .execute(params![from, to])?;
        self.tx
            .prepare_cached(
                "UPDATE tickets SET \
                 steps_total = (SELECT count(*) FROM subtasks s WHERE s.ticket_id = tickets.id), \
                 steps_done = (SELECT count(*) FROM subtasks s \
                               WHERE s.ticket_id = tickets.id AND s.done_at IS NOT NULL) \
                 WHERE id IN (?1, ?2)",
            )?
            .execute(params![from, to])?;
        Ok(moved)
    }

    pub fn delete_subtask(&mut self, id: i64) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM subtasks WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }
}
