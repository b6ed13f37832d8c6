//! Milestones and which tickets and steps belong to them.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params, params_from_iter};

use super::filter_sql::where_clause;
use super::rows::{from_ms, opt_from_ms, to_ms};
use super::{Reader, Writer};
use crate::domain::{AT_RISK_WITHIN, Milestone, MilestoneProgress, NewMilestone, Query, Subtask};
use crate::error::{Error, Result};

const MILESTONE_COLUMNS: &str =
    "id, name, description, owner, due_at, created_at, created_by, closed_at";

fn milestone(r: &Row) -> rusqlite::Result<Milestone> {
    Ok(Milestone {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        owner: r.get(3)?,
        due: opt_from_ms(r.get(4)?),
        created_at: from_ms(r.get(5)?),
        created_by: r.get(6)?,
        closed_at: opt_from_ms(r.get(7)?),
    })
}

/// The moments progress is measured against.
pub struct ProgressAt<'a> {
    pub now: DateTime<Utc>,
    /// The workflow's open states: a ticket in another one is done.
    pub open: &'a [&'a str],
}

impl Reader<'_> {
    /// Milestones by date (undated last), open ones only unless `closed`.
    pub fn milestones(&self, closed: bool) -> Result<Vec<Milestone>> {
        let sql = format!(
            "SELECT {MILESTONE_COLUMNS} FROM milestones WHERE ?1 OR closed_at IS NULL \
             ORDER BY closed_at IS NOT NULL, due_at IS NULL, due_at, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let list = stmt
            .query_map([closed], milestone)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    pub fn milestone(&self, id: i64) -> Result<Option<Milestone>> {
        let sql = format!("SELECT {MILESTONE_COLUMNS} FROM milestones WHERE id = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], milestone)
            .optional()?)
    }

    /// A milestone by its name, whatever its letter case.
    pub fn milestone_named(&self, name: &str) -> Result<Option<Milestone>> {
        let sql =
            format!("SELECT {MILESTONE_COLUMNS} FROM milestones WHERE name = ?1 COLLATE NOCASE");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([name], milestone)
            .optional()?)
    }

    /// The milestone a ticket belongs to.
    pub fn ticket_milestone(&self, ticket: i64) -> Result<Option<Milestone>> {
        let sql = format!(
            "SELECT {MILESTONE_COLUMNS} FROM milestones \
             WHERE id = (SELECT milestone_id FROM tickets WHERE id = +?1)"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([ticket], milestone)
            .optional()?)
    }

    /// How far `m` is over the tickets `scope` (the reader's visibility)
    /// lets through, and the steps of those tickets that belong to it.
    pub fn milestone_progress(
        &self,
        m: &Milestone,
        scope: &Query,
        at: &ProgressAt<'_>,
    ) -> Result<MilestoneProgress> {
        let filter = where_clause(scope);
        let mut params = filter.params;
        let bind = |params: &mut Vec<Value>, v: Value| {
            params.push(v);
            format!("?{}", params.len())
        };
        let id = bind(&mut params, Value::Integer(m.id));
        let now = bind(&mut params, Value::Integer(to_ms(at.now)));
        let soon = bind(&mut params, Value::Integer(to_ms(at.now + AT_RISK_WITHIN)));
        let fallback = bind(
            &mut params,
            m.due.map_or(Value::Null, |d| Value::Integer(to_ms(d))),
        );
        // The steps' statement takes the parameters up to here.
        let common = params.len();
        let open: Vec<String> = at
            .open
            .iter()
            .map(|s| bind(&mut params, Value::Text((*s).to_string())))
            .collect();
        let open = format!("t.status IN ({})", open.join(", "));
        let due = |col: &str| format!("coalesce({col}, {fallback})");
        let tickets_sql = format!(
            "SELECT count(*), coalesce(sum(NOT ({open})), 0), \
             coalesce(sum(({open}) AND {d} < {now}), 0), \
             coalesce(sum(({open}) AND {d} >= {now} AND ({d} < {soon} OR t.risk_at <= {now})), 0) \
             FROM tickets t WHERE t.milestone_id = {id} AND ({})",
            filter.sql,
            d = due("t.due_at"),
        );
        let steps_sql = format!(
            "SELECT count(*), coalesce(sum(s.done_at IS NOT NULL), 0), \
             coalesce(sum(s.done_at IS NULL AND {d} < {now}), 0), \
             coalesce(sum(s.done_at IS NULL AND {d} >= {now} AND {d} < {soon}), 0) \
             FROM subtasks s JOIN tickets t ON t.id = s.ticket_id \
             WHERE s.milestone_id = {id} AND ({})",
            filter.sql,
            d = due("s.due_at"),
        );
        let count = |r: &Row, i| r.get::<_, i64>(i).map(|n| usize::try_from(n).unwrap_or(0));
        let (tickets, tickets_done, t_late, t_risk) = self
            .conn
            .prepare(&tickets_sql)?
            .query_row(params_from_iter(params.iter()), |r| {
                Ok((count(r, 0)?, count(r, 1)?, count(r, 2)?, count(r, 3)?))
            })?;
        let (steps, steps_done, s_late, s_risk) = self
            .conn
            .prepare(&steps_sql)?
            .query_row(params_from_iter(params[..common].iter()), |r| {
                Ok((count(r, 0)?, count(r, 1)?, count(r, 2)?, count(r, 3)?))
            })?;
        Ok(MilestoneProgress {
            tickets,
            tickets_done,
            steps,
            steps_done,
            at_risk: t_risk + s_risk,
            overdue: t_late + s_late,
        })
    }

    /// The steps of milestone `id` whose tickets `scope` lets through, by date.
    pub fn milestone_steps(&self, id: i64, scope: &Query, limit: usize) -> Result<Vec<Subtask>> {
        let filter = where_clause(scope);
        let mut params = filter.params;
        params.push(Value::Integer(id));
        let id_param = params.len();
        params.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        let sql = format!(
            "SELECT {} FROM subtasks s JOIN tickets t ON t.id = s.ticket_id \
             WHERE s.milestone_id = ?{id_param} AND ({}) \
             ORDER BY s.done_at IS NOT NULL, s.due_at IS NULL, s.due_at, s.id LIMIT ?{}",
            super::subtasks::SUBTASK_COLUMNS_S,
            filter.sql,
            params.len()
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let list = stmt
            .query_map(params_from_iter(params.iter()), super::subtasks::subtask)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }
}

impl Writer<'_> {
    pub fn insert_milestone(
        &mut self,
        new: &NewMilestone,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Milestone> {
        self.tx
            .prepare_cached(
                "INSERT INTO milestones (name, description, owner, due_at, created_at, created_by) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                new.name,
                new.description,
                new.owner,
                new.due.map(to_ms),
                to_ms(now),
                by
            ])?;
        let id = self.tx.last_insert_rowid();
        self.reader()
            .milestone(id)?
            .ok_or_else(|| Error::MilestoneNotFound(id.to_string()))
    }

    /// Writes a milestone's fields back.
    pub fn update_milestone(&mut self, m: &Milestone) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE milestones SET name = ?2, description = ?3, owner = ?4, due_at = ?5, \
                 closed_at = ?6 WHERE id = ?1",
            )?
            .execute(params![
                m.id,
                m.name,
                m.description,
                m.owner,
                m.due.map(to_ms),
                m.closed_at.map(to_ms)
            ])?;
        Ok(())
    }

    /// Puts a ticket into milestone `id` (or none); its previous one.
    pub fn set_ticket_milestone(&mut self, ticket: i64, id: Option<i64>) -> Result<Option<i64>> {
        let before: Option<i64> = self
            .tx
            .prepare_cached("SELECT milestone_id FROM tickets WHERE id = +?1")?
            .query_row([ticket], |r| r.get(0))?;
        self.tx
            .prepare_cached("UPDATE tickets SET milestone_id = ?2 WHERE id = ?1")?
            .execute(params![ticket, id])?;
        Ok(before)
    }

    /// Puts a step into milestone `id` (or none); its previous one.
    pub fn set_step_milestone(&mut self, step: i64, id: Option<i64>) -> Result<Option<i64>> {
        let before: Option<i64> = self
            .tx
            .prepare_cached("SELECT milestone_id FROM subtasks WHERE id = ?1")?
            .query_row([step], |r| r.get(0))?;
        self.tx
            .prepare_cached("UPDATE subtasks SET milestone_id = ?2 WHERE id = ?1")?
            .execute(params![step, id])?;
        Ok(before)
    }
}
