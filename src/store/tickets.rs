//! Ticket rows: insert, read, versioned update, tags, filtered lists.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params, params_from_iter};

use super::filter_sql::where_clause;
use super::list_sql::list_sql;
use super::rows::{self, TICKET_ROW_COLUMNS, from_ms, opt_from_ms, to_ms};
use super::{Reader, Writer};
use crate::domain::{
    AcceptedBy, Category, Channel, Closure, ListRequest, Priority, Query, Ticket, TicketRow,
};
use crate::error::Result;

const TICKET_COLUMNS: &str = "id, title, description, status, priority, type, category, channel, \
     customer_id, assignee, team, custom, resolution, accepted_at, rating, created_at, updated_at, \
     first_response_at, resolved_at, closed_at, version, due_at, risk_at, cause, prevention, \
     accepted_by, reopens, solved_by";

fn ticket(r: &Row) -> rusqlite::Result<Ticket> {
    let category: Option<String> = r.get(6)?;
    let channel: String = r.get(7)?;
    let custom: String = r.get(11)?;
    let rating: Option<i64> = r.get(14)?;
    Ok(Ticket {
        id: r.get(0)?,
        title: r.get(1)?,
        description: r.get(2)?,
        status: r.get(3)?,
        priority: rows::priority(r.get(4)?)?,
        kind: r.get(5)?,
        category: category.and_then(|c| Category::parse(&c).ok()),
        channel: rows::channel(&channel)?,
        customer_id: r.get(8)?,
        assignee: r.get(9)?,
        team: r.get(10)?,
        tags: Vec::new(),
        custom: serde_json::from_str(&custom).unwrap_or_default(),
        resolution: r.get(12)?,
        accepted_at: opt_from_ms(r.get(13)?),
        rating: rating.and_then(|x| u8::try_from(x).ok()),
        created_at: from_ms(r.get(15)?),
        updated_at: from_ms(r.get(16)?),
        first_response_at: opt_from_ms(r.get(17)?),
        resolved_at: opt_from_ms(r.get(18)?),
        closed_at: opt_from_ms(r.get(19)?),
        version: r.get(20)?,
        due_at: opt_from_ms(r.get(21)?),
        risk_at: opt_from_ms(r.get(22)?),
        closure: Closure {
            cause: r.get(23)?,
            prevention: r.get(24)?,
            accepted_by: r
                .get::<_, Option<String>>(25)?
                .and_then(|a| AcceptedBy::parse(&a)),
            reopens: r.get(26)?,
            solved_by: r.get(27)?,
        },
    })
}

/// Columns of a new ticket row that [`Ticket`] does not carry.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RowExtras<'a> {
    /// The id the ticket had where it was imported from.
    pub external_id: Option<&'a str>,
    /// Business seconds its first-response clock ran (when stopped).
    pub response_secs: Option<i64>,
    /// Business seconds its resolution clock ran (when stopped).
    pub resolve_secs: Option<i64>,
    /// Which clocks missed their targets (1: response, 2: resolution).
    pub sla_late: i64,
}

/// Columns to change on a ticket; `None` leaves a column alone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketUpdate {
    pub title: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub priority: Option<Priority>,
    pub kind: Option<String>,
    pub category: Option<Option<Category>>,
    pub channel: Option<Channel>,
    pub assignee: Option<Option<String>>,
    pub team: Option<Option<String>>,
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
    pub resolution: Option<Option<String>>,
    pub accepted_at: Option<Option<DateTime<Utc>>>,
    pub rating: Option<Option<u8>>,
    pub first_response_at: Option<Option<DateTime<Utc>>>,
    pub resolved_at: Option<Option<DateTime<Utc>>>,
    pub closed_at: Option<Option<DateTime<Utc>>>,
    pub due_at: Option<Option<DateTime<Utc>>>,
    pub risk_at: Option<Option<DateTime<Utc>>>,
    pub cause: Option<Option<String>>,
    pub prevention: Option<Option<String>>,
    pub accepted_by: Option<Option<AcceptedBy>>,
    pub reopens: Option<u32>,
    pub solved_by: Option<Option<String>>,
}

fn opt_text(v: Option<String>) -> Value {
    v.map(Value::Text).unwrap_or(Value::Null)
}

