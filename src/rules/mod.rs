//! Routing rules — pure: which team, agent, priority, tags and SLA policy a
//! new ticket gets. Rules are data (TOML), evaluated in order; each that
//! matches applies its actions, and `stop` ends the walk. Within a team an
//! agent is picked round-robin or least-loaded among those who are active,
//! on shift and speak the customer's language (when both are known).

pub mod automation;
pub mod canned;
mod parse;
#[cfg(test)]
mod tests;

pub use parse::RuleError;

use crate::domain::{Channel, Priority, Tier};

/// A whole rule file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    /// Every condition must hold.
    pub when: Vec<Condition>,
    pub then: Actions,
}

/// One test on a ticket.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Type(Vec<String>),
    /// Category path prefixes (`logistics` matches `logistics/customs`).
    Category(Vec<String>),
    Channel(Vec<Channel>),
    /// Priorities (a range `P0..P1` is listed out).
    Priority(Vec<Priority>),
    Tier(Vec<Tier>),
    /// Customer country codes (`CN`), or region names listed out.
    Country(Vec<String>),
    /// Customer language codes (`zh`, `en`).
    Language(Vec<String>),
    /// Any of these tags.
    Tag(Vec<String>),
    /// Any of these words in the title or description (case-insensitive).
    Words(Vec<String>),
}

/// How to pick an agent within the team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assign {
    RoundRobin,
    LeastLoaded,
    Agent(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Actions {
    pub team: Option<String>,
    pub assign: Option<Assign>,
    pub priority: Option<Priority>,
    pub tags: Vec<String>,
    pub sla: Option<String>,
    pub stop: bool,
}

/// What a rule reads of a ticket.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub kind: String,
    pub category: Option<String>,
    pub channel: Option<Channel>,
    pub priority: Option<Priority>,
    pub tier: Option<Tier>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub tags: Vec<String>,
    /// Title and description.
    pub text: String,
    /// The team the ticket already has, if any.
    pub team: Option<String>,
}

/// An agent who could take tickets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    pub login: String,
    pub team: Option<String>,
    pub active: bool,
    pub on_shift: bool,
    /// Languages spoken; empty: not recorded (counts as any).
    pub languages: Vec<String>,
    /// Open tickets assigned now.
    pub load: i64,
    /// Order of the last ticket routed to them (lower: longer ago; 0: never).
    pub last_routed: i64,
}

/// Whether a condition held, and the value it looked at.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub condition: Condition,
    pub held: bool,
    pub value: String,
}

/// One rule as evaluated: matched or not, with each check.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleTrace {
    pub name: String,
    pub matched: bool,
    pub checks: Vec<Check>,
    /// Skipped because an earlier rule stopped the walk.
    pub skipped: bool,
}

/// The routing decided for a ticket.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    pub team: Option<String>,
    pub assignee: Option<String>,
    pub priority: Option<Priority>,
    pub tags: Vec<String>,
    pub sla: Option<String>,
    /// Each rule, in order.
    pub trace: Vec<RuleTrace>,
    /// The rules that applied, in order.
    pub applied: Vec<String>,
    /// How the agent was picked, if a rule said.
    pub strategy: Option<Assign>,
}

impl Condition {
    fn check(&self, f: &Facts) -> Check {
        let (held, value) = match self {
            Condition::Type(list) => (list.contains(&f.kind), f.kind.clone()),
            Condition::Category(prefixes) => {
                let c = f.category.clone().unwrap_or_default();
                let held = prefixes
                    .iter()
                    .any(|p| c == *p || c.starts_with(&format!("{p}/")));
                (held, c)
            }
            Condition::Channel(list) => (
                f.channel.is_some_and(|c| list.contains(&c)),
                f.channel
                    .map(|c| c.as_str().to_string())
                    .unwrap_or_default(),
            ),
            Condition::Priority(list) => (
                f.priority.is_some_and(|p| list.contains(&p)),
                f.priority
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default(),
            ),
            Condition::Tier(list) => (
                f.tier.is_some_and(|t| list.contains(&t)),
                f.tier.map(|t| t.as_str().to_string()).unwrap_or_default(),
            ),
            Condition::Country(list) => {
                let c = f.country.clone().unwrap_or_default();
                (list.iter().any(|x| x.eq_ignore_ascii_case(&c)), c)
            }
            Condition::Language(list) => {
                let l = f.language.clone().unwrap_or_default();
                let base = l.split(['-', '_']).next().unwrap_or("").to_lowercase();
                (list.iter().any(|x| x.eq_ignore_ascii_case(&base)), l)
            }
            Condition::Tag(list) => (
                list.iter()
                    .any(|t| f.tags.iter().any(|x| x.eq_ignore_ascii_case(t))),
                f.tags.join(", "),
            ),
            Condition::Words(words) => {
                let text = f.text.to_lowercase();
                let hit = words.iter().find(|w| text.contains(&w.to_lowercase()));
                (hit.is_some(), hit.cloned().unwrap_or_default())
            }
        };
        Check {
            condition: self.clone(),
            held,
            value,
        }
    }
}

