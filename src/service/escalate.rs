//! Escalation: the steps of the SLA policy, taken once per ticket. Any
//! process may sweep — every open TUI now and then, `tdesk tick` from cron —
//! and several may at the same moment: a step is claimed by inserting its
//! row (ticket, step) in the same short transaction that acts on it, so
//! exactly one of them fires it.

use chrono::{DateTime, Utc};

use crate::domain::{EventKind, NoticeKind, Priority, Role};
use crate::error::Result;
use crate::sla::{ClockState, Escalation, Notify, Trigger};
use crate::store::{NewNotice, TicketUpdate, Writer};

use super::{Desk, ops, sla};

/// The actor escalations are recorded as.
const ACTOR: &str = "automation:escalation";

/// One step taken.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fired {
    pub ticket: i64,
    /// `name/clock` (`breached/resolve`) or `name` for untouched steps.
    pub step: String,
}

impl Desk {
    /// Takes every escalation step that is due and not yet taken; returns
    /// those on tickets the member may see.
    pub fn sweep(&mut self) -> Result<Vec<Fired>> {
        self.me()?;
        self.run_idle_automations()?;
        let now = self.clock.now();
        let policy = self.sla.clone();
        if policy.escalations.is_empty() {
            return Ok(Vec::new());
        }
        let candidates = self.sweep_candidates(&policy.escalations)?;
        let mut fired = Vec::new();
        for id in candidates {
            let Some(ticket) = self.store.reader().ticket(id)? else {
                continue;
            };
            // A solved ticket waits on the customer's verdict, not on the
            // desk: nothing to escalate (an old one imported as solved
            // would otherwise be escalated at once).
            if self
                .workflow
                .state(&ticket.status)
                .is_some_and(|s| s.is_resolved || s.is_final)
            {
                continue;
            }
            let taken = self.store.reader().escalations(id)?;
            // The stored deadline is the running clock's: once every step
            // on it is taken (and untouched steps are taken or not due),
            // computing the clocks again would change nothing.
            let active = if ticket.first_response_at.is_none() {
                "response"
            } else {
                "resolve"
            };
            let applies = |s: &&Escalation| s.kind.as_deref().is_none_or(|k| k == ticket.kind);
            let settled = policy
                .escalations
                .iter()
                .filter(applies)
                .all(|s| match s.trigger {
                    Trigger::Untouched(after) => {
                        taken.contains(&s.name) || now - ticket.updated_at < after
                    }
                    Trigger::Spent(_) => taken.contains(&format!("{}/{active}", s.name)),
                });
            if settled {
                continue;
            }
            let clocks = sla::clocks(&self.store.reader(), &policy, &ticket, now)?;
            for step in &policy.escalations {
                if step.kind.as_deref().is_some_and(|k| k != ticket.kind) {
                    continue;
                }
                for key in due_steps(step, &clocks, ticket.updated_at, now, &policy) {
                    if taken.contains(&key) {
                        continue;
                    }
                    let workflow = &self.workflow;
                    let took = self.store.write(|w| {
                        if !w.claim_escalation(id, &key, now)? {
                            return Ok(false);
                        }
                        act(w, workflow, step, &key, id, now)?;
                        sla::refresh_deadlines(w, &policy, &[id], now)?;
                        Ok(true)
                    })?;
                    if took {
                        fired.push(Fired {
                            ticket: id,
                            step: key,
                        });
                    }
                }
            }
        }
        // Every due step is taken, whoever sweeps (the desk's rule, not the
        // member's act); the member hears only of the tickets they may see.
        let reader = self.store.reader();
        fired.retain(|f| self.visible_ticket(&reader, f.ticket).is_ok());
        Ok(fired)
    }

