//! The demo desk: agents, customers across time zones, and tickets in every
//! state, built from `assets/demo/demo.toml`. Each ticket's life is planned
//! step by step through the workflow engine ([`plan`]) and stored with the
//! bulk loader, so a million tickets load in seconds with valid histories.

mod data;
mod kb;
pub use kb::DEMO_ARTICLES;
mod plan;
pub(super) mod rng;
mod work;

use chrono::{DateTime, Duration, Utc};

use crate::domain::{NewCustomer, Role, Tier, User};
use crate::error::Result;
use crate::store::Writer;

use super::Desk;
use data::DemoData;
use plan::{Cast, plan, stage_for_age};
use rng::Rng;

/// Agents a big demo desk has (the seed article's team of 50).
const BIG_DESK_AGENTS: usize = 50;
/// Tickets handed from the planning thread to the loader at a time.
const BATCH: usize = 512;
/// One synthetic customer per this many tickets beyond the named ones.
const TICKETS_PER_CUSTOMER: usize = 20;

/// What `tdesk demo` created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub tickets: usize,
    pub agents: usize,
    pub customers: usize,
    /// Knowledge-base articles (each language counted).
    pub articles: usize,
}

/// A customer tickets can be drawn for.
#[derive(Debug, Clone)]
struct Pick {
    id: i64,
    name: String,
    tier: Tier,
    /// 0 cn, 1 eu, 2 na
    team: usize,
}

const TEAMS: [&str; 3] = ["cn", "eu", "na"];
/// Demo desks up to this size get their SLA deadlines computed at once.
const DEMO_SLA_LIMIT: usize = 20_000;

impl Desk {
    /// Adds demo agents, customers and `count` tickets (admin only).
    /// The same `seed` gives the same desk.
    pub fn load_demo(&mut self, count: usize, seed: u64) -> Result<DemoSummary> {
        self.require("action.demo", Role::Admin)?;
        let data = data::parse()?;
        let now = self.clock.now();
        let mut rng = Rng(seed);
        let (agents, zh, other) = self.store.write(|w| {
            let agents = ensure_agents(w, &data, count, now)?;
            let (zh, other) = ensure_customers(w, &data, count, &mut rng, now)?;
            Ok((agents, zh, other))
        })?;
        let by_team: Vec<Vec<String>> = TEAMS
            .iter()
            .map(|t| {
                agents
                    .iter()
                    .filter(|a| a.team.as_deref() == Some(*t))
                    .map(|a| a.login.clone())
                    .collect()
            })
            .collect();
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
        let workflow = self.workflow.clone();
        let policy = self.sla.clone();
        let tickets = ages.into_iter().filter_map(|age| {
            let created = now - Duration::minutes(age);
            let tpl = rng.pick(&data.tickets)?;
            let zh_ticket = tpl.lang == "zh";
            let customer = rng.pick(if zh_ticket { &zh } else { &other })?;
            let team = by_team
                .get(customer.team)
                .filter(|a| !a.is_empty())
                .or(by_team.first())?;
            let agent = rng.pick(team)?;
            let (extras, notes) = if zh_ticket {
                (&data.extras_zh, &data.notes_zh)
            } else {
                (&data.extras_en, &data.notes_en)
            };
            let mut description = tpl.body.clone();
            for _ in 0..1 + rng.below(2) {
                if let Some(extra) = rng.pick(extras) {
                    description.push(if zh_ticket { '\n' } else { ' ' });
                    description.push_str(extra);
                }
            }
            let stage = stage_for_age(&mut rng, now - created);
            let note = rng.pick(notes).map(String::as_str);
            let cast = Cast {
                template: tpl,
                description,
                customer: (customer.id, customer.tier),
                customer_name: &customer.name,
                agent,
                team: TEAMS[customer.team],
                note,
            };
            Some(plan(
                &workflow, &policy, &mut rng, now, created, stage, cast,
            ))
        });
        // Plan on one core while SQLite writes on the other.
        let store = &mut self.store;
        let loaded = std::thread::scope(|scope| {
            // Batches keep the two threads from waking each other per ticket.
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<_>>(16);
            scope.spawn(move || {
                let mut batch = Vec::with_capacity(BATCH);
                for t in tickets {
                    batch.push(t);
                    if batch.len() == BATCH
                        && sender
                            .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                            .is_err()
                    {
                        return;
                    }
                }
                let _ = sender.send(batch);
            });
            store.bulk_load(receiver.into_iter().flatten())
        })?;
        // SLA deadlines of the open tickets, for desks small enough to do it
        // now (a million-ticket load would spend longer on this than on the
        // load; its deadlines follow at each ticket's next change).
        if loaded <= DEMO_SLA_LIMIT {
            self.recompute_deadlines()?;
            // Escalations and automations the history calls for happen now,
            // so the desk opens settled rather than reshuffling under the
            // first sweep.
            self.sweep()?;
        }
        self.load_demo_work(&data, &agents, &mut rng, now)?;
        let articles = self.load_demo_articles()?;
        Ok(DemoSummary {
            tickets: loaded,
            agents: agents.len(),
            customers: zh.len() + other.len(),
            articles,
        })
    }

