//! The figures themselves. Definitions (the README's "Reports" section says
//! them to users):
//! - a ticket is *solved* when it was resolved (else closed): the instant
//!   its resolution clock stopped;
//! - speed is business time from the clocks' outcomes; the seed's goals
//!   (first response within 2 h, 95 % solved within 24 h) are wall-clock
//!   time, as the customer lives it;
//! - the backlog at the end of a period counts tickets created before it and
//!   not solved by then (open now counts as open then);
//! - a repeat is a ticket from the same customer in the same category as one
//!   created in the 30 days before it.

use std::collections::HashMap;

use super::stats::{Dist, share};
use super::{Fact, Names, Period, Standing};

/// The backlog's age buckets, by catalog key suffix.
pub const AGE_BUCKETS: [&str; 5] = ["under_1d", "1_3d", "3_7d", "7_30d", "over_30d"];
const AGE_LIMITS_H: [i64; 4] = [24, 72, 168, 720];

/// Targets to report against besides the desk's own SLA policy.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Goals {
    pub response_secs: i64,
    pub resolve_secs: i64,
    pub resolve_share: f64,
}

impl Default for Goals {
    /// The source articles' goals: answer within 2 hours, close 95 % within a day.
    fn default() -> Self {
        Self {
            response_secs: 2 * 3600,
            resolve_secs: 24 * 3600,
            resolve_share: 0.95,
        }
    }
}

/// What to compute.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub period: Period,
    pub now: i64,
    pub goals: Goals,
    /// Days in the created / solved series, ending with the period's last.
    pub days: u32,
    /// Tickets in the worst and about-to-breach lists.
    pub list: usize,
}

impl Spec {
    pub fn new(period: Period, now: i64) -> Self {
        Self {
            period,
            now,
            goals: Goals::default(),
            days: 30,
            list: 10,
        }
    }

    /// The earliest creation a computation looks at: the previous period's
    /// start, the series' first day, and the repeat window before both.
    pub fn reach(&self) -> i64 {
        let previous = self.period.previous();
        let series = self
            .period
            .days_before(self.period.end - 1, i64::from(self.days) - 1);
        previous.start.min(series) - REPEAT_WINDOW_MS
    }
}

const REPEAT_WINDOW_MS: i64 = 30 * Period::DAY;

/// The headline figures of one period.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Figures {
    pub created: u64,
    pub first_responded: u64,
    pub solved: u64,
    pub closed: u64,
    pub reopened: u64,
    pub backlog_end: u64,
    /// Business seconds to the first response, of those responded to in the period.
    pub response: Dist,
    /// Business seconds to the solution, of those solved in the period.
    pub resolution: Dist,
    pub response_attainment: Option<f64>,
    pub resolve_attainment: Option<f64>,
    pub response_within_goal: Option<f64>,
    pub solved_within_goal: Option<f64>,
    pub reopen_rate: Option<f64>,
    pub one_touch: Option<f64>,
    pub repeat_ratio: Option<f64>,
    pub csat_average: Option<f64>,
    /// Ratings 1 to 5 given in the period.
    pub csat_distribution: [u64; 5],
    pub accepted_by_customer: u64,
    pub accepted_by_silence: u64,
    pub accepted_by_supervisor: u64,
    pub with_article: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Count {
    pub key: String,
    pub count: u64,
}

/// One dimension's rows: created and solved in the period, open now.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Breakdown {
    pub dimension: &'static str,
    pub rows: Vec<BreakdownRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BreakdownRow {
    pub key: String,
    pub created: u64,
    pub solved: u64,
    pub open: u64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ParetoRow {
    pub key: String,
    pub count: u64,
    pub share: f64,
    pub cumulative: f64,
}

/// An agent's or a team's period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PersonRow {
    pub key: String,
    pub handled: u64,
    pub open: u64,
    pub response: Dist,
    pub resolution: Dist,
    pub attainment: Option<f64>,
    pub csat: Option<f64>,
    pub reopened: u64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DayRow {
    pub date: String,
    pub created: u64,
    pub solved: u64,
    pub csat: Option<f64>,
}

/// An open ticket in the worst or about-to-breach list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TicketRow {
    pub id: i64,
    pub status: String,
    pub assignee: Option<String>,
    pub created: i64,
    pub due: Option<i64>,
    pub breached: bool,
}