    /// Open tickets that may have a step due: at risk or breached (indexed),
    /// and, for untouched steps, those not updated for long enough.
    fn sweep_candidates(&self, steps: &[Escalation]) -> Result<Vec<i64>> {
        let reader = self.store.reader();
        let mut ids = Vec::new();
        let early = steps
            .iter()
            .any(|s| matches!(s.trigger, Trigger::Spent(f) if f < self.sla.at_risk));
        let spent = if early {
            "sla:ok|at-risk|breached"
        } else {
            "sla:at-risk|breached"
        };
        ids.extend(reader.ids(&self.parse_query(spent)?)?);
        for s in steps {
            if let Trigger::Untouched(after) = s.trigger {
                let minutes = after.num_minutes().max(1);
                let kind = s
                    .kind
                    .as_ref()
                    .map(|k| format!(" type:{k}"))
                    .unwrap_or_default();
                let q = format!("status:open updated:>{minutes}m{kind}");
                ids.extend(reader.ids(&self.parse_query(&q)?)?);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }
}

/// The step keys of `step` that are due for a ticket now.
fn due_steps(
    step: &Escalation,
    clocks: &sla::SlaClocks,
    updated: DateTime<Utc>,
    now: DateTime<Utc>,
    policy: &crate::sla::Policy,
) -> Vec<String> {
    match step.trigger {
        Trigger::Untouched(after) => {
            if now - updated >= after {
                vec![step.name.clone()]
            } else {
                Vec::new()
            }
        }
        Trigger::Spent(fraction) => {
            let mut out = Vec::new();
            for (clock, state) in [("response", clocks.response), ("resolve", clocks.resolve)] {
                let reached = match state {
                    ClockState::Breached { .. } => true,
                    // Running: at risk once `risk` passed; other shares are
                    // compared with the policy's at-risk share.
                    ClockState::Running { risk, .. } => fraction <= policy.at_risk && now >= risk,
                    _ => false,
                };
                if reached {
                    out.push(format!("{}/{clock}", step.name));
                }
            }
            out
        }
    }
}

/// What a step does, inside the transaction that claimed it.
fn act(
    w: &mut Writer<'_>,
    workflow: &crate::workflow::Workflow,
    step: &Escalation,
    key: &str,
    id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(ticket) = w.reader().ticket(id)? else {
        return Ok(());
    };
    let robot = super::automate::robot("escalation");
    let ctx = ops::Ctx {
        workflow,
        actor: &robot,
        now,
        change: None,
    };
    // Both clocks may breach: the priority goes up once per step, not per clock.
    let prefix = format!("{}/", step.name);
    let raised_before = w
        .reader()
        .escalations(id)?
        .iter()
        .any(|k| k != key && k.starts_with(&prefix));
    if step.raise_priority && !raised_before && ticket.priority != Priority::P0 {
        let higher = Priority::ALL[usize::try_from(ticket.priority.rank() - 1).unwrap_or(0)];
        let update = TicketUpdate {
            priority: Some(higher),
            ..TicketUpdate::default()
        };
        ops::save(w, &ctx, &ticket, &update)?;
        ctx.log(
            w,
            id,
            EventKind::Field,
            Some("priority"),
            Some(ticket.priority.as_str()),
            Some(higher.as_str()),
        )?;
    }
    if step.reassign && !raised_before {
        let open = workflow.open_states();
        let current = w.reader().ticket(id)?.and_then(|t| t.assignee);
        let mut best: Option<(i64, String)> = None;
        for u in w.reader().users()? {
            if u.role != Role::Agent
                || !u.active
                || u.team != ticket.team
                || Some(&u.login) == current.as_ref()
            {
                continue;
            }
            let load = w.reader().open_load(&u.login, &open)?;
            if best.as_ref().is_none_or(|(l, _)| load < *l) {
                best = Some((load, u.login));
            }
        }
        if let Some((_, login)) = best {
            ops::assign(w, &ctx, id, Some(&login), None)?;
        }
    }
    let recipients: Vec<String> = match step.notify {
        Notify::Assignee => ticket.assignee.iter().cloned().collect(),
        Notify::Supervisor => {
            let users = w.reader().users()?;
            let leads: Vec<String> = users
                .iter()
                .filter(|u| u.active && u.role == Role::Supervisor)
                .filter(|u| u.team.is_none() || u.team == ticket.team)
                .map(|u| u.login.clone())
                .collect();
            if leads.is_empty() {
                users
                    .iter()
                    .filter(|u| u.active && u.role == Role::Admin)
                    .map(|u| u.login.clone())
                    .collect()
            } else {
                leads
            }
        }
    };
    for login in recipients {
        w.add_notice(&NewNotice {
            login: &login,
            ticket: Some(id),
            kind: NoticeKind::Escalated,
            actor: ACTOR,
            at: now,
            change: None,
            detail: Some(key),
        })?;
    }
    Ok(())
}
