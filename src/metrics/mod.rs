//! Where service breaks down — pure: one pass over the facts of a desk's
//! tickets gives volume, speed (business time, from the clocks' stored
//! outcomes), quality, Pareto charts and per-agent and per-team tables for
//! a period and the one before it. No IO, no clock: the caller hands over
//! the facts and the instant it calls now.

mod compute;
mod period;
mod rows;
mod stats;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub use compute::{
    AGE_BUCKETS, Breakdown, Count, DayRow, Figures, Goals, Metrics, ParetoRow, PersonRow, Spec,
    TicketRow, compute,
};
pub use period::{Period, PeriodError, PeriodKind};
pub use rows::{TICKET_METRICS_HEADER, TicketMetrics, ticket_metrics_csv, ticket_rows};
pub use stats::{Dist, share};

/// The strings facts refer to by number (states, teams, agents, …), so a
/// million facts share a few hundred strings.
#[derive(Debug, Clone, Default)]
pub struct Names {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Names {
    /// The number of `name`, given on first sight.
    pub fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.index.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), id);
        id
    }

    pub fn get(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

/// Where a ticket stands now, by its state's place in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Open,
    Resolved,
    Closed,
}

/// What a report needs to know about one ticket. Instants are milliseconds
/// since the epoch; durations are business seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub id: i64,
    pub created: i64,
    pub status: u32,
    pub standing: Standing,
    pub priority: u8,
    pub kind: u32,
    /// The whole category path (`logistics/customs`).
    pub category: Option<u32>,
    pub channel: u32,
    pub customer: Option<i64>,
    pub country: Option<u32>,
    pub tier: Option<u32>,
    pub assignee: Option<u32>,
    pub team: Option<u32>,
    pub first_response: Option<i64>,
    pub resolved: Option<i64>,
    pub closed: Option<i64>,
    pub response_secs: Option<i64>,
    pub resolve_secs: Option<i64>,
    pub response_late: bool,
    pub resolve_late: bool,
    /// Public replies written by the desk.
    pub replies: u32,
    pub reopens: u32,
    /// The last reopening.
    pub reopened: Option<i64>,
    pub rating: Option<u8>,
    pub accepted: Option<i64>,
    pub accepted_by: Option<u32>,
    /// Solved with a knowledge-base article.
    pub with_article: bool,
    pub cause: Option<u32>,
    /// The running clock's deadline.
    pub due: Option<i64>,
}
