//! The per-ticket metrics for BI tools: one row per ticket created or
//! solved in a period, names spelled out, instants in milliseconds.

use super::{Fact, Names, Period, Standing};

/// One ticket's measured life.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TicketMetrics {
    pub id: i64,
    pub status: String,
    pub open: bool,
    pub priority: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub category: Option<String>,
    pub channel: String,
    pub team: Option<String>,
    pub assignee: Option<String>,
    pub customer: Option<i64>,
    pub country: Option<String>,
    pub tier: Option<String>,
    pub created: i64,
    pub first_response: Option<i64>,
    pub solved: Option<i64>,
    /// Business seconds to the first response and to the solution.
    pub response_secs: Option<i64>,
    pub resolve_secs: Option<i64>,
    pub response_late: bool,
    pub resolve_late: bool,
    pub replies: u32,
    pub reopens: u32,
    pub rating: Option<u8>,
    pub accepted_by: Option<String>,
    pub cause: Option<String>,
    pub with_article: bool,
}

/// The rows of the tickets created or solved in `period`, oldest first.
pub fn ticket_rows(facts: &[Fact], names: &Names, period: &Period) -> Vec<TicketMetrics> {
    let name = |id: Option<u32>| id.map(|i| names.get(i).to_string());
    let mut rows: Vec<TicketMetrics> = facts
        .iter()
        .filter(|f| period.contains(f.created) || period.contains_opt(f.resolved.or(f.closed)))
        .map(|f| TicketMetrics {
            id: f.id,
            status: names.get(f.status).into(),
            open: f.standing == Standing::Open,
            priority: format!("P{}", f.priority),
            kind: names.get(f.kind).into(),
            category: name(f.category),
            channel: names.get(f.channel).into(),
            team: name(f.team),
            assignee: name(f.assignee),
            customer: f.customer,
            country: name(f.country),
            tier: name(f.tier),
            created: f.created,
            first_response: f.first_response,
            solved: f.resolved.or(f.closed),
            response_secs: f.response_secs,
            resolve_secs: f.resolve_secs,
            response_late: f.response_late,
            resolve_late: f.resolve_late,
            replies: f.replies,
            reopens: f.reopens,
            rating: f.rating,
            accepted_by: name(f.accepted_by),
            cause: name(f.cause),
            with_article: f.with_article,
        })
        .collect();
    rows.sort_by_key(|r| (r.created, r.id));
    rows
}

/// The CSV header of [`ticket_metrics_csv`].
pub const TICKET_METRICS_HEADER: &str = "id,status,open,priority,type,category,channel,team,\
assignee,customer,country,tier,created,first_response,solved,response_secs,\
resolve_secs,response_late,resolve_late,replies,reopens,rating,accepted_by,cause,with_article";

/// One ticket's row; names through the spreadsheet formula guard.
pub fn ticket_metrics_csv(r: &TicketMetrics) -> String {
    let text = |v: &str| crate::text::csv_cell(&crate::text::sanitize_line(v));
    let opt = |v: &Option<String>| v.as_deref().map_or_else(String::new, text);
    let num = |v: Option<i64>| v.map_or_else(String::new, |v| v.to_string());
    [
        r.id.to_string(),
        text(&r.status),
        r.open.to_string(),
        r.priority.clone(),
        text(&r.kind),
        opt(&r.category),
        text(&r.channel),
        opt(&r.team),
        opt(&r.assignee),
        num(r.customer),
        opt(&r.country),
        opt(&r.tier),
        r.created.to_string(),
        num(r.first_response),
        num(r.solved),
        num(r.response_secs),
        num(r.resolve_secs),
        r.response_late.to_string(),
        r.resolve_late.to_string(),
        r.replies.to_string(),
        r.reopens.to_string(),
        r.rating.map_or_else(String::new, |v| v.to_string()),
        opt(&r.accepted_by),
        opt(&r.cause),
        r.with_article.to_string(),
    ]
    .join(",")
}
