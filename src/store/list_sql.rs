//! The SQL of one page of a list, in the cheapest of four shapes that give
//! exactly the order a plain `ORDER BY` would (a store test compares them
//! over every sort, direction, grouping and a set of filters):
//!
//! * partitioned — an order led by state or priority, one arm per value, or
//!   by deadline, the tickets with one and then those without;
//! * search-driven — words, sorted by number: the search index walked in
//!   rowid order, stopping at the page;
//! * merged — several states sorted by update or priority: one index range
//!   per state, merged as they stream;
//! * plain — everything else.

use rusqlite::types::Value;

use super::filter_sql::{FtsDriven, Where, where_clause};
use super::order_sql::{Nulls, Partition, Rest, merged_states, order_by, partition};
use super::rows::TICKET_ROW_COLUMNS;
use crate::domain::{ListRequest, SortKey};

const FROM: &str = "FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id";

/// The SQL and parameters of one page; `fast` picks the cheapest shape,
/// without it the page is read by one plain ORDER BY (for tests).
pub fn list_sql(req: &ListRequest, status_order: &[&str], fast: bool) -> (String, Vec<Value>) {
    let Where { sql, params, fts } = where_clause(&req.query);
    let mut q = PageSql {
        req,
        status_order,
        filter: sql,
        params,
    };
    let searching = fts.filter(|_| req.sort == SortKey::Number && req.group.is_none());
    let sql = match (
        fast,
        partition(req, status_order),
        searching,
        merged_states(req),
    ) {
        (false, ..) => q.plain(),
        (true, Some(p), ..) => q.partitioned(p),
        (true, None, Some(fts), _) => q.search_driven(&fts),
        (true, None, None, Some(states)) => q.merged(states),
        (true, None, None, None) => q.plain(),
    };
    (sql, q.params)
}

struct PageSql<'a> {
    req: &'a ListRequest,
    status_order: &'a [&'a str],
    filter: String,
    params: Vec<Value>,
}

impl PageSql<'_> {
    fn order(&mut self, partitioned: bool) -> String {
        order_by(self.req, self.status_order, &mut self.params, partitioned)
    }

    fn page(&mut self) -> String {
        self.params.push(Value::Integer(
            i64::try_from(self.req.limit).unwrap_or(i64::MAX),
        ));
        let limit = self.params.len();
        self.params
            .push(Value::Integer(i64::try_from(self.req.offset).unwrap_or(0)));
        format!("LIMIT ?{limit} OFFSET ?{}", self.params.len())
    }

    fn plain(&mut self) -> String {
        let order = self.order(false);
        let page = self.page();
        format!(
            "SELECT {TICKET_ROW_COLUMNS} {FROM} WHERE {} ORDER BY {order} {page}",
            self.filter
        )
    }

    fn search_driven(&mut self, fts: &FtsDriven) -> String {
        let order = self.order(false).replace("t.id", "f.rowid");
        let page = self.page();
        format!(
            "SELECT {TICKET_ROW_COLUMNS} FROM search_fts f CROSS JOIN tickets t ON t.id = f.rowid \
             LEFT JOIN customers c ON c.id = t.customer_id \
             WHERE f.search_fts MATCH ?{} AND ({}) ORDER BY {order} {page}",
            fts.query_param, fts.sql
        )
    }

    fn merged(&mut self, states: Vec<String>) -> String {
        let order = self.order(false);
        let mut arms = Vec::new();
        for state in states {
            self.params.push(Value::Text(state));
            arms.push(format!(
                "SELECT {TICKET_ROW_COLUMNS} {FROM} WHERE t.status = ?{} AND ({})",
                self.params.len(),
                self.filter
            ));
        }
        let page = self.page();
        format!(
            "{} ORDER BY {} {page}",
            arms.join(" UNION ALL "),
            by_position(&order)
        )
    }

    /// Arms run one after another and stop once the page is full; each
    /// arm's own LIMIT keeps its ORDER BY from being dropped.
    fn partitioned(&mut self, p: Partition) -> String {
        let order = self.order(true);
        let page = self.page();
        self.params.push(Value::Integer(
            i64::try_from(self.req.limit.saturating_add(self.req.offset)).unwrap_or(i64::MAX),
        ));
        let arm_limit = self.params.len();
        let filter = &self.filter;
        let arm = |test: String| {
            format!(
                "SELECT * FROM (SELECT {TICKET_ROW_COLUMNS} {FROM} WHERE {test} AND ({filter}) \
                 ORDER BY {order} LIMIT ?{arm_limit})"
            )
        };
        if let Some(nulls) = p.nulls {
            let set = arm(format!("{} IS NOT NULL", p.column));
            let unset = arm(format!("{} IS NULL", p.column));
            let arms = match nulls {
                Nulls::Last => [set, unset],
                Nulls::First => [unset, set],
            };
            return format!("SELECT * FROM ({}) {page}", arms.join(" UNION ALL "));
        }
        let mut marks = Vec::new();
        let mut arms = Vec::new();
        for value in p.values {
            self.params.push(value);
            marks.push(format!("?{}", self.params.len()));
            arms.push(arm(format!("{} = ?{}", p.column, self.params.len())));
        }
        let rest = || arm(format!("{} NOT IN ({})", p.column, marks.join(", ")));
        match p.rest {
            Rest::None => {}
            Rest::First => arms.insert(0, rest()),
            Rest::Last => arms.push(rest()),
        }
        format!("SELECT * FROM ({}) {page}", arms.join(" UNION ALL "))
    }
}

/// ORDER BY terms rewritten to result-column numbers, as a compound SELECT
/// needs them (`t.updated_at DESC` → `10 DESC`).
fn by_position(order: &str) -> String {
    order
        .split(", ")
        .map(|term| {
            let (expr, dir) = term.rsplit_once(' ').unwrap_or((term, ""));
            match TICKET_ROW_COLUMNS.split(", ").position(|c| c == expr) {
                Some(i) => format!("{} {dir}", i + 1),
                None => term.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
