//! Turns a resolved [`Query`] into a SQL `WHERE` clause with bound parameters.
//! The service has already replaced `me` and `open`; `none` still means "no
//! assignee / no team" here.

use rusqlite::types::Value;

use crate::domain::{Clause, Field, Priority, Query};

/// Text queries shorter than this many characters cannot use the trigram index.
const TRIGRAM: usize = 3;

/// A WHERE clause (without the keyword) and its parameters.
pub struct Where {
    pub sql: String,
    pub params: Vec<Value>,
    /// With words for the trigram index: the clause without the index
    /// lookup, and the parameter holding the one FTS5 query for all words,
    /// so a read can walk the index itself instead (newest first).
    pub fts: Option<FtsDriven>,
}

/// The same filter for a read driven by the search index.
pub struct FtsDriven {
    pub sql: String,
    pub query_param: usize,
}

pub fn where_clause(query: &Query) -> Where {
    let mut parts = Vec::new();
    let mut params = Vec::new();
    // Every positive word long enough for trigrams goes into one index
    // lookup: FTS5 intersects the doclists lazily, where one lookup per word
    // would each collect every match first.
    let words: Vec<&str> = query
        .clauses
        .iter()
        .filter_map(|c| match c {
            Clause::Text {
                text,
                negated: false,
            } if text.chars().count() >= TRIGRAM => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let fts_param = (!words.is_empty()).then(|| {
        let all: Vec<String> = words
            .iter()
            .map(|w| format!("({})", trigram_query(w)))
            .collect();
        params.push(Value::Text(all.join(" AND ")));
        params.len()
    });
    for clause in &query.clauses {
        let (sql, negated) = match clause {
            Clause::Field {
                field,
                values,
                negated,
            } => (field_sql(*field, values, &mut params), *negated),
            Clause::Text { text, negated } => (text_sql(text, *negated, &mut params), *negated),
            Clause::Time {
                field,
                from,
                to,
                negated,
            } => (time_sql(*field, *from, *to, &mut params), *negated),
            Clause::Sla {
                states,
                at,
                open,
                negated,
            } => (sla_sql(states, *at, open, &mut params), *negated),
            Clause::Visible { assignee, team } => {
                (visible_sql(assignee, team.as_deref(), &mut params), false)
            }
        };
        // NULL columns (no assignee, no deadline) make a test unknown, not
        // false; `coalesce` keeps `-assignee:bob` from hiding unassigned tickets.
        parts.push(if negated {
            format!("NOT coalesce(({sql}), 0)")
        } else {
            format!("({sql})")
        });
    }
    let join = |parts: &[String]| {
        if parts.is_empty() {
            "1".to_string()
        } else {
            parts.join(" AND ")
        }
    };
    let fts = fts_param.map(|query_param| FtsDriven {
        sql: join(&parts),
        query_param,
    });
    // First, so the cheap index probe runs before the exact checks.
    if let Some(q) = fts_param {
        parts.insert(
            0,
            format!("t.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?{q})"),
        );
    }
    Where {
        sql: join(&parts),
        params,
        fts,
    }
}

fn placeholders(params: &mut Vec<Value>, values: impl IntoIterator<Item = Value>) -> String {
    let mut marks = Vec::new();
    for v in values {
        params.push(v);
        marks.push(format!("?{}", params.len()));
    }
    marks.join(", ")
}

fn text_values(values: &[String]) -> impl Iterator<Item = Value> + '_ {
    values.iter().map(|v| Value::Text(v.clone()))
}

/// `column IN (…)`, where the value `none` also matches NULL.
fn nullable_in(column: &str, values: &[String], params: &mut Vec<Value>) -> String {
    let none = values.iter().any(|v| v.eq_ignore_ascii_case("none"));
    let named: Vec<String> = values
        .iter()
        .filter(|v| !v.eq_ignore_ascii_case("none"))
        .cloned()
        .collect();
    let mut alts = Vec::new();
    if !named.is_empty() {
        alts.push(format!(
            "{column} IN ({})",
            placeholders(params, text_values(&named))
        ));
    }
    if none {
        alts.push(format!("{column} IS NULL"));
    }
    alts.join(" OR ")
}

/// The column a time field compares.
fn time_column(field: Field) -> &'static str {
    match field {
        Field::Created => "t.created_at",
        Field::Due => "t.due_at",
        Field::Closed => "t.closed_at",
        _ => "t.updated_at",
    }
}