/// Everything a report or the dashboard shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Metrics {
    pub period: Period,
    pub previous: Period,
    pub now: i64,
    pub goals: Goals,
    pub current: Figures,
    pub before: Figures,
    pub backlog_states: Vec<Count>,
    pub backlog_ages: Vec<Count>,
    pub breakdowns: Vec<Breakdown>,
    pub pareto_categories: Vec<ParetoRow>,
    pub pareto_causes: Vec<ParetoRow>,
    pub agents: Vec<PersonRow>,
    pub teams: Vec<PersonRow>,
    pub daily: Vec<DayRow>,
    pub worst: Vec<TicketRow>,
    pub at_risk: Vec<TicketRow>,
}

fn solved_at(f: &Fact) -> Option<i64> {
    f.resolved.or(f.closed)
}

/// Running totals of one period.
#[derive(Default)]
struct Acc {
    f: Figures,
    response: Vec<i64>,
    resolution: Vec<i64>,
    response_known: u64,
    response_met: u64,
    resolve_known: u64,
    resolve_met: u64,
    response_fast: u64,
    solved_fast: u64,
    solved_reopened: u64,
    one_touch: u64,
    with_article: u64,
    repeats: u64,
    repeat_base: u64,
}

impl Acc {
    fn add(&mut self, f: &Fact, p: &Period, goals: &Goals, accepted_by: &[Option<u32>; 3]) {
        let solved = solved_at(f);
        if p.contains(f.created) {
            self.f.created += 1;
        }
        if f.created < p.end && (f.standing == Standing::Open || solved.is_some_and(|s| s >= p.end))
        {
            self.f.backlog_end += 1;
        }
        if let Some(at) = f.first_response.filter(|&t| p.contains(t)) {
            self.f.first_responded += 1;
            if let Some(secs) = f.response_secs {
                self.response.push(secs);
                self.response_known += 1;
                self.response_met += u64::from(!f.response_late);
            }
            self.response_fast += u64::from(at - f.created <= goals.response_secs * 1000);
        }
        if let Some(at) = solved.filter(|&t| p.contains(t)) {
            self.f.solved += 1;
            if let Some(secs) = f.resolve_secs {
                self.resolution.push(secs);
                self.resolve_known += 1;
                self.resolve_met += u64::from(!f.resolve_late);
            }
            self.solved_fast += u64::from(at - f.created <= goals.resolve_secs * 1000);
            self.solved_reopened += u64::from(f.reopens > 0);
            self.one_touch += u64::from(f.replies == 1);
            self.with_article += u64::from(f.with_article);
        }
        self.f.closed += u64::from(p.contains_opt(f.closed));
        self.f.reopened += u64::from(p.contains_opt(f.reopened));
        if p.contains_opt(f.accepted) {
            if let Some(r) = f.rating.filter(|r| (1..=5).contains(r)) {
                self.f.csat_distribution[usize::from(r - 1)] += 1;
            }
            let by = f.accepted_by;
            self.f.accepted_by_customer += u64::from(by.is_some() && by == accepted_by[0]);
            self.f.accepted_by_silence += u64::from(by.is_some() && by == accepted_by[1]);
            self.f.accepted_by_supervisor += u64::from(by.is_some() && by == accepted_by[2]);
        }
    }

    fn finish(mut self) -> Figures {
        let solved = self.f.solved;
        self.f.response = Dist::of(self.response);
        self.f.resolution = Dist::of(self.resolution);
        self.f.response_attainment = share(self.response_met, self.response_known);
        self.f.resolve_attainment = share(self.resolve_met, self.resolve_known);
        self.f.response_within_goal = share(self.response_fast, self.f.first_responded);
        self.f.solved_within_goal = share(self.solved_fast, solved);
        self.f.reopen_rate = share(self.solved_reopened, solved);
        self.f.one_touch = share(self.one_touch, solved);
        self.f.with_article = share(self.with_article, solved);
        self.f.repeat_ratio = share(self.repeats, self.repeat_base);
        self.f.csat_average = average(&self.f.csat_distribution);
        self.f
    }
}