fn opt_time(v: Option<DateTime<Utc>>) -> Value {
    v.map(|t| Value::Integer(to_ms(t))).unwrap_or(Value::Null)
}

impl TicketUpdate {
    /// `column = ?` pairs with their values.
    fn assignments(&self) -> Vec<(&'static str, Value)> {
        let mut out = Vec::new();
        let mut set = |col, v| out.push((col, v));
        if let Some(v) = &self.title {
            set("title", Value::Text(v.clone()));
            set("title_pinyin", Value::Text(crate::text::pinyin_keys(v)));
        }

        if let Some(v) = &self.description {
            set("description", Value::Text(v.clone()));
        }
        if let Some(v) = &self.status {
            set("status", Value::Text(v.clone()));
        }
        if let Some(v) = self.priority {
            set("priority", Value::Integer(v.rank()));
        }
        if let Some(v) = &self.kind {
            set("type", Value::Text(v.clone()));
        }
        if let Some(v) = &self.category {
            set(
                "category",
                opt_text(v.as_ref().map(|c| c.as_str().to_string())),
            );
        }
        if let Some(v) = self.channel {
            set("channel", Value::Text(v.as_str().to_string()));
        }
        if let Some(v) = &self.assignee {
            set("assignee", opt_text(v.clone()));
        }
        if let Some(v) = &self.team {
            set("team", opt_text(v.clone()));
        }
        if let Some(v) = &self.custom {
            let json = serde_json::Value::Object(v.clone()).to_string();
            set("custom", Value::Text(json));
        }
        if let Some(v) = &self.resolution {
            set("resolution", opt_text(v.clone()));
        }
        if let Some(v) = &self.cause {
            set("cause", opt_text(v.clone()));
        }
        if let Some(v) = &self.prevention {
            set("prevention", opt_text(v.clone()));
        }
        if let Some(v) = self.accepted_by {
            set("accepted_by", opt_text(v.map(|a| a.as_str().to_string())));
        }
        if let Some(v) = self.reopens {
            set("reopens", Value::Integer(v.into()));
        }
        if let Some(v) = &self.solved_by {
            set("solved_by", opt_text(v.clone()));
        }
        if let Some(v) = self.accepted_at {
            set("accepted_at", opt_time(v));
        }
        if let Some(v) = self.rating {
            set(
                "rating",
                v.map(|r| Value::Integer(r.into())).unwrap_or(Value::Null),
            );
        }
        if let Some(v) = self.first_response_at {
            set("first_response_at", opt_time(v));
        }
        if let Some(v) = self.resolved_at {
            set("resolved_at", opt_time(v));
        }
        if let Some(v) = self.closed_at {
            set("closed_at", opt_time(v));
        }
        if let Some(v) = self.due_at {
            set("due_at", opt_time(v));
        }
        if let Some(v) = self.risk_at {
            set("risk_at", opt_time(v));
        }
        out
    }
}

