//! The demo desk: agents, customers across time zones, and tickets in every
//! state, built from `assets/demo/demo.toml` through the same operations a
//! person uses, so every ticket has a valid history.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use crate::domain::{Category, Channel, NewCustomer, NewTicket, Priority, Role, Tier, User};
use crate::error::{Error, Result};
use crate::store::Writer;

use super::{Desk, MoveOptions, ops};

const DEMO: &str = include_str!("../../assets/demo/demo.toml");

#[derive(Deserialize)]
struct DemoData {
    #[serde(rename = "agent")]
    agents: Vec<DemoAgent>,
    #[serde(rename = "customer")]
    customers: Vec<DemoCustomer>,
    #[serde(rename = "ticket")]
    tickets: Vec<DemoTicket>,
    notes_en: Vec<String>,
    notes_zh: Vec<String>,
}

#[derive(Deserialize)]
struct DemoAgent {
    login: String,
    name: String,
    team: String,
    role: String,
}

#[derive(Deserialize)]
struct DemoCustomer {
    name: String,
    email: String,
    phone: Option<String>,
    tier: String,
    country: String,
    timezone: String,
    language: String,
}

#[derive(Deserialize)]
struct DemoTicket {
    lang: String,
    title: String,
    body: String,
    #[serde(rename = "type")]
    kind: String,
    category: String,
    priority: String,
    channel: String,
    tags: Vec<String>,
    answer: String,
    resolution: String,
}

/// What `tdesk demo` created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub tickets: usize,
    pub agents: usize,
    pub customers: usize,
}

/// SplitMix64: a tiny deterministic generator, so the demo is the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    /// Picks an index by weight.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut roll = self.below(total.max(1) as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        0
    }
}

/// How far through the default workflow a demo ticket gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    New,
    InProgress,
    Waiting,
    Resolved,
    Pending,
    Closed,
    Archived,
}

const STAGES: [Stage; 7] = [
    Stage::New,
    Stage::InProgress,
    Stage::Waiting,
    Stage::Resolved,
    Stage::Pending,
    Stage::Closed,
    Stage::Archived,
];

/// Older tickets are further along.
fn stage_for_age(rng: &mut Rng, age: Duration) -> Stage {
    let weights: [u32; 7] = if age < Duration::days(1) {
        [40, 35, 15, 10, 0, 0, 0]
    } else if age < Duration::days(5) {
        [5, 30, 20, 15, 15, 15, 0]
    } else {
        [0, 5, 5, 5, 10, 45, 30]
    };
    STAGES[rng.weighted(&weights)]
}

fn parse_demo() -> Result<DemoData> {
    toml::from_str(DEMO).map_err(|e| Error::Config {
        file: "assets/demo/demo.toml".into(),
        message: e.message().to_string(),
    })
}

impl Desk {
    /// Adds demo agents, customers and `count` tickets (admin only).
    /// The same `seed` gives the same desk.
    pub fn load_demo(&mut self, count: usize, seed: u64) -> Result<DemoSummary> {
        self.require("action.demo", Role::Admin)?;
        let data = parse_demo()?;
        let now = self.clock.now();
        let workflow = &self.workflow;
        self.store.write(|w| {
            let agents = ensure_agents(w, &data, now)?;
            let (zh, other) = ensure_customers(w, &data, now)?;
            let mut rng = Rng(seed);
            // Creation times over the last 30 days, more of them recent (a live
            // queue), oldest first so numbers rise with time.
            let span = 30 * 24 * 60;
            let mut ages: Vec<i64> = (0..count)
                .map(|_| {
                    let u = rng.below(10_000) as i64;
                    u * u / 10_000 * span / 10_000
                })
                .collect();
            ages.sort_unstable_by(|a, b| b.cmp(a));
            for age in ages {
                let created = now - Duration::minutes(age);
                let Some(tpl) = rng.pick(&data.tickets) else {
                    break;
                };
                let pool = if tpl.lang == "zh" { &zh } else { &other };
                let Some(&(customer_id, ref country, tier)) = rng.pick(pool) else {
                    break;
                };
                let team = if tpl.lang == "zh" {
                    "cn"
                } else if ["US", "CA", "BR"].contains(&country.as_str()) {
                    "na"
                } else {
                    "eu"
                };
                let team_agents: Vec<&User> = agents
                    .iter()
                    .filter(|a| a.team.as_deref() == Some(team))
                    .collect();
                let Some(agent) = rng.pick(&team_agents).copied() else {
                    break;
                };
                let mut priority = Priority::parse(&tpl.priority).unwrap_or(Priority::P2);
                if tier == Tier::Vip {
                    priority = priority.raised();
                }
                let new = NewTicket {
                    title: tpl.title.clone(),
                    description: tpl.body.clone(),
                    priority: Some(priority),
                    kind: Some(tpl.kind.clone()),
                    category: Category::parse(&tpl.category).ok(),
                    channel: Channel::parse(&tpl.channel).ok(),
                    customer_id: Some(customer_id),
                    team: Some(team.to_string()),
                    tags: tpl.tags.clone(),
                    ..NewTicket::default()
                };
                let mut clock = created;
                let ctx = ops::Ctx {
                    workflow,
                    actor: agent,
                    now: clock,
                };
                let id = ops::create(w, &ctx, new)?;
                let stage = stage_for_age(&mut rng, now - created);
                let notes = if tpl.lang == "zh" {
                    &data.notes_zh
                } else {
                    &data.notes_en
                };
                let note = rng.pick(notes).cloned();
                let rating = 3 + rng.below(3) as u8;
                let mut step = |rng: &mut Rng| {
                    clock = (clock + Duration::minutes(10 + rng.below(6 * 60) as i64)).min(now);
                    ops::Ctx {
                        workflow,
                        actor: agent,
                        now: clock,
                    }
                };
                walk(
                    w,
                    &mut rng,
                    &mut step,
                    id,
                    stage,
                    tpl,
                    note.as_deref(),
                    rating,
                )?;
            }
            Ok(DemoSummary {
                tickets: count,
                agents: agents.len(),
                customers: zh.len() + other.len(),
            })
        })
    }
}