fn average(distribution: &[u64; 5]) -> Option<f64> {
    let n: u64 = distribution.iter().sum();
    let sum: u64 = distribution
        .iter()
        .enumerate()
        .map(|(i, c)| (i as u64 + 1) * c)
        .sum();
    share(sum, n)
}

/// An agent's or team's running totals.
#[derive(Default)]
struct PersonAcc {
    handled: u64,
    open: u64,
    response: Vec<i64>,
    resolution: Vec<i64>,
    known: u64,
    met: u64,
    ratings: [u64; 5],
    reopened: u64,
}

impl PersonAcc {
    fn add(&mut self, f: &Fact, p: &Period) {
        self.open += u64::from(f.standing == Standing::Open);
        if p.contains_opt(f.first_response) {
            self.response.extend(f.response_secs);
        }
        if p.contains_opt(solved_at(f)) {
            self.handled += 1;
            self.resolution.extend(f.resolve_secs);
            if f.resolve_secs.is_some() {
                self.known += 1;
                self.met += u64::from(!f.resolve_late);
            }
            self.reopened += u64::from(f.reopens > 0);
        }
        if p.contains_opt(f.accepted)
            && let Some(r) = f.rating.filter(|r| (1..=5).contains(r))
        {
            self.ratings[usize::from(r - 1)] += 1;
        }
    }

    fn finish(self, key: String) -> PersonRow {
        PersonRow {
            key,
            handled: self.handled,
            open: self.open,
            response: Dist::of(self.response),
            resolution: Dist::of(self.resolution),
            attainment: share(self.met, self.known),
            csat: average(&self.ratings),
            reopened: self.reopened,
        }
    }
}

/// The dimensions of the breakdown tables, in order.
const DIMENSIONS: [&str; 10] = [
    "channel",
    "type",
    "category",
    "category_top",
    "category_2",
    "priority",
    "team",
    "agent",
    "country",
    "tier",
];

