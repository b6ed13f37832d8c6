//! The facts a report reads: one narrow scan of the `tickets_metrics`
//! covering index (never the wide ticket rows), narrowed to the member's
//! scope, of every ticket created since the report's reach or still open or
//! touched in its periods.

use rusqlite::types::{Value, ValueRef};
use rusqlite::{OptionalExtension, params_from_iter};

use super::Reader;
use super::filter_sql::where_clause;
use crate::domain::Query;
use crate::error::Result;
use crate::metrics::{Fact, FastMap, Names, Standing};

/// Each customer's country and tier, as name numbers.
type Places = FastMap<i64, (Option<u32>, Option<u32>)>;

/// What to read.
pub struct FactScan<'a> {
    /// The member's scope as a resolved query.
    pub scope: &'a Query,
    /// Every ticket created from here on.
    pub reach: i64,
    /// And older ones answered, solved, closed, reopened or accepted from here on.
    pub since: i64,
    pub open_states: &'a [String],
    /// Where each state leaves a ticket (a state not named here: open).
    pub standing: &'a std::collections::HashMap<String, Standing>,
    /// Only tickets created in `[from, before)` (for reading in parts).
    pub created: (Option<i64>, Option<i64>),
    /// About how many facts to expect.
    pub expected: usize,
}

const FACT_COLUMNS: &str = "t.id, t.created_at, t.status, t.priority, t.type, t.category, \
     t.channel, t.customer_id, t.assignee, t.team, t.first_response_at, t.resolved_at, \
     t.closed_at, t.response_secs, t.resolve_secs, t.sla_late, t.replies, t.reopens, \
     t.reopened_at, t.rating, t.accepted_at, t.accepted_by, t.solved_by IS NOT NULL, t.cause, \
     t.due_at";

fn text(names: &mut Names, v: ValueRef<'_>) -> Option<u32> {
    match v {
        ValueRef::Text(bytes) => Some(names.id_of_bytes(bytes)),
        _ => None,
    }
}

impl Reader<'_> {
    /// The facts of the tickets `scan` names, their strings in `names`.
    pub fn metric_facts(&self, scan: &FactScan<'_>, names: &mut Names) -> Result<Vec<Fact>> {
        let customers = self.customer_places(names)?;
        let filter = where_clause(scan.scope);
        let mut params = filter.params;
        params.push(Value::Integer(scan.created.0.unwrap_or(i64::MIN + 1)));
        let from = params.len();
        params.push(Value::Integer(scan.created.1.unwrap_or(i64::MAX)));
        let before = params.len();
        params.push(Value::Integer(scan.reach));
        let reach = params.len();
        params.push(Value::Integer(scan.since));
        let since = params.len();
        let mut open = Vec::new();
        for state in scan.open_states {
            params.push(Value::Text(state.clone()));
            open.push(format!("?{}", params.len()));
        }
        let touched = [
            "first_response_at",
            "resolved_at",
            "closed_at",
            "reopened_at",
            "accepted_at",
        ]
        .iter()
        .map(|c| format!("t.{c} >= ?{since}"))
        .collect::<Vec<_>>()
        .join(" OR ");
        let sql = format!(
            // The first term makes it one walk of the covering index; an OR
            // at the top would have SQLite merge several walks by row id.
            "SELECT {FACT_COLUMNS} FROM tickets t INDEXED BY tickets_metrics \
             WHERE t.created_at >= ?{from} AND t.created_at < ?{before} AND ({}) \
             AND (t.created_at >= ?{reach} OR t.status IN ({}) OR {touched})",
            filter.sql,
            if open.is_empty() {
                "NULL".to_string()
            } else {
                open.join(", ")
            },
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(params_from_iter(params))?;
        let mut standings: Vec<Option<Standing>> = Vec::new();
        // Room for the facts at once: a million copied on each doubling
        // would cost a tenth of a second.
        let mut facts = Vec::with_capacity(scan.expected);
        while let Some(r) = rows.next()? {
            let status = text(names, r.get_ref(2)?).unwrap_or(0);
            let slot = status as usize;
            if standings.len() <= slot {
                standings.resize(slot + 1, None);
            }
            let standing = *standings[slot].get_or_insert_with(|| {
                scan.standing
                    .get(names.get(status))
                    .copied()
                    .unwrap_or(Standing::Open)
            });
            let customer: Option<i64> = r.get(7)?;
            let (country, tier) = customer
                .and_then(|c| customers.get(&c).copied())
                .unwrap_or((None, None));
            let late: i64 = r.get(15)?;
            facts.push(Fact {
                id: r.get(0)?,
                created: r.get(1)?,
                status,
                standing,
                priority: r.get(3)?,
                kind: text(names, r.get_ref(4)?).unwrap_or(0),
                category: text(names, r.get_ref(5)?),
                channel: text(names, r.get_ref(6)?).unwrap_or(0),
                customer,
                country,
                tier,
                assignee: text(names, r.get_ref(8)?),
                team: text(names, r.get_ref(9)?),
                first_response: r.get(10)?,
                resolved: r.get(11)?,
                closed: r.get(12)?,
                response_secs: r.get(13)?,
                resolve_secs: r.get(14)?,
                response_late: late & 1 != 0,
                resolve_late: late & 2 != 0,
                replies: r.get(16)?,
                reopens: r.get(17)?,
                reopened: r.get(18)?,
                rating: r.get(19)?,
                accepted: r.get(20)?,
                accepted_by: text(names, r.get_ref(21)?),
                with_article: r.get(22)?,
                cause: text(names, r.get_ref(23)?),
                due: r.get(24)?,
            });
        }
        Ok(facts)
    }

    /// How many tickets were created from `from` on (an index count).
    pub fn count_from(&self, from: i64) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM tickets INDEXED BY tickets_metrics WHERE created_at >= ?1",
            [from],
            |r| r.get(0),
        )?)
    }

    /// The creation time that splits the tickets created from `from` on
    /// into two halves (to read them on two connections at once).
    pub fn created_median(&self, from: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT created_at FROM tickets INDEXED BY tickets_metrics WHERE created_at >= ?1 \
                 ORDER BY created_at LIMIT 1 OFFSET \
                 (SELECT count(*) / 2 FROM tickets INDEXED BY tickets_metrics WHERE created_at >= ?1)",
                [from],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Each customer's country and tier, as names.
    fn customer_places(&self, names: &mut Names) -> Result<Places> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, country, tier FROM customers")?;
        let mut rows = stmt.query([])?;
        let mut out = Places::default();
        while let Some(r) = rows.next()? {
            let country = text(names, r.get_ref(1)?);
            let tier = text(names, r.get_ref(2)?);
            out.insert(r.get(0)?, (country, tier));
        }
        Ok(out)
    }
}

impl Reader<'_> {
    /// A ticket's stored clock outcomes: business seconds to the first
    /// response and to the solution, and the lateness bits.
    pub fn stored_outcomes(&self, id: i64) -> Result<(Option<i64>, Option<i64>, i64)> {
        Ok(self.conn.query_row(
            "SELECT response_secs, resolve_secs, sla_late FROM tickets WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }
}