/// Takes a new ticket through the workflow up to `stage`. A step the desk's
/// workflow refuses ends the walk early (custom workflows differ).
#[allow(clippy::too_many_arguments)]
fn walk<'a>(
    w: &mut Writer<'_>,
    rng: &mut Rng,
    step: &mut dyn FnMut(&mut Rng) -> ops::Ctx<'a>,
    id: i64,
    stage: Stage,
    tpl: &DemoTicket,
    note: Option<&str>,
    rating: u8,
) -> Result<()> {
    if stage == Stage::New {
        return Ok(());
    }
    let ctx = step(rng);
    let agent = ctx.actor.login.clone();
    ops::assign(w, &ctx, id, Some(&agent), None)?;
    if let Some(n) = note.filter(|_| rng.below(2) == 0) {
        ops::comment(w, &step(rng), id, n, true)?;
    }
    if stage >= Stage::Waiting || rng.below(2) == 0 {
        ops::comment(w, &step(rng), id, &tpl.answer, false)?;
    }
    let moves: &[(Stage, &str, Option<&str>)] = &[
        (Stage::Waiting, "waiting_customer", None),
        (Stage::Resolved, "resolved", Some(tpl.resolution.as_str())),
        (Stage::Pending, "pending_acceptance", None),
        (Stage::Closed, "closed", None),
        (Stage::Archived, "archived", None),
    ];
    for (needed, to, note) in moves {
        if stage < *needed {
            break;
        }
        if *needed == Stage::Waiting && stage > Stage::Waiting {
            continue; // resolved straight from in progress
        }
        let ctx = step(rng);
        if *needed == Stage::Closed {
            ops::accept(w, &ctx, id, Some(rating), None)?;
        }
        let opts = MoveOptions {
            note: note.map(String::from),
            ..MoveOptions::default()
        };
        match ops::transition(w, &ctx, id, to, &opts) {
            Ok(_) => {}
            Err(Error::Refused(_) | Error::NotAwaitingAcceptance(_)) => break,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn ensure_agents(w: &mut Writer<'_>, data: &DemoData, now: DateTime<Utc>) -> Result<Vec<User>> {
    let mut out = Vec::new();
    for a in &data.agents {
        let user = match w.reader().user(&a.login)? {
            Some(u) => u,
            None => {
                let u = User {
                    login: a.login.clone(),
                    display_name: a.name.clone(),
                    role: Role::parse(&a.role).unwrap_or(Role::Agent),
                    team: Some(a.team.clone()),
                    active: true,
                };
                w.insert_user(&u, now)?;
                u
            }
        };
        out.push(user);
    }
    Ok(out)
}

type CustomerPick = (i64, String, Tier);

/// Returns (Chinese-speaking, everyone else) customers.
fn ensure_customers(
    w: &mut Writer<'_>,
    data: &DemoData,
    now: DateTime<Utc>,
) -> Result<(Vec<CustomerPick>, Vec<CustomerPick>)> {
    let (mut zh, mut other) = (Vec::new(), Vec::new());
    for c in &data.customers {
        let tier = Tier::parse(&c.tier).unwrap_or_default();
        let id = match w.reader().customer_by_email(&c.email)? {
            Some(existing) => existing.id,
            None => w.insert_customer(
                &NewCustomer {
                    name: c.name.clone(),
                    email: Some(c.email.clone()),
                    phone: c.phone.clone(),
                    tier,
                    country: Some(c.country.clone()),
                    timezone: Some(c.timezone.clone()),
                    language: Some(c.language.clone()),
                },
                now,
            )?,
        };
        let pick = (id, c.country.clone(), tier);
        if c.language.starts_with("zh") {
            zh.push(pick);
        } else {
            other.push(pick);
        }
    }
    Ok((zh, other))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_parses_and_has_both_languages() {
        let d = parse_demo().expect("demo.toml parses");
        assert!(d.tickets.iter().any(|t| t.lang == "zh"));
        assert!(d.tickets.iter().any(|t| t.lang == "en"));
        assert!(d.agents.len() >= 6);
        for t in &d.tickets {
            assert!(Priority::parse(&t.priority).is_ok(), "{}", t.title);
            assert!(Channel::parse(&t.channel).is_ok(), "{}", t.title);
            assert!(Category::parse(&t.category).is_ok(), "{}", t.title);
        }
    }

    #[test]
    fn rng_is_deterministic_and_bounded() {
        let mut a = Rng(7);
        let mut b = Rng(7);
        for _ in 0..100 {
            let x = a.below(10);
            assert_eq!(x, b.below(10));
            assert!(x < 10);
        }
        assert_eq!(Rng(1).below(0), 0);
    }
}