/// The figures of `facts` as `spec` asks; names resolve the facts' numbers.
pub fn compute(facts: &[Fact], names: &Names, spec: &Spec) -> Metrics {
    let period = spec.period;
    let previous = period.previous();
    let lookup = |name: &str| names.find(name);
    let accepted_by = [lookup("customer"), lookup("silence"), lookup("supervisor")];
    let (mut now_acc, mut before_acc) = (Acc::default(), Acc::default());
    // Counters indexed by name number (slot 0: none), not hashed: a
    // million facts make ten million of these steps.
    let slots = names.len().max(4) + 1;
    let slot = |id: Option<u32>| id.map_or(0, |i| i as usize + 1);
    let mut states = vec![0u64; slots];
    let mut ages = [0u64; 5];
    let mut dims = vec![vec![(0u64, 0u64, 0u64); slots]; DIMENSIONS.len()];
    let mut categories = vec![0u64; slots];
    let mut causes = vec![0u64; slots];
    let mut agents: Vec<Option<PersonAcc>> = (0..slots).map(|_| None).collect();
    let mut teams: Vec<Option<PersonAcc>> = (0..slots).map(|_| None).collect();
    let series_start = period.days_before(period.end - 1, i64::from(spec.days) - 1);
    let days = spec.days as usize;
    let mut daily = vec![(0u64, 0u64, [0u64; 5]); days];
    let day_of = |t: i64| {
        let i = (t - series_start).div_euclid(Period::DAY);
        usize::try_from(i).ok().filter(|&i| i < days)
    };
    let mut repeats: Vec<(i64, u32, i64)> = Vec::new();
    for f in facts {
        now_acc.add(f, &period, &spec.goals, &accepted_by);
        before_acc.add(f, &previous, &spec.goals, &accepted_by);
        let open = f.standing == Standing::Open;
        if open {
            states[slot(Some(f.status))] += 1;
            let hours = (spec.now - f.created).max(0) / 3_600_000;
            ages[AGE_LIMITS_H.iter().take_while(|&&l| hours >= l).count()] += 1;
        }
        let created = period.contains(f.created);
        let solved = period.contains_opt(solved_at(f));
        if created || solved || open {
            let keys = [
                Some(f.channel),
                Some(f.kind),
                f.category,
                f.category,
                f.category,
                Some(u32::from(f.priority)),
                f.team,
                f.assignee,
                f.country,
                f.tier,
            ];
            for (dim, key) in dims.iter_mut().zip(keys) {
                let row = &mut dim[slot(key)];
                row.0 += u64::from(created);
                row.1 += u64::from(solved);
                row.2 += u64::from(open);
            }
            if created {
                categories[slot(f.category)] += 1;
            }
            if solved && let Some(c) = f.cause {
                causes[slot(Some(c))] += 1;
            }
            if let Some(a) = f.assignee {
                agents[slot(Some(a))]
                    .get_or_insert_with(PersonAcc::default)
                    .add(f, &period);
            }
            if let Some(t) = f.team {
                teams[slot(Some(t))]
                    .get_or_insert_with(PersonAcc::default)
                    .add(f, &period);
            }
        }
        if let Some(i) = day_of(f.created) {
            daily[i].0 += 1;
        }
        if let Some(i) = solved_at(f).and_then(day_of) {
            daily[i].1 += 1;
        }
        if let (Some(i), Some(r)) = (f.accepted.and_then(day_of), f.rating)
            && (1..=5).contains(&r)
        {
            daily[i].2[usize::from(r - 1)] += 1;
        }
        if let (Some(c), Some(cat)) = (f.customer, f.category) {
            repeats.push((c, cat, f.created));
        }
    }
    repeats.sort_unstable();
    count_repeats(&repeats, &period, &mut now_acc);
    count_repeats(&repeats, &previous, &mut before_acc);
    Metrics {
        period,
        previous,
        now: spec.now,
        goals: spec.goals,
        current: now_acc.finish(),
        before: before_acc.finish(),
        backlog_states: sorted_counts(used(states).map(|(s, n)| (name_or_none(s, names), n))),
        backlog_ages: AGE_BUCKETS
            .iter()
            .zip(ages)
            .map(|(k, count)| Count {
                key: (*k).into(),
                count,
            })
            .collect(),
        breakdowns: DIMENSIONS
            .iter()
            .zip(dims)
            .map(|(&dimension, rows)| {
                let rows = rows
                    .into_iter()
                    .enumerate()
                    .filter(|(_, r)| *r != (0, 0, 0))
                    .map(|(i, r)| (unslot(i), r));
                breakdown(dimension, rows, names)
            })
            .collect(),
        pareto_categories: pareto(used(categories).map(|(c, n)| (top_category(c, names), n))),
        pareto_causes: pareto(used(causes).map(|(c, n)| (name_or_none(c, names), n))),
        agents: people(agents, names),
        teams: people(teams, names),
        daily: daily
            .into_iter()
            .enumerate()
            .map(|(i, (created, solved, ratings))| DayRow {
                date: period.date(series_start + i as i64 * Period::DAY),
                created,
                solved,
                csat: average(&ratings),
            })
            .collect(),
        worst: worst(facts, names, spec),
        at_risk: at_risk(facts, names, spec),
    }
}

/// Repeats among tickets created in `period`: the same customer and
/// category as a ticket created in the 30 days before. `tickets` is sorted.
fn count_repeats(tickets: &[(i64, u32, i64)], period: &Period, acc: &mut Acc) {
    for (i, &(customer, category, created)) in tickets.iter().enumerate() {
        if !period.contains(created) {
            continue;
        }
        acc.repeat_base += 1;
        let repeat = i > 0 && {
            let (c, k, t) = tickets[i - 1];
            c == customer && k == category && created - t <= REPEAT_WINDOW_MS
        };
        acc.repeats += u64::from(repeat);
    }
}

/// The name number a counter slot stands for (slot 0: none).
fn unslot(i: usize) -> Option<u32> {
    i.checked_sub(1).map(|i| i as u32)
}

/// The counters that counted something, by name number.
fn used(counts: Vec<u64>) -> impl Iterator<Item = (Option<u32>, u64)> {
    counts
        .into_iter()
        .enumerate()
        .filter(|(_, n)| *n > 0)
        .map(|(i, n)| (unslot(i), n))
}

fn name_or_none(id: Option<u32>, names: &Names) -> String {
    id.map_or_else(|| "none".to_string(), |i| names.get(i).to_string())
}