    /// The demo knowledge base, each article linked to a few solved
    /// tickets of its category (as if written from them).
    fn load_demo_articles(&mut self) -> Result<usize> {
        let mut files = Vec::new();
        for (name, text) in DEMO_ARTICLES {
            let mut text = text.to_string();
            let category = crate::interchange::kb::parse_article(&text)
                .ok()
                .and_then(|d| d.category);
            if let Some(c) = category {
                let from = self.store.reader().solved_in_category(&c, 3)?;
                if !from.is_empty() {
                    let list: Vec<String> = from.iter().map(i64::to_string).collect();
                    let line = format!("tickets = [{}]\n+++\n", list.join(", "));
                    text = text.replacen("\n+++\n", &format!("\n{line}"), 1);
                }
            }
            files.push((name.to_string(), text));
        }
        let report = self.kb_import(&files)?;
        Ok(report.added + report.updated + report.unchanged)
    }
}

fn ensure_agents(
    w: &mut Writer<'_>,
    data: &DemoData,
    count: usize,
    now: DateTime<Utc>,
) -> Result<Vec<User>> {
    let mut wanted: Vec<User> = data
        .agents
        .iter()
        .map(|a| User {
            login: a.login.clone(),
            display_name: a.name.clone(),
            role: Role::parse(&a.role).unwrap_or(Role::Agent),
            team: Some(a.team.clone()),
            active: true,
            level: crate::domain::Level::parse(a.level.as_deref().unwrap_or("regular"))
                .unwrap_or_default(),
        })
        .collect();
    if count >= 1000 {
        // A big desk gets a realistic team: synthetic agents up to 50.
        let mut i = 0;
        while wanted.len() < BIG_DESK_AGENTS {
            let team = TEAMS[i % TEAMS.len()];
            let (login, name) = if team == "cn" {
                let f = &data.family_names_zh[i % data.family_names_zh.len()];
                let g = &data.given_names_zh[(i / 3) % data.given_names_zh.len()];
                (
                    format!("agent{:02}.{team}", wanted.len() + 1),
                    format!("{f}{g}"),
                )
            } else {
                let f = &data.first_names_en[i % data.first_names_en.len()];
                let l = &data.last_names_en[(i / 3) % data.last_names_en.len()];
                (
                    format!("agent{:02}.{team}", wanted.len() + 1),
                    format!("{f} {l}"),
                )
            };
            wanted.push(User {
                login,
                display_name: name,
                role: Role::Agent,
                team: Some(team.into()),
                active: true,
                level: crate::domain::Level::default(),
            });
            i += 1;
        }
    }
    let mut out = Vec::new();
    for u in wanted {
        match w.reader().user(&u.login)? {
            Some(existing) => out.push(existing),
            None => {
                w.insert_user(&u, now)?;
                out.push(u);
            }
        }
    }
    Ok(out)
}

/// Returns (Chinese-speaking, everyone else) customers: the named ones, plus
/// one synthetic customer per [`TICKETS_PER_CUSTOMER`] tickets.
fn ensure_customers(
    w: &mut Writer<'_>,
    data: &DemoData,
    count: usize,
    rng: &mut Rng,
    now: DateTime<Utc>,
) -> Result<(Vec<Pick>, Vec<Pick>)> {
    let mut wanted: Vec<NewCustomer> = data
        .customers
        .iter()
        .map(|c| NewCustomer {
            name: c.name.clone(),
            email: Some(c.email.clone()),
            phone: c.phone.clone(),
            tier: Tier::parse(&c.tier).unwrap_or_default(),
            country: Some(c.country.clone()),
            timezone: Some(c.timezone.clone()),
            language: Some(c.language.clone()),
        })
        .collect();
    for i in 0..count / TICKETS_PER_CUSTOMER {
        let zh = rng.below(2) == 0;
        let (name, place) = if zh {
            let f = rng.pick(&data.family_names_zh).cloned().unwrap_or_default();
            let g = rng.pick(&data.given_names_zh).cloned().unwrap_or_default();
            (format!("{f}{g}"), rng.pick(&data.countries_zh).cloned())
        } else {
            let f = rng.pick(&data.first_names_en).cloned().unwrap_or_default();
            let l = rng.pick(&data.last_names_en).cloned().unwrap_or_default();
            (format!("{f} {l}"), rng.pick(&data.countries).cloned())
        };
        let [country, timezone, language] = place.unwrap_or_default();
        let tier = match rng.below(20) {
            0 => Tier::Vip,
            1..=3 => Tier::Important,
            _ => Tier::Normal,
        };
        wanted.push(NewCustomer {
            name,
            email: Some(format!("buyer{i:07}@example.{}", country.to_lowercase())),
            phone: None,
            tier,
            country: Some(country),
            timezone: Some(timezone),
            language: Some(language),
        });
    }
    let (mut zh, mut other) = (Vec::new(), Vec::new());
    for c in wanted {
        let email = c.email.clone().unwrap_or_default();
        let id = match w.reader().customer_by_email(&email)? {
            Some(existing) => existing.id,
            None => w.insert_customer(&c, now)?,
        };
        let language = c.language.as_deref().unwrap_or("");
        let country = c.country.as_deref().unwrap_or("");
        let team = if language.starts_with("zh") {
            0
        } else if ["US", "CA", "BR"].contains(&country) {
            2
        } else {
            1
        };
        let pick = Pick {
            id,
            name: c.name.clone(),
            tier: c.tier,
            team,
        };
        if team == 0 {
            zh.push(pick);
        } else {
            other.push(pick);
        }
    }
    Ok((zh, other))
}
