//! Demo work: some open tickets split into steps owned across teams (a
//! return: pickup, warehouse check, refund), a few problem tickets with
//! their incidents, tickets blocking others, and milestones grouping them.
//! Written straight to the store (no history), as if planned before.

use chrono::{DateTime, Duration, Utc};

use super::data::DemoData;
use super::rng::Rng;
use crate::domain::{
    Clause, Field, LinkKind, ListRequest, NewMilestone, NewSubtask, Query, SortDir, SortKey, User,
};
use crate::error::Result;
use crate::service::Desk;

/// One open ticket in this many gets steps.
const EVERY: usize = 4;
/// Most tickets given steps (a million-ticket desk gets this many).
const MOST: usize = 5_000;

impl Desk {
    pub(super) fn load_demo_work(
        &mut self,
        data: &DemoData,
        agents: &[User],
        rng: &mut Rng,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let open: Vec<String> = self
            .unsolved_states()
            .into_iter()
            .map(String::from)
            .collect();
        let tickets = self.list(&ListRequest {
            query: Query {
                clauses: vec![Clause::Field {
                    field: Field::Status,
                    values: open,
                    negated: false,
                }],
            },
            sort: SortKey::Number,
            dir: SortDir::Desc,
            limit: MOST * EVERY,
            offset: 0,
            group: None,
            backwards: false,
        })?;
        let owners: Vec<&str> = agents.iter().map(|a| a.login.as_str()).collect();
        let by = self.login.clone();
        self.store.write(|w| {
            let milestones = data
                .milestones
                .iter()
                .map(|m| {
                    let found = w.reader().milestone_named(&m.name)?;
                    match found {
                        Some(found) => Ok(found.id),
                        None => w
                            .insert_milestone(
                                &NewMilestone {
                                    name: m.name.clone(),
                                    description: m.description.clone(),
                                    owner: None,
                                    due: Some(now + Duration::days(m.days)),
                                },
                                &by,
                                now,
                            )
                            .map(|m| m.id),
                    }
                })
                .collect::<Result<Vec<i64>>>()?;
            for (n, t) in tickets.iter().enumerate().step_by(EVERY) {
                if t.steps.total > 0 {
                    continue; // loaded once already
                }
                let zh = t.title.chars().any(|c| c >= '\u{2e80}');
                let lang = if zh { "zh" } else { "en" };
                let plans: Vec<_> = data.work.iter().filter(|p| p.lang == lang).collect();
                let Some(plan) = rng.pick(&plans) else {
                    continue;
                };
                let done = rng.below(plan.steps.len() + 1);
                for (k, title) in plan.steps.iter().enumerate() {
                    let owner = rng.pick(&owners).map(|o| o.to_string());
                    let days = 1 + 2 * k + rng.below(3);
                    let due = t.created_at + Duration::days(i64::try_from(days).unwrap_or(1));
                    let mut s = w.insert_subtask(
                        t.id,
                        &NewSubtask {
                            title: title.clone(),
                            assignee: owner,
                            due: Some(due),
                            note: None,
                        },
                        t.created_at,
                    )?;
                    if k < done {
                        s.done_at = Some(due.min(now));
                        s.done_by = s.assignee.clone();
                        w.update_subtask(&s)?;
                    }
                }
                if let Some(&m) = milestones.get(n / EVERY % 3) {
                    w.set_ticket_milestone(t.id, Some(m))?;
                }
                // A problem ticket with its incidents, and a ticket that
                // waits on the one before it.
                let next = |d: usize| tickets.get(n + d).map(|r| r.id);
                if n % (EVERY * 10) == 0 {
                    for d in 1..4 {
                        if let Some(child) = next(d) {
                            w.insert_link(t.id, child, LinkKind::Parent, &by, now)?;
                        }
                    }
                } else if n % (EVERY * 5) == 0
                    && let Some(blocked) = next(1)
                {
                    w.insert_link(t.id, blocked, LinkKind::Blocks, &by, now)?;
                }
            }
            Ok(())
        })
    }
}