/// The first level of a category path (`logistics` of `logistics/customs`).
fn top_category(category: Option<u32>, names: &Names) -> String {
    let path = name_or_none(category, names);
    path.split('/').next().unwrap_or(&path).to_string()
}

/// One dimension's rows by name (rows naming the same thing merged), most
/// created first.
fn breakdown(
    dimension: &'static str,
    rows: impl Iterator<Item = (Option<u32>, (u64, u64, u64))>,
    names: &Names,
) -> Breakdown {
    let mut merged: HashMap<String, BreakdownRow> = HashMap::new();
    for (key, (created, solved, open)) in rows {
        let key = match dimension {
            "priority" => key.map_or_else(|| "none".into(), |p| format!("P{p}")),
            "category_top" => top_category(key, names),
            "category_2" => {
                let path = name_or_none(key, names);
                path.splitn(3, '/').take(2).collect::<Vec<_>>().join("/")
            }
            _ => name_or_none(key, names),
        };
        let row = merged.entry(key.clone()).or_insert_with(|| BreakdownRow {
            key,
            created: 0,
            solved: 0,
            open: 0,
        });
        row.created += created;
        row.solved += solved;
        row.open += open;
    }
    let mut rows: Vec<BreakdownRow> = merged.into_values().collect();
    rows.sort_by(|a, b| (b.created, b.open, &a.key).cmp(&(a.created, a.open, &b.key)));
    Breakdown { dimension, rows }
}

fn sorted_counts(counts: impl Iterator<Item = (String, u64)>) -> Vec<Count> {
    let mut rows: Vec<Count> = counts.map(|(key, count)| Count { key, count }).collect();
    rows.sort_by(|a, b| (b.count, &a.key).cmp(&(a.count, &b.key)));
    rows
}

fn pareto(counts: impl Iterator<Item = (String, u64)>) -> Vec<ParetoRow> {
    let mut merged: HashMap<String, u64> = HashMap::new();
    for (key, n) in counts {
        *merged.entry(key).or_default() += n;
    }
    let rows = sorted_counts(merged.into_iter());
    let total: u64 = rows.iter().map(|r| r.count).sum();
    let mut running = 0;
    rows.into_iter()
        .map(|r| {
            running += r.count;
            ParetoRow {
                share: share(r.count, total).unwrap_or(0.0),
                cumulative: share(running, total).unwrap_or(0.0),
                key: r.key,
                count: r.count,
            }
        })
        .collect()
}

fn people(accs: Vec<Option<PersonAcc>>, names: &Names) -> Vec<PersonRow> {
    let mut rows: Vec<PersonRow> = accs
        .into_iter()
        .enumerate()
        .filter_map(|(i, acc)| Some(acc?.finish(name_or_none(unslot(i), names))))
        .collect();
    rows.sort_by(|a, b| (b.handled, b.open, &a.key).cmp(&(a.handled, a.open, &b.key)));
    rows
}

fn ticket_row(f: &Fact, names: &Names, now: i64) -> TicketRow {
    TicketRow {
        id: f.id,
        status: names.get(f.status).into(),
        assignee: f.assignee.map(|a| names.get(a).into()),
        created: f.created,
        due: f.due,
        breached: f.due.is_some_and(|d| d <= now),
    }
}

/// Open tickets, breached first, then the longest open.
fn worst(facts: &[Fact], names: &Names, spec: &Spec) -> Vec<TicketRow> {
    let mut open: Vec<&Fact> = facts
        .iter()
        .filter(|f| f.standing == Standing::Open)
        .collect();
    let breached = |f: &Fact| f.due.is_some_and(|d| d <= spec.now);
    open.sort_by_key(|f| (!breached(f), f.created, f.id));
    open.iter()
        .take(spec.list)
        .map(|f| ticket_row(f, names, spec.now))
        .collect()
}

/// Open tickets whose clock runs out next.
fn at_risk(facts: &[Fact], names: &Names, spec: &Spec) -> Vec<TicketRow> {
    let mut soon: Vec<&Fact> = facts
        .iter()
        .filter(|f| f.standing == Standing::Open && f.due.is_some_and(|d| d > spec.now))
        .collect();
    soon.sort_by_key(|f| (f.due, f.id));
    soon.iter()
        .take(spec.list)
        .map(|f| ticket_row(f, names, spec.now))
        .collect()
}
