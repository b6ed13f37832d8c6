//! Time spent on tickets: timers and logged stretches.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::rows::{from_ms, opt_from_ms, to_ms};
use super::{Reader, Writer};
use crate::domain::TimeEntry;
use crate::error::Result;

const COLUMNS: &str = "id, ticket_id, login, started_at, stopped_at, note, subtask_id";

fn entry(r: &Row) -> rusqlite::Result<TimeEntry> {
    Ok(TimeEntry {
        id: r.get(0)?,
        ticket: r.get(1)?,
        login: r.get(2)?,
        started: from_ms(r.get(3)?),
        stopped: opt_from_ms(r.get(4)?),
        note: r.get(5)?,
        step: r.get(6)?,
    })
}

/// Time spent grouped: the ticket, its title and category, the member, and
/// milliseconds.
pub type SpentRow = (i64, String, Option<String>, String, i64);

impl Reader<'_> {
    /// The member's running timer, if any.
    pub fn running_timer(&self, login: &str) -> Result<Option<TimeEntry>> {
        let sql =
            format!("SELECT {COLUMNS} FROM time_entries WHERE login = ?1 AND stopped_at IS NULL");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([login], entry)
            .optional()?)
    }

    /// A ticket's time entries, oldest first.
    pub fn time_entries(&self, ticket: i64) -> Result<Vec<TimeEntry>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM time_entries WHERE ticket_id = +?1 ORDER BY started_at, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let list = stmt
            .query_map([ticket], entry)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    /// Time spent since `since` per ticket and member (a running timer up
    /// to `now`), with each ticket's title and category.
    /// Time per ticket and member over stretches begun in `[since, until)`
    /// (a running one counted up to `until`).
    pub fn time_spent(&self, since: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<SpentRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.ticket_id, t.title, t.category, e.login, \
                    sum(max(coalesce(e.stopped_at, ?2) - e.started_at, 0)) \
             FROM time_entries e JOIN tickets t ON t.id = e.ticket_id \
             WHERE e.started_at >= ?1 AND e.started_at < ?2 \
             GROUP BY e.ticket_id, e.login ORDER BY 5 DESC",
        )?;
        let rows = stmt
            .query_map(params![to_ms(since), to_ms(until)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

impl Writer<'_> {
    /// Starts (or, with `stopped`, logs) a stretch of work.
    pub fn insert_time(
        &mut self,
        ticket: i64,
        step: Option<i64>,
        login: &str,
        started: DateTime<Utc>,
        stopped: Option<DateTime<Utc>>,
        note: &str,
    ) -> Result<TimeEntry> {
        self.tx
            .prepare_cached(
                "INSERT INTO time_entries (ticket_id, login, started_at, stopped_at, note, subtask_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                ticket,
                login,
                to_ms(started),
                stopped.map(to_ms),
                note,
                step
            ])?;
        Ok(TimeEntry {
            id: self.tx.last_insert_rowid(),
            ticket,
            login: login.to_string(),
            started,
            stopped,
            note: note.to_string(),
            step,
        })
    }

    /// Removes a time entry.
    pub fn delete_time(&mut self, id: i64) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM time_entries WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }

    /// Stops the member's running timer at `at`; the stopped entry, if one ran.
    pub fn stop_timer(&mut self, login: &str, at: DateTime<Utc>) -> Result<Option<TimeEntry>> {
        let Some(mut running) = self.reader().running_timer(login)? else {
            return Ok(None);
        };
        let at = at.max(running.started);
        self.tx
            .prepare_cached("UPDATE time_entries SET stopped_at = ?2 WHERE id = ?1")?
            .execute(params![running.id, to_ms(at)])?;
        running.stopped = Some(at);
        Ok(Some(running))
    }
}
