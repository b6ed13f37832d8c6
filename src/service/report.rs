//! Reports: the desk's figures for a period, scoped by role like everything
//! else — an agent's own tickets, a supervisor's team (and the tickets of no
//! team yet), the whole desk for an admin — and the per-ticket metrics for
//! BI tools.

use std::collections::{BTreeMap, HashMap};

use crate::domain::{Clause, Field, Query, Role};
use crate::error::{Error, Result};

/// From this many tickets in reach a report reads them on two connections.
const SPLIT_FROM: i64 = 100_000;
use crate::metrics::{Fact, Metrics, Names, Period, Spec, Standing, TicketMetrics};
use crate::store::{FactScan, Reader};

use super::Desk;
use super::sla::clocks;

/// Whose figures a report holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum ReportScope {
    Desk,
    Team(String),
    Agent(String),
}

/// A period's figures for the member, with what the lists need to show.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeskReport {
    pub scope: ReportScope,
    pub metrics: Metrics,
    /// Titles of the tickets in the worst and about-to-breach lists.
    pub titles: BTreeMap<i64, String>,
    /// Tickets whose clock outcomes were worked out now because the desk
    /// had not stored them (a desk from before they were kept).
    pub outcomes_computed: usize,
    /// Tickets left out of the speed and SLA figures because more than
    /// [`COMPUTE_AT_MOST`] lacked stored outcomes.
    pub outcomes_missing: usize,
    /// Time spent and steps in the period.
    pub work: super::report_work::WorkFigures,
}

/// At most this many missing clock outcomes are worked out for one report
/// (each reads the ticket's history); beyond, the report says how many it
/// left out and that `tdesk sla recompute` stores them.
pub const COMPUTE_AT_MOST: usize = 20_000;

/// Facts read and where they came from.
struct Read {
    facts: Vec<Fact>,
    names: Names,
    computed: usize,
    missing: usize,
}

impl Desk {
    /// Whose figures the member sees, and the query that narrows to them.
    fn report_scope(&self) -> Result<(ReportScope, Query)> {
        let me = self.me()?;
        let field = |field, value: &str| Clause::Field {
            field,
            values: vec![value.to_string()],
            negated: false,
        };
        Ok(match (me.role, &me.team) {
            (Role::Agent, _) => (
                ReportScope::Agent(me.login.clone()),
                Query {
                    clauses: vec![field(Field::Assignee, &me.login)],
                },
            ),
            (Role::Supervisor, Some(team)) => (
                ReportScope::Team(team.clone()),
                Query {
                    clauses: me.scope().clause().into_iter().collect(),
                },
            ),
            _ => (ReportScope::Desk, Query::default()),
        })
    }

    /// Where each of the workflow's states leaves a ticket.
    fn standings(&self) -> HashMap<String, Standing> {
        self.workflow
            .states()
            .iter()
            .map(|s| {
                let standing = if s.is_final {
                    Standing::Closed
                } else if s.is_resolved {
                    Standing::Resolved
                } else {
                    Standing::Open
                };
                (s.id.clone(), standing)
            })
            .collect()
    }

