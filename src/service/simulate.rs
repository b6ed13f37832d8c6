//! `rules simulate`: a rule file replayed over the desk's history or over
//! synthetic tickets, with loads and round-robin turns kept as if each
//! routing had happened — and nothing written.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::domain::{Channel, Priority, Query, Tier};
use crate::error::Result;
use crate::rules::{Facts, RuleSet};

use super::Desk;
use super::demo::rng::Rng;

/// Where a simulation sent the tickets.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Simulation {
    pub tickets: usize,
    /// Team → tickets.
    pub teams: BTreeMap<String, usize>,
    /// Team → agent → tickets.
    pub agents: BTreeMap<String, BTreeMap<String, usize>>,
    /// Tickets no rule gave a team.
    pub unrouted: usize,
    /// Tickets with a team but nobody to take them.
    pub unassigned: usize,
    /// Per team: the busiest agent's share over the average (1.0: even).
    pub imbalance: BTreeMap<String, f64>,
}

const TITLES: [&str; 10] = [
    "Parcel stuck in customs for two weeks",
    "包裹在海关滞留两周",
    "Refund request: item not as described",
    "申请退款:商品与描述不符",
    "Wrong size: EU 38 runs small",
    "登录时提示验证码错误",
    "Where is my order?",
    "物流显示已签收但没有收到",
    "Charged twice for one order",
    "Tracking number does not work",
];
const LANGUAGES: [Option<&str>; 6] = [
    None,
    Some("zh"),
    Some("en"),
    Some("de"),
    Some("fr"),
    Some("es"),
];
const CATEGORIES: [&str; 5] = [
    "logistics/delay",
    "refund/full",
    "product/size",
    "account/login",
    "payment/double",
];
const COUNTRIES: [&str; 7] = ["CN", "DE", "FR", "US", "BR", "TW", "ES"];

/// Most made-up tickets one simulation routes (they are held in memory).
pub const MAX_SYNTHETIC: usize = 1_000_000;

impl Desk {
    /// Routes the desk's tickets created since `from` (all without it), or
    /// `synthetic` made-up ones, through `rules`; writes nothing.
    pub fn simulate(
        &self,
        rules: &RuleSet,
        from: Option<DateTime<Utc>>,
        synthetic: Option<usize>,
    ) -> Result<Simulation> {
        self.me()?;
        let facts: Vec<Facts> = match synthetic {
            Some(n) if n > MAX_SYNTHETIC => {
                return Err(crate::domain::InvalidValue::new(
                    "synthetic",
                    &n.to_string(),
                    "at most 1000000 made-up tickets",
                )
                .into());
            }
            Some(n) => synthetic_facts(n),
            None => {
                let reader = self.store.reader();
                let mut query = Query::default();
                if let Some(from) = from {
                    query = self.parse_query(&format!("created:>={}", from.format("%Y-%m-%d")))?;
                }
                // Only the member's tickets: counts of the others would tell
                // what hidden tickets say (a rule's words are a search).
                let query = self.scoped(query)?;
                let mut out = Vec::new();
                for id in reader.ids(&query)? {
                    if let Some(t) = reader.ticket(id)? {
                        out.push(super::routing::facts(&reader, &t)?);
                    }
                }
                out
            }
        };
        let mut roster = super::routing::roster(&self.store.reader(), self.clock.now())?;
        for a in &mut roster {
            a.load = 0;
            a.last_routed = 0;
        }
        let mut sim = Simulation::default();
        for (turn, f) in facts.iter().enumerate() {
            let out = rules.route(f, &roster);
            sim.tickets += 1;
            let Some(team) = out.team else {
                sim.unrouted += 1;
                continue;
            };
            *sim.teams.entry(team.clone()).or_default() += 1;
            match out.assignee {
                Some(login) => {
                    *sim.agents
                        .entry(team)
                        .or_default()
                        .entry(login.clone())
                        .or_default() += 1;
                    if let Some(a) = roster.iter_mut().find(|a| a.login == login) {
                        a.load += 1;
                        a.last_routed = i64::try_from(turn).unwrap_or(i64::MAX) + 1;
                    }
                }
                None => sim.unassigned += 1,
            }
        }
        for (team, _) in sim.teams.iter() {
            let counts: Vec<usize> = sim
                .agents
                .get(team)
                .map(|m| m.values().copied().collect())
                .unwrap_or_default();
            if counts.is_empty() {
                continue;
            }
            let mean = counts.iter().sum::<usize>() as f64 / counts.len() as f64;
            let max = counts.iter().copied().max().unwrap_or(0) as f64;
            sim.imbalance
                .insert(team.clone(), if mean > 0.0 { max / mean } else { 1.0 });
        }
        Ok(sim)
    }
}

fn synthetic_facts(n: usize) -> Vec<Facts> {
    let mut rng = Rng(0x05EE_D0F7_DE5C);
    (0..n)
        .map(|_| {
            let mut pick = |len: usize| rng.below(len);
            Facts {
                kind: ["technical", "after-sales", "inquiry"][pick(3)].to_string(),
                category: Some(CATEGORIES[pick(CATEGORIES.len())].to_string()),
                channel: Some(Channel::ALL[pick(Channel::ALL.len())]),
                priority: Some(Priority::ALL[pick(4)]),
                tier: Some([Tier::Vip, Tier::Important, Tier::Normal, Tier::Normal][pick(4)]),
                country: Some(COUNTRIES[pick(COUNTRIES.len())].to_string()),
                language: LANGUAGES[pick(LANGUAGES.len())].map(String::from),
                tags: Vec::new(),
                text: TITLES[pick(TITLES.len())].to_string(),
                team: None,
            }
        })
        .collect()
}
