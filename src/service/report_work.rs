//! The work part of a report: time spent per member and per category, and
//! steps per owner (done in the period, still open, late now), over the
//! tickets the member may see.

use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::error::Result;
use crate::metrics::Period;

use super::Desk;

/// Minutes under one name, and on how many tickets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TimeRow {
    pub key: String,
    pub minutes: i64,
    pub tickets: usize,
}

/// One owner's steps.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StepsRow {
    /// A login, or `none` for steps nobody owns.
    pub owner: String,
    pub done: usize,
    pub open: usize,
    pub overdue: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct WorkFigures {
    pub time_by_member: Vec<TimeRow>,
    pub time_by_category: Vec<TimeRow>,
    pub steps_by_owner: Vec<StepsRow>,
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

impl Desk {
    /// Time and steps for `period`, over the tickets the member may see.
    pub(super) fn work_figures(&self, period: &Period) -> Result<WorkFigures> {
        let reader = self.store.reader();
        let now = self.clock.now();
        let (since, until) = (at(period.start), at(period.end).min(now));
        let mut visible: HashMap<i64, bool> = HashMap::new();
        let mut may_see = |id: i64| -> bool {
            *visible
                .entry(id)
                .or_insert_with(|| self.visible_ticket(&reader, id).is_ok())
        };
        let mut members: BTreeMap<String, (i64, BTreeSet<i64>)> = BTreeMap::new();
        let mut categories: BTreeMap<String, (i64, BTreeSet<i64>)> = BTreeMap::new();
        for (ticket, _, category, login, ms) in reader.time_spent(since, until)? {
            if !may_see(ticket) {
                continue;
            }
            let minutes = ms / 60_000;
            let m = members.entry(login).or_default();
            m.0 += minutes;
            m.1.insert(ticket);
            let top = category
                .as_deref()
                .and_then(|c| c.split('/').next())
                .unwrap_or("none")
                .to_string();
            let c = categories.entry(top).or_default();
            c.0 += minutes;
            c.1.insert(ticket);
        }
        let mut owners: BTreeMap<String, StepsRow> = BTreeMap::new();
        for (ticket, owner, done, open, late) in reader.steps_for_report(since, until, now)? {
            if !may_see(ticket) {
                continue;
            }
            let owner = owner.unwrap_or_else(|| "none".into());
            let row = owners.entry(owner.clone()).or_insert(StepsRow {
                owner,
                done: 0,
                open: 0,
                overdue: 0,
            });
            row.done += usize::from(done);
            row.open += usize::from(open);
            row.overdue += usize::from(late);
        }
        let rows = |map: BTreeMap<String, (i64, BTreeSet<i64>)>| {
            let mut rows: Vec<TimeRow> = map
                .into_iter()
                .map(|(key, (minutes, tickets))| TimeRow {
                    key,
                    minutes,
                    tickets: tickets.len(),
                })
                .collect();
            rows.sort_by(|a, b| b.minutes.cmp(&a.minutes).then(a.key.cmp(&b.key)));
            rows
        };
        let mut steps: Vec<StepsRow> = owners.into_values().collect();
        steps.sort_by(|a, b| {
            (b.overdue, b.open, b.done)
                .cmp(&(a.overdue, a.open, a.done))
                .then(a.owner.cmp(&b.owner))
        });
        Ok(WorkFigures {
            time_by_member: rows(members),
            time_by_category: rows(categories),
            steps_by_owner: steps,
        })
    }
}