    fn read_facts(&self, query: &Query, reach: i64, since: i64) -> Result<Read> {
        let open: Vec<String> = self
            .workflow
            .open_states()
            .into_iter()
            .map(String::from)
            .collect();
        let standing = self.standings();
        let reader = self.store.reader();
        let in_reach = reader.count_from(reach)?;
        let scan = |created, part: i64| FactScan {
            scope: query,
            reach,
            since,
            open_states: &open,
            standing: &standing,
            created,
            expected: usize::try_from(in_reach / part).unwrap_or(0),
        };
        let mut names = Names::default();
        // A big desk is read in two halves at once, on two connections:
        // decoding a million index entries is most of a report's time.
        let pivot = match in_reach >= SPLIT_FROM {
            true => reader.created_median(reach)?,
            false => None,
        };
        let second = match pivot {
            Some(_) => self.store.second()?,
            None => None,
        };
        let mut facts = match (pivot, second) {
            (Some(pivot), Some(other)) => std::thread::scope(|scope| -> Result<Vec<Fact>> {
                let scan = &scan;
                let later = scope.spawn(move || {
                    let mut names = Names::default();
                    other
                        .reader()
                        .metric_facts(&scan((Some(pivot), None), 2), &mut names)
                        .map(|facts| (facts, names))
                });
                // This half receives the other: room for both.
                let mut facts = reader.metric_facts(&scan((None, Some(pivot)), 1), &mut names)?;
                let (mut more, their_names) = later
                    .join()
                    .map_err(|_| Error::Database("a report reader stopped".into()))??;
                let map = names.absorb(&their_names);
                for f in &mut more {
                    f.renumber(&map);
                }
                facts.append(&mut more);
                Ok(facts)
            })?,
            _ => reader.metric_facts(&scan((None, None), 1), &mut names)?,
        };
        let (computed, missing) = self.fill_outcomes(&reader, &mut facts)?;
        Ok(Read {
            facts,
            names,
            computed,
            missing,
        })
    }

    /// Works out the clock outcomes a desk did not store yet (tickets from
    /// before they were kept): right numbers now, `tdesk sla recompute`
    /// stores them for next time.
    fn fill_outcomes(&self, reader: &Reader<'_>, facts: &mut [Fact]) -> Result<(usize, usize)> {
        let now = self.clock.now();
        let (mut computed, mut missing) = (0, 0);
        for f in facts.iter_mut() {
            let response = f.first_response.is_some() && f.response_secs.is_none();
            let resolve = f.resolved.or(f.closed).is_some() && f.resolve_secs.is_none();
            if !response && !resolve {
                continue;
            }
            if computed == COMPUTE_AT_MOST {
                missing += 1;
                continue;
            }
            let Some(ticket) = reader.ticket(f.id)? else {
                continue;
            };
            let c = clocks(reader, &self.sla, &ticket, now)?;
            let [r, s] = c.outcomes;
            (f.response_secs, f.response_late) =
                (r.map(|o| o.spent.num_seconds()), r.is_some_and(|o| o.late));
            (f.resolve_secs, f.resolve_late) =
                (s.map(|o| o.spent.num_seconds()), s.is_some_and(|o| o.late));
            computed += 1;
        }
        Ok((computed, missing))
    }

    /// The member's figures for `period` and the one before it.
    pub fn report(&self, period: Period) -> Result<DeskReport> {
        let (scope, query) = self.report_scope()?;
        let query = self.resolve(query)?;
        let now = self.clock.now().timestamp_millis();
        let spec = Spec::new(period, now);
        let read = self.read_facts(&query, spec.reach(), period.previous().start)?;
        let metrics = crate::metrics::compute(&read.facts, &read.names, &spec);
        let reader = self.store.reader();
        let mut titles = BTreeMap::new();
        for row in metrics.worst.iter().chain(&metrics.at_risk) {
            if let Some(t) = reader.ticket(row.id)? {
                titles.insert(row.id, t.title);
            }
        }
        Ok(DeskReport {
            scope,
            metrics,
            titles,
            outcomes_computed: read.computed,
            outcomes_missing: read.missing,
            work: self.work_figures(&period)?,
        })
    }

    /// One row per ticket created or solved in `period` that the member's
    /// report covers, with its clock outcomes, for BI tools.
    pub fn report_tickets(&self, period: Period) -> Result<(ReportScope, Vec<TicketMetrics>)> {
        let (scope, query) = self.report_scope()?;
        let query = self.resolve(query)?;
        let read = self.read_facts(&query, period.start, period.start)?;
        let rows = crate::metrics::ticket_rows(&read.facts, &read.names, &period);
        Ok((scope, rows))
    }
}
