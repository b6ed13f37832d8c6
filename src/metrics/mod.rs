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
use std::hash::{BuildHasherDefault, Hasher};

pub use compute::{
    AGE_BUCKETS, Breakdown, BreakdownRow, Count, DayRow, Figures, Goals, Metrics, ParetoRow,
    PersonRow, Spec, TicketRow, compute,
};
pub use period::{MAX_DAYS, Period, PeriodError, PeriodKind};
pub use rows::{TICKET_METRICS_HEADER, TicketMetrics, ticket_metrics_csv, ticket_rows};
pub use stats::{Dist, share};

/// A fast hash for the short keys of a report (names, numbers): reading a
/// million facts looks names up eight million times.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// The strings facts refer to by number (states, teams, agents, …), so a
/// million facts share a few hundred strings.
#[derive(Debug, Clone, Default)]
pub struct Names {
    names: Vec<String>,
    index: FastMap<Vec<u8>, u32>,
}

impl Names {
    /// The number of `name`, given on first sight.
    pub fn id(&mut self, name: &str) -> u32 {
        self.id_of_bytes(name.as_bytes())
    }

    /// The number of a name read as bytes (not valid UTF-8: as read lossily).
    pub fn id_of_bytes(&mut self, bytes: &[u8]) -> u32 {
        if let Some(&id) = self.index.get(bytes) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(String::from_utf8_lossy(bytes).into_owned());
        self.index.insert(bytes.to_vec(), id);
        id
    }

    /// How many names there are (ids are below this).
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Takes in every name of `other`; returns, for each of its numbers,
    /// the number the same name has here.
    pub fn absorb(&mut self, other: &Names) -> Vec<u32> {
        other.names.iter().map(|n| self.id(n)).collect()
    }

    /// The number of `name` if it was seen.
    pub fn find(&self, name: &str) -> Option<u32> {
        self.index.get(name.as_bytes()).copied()
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

impl Fact {
    /// Renumbers the fact's names by `map` (from [`Names::absorb`]).
    pub fn renumber(&mut self, map: &[u32]) {
        let to = |id: &mut u32| *id = map.get(*id as usize).copied().unwrap_or(*id);
        for id in [&mut self.status, &mut self.kind, &mut self.channel] {
            to(id);
        }
        for id in [
            &mut self.category,
            &mut self.country,
            &mut self.tier,
            &mut self.assignee,
            &mut self.team,
            &mut self.accepted_by,
            &mut self.cause,
        ]
        .into_iter()
        .flatten()
        {
            to(id);
        }
    }
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