impl Reader<'_> {
    /// A ticket with its tags.
    pub fn ticket(&self, id: i64) -> Result<Option<Ticket>> {
        let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let Some(mut t) = stmt.query_row([id], ticket).optional()? else {
            return Ok(None);
        };
        t.tags = self.tags(id)?;
        Ok(Some(t))
    }

    /// Whether ticket `id`'s deadline was set by hand (the SLA leaves it).
    pub fn due_manual(&self, id: i64) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT due_manual FROM tickets WHERE id = ?1", [id], |r| {
                r.get::<_, Option<bool>>(0)
            })
            .optional()?
            .flatten()
            .unwrap_or(false))
    }

    pub fn tags(&self, id: i64) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT tag FROM ticket_tags WHERE ticket_id = +?1 ORDER BY tag")?;
        let tags = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(tags)
    }

    /// One page of tickets matching a resolved query.
    pub fn list(&self, req: &ListRequest, status_order: &[&str]) -> Result<Vec<TicketRow>> {
        self.list_with(req, status_order, true)
    }

    /// The same page by one plain ORDER BY, for tests to check the partitioned read.
    #[cfg(test)]
    pub fn list_sorting(&self, req: &ListRequest, status_order: &[&str]) -> Result<Vec<TicketRow>> {
        self.list_with(req, status_order, false)
    }

    fn list_with(
        &self,
        req: &ListRequest,
        status_order: &[&str],
        partitioned: bool,
    ) -> Result<Vec<TicketRow>> {
        let (sql, params) = list_sql(req, status_order, partitioned);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(params), rows::ticket_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The first tickets of one kanban column: a resolved query narrowed to
    /// `state`, most urgent first and, within a priority, the one untouched
    /// longest first — the order of the board index, so no sorting is needed.
    pub fn board_column(&self, query: &Query, state: &str, limit: usize) -> Result<Vec<TicketRow>> {
        let filter = where_clause(query);
        let mut params = filter.params;
        params.push(Value::Text(state.to_string()));
        let state_mark = params.len();
        params.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        let limit_mark = params.len();
        let sql = format!(
            "SELECT {TICKET_ROW_COLUMNS} FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id \
             WHERE t.status = ?{state_mark} AND {} \
             ORDER BY t.priority ASC, t.updated_at ASC, t.id ASC LIMIT ?{limit_mark}",
            filter.sql
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(params), rows::ticket_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The numbers of every ticket a resolved query matches, ascending.
    pub fn ids(&self, query: &Query) -> Result<Vec<i64>> {
        let filter = where_clause(query);
        let sql = format!(
            "SELECT t.id FROM tickets t WHERE {} ORDER BY t.id",
            filter.sql
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let ids = stmt
            .query_map(params_from_iter(filter.params), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// How many tickets match a resolved query.
    pub fn count(&self, query: &Query) -> Result<i64> {
        let filter = where_clause(query);
        let sql = format!("SELECT count(*) FROM tickets t WHERE {}", filter.sql);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row(params_from_iter(filter.params), |r| r.get(0))?)
    }

    /// How many of `query`'s tickets come before a place in due-date order
    /// (dated by date then number, undated last by number): before ticket
    /// `id` due at `due`, or (without `id`) before the first due at `due`
    /// or later. The timeline finds a ticket, or today, by it.
    pub fn rows_before_due(
        &self,
        query: &Query,
        due: Option<DateTime<Utc>>,
        id: Option<i64>,
    ) -> Result<i64> {
        let filter = where_clause(query);
        let mut params = filter.params;
        let at = params.len() + 1;
        let place = match (due, id) {
            (Some(d), Some(x)) => {
                params.push(Value::Integer(to_ms(d)));
                params.push(Value::Integer(x));
                format!(
                    "t.due_at IS NOT NULL AND (t.due_at < ?{at} OR (t.due_at = ?{at} AND t.id < ?{}))",
                    at + 1
                )
            }
            (Some(d), None) => {
                params.push(Value::Integer(to_ms(d)));
                format!("t.due_at < ?{at}")
            }
            (None, Some(x)) => {
                params.push(Value::Integer(x));
                format!("(t.due_at IS NOT NULL OR t.id < ?{at})")
            }
            (None, None) => "t.due_at IS NOT NULL".into(),
        };
        let sql = format!(
            "SELECT count(*) FROM tickets t WHERE ({}) AND {place}",
            filter.sql
        );
        Ok(self
            .conn
            .prepare(&sql)?
            .query_row(params_from_iter(params), |r| r.get(0))?)
    }

    /// How many tickets are in each status (for kanban column headers).
    pub fn count_by_status(&self, query: &Query) -> Result<Vec<(String, i64)>> {
        let filter = where_clause(query);
        let sql = format!(
            "SELECT t.status, count(*) FROM tickets t WHERE {} GROUP BY t.status",
            filter.sql
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(filter.params), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A customer's most recently updated tickets other than `except`, at
    /// most `limit`, each with the start of its description: candidates
    /// for "the same problem". One range of the (customer, updated) index.
    pub fn customer_recent(
        &self,
        customer: i64,
        except: i64,
        limit: usize,
    ) -> Result<Vec<(TicketRow, String)>> {
        let sql = format!(
            "SELECT {TICKET_ROW_COLUMNS}, substr(t.description, 1, 2000) \
             FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id \
             WHERE t.customer_id = ?1 AND t.id <> ?2 ORDER BY t.updated_at DESC LIMIT ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(
                params![customer, except, i64::try_from(limit).unwrap_or(i64::MAX)],
                // The description follows the row's own columns.
                |r| {
                    Ok((
                        rows::ticket_row(r)?,
                        r.get(TICKET_ROW_COLUMNS.split(", ").count())?,
                    ))
                },
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Description and comment text of `ids`, for search snippets.
    pub fn bodies(&self, ids: &[i64]) -> Result<Vec<(i64, String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, description, comment_text FROM tickets WHERE id = ?1")?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(row) = stmt
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?
            {
                out.push(row);
            }
        }
        Ok(out)
    }

    pub fn ticket_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))?)
    }

    /// Every status some ticket is in, with its ticket count.
    pub fn statuses_in_use(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT status, count(*) FROM tickets GROUP BY status ORDER BY status")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

impl Writer<'_> {
    /// Inserts a ticket (its `id` is ignored) and its tags; returns the new number.
    pub fn insert_ticket(&mut self, t: &Ticket) -> Result<i64> {
        self.insert_ticket_as(t, None)
    }

    /// Inserts a ticket under number `id` (a restore), or the next free
    /// number when `None`.
    pub fn insert_ticket_as(&mut self, t: &Ticket, id: Option<i64>) -> Result<i64> {
        self.insert_row(t, id, &RowExtras::default())
    }

    /// Inserts an imported ticket complete in one row: its source's id and
    /// its clocks' outcomes along with everything else.
    pub fn insert_imported(&mut self, t: &Ticket, extras: &RowExtras<'_>) -> Result<i64> {
        self.insert_row(t, None, extras)
    }

    fn insert_row(&mut self, t: &Ticket, id: Option<i64>, extras: &RowExtras<'_>) -> Result<i64> {
        let customer = match t.customer_id {
            Some(id) => self.reader().customer(id)?.map(|c| c.name),
            None => None,
        };
        let initials = super::search_initials(&t.title, customer.as_deref());
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO tickets (title, description, status, priority, type, category, channel, \
             customer_id, assignee, team, custom, resolution, accepted_at, rating, created_at, \
             updated_at, first_response_at, resolved_at, closed_at, version, due_at, risk_at, title_pinyin, \
             search_initials, customer_keys, id, cause, prevention, accepted_by, reopens, solved_by, \
             external_id, response_secs, resolve_secs, sla_late) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, \
             ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35)",
        )?;
        stmt.execute(params![
            t.title,
            t.description,
            t.status,
            t.priority.rank(),
            t.kind,
            t.category.as_ref().map(Category::as_str),
            t.channel.as_str(),
            t.customer_id,
            t.assignee,
            t.team,
            serde_json::Value::Object(t.custom.clone()).to_string(),
            t.resolution,
            t.accepted_at.map(to_ms),
            t.rating,
            to_ms(t.created_at),
            to_ms(t.updated_at),
            t.first_response_at.map(to_ms),
            t.resolved_at.map(to_ms),
            t.closed_at.map(to_ms),
            t.version,
            t.due_at.map(to_ms),
            t.risk_at.map(to_ms),
            crate::text::pinyin_keys(&t.title),
            initials,
            super::customer_keys(customer.as_deref()),
            id,
            t.closure.cause,
            t.closure.prevention,
            t.closure.accepted_by.map(AcceptedBy::as_str),
            t.closure.reopens,
            t.closure.solved_by,
            extras.external_id,
            extras.response_secs,
            extras.resolve_secs,
            extras.sla_late,
        ])?;
        drop(stmt);
        let id = self.tx.last_insert_rowid();
        for tag in &t.tags {
            self.add_tag(id, tag)?;
        }
        Ok(id)
    }

    /// Until [`Writer::index_new_tickets`], new tickets are not added to the
    /// search index one by one. FTS5 writes its pending entries to disk at
    /// every statement savepoint, so an entry per INSERT made a tiny index
    /// segment per row (and merges of them); one statement for a chunk of
    /// rows writes one. Only for tickets nothing changes before they are
    /// indexed: the update trigger would delete entries never added.
    pub fn defer_search_index(&mut self) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE counters SET value = 1 WHERE name = 'bulk_load'")?
            .execute([])?;
        Ok(())
    }

    /// Adds tickets `ids` (inserted since [`Writer::defer_search_index`])
    /// to the search index, and indexes new tickets one by one again.
    pub fn index_new_tickets(&mut self, ids: &[i64]) -> Result<()> {
        let ids =
            serde_json::to_string(ids).map_err(|e| crate::error::Error::Database(e.to_string()))?;
        self.tx
            .prepare_cached(
                "INSERT INTO search_fts(rowid, title, description, title_pinyin, customer_keys, comment_text) \
                 SELECT id, title, description, title_pinyin, customer_keys, comment_text FROM tickets \
                 WHERE id IN (SELECT value FROM json_each(?1))",
            )?
            .execute([&ids])?;
        self.tx
            .prepare_cached(
                "INSERT INTO initials_fts(rowid, search_initials) \
                 SELECT id, search_initials FROM tickets WHERE id IN (SELECT value FROM json_each(?1))",
            )?
            .execute([&ids])?;
        self.tx
            .prepare_cached("UPDATE counters SET value = 0 WHERE name = 'bulk_load'")?
            .execute([])?;
        Ok(())
    }

    /// Applies `update` if the ticket is still at `version`; bumps the version.
    /// Returns `false` when the version no longer matches (or the ticket is gone).
    /// Sets the SLA deadline and at-risk time of a ticket: derived data, so
    /// neither its version nor its update time change.
    pub fn set_deadline(
        &mut self,
        id: i64,
        due: Option<DateTime<Utc>>,
        risk: Option<DateTime<Utc>>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE tickets SET due_at = ?2, risk_at = ?3 WHERE id = ?1 AND NOT due_manual",
            )?
            .execute(params![id, due.map(to_ms), risk.map(to_ms)])?;
        Ok(())
    }

    /// Stores what a ticket's SLA clocks came to (written only when it differs).
    pub fn set_clock_outcomes(
        &mut self,
        id: i64,
        response_secs: Option<i64>,
        resolve_secs: Option<i64>,
        late: i64,
    ) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE tickets SET response_secs = ?2, resolve_secs = ?3, sla_late = ?4 \
             WHERE id = ?1 AND (response_secs IS NOT ?2 OR resolve_secs IS NOT ?3 OR sla_late IS NOT ?4)")?
            .execute(params![id, response_secs, resolve_secs, late])?;
        Ok(())
    }

    /// Marks a ticket's deadline as set by hand (kept) or not (the SLA's).
    pub fn set_due_manual(&mut self, id: i64, manual: bool) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE tickets SET due_manual = ?2 WHERE id = ?1")?
            .execute(params![id, manual])?;
        Ok(())
    }

    pub fn update_ticket(
        &mut self,
        id: i64,
        version: i64,
        update: &TicketUpdate,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut assignments = update.assignments();
        if let Some(title) = &update.title {
            let customer: Option<String> = self
                .tx
                .query_row(
                    "SELECT cu.name FROM tickets t JOIN customers cu ON cu.id = t.customer_id WHERE t.id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            let initials = super::search_initials(title, customer.as_deref());
            assignments.push(("search_initials", Value::Text(initials)));
        }
        let mut params: Vec<Value> = Vec::new();
        let mut sets = Vec::new();
        for (column, value) in assignments {
            params.push(value);
            sets.push(format!("{column} = ?{}", params.len()));
        }
        params.push(Value::Integer(to_ms(now)));
        sets.push(format!("updated_at = ?{}", params.len()));
        params.push(Value::Integer(id));
        let id_mark = params.len();
        params.push(Value::Integer(version));
        let version_mark = params.len();
        let sql = format!(
            "UPDATE tickets SET {}, version = version + 1 WHERE id = ?{id_mark} AND version = ?{version_mark}",
            sets.join(", ")
        );
        let changed = self.tx.execute(&sql, params_from_iter(params))?;
        Ok(changed == 1)
    }

    /// Adds a tag; returns whether it was new.
    pub fn add_tag(&mut self, id: i64, tag: &str) -> Result<bool> {
        let mut stmt = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) VALUES (?1, ?2)")?;
        Ok(stmt.execute(params![id, tag])? == 1)
    }

    /// Removes a tag; returns whether it was there.
    pub fn remove_tag(&mut self, id: i64, tag: &str) -> Result<bool> {
        let mut stmt = self
            .tx
            .prepare_cached("DELETE FROM ticket_tags WHERE ticket_id = ?1 AND tag = ?2")?;
        Ok(stmt.execute(params![id, tag])? == 1)
    }
}