fn time_sql(
    field: Field,
    from: Option<chrono::DateTime<chrono::Utc>>,
    to: Option<chrono::DateTime<chrono::Utc>>,
    params: &mut Vec<Value>,
) -> String {
    let column = time_column(field);
    let mut parts = vec![format!("{column} IS NOT NULL")];
    if let Some(from) = from {
        params.push(Value::Integer(from.timestamp_millis()));
        parts.push(format!("{column} >= ?{}", params.len()));
    }
    if let Some(to) = to {
        params.push(Value::Integer(to.timestamp_millis()));
        parts.push(format!("{column} < ?{}", params.len()));
    }
    parts.join(" AND ")
}

/// An agent's tickets: assigned to them, or unassigned in their team.
fn visible_sql(assignee: &str, team: Option<&str>, params: &mut Vec<Value>) -> String {
    params.push(Value::Text(assignee.to_string()));
    let mine = params.len();
    let team_test = match team {
        Some(team) => {
            params.push(Value::Text(team.to_string()));
            format!("t.team = ?{}", params.len())
        }
        None => "t.team IS NULL".to_string(),
    };
    format!("t.assignee = ?{mine} OR (t.assignee IS NULL AND {team_test})")
}

/// Open tickets by deadline state: breached (due passed), at risk (in the
/// last stretch before due), ok (no deadline, or not yet at risk).
fn sla_sql(
    states: &[String],
    at: chrono::DateTime<chrono::Utc>,
    open: &[String],
    params: &mut Vec<Value>,
) -> String {
    params.push(Value::Integer(at.timestamp_millis()));
    let now = params.len();
    let has = |state: &str| states.iter().any(|s| s == state);
    // A deadline has its risk time set with it, never after it, so "at risk
    // or breached" is one range of the risk index.
    let mut alts: Vec<String> = match (has("at_risk"), has("breached")) {
        (true, true) => vec![format!("t.risk_at <= ?{now}")],
        (true, false) => vec![format!("(t.risk_at <= ?{now} AND t.due_at > ?{now})")],
        (false, true) => vec![format!("t.due_at <= ?{now}")],
        (false, false) => Vec::new(),
    };
    if has("ok") {
        alts.push(format!("(t.due_at IS NULL OR t.risk_at > ?{now})"));
    }
    if alts.is_empty() {
        alts.push("0".into());
    }
    let open_list = placeholders(params, text_values(open));
    format!("+t.status IN ({open_list}) AND ({})", alts.join(" OR "))
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn field_sql(field: Field, values: &[String], params: &mut Vec<Value>) -> String {
    match field {
        Field::Status => format!(
            "t.status IN ({})",
            placeholders(params, text_values(values))
        ),
        Field::Type => format!("t.type IN ({})", placeholders(params, text_values(values))),
        Field::Channel => format!(
            "t.channel IN ({})",
            placeholders(params, text_values(values))
        ),
        Field::Priority => {
            let ranks = values
                .iter()
                .filter_map(|v| Priority::parse(v).ok())
                .map(|p| Value::Integer(p.rank()));
            format!("+t.priority IN ({})", placeholders(params, ranks))
        }
        Field::Assignee => nullable_in("t.assignee", values, params),
        Field::Team => nullable_in("+t.team", values, params),
        Field::Cause => nullable_in("t.cause", values, params),
        Field::Tag => format!(
            "EXISTS (SELECT 1 FROM ticket_tags g WHERE g.ticket_id = t.id AND g.tag IN ({}))",
            placeholders(params, values.iter().map(|v| Value::Text(v.to_lowercase())))
        ),
        Field::Customer => {
            let alts: Vec<String> = values
                .iter()
                .map(|v| {
                    params.push(Value::Text(v.clone()));
                    let exact = params.len();
                    params.push(Value::Text(format!("%{}%", escape_like(v))));
                    let like = params.len();
                    format!("cu.email = ?{exact} OR cu.name LIKE ?{like} ESCAPE '\\'")
                })
                .collect();
            format!(
                "t.customer_id IN (SELECT cu.id FROM customers cu WHERE {})",
                alts.join(" OR ")
            )
        }
        Field::Tier => format!(
            "t.customer_id IN (SELECT cu.id FROM customers cu WHERE cu.tier IN ({}))",
            placeholders(params, text_values(values))
        ),
        // The service has turned names into numbers.
        Field::Milestone => {
            let none = values.iter().any(|v| v.eq_ignore_ascii_case("none"));
            let ids: Vec<Value> = values
                .iter()
                .filter_map(|v| v.parse::<i64>().ok())
                .map(Value::Integer)
                .collect();
            let mut alts = Vec::new();
            if !ids.is_empty() {
                alts.push(format!("t.milestone_id IN ({})", placeholders(params, ids)));
            }
            if none {
                alts.push("t.milestone_id IS NULL".into());
            }
            if alts.is_empty() {
                alts.push("0".into());
            }
            alts.join(" OR ")
        }
        Field::Number => {
            let ids = values
                .iter()
                .filter_map(|v| v.parse::<i64>().ok())
                .map(Value::Integer);
            format!("t.id IN ({})", placeholders(params, ids))
        }
        // Time and deadline fields are turned into Time/Sla clauses by the
        // service; unresolved ones select nothing rather than everything.
        Field::Created | Field::Updated | Field::Due | Field::Closed | Field::Sla => "0".into(),
        Field::Category => {
            let alts: Vec<String> = values
                .iter()
                .map(|v| {
                    let base = v.trim_end_matches("/*").trim_end_matches('/');
                    params.push(Value::Text(base.to_string()));
                    let exact = params.len();
                    params.push(Value::Text(format!("{}/%", escape_like(base))));
                    let under = params.len();
                    format!("t.category = ?{exact} OR t.category LIKE ?{under} ESCAPE '\\'")
                })
                .collect();
            alts.join(" OR ")
        }
    }
}

/// Most trigrams put in one index lookup; verification keeps longer terms exact.
const MAX_TRIGRAMS: usize = 12;

/// The FTS5 query for a substring: every (or a spread of) its trigrams, ANDed.
fn trigram_query(text: &str) -> String {
    let chars: Vec<char> = text.to_lowercase().chars().collect();
    let mut grams: Vec<String> = chars.windows(TRIGRAM).map(|w| w.iter().collect()).collect();
    grams.dedup();
    if grams.len() > MAX_TRIGRAMS {
        let step = grams.len() as f64 / MAX_TRIGRAMS as f64;
        grams = (0..MAX_TRIGRAMS)
            .map(|i| grams[(i as f64 * step) as usize].clone())
            .collect();
    }
    grams
        .iter()
        .map(|g| format!("\"{}\"", g.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The term appears in the ticket's searchable text (exact check). Each
/// column is tested on its own so a match never spans two of them.
fn verify_sql(n: usize, like: bool) -> String {
    let test = |expr: &str| {
        if like {
            format!("{expr} LIKE ?{n} ESCAPE '\\'")
        } else {
            format!("tdesk_contains({expr}, ?{n})")
        }
    };
    let columns = [
        "t.title",
        "t.description",
        "t.title_pinyin",
        "t.customer_keys",
        "t.comment_text",
    ];
    format!(
        "({})",
        columns
            .iter()
            .map(|c| test(c))
            .collect::<Vec<_>>()
            .join(" OR ")
    )
}

/// Full-text match over title, description, customer, comments and pinyin.
/// Terms of three or more characters are looked up in the trigram index (one
/// lookup for all of them, added by [`where_clause`]) and verified here; a
/// negated term is only verified. Two-letter terms also look up pinyin
/// initials (`tk` → 退款); other short terms (退款) scan with LIKE.
fn text_sql(text: &str, negated: bool, params: &mut Vec<Value>) -> String {
    if text.chars().count() >= TRIGRAM {
        let lookup = negated.then(|| {
            params.push(Value::Text(trigram_query(text)));
            format!(
                "t.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?{}) AND ",
                params.len()
            )
        });
        params.push(Value::Text(text.to_string()));
        return format!(
            "{}{}",
            lookup.unwrap_or_default(),
            verify_sql(params.len(), false)
        );
    }
    params.push(Value::Text(format!("%{}%", escape_like(text))));
    let scan = verify_sql(params.len(), true);
    if crate::text::looks_like_pinyin(text) {
        params.push(Value::Text(format!("\"{}\"", text.to_lowercase())));
        let n = params.len();
        return format!(
            "(t.id IN (SELECT rowid FROM initials_fts WHERE initials_fts MATCH ?{n}) OR {scan})"
        );
    }
    scan
}
