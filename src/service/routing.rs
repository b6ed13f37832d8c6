//! Routing new tickets by the desk's rules: the facts of the ticket and its
//! customer, the roster of agents who could take it, the rules' outcome
//! applied through the same operations a person uses (recorded as
//! `automation:<rule>`), and `rules explain` for any ticket.

use chrono::{DateTime, Utc};

use crate::domain::{Role, Ticket, TicketChanges};
use crate::error::{Error, Result};
use crate::rules::{Agent, Facts, Outcome, RuleSet};
use crate::store::{Reader, Writer};

use super::{Desk, ops};

/// Settings key holding a desk's routing rules.
const RULES_SETTING: &str = "rules";

pub(super) fn load_rules(r: &Reader<'_>) -> Result<RuleSet> {
    match r.setting(RULES_SETTING)? {
        Some(source) => RuleSet::parse(&source).map_err(|errors| Error::Rules {
            file: RULES_SETTING.into(),
            errors,
        }),
        None => Ok(RuleSet::default()),
    }
}

/// What the rules read of a ticket and its customer.
pub(super) fn facts(r: &Reader<'_>, t: &Ticket) -> Result<Facts> {
    let customer = match t.customer_id {
        Some(id) => r.customer(id)?,
        None => None,
    };
    Ok(Facts {
        kind: t.kind.clone(),
        category: t.category.as_ref().map(|c| c.as_str().to_string()),
        channel: Some(t.channel),
        priority: Some(t.priority),
        tier: customer.as_ref().map(|c| c.tier),
        country: customer.as_ref().and_then(|c| c.country.clone()),
        language: customer.as_ref().and_then(|c| c.language.clone()),
        tags: t.tags.clone(),
        text: format!("{}\n{}", t.title, t.description),
        team: t.team.clone(),
    })
}

/// Every agent who could be picked: active members who take tickets, and
/// when a rule last routed to them. Loads are filled in by
/// [`route_with_loads`] for the one team that needs them.
pub(super) fn roster(r: &Reader<'_>, now: DateTime<Utc>) -> Result<Vec<Agent>> {
    let mut out = Vec::new();
    for u in r.users()? {
        if u.role != Role::Agent {
            continue;
        }
        let (languages, timezone, shift) = r.agent_profile(&u.login)?;
        // No hours recorded: always available.
        let on_shift = match (timezone.as_deref(), shift.as_deref()) {
            (Some(tz), Some(shift)) => {
                crate::sla::shift_calendar(tz, shift).is_none_or(|c| c.is_open(now))
            }
            _ => true,
        };
        out.push(Agent {
            load: 0,
            last_routed: r.last_routed(&u.login)?,
            on_shift,
            languages: languages
                .split(',')
                .map(|l| l.trim().to_lowercase())
                .filter(|l| !l.is_empty())
                .collect(),
            active: u.active,
            team: u.team.clone(),
            login: u.login,
        });
    }
    Ok(out)
}

/// Routes with loads counted only where the outcome picks the least loaded
/// agent of a team: one indexed count per agent of that team.
fn route_with_loads(
    r: &Reader<'_>,
    rules: &RuleSet,
    facts: &Facts,
    open: &[&str],
    now: DateTime<Utc>,
) -> Result<Outcome> {
    let mut roster = roster(r, now)?;
    let first = rules.route(facts, &roster);
    if first.strategy != Some(crate::rules::Assign::LeastLoaded) {
        return Ok(first);
    }
    for a in roster.iter_mut().filter(|a| a.team == first.team) {
        a.load = r.open_load(&a.login, open)?;
    }
    Ok(rules.route(facts, &roster))
}