impl RuleSet {
    /// Walks the rules for a ticket and picks an agent where asked.
    pub fn route(&self, facts: &Facts, roster: &[Agent]) -> Outcome {
        let mut out = Outcome {
            team: facts.team.clone(),
            priority: facts.priority,
            ..Outcome::default()
        };
        let mut stopped = false;
        let mut assign: Option<Assign> = None;
        for rule in &self.rules {
            if stopped {
                out.trace.push(RuleTrace {
                    name: rule.name.clone(),
                    matched: false,
                    checks: Vec::new(),
                    skipped: true,
                });
                continue;
            }
            // Later conditions see the priority earlier rules set.
            let now = Facts {
                priority: out.priority,
                ..facts.clone()
            };
            let checks: Vec<Check> = rule.when.iter().map(|c| c.check(&now)).collect();
            let matched = checks.iter().all(|c| c.held);
            out.trace.push(RuleTrace {
                name: rule.name.clone(),
                matched,
                checks,
                skipped: false,
            });
            if !matched {
                continue;
            }
            let a = &rule.then;
            if a.team.is_some() {
                out.team = a.team.clone();
            }
            if a.assign.is_some() {
                assign = a.assign.clone();
            }
            if a.priority.is_some() {
                out.priority = a.priority;
            }
            for t in &a.tags {
                if !out.tags.contains(t) {
                    out.tags.push(t.clone());
                }
            }
            if a.sla.is_some() {
                out.sla = a.sla.clone();
            }
            out.applied.push(rule.name.clone());
            stopped = a.stop;
        }
        out.strategy = assign.clone();
        out.assignee = match assign {
            Some(Assign::Agent(login)) => Some(login),
            Some(how) => pick(&how, out.team.as_deref(), facts.language.as_deref(), roster),
            None => None,
        };
        out
    }
}

/// The agent a strategy picks in `team`, among those who can take the ticket.
pub fn pick(
    how: &Assign,
    team: Option<&str>,
    language: Option<&str>,
    roster: &[Agent],
) -> Option<String> {
    let speaks = |a: &Agent| match language {
        Some(l) if !a.languages.is_empty() => {
            let base = l.split(['-', '_']).next().unwrap_or(l);
            a.languages.iter().any(|x| x.eq_ignore_ascii_case(base))
        }
        _ => true,
    };
    let mut able: Vec<&Agent> = roster
        .iter()
        .filter(|a| a.active && a.on_shift && a.team.as_deref() == team)
        .collect();
    // The customer's language when someone speaks it; anyone otherwise.
    if able.iter().any(|a| speaks(a)) {
        able.retain(|a| speaks(a));
    }
    let best = match how {
        Assign::LeastLoaded => able.into_iter().min_by(|a, b| {
            a.load
                .cmp(&b.load)
                .then(a.last_routed.cmp(&b.last_routed))
                .then(a.login.cmp(&b.login))
        }),
        Assign::RoundRobin => able.into_iter().min_by(|a, b| {
            a.last_routed
                .cmp(&b.last_routed)
                .then(a.login.cmp(&b.login))
        }),
        Assign::Agent(login) => return Some(login.clone()),
    };
    best.map(|a| a.login.clone())
}