/// Routes ticket `id` inside the transaction that created it.
pub(super) fn route_new(
    w: &mut Writer<'_>,
    workflow: &crate::workflow::Workflow,
    rules: &RuleSet,
    id: i64,
    now: DateTime<Utc>,
    change: Option<i64>,
) -> Result<()> {
    if rules.rules.is_empty() {
        return Ok(());
    }
    let Some(ticket) = w.reader().ticket(id)? else {
        return Ok(());
    };
    let open = workflow.open_states();
    let out = route_with_loads(
        &w.reader(),
        rules,
        &facts(&w.reader(), &ticket)?,
        &open,
        now,
    )?;
    let Some(first) = out.applied.first() else {
        return Ok(());
    };
    let robot = super::automate::robot(first);
    let ctx = ops::Ctx {
        workflow,
        actor: &robot,
        now,
        change,
    };
    // A rule's SLA policy is a tag the policy's named override matches.
    let mut add_tags = out.tags.clone();
    add_tags.extend(out.sla.iter().map(|s| format!("sla:{s}")));
    let changes = TicketChanges {
        team: (out.team != ticket.team).then(|| out.team.clone()),
        priority: out.priority.filter(|p| *p != ticket.priority),
        add_tags,
        ..TicketChanges::default()
    };
    ops::edit(w, &ctx, id, &changes, None)?;
    if let Some(login) = &out.assignee
        && ticket.assignee.is_none()
        && w.reader().user(login)?.is_some_and(|u| u.active)
    {
        ops::assign(w, &ctx, id, Some(login), None)?;
        w.note_routed(login, now)?;
    }
    Ok(())
}

impl Desk {
    /// The rules in force (empty: no routing).
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// How the rules would route ticket `id` now: each rule, whether it
    /// matched and why.
    pub fn explain_routing(&self, id: i64) -> Result<Outcome> {
        let reader = self.store.reader();
        let ticket = self.visible_ticket(&reader, id)?;
        let open = self.workflow.open_states();
        route_with_loads(
            &reader,
            &self.rules,
            &facts(&reader, &ticket)?,
            &open,
            self.clock.now(),
        )
    }

    /// Validates and installs routing rules (admin only).
    pub fn set_rules(&mut self, source: &str, file: &str) -> Result<()> {
        self.require("action.rules_set", Role::Admin)?;
        let rules = RuleSet::parse(source).map_err(|errors| Error::Rules {
            file: file.to_string(),
            errors,
        })?;
        self.store.write(|w| w.set_setting(RULES_SETTING, source))?;
        self.rules = rules;
        Ok(())
    }

    /// The rules' source as the desk uses it (empty: none).
    pub fn rules_source(&self) -> Result<String> {
        Ok(self
            .store
            .reader()
            .setting(RULES_SETTING)?
            .unwrap_or_default())
    }

    /// Sets what routing knows of an agent: languages (`zh,en`), time zone
    /// and shift (`mon-fri 09:00-18:00`). Admins for anyone; members for
    /// themselves.
    pub fn set_agent_profile(
        &mut self,
        login: &str,
        languages: &str,
        timezone: Option<&str>,
        shift: Option<&str>,
    ) -> Result<()> {
        if login != self.login {
            self.require("action.user_set_role", Role::Admin)?;
        } else {
            self.me()?;
        }
        if let Some(tz) = timezone
            && <chrono_tz::Tz as std::str::FromStr>::from_str(tz).is_err()
        {
            return Err(Error::UnknownValue {
                field: "timezone",
                value: tz.to_string(),
                known: "IANA names such as Asia/Shanghai".into(),
            });
        }
        if let Some(shift) = shift
            && crate::sla::shift_calendar(timezone.unwrap_or("UTC"), shift).is_none()
        {
            return Err(Error::UnknownValue {
                field: "shift",
                value: shift.to_string(),
                known: "mon-fri 09:00-18:00".into(),
            });
        }
        let login = login.to_string();
        self.store.write(|w| {
            if w.reader().user(&login)?.is_none() {
                return Err(Error::UserNotFound(login.clone()));
            }
            w.set_agent_profile(&login, languages, timezone, shift)
        })
    }

    /// Open tickets per team and per agent right now (the live queue).
    /// Open tickets per (team, agent), for the teams the member may see:
    /// a team's supervisor sees their team and tickets of no team.
    pub fn load(&self) -> Result<Vec<(String, Option<String>, i64)>> {
        let me = self.require("action.load", Role::Supervisor)?;
        let open = self.workflow.open_states();
        let mut rows = self.store.reader().open_by_team_and_agent(&open)?;
        if let crate::domain::Scope::Team(mine) = me.scope() {
            rows.retain(|(team, _, _)| team.is_empty() || *team == mine);
        }
        Ok(rows)
    }
}
