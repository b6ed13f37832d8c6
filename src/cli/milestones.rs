//! `tdesk milestone`: milestones with their progress, and putting tickets
//! and steps into them.

use serde::Serialize;

use super::args::MilestoneCommand;
use super::output::{Table, fields, json, line};
use super::{Session, Streams};
use crate::domain::{
    ListRequest, Milestone, MilestoneChanges, MilestoneProgress, NewMilestone, Query, SortDir,
    SortKey, Subtask, TicketRow,
};
use crate::error::Result;
use crate::i18n::Catalog;
use crate::present::local_time;
use crate::service::Desk;
use crate::text::sanitize_line;

/// Most tickets and steps `milestone show` lists.
const SHOWN: usize = 200;

pub fn run(desk: &mut Desk, c: MilestoneCommand, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let cat = &s.cat;
    let said =
        |key: &str, m: &Milestone| cat.f(key, &[("id", &m.id), ("name", &sanitize_line(&m.name))]);
    let due = |desk: &Desk, d: Option<String>| -> Result<Option<Option<_>>> {
        Ok(match d {
            Some(d) if d.trim().is_empty() => Some(None),
            Some(d) => Some(Some(super::tickets::parse_due(desk, &d)?)),
            None => None,
        })
    };
    match c {
        MilestoneCommand::Add {
            name,
            due: when,
            owner,
            description,
        } => {
            let due = due(desk, when)?.flatten();
            let m = desk.add_milestone(NewMilestone {
                name,
                description,
                owner: owner
                    .filter(|o| !o.trim().is_empty())
                    .map(|o| super::tickets::me_to_login(&o, desk)),
                due,
            })?;
            line(io.out, &said("milestone.added", &m))
        }
        MilestoneCommand::List { all, json: as_json } => {
            let list = desk.milestones(all)?;
            if as_json {
                return json(io.out, &list);
            }
            if list.is_empty() {
                return line(io.out, cat.t("milestone.none"));
            }
            let mut t = Table::new(&[
                "#",
                cat.t("milestone.name"),
                cat.t("task.due"),
                cat.t("col.owner"),
                cat.t("milestone.progress"),
                cat.t("milestone.at_risk"),
                cat.t("milestone.overdue"),
            ])
            .flex(1);
            for m in &list {
                let mut name = m.milestone.name.clone();
                if m.milestone.is_closed() {
                    name = format!("{name} ({})", cat.t("milestone.closed"));
                }
                t.push(vec![
                    m.milestone.id.to_string(),
                    name,
                    when(desk, m.milestone.due),
                    m.milestone.owner.clone().unwrap_or_else(|| "–".into()),
                    progress_text(&m.progress),
                    m.progress.at_risk.to_string(),
                    m.progress.overdue.to_string(),
                ]);
            }
            line(io.out, t.render(s.width).trim_end())
        }
        MilestoneCommand::Show {
            milestone,
            json: as_json,
        } => show(desk, &milestone, as_json, s, io),
        MilestoneCommand::Edit {
            milestone,
            name,
            due: when,
            owner,
            description,
        } => {
            let cleared =
                |v: String| (!v.trim().is_empty()).then(|| super::tickets::me_to_login(&v, desk));
            let due = due(desk, when)?;
            let m = desk.edit_milestone(
                &milestone,
                MilestoneChanges {
                    name,
                    description,
                    owner: owner.map(cleared),
                    due,
                },
            )?;
            line(io.out, &said("milestone.edited", &m))
        }
        MilestoneCommand::Close { milestone } => {
            let m = desk.close_milestone(&milestone, true)?;
            line(io.out, &said("milestone.closed_now", &m))
        }
        MilestoneCommand::Reopen { milestone } => {
            let m = desk.close_milestone(&milestone, false)?;
            line(io.out, &said("milestone.reopened", &m))
        }
        MilestoneCommand::Attach {
            milestone,
            tickets,
            steps,
        } => {
            let n = desk.place_in_milestone(Some(&milestone), &tickets, &steps)?;
            let m = desk.find_milestone(&milestone)?;
            line(
                io.out,
                &cat.f(
                    "milestone.attached",
                    &[("count", &n), ("name", &sanitize_line(&m.name))],
                ),
            )
        }
        MilestoneCommand::Detach { tickets, steps } => {
            let n = desk.place_in_milestone(None, &tickets, &steps)?;
            line(io.out, &cat.f("milestone.detached", &[("count", &n)]))
        }
    }
}

/// `3/5 (60%)`.
fn progress_text(p: &MilestoneProgress) -> String {
    format!("{}/{} ({}%)", p.done(), p.total(), p.percent())
}

fn when(desk: &Desk, at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(|d| local_time(d, &desk.timezone()))
        .unwrap_or_else(|| "–".into())
}

#[derive(Serialize)]
struct Shown {
    #[serde(flatten)]
    milestone: Milestone,
    progress: MilestoneProgress,
    tickets: Vec<TicketRow>,
    steps: Vec<Subtask>,
}

fn show(
    desk: &mut Desk,
    key: &str,
    as_json: bool,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let cat = &s.cat;
    let m = desk.find_milestone(key)?;
    let progress = desk.milestone_progress(&m)?;
    let query: Query = desk.parse_query(&format!("milestone:{}", m.id))?;
    let tickets = desk.list(&ListRequest {
        query,
        sort: SortKey::Due,
        dir: SortDir::Asc,
        limit: SHOWN,
        offset: 0,
        group: None,
        backwards: false,
    })?;
    let steps = desk.milestone_steps(&m, SHOWN)?;
    if as_json {
        return json(
            io.out,
            &Shown {
                milestone: m,
                progress,
                tickets,
                steps,
            },
        );
    }
    let state = if m.is_closed() {
        cat.t("milestone.closed")
    } else {
        cat.t("milestone.open")
    };
    fields(
        io.out,
        &[
            (
                cat.t("milestone.name").into(),
                format!("#{} {}", m.id, m.name),
            ),
            (cat.t("col.status").into(), state.into()),
            (cat.t("task.due").into(), when(desk, m.due)),
            (
                cat.t("col.owner").into(),
                m.owner.clone().unwrap_or_else(|| "–".into()),
            ),
            (cat.t("milestone.progress").into(), progress_text(&progress)),
            (
                cat.t("milestone.late").into(),
                cat.f(
                    "milestone.late_counts",
                    &[
                        ("at_risk", &progress.at_risk),
                        ("overdue", &progress.overdue),
                    ],
                ),
            ),
        ],
    )?;
    if !m.description.is_empty() {
        line(io.out, "")?;
        super::output::block(io.out, &m.description, "  ")?;
    }
    line(io.out, "")?;
    tickets_table(desk, cat, &tickets, s, io)?;
    if progress.tickets > tickets.len() {
        line(
            io.out,
            &cat.f(
                "milestone.more",
                &[
                    ("count", &(progress.tickets - tickets.len())),
                    ("id", &m.id),
                ],
            ),
        )?;
    }
    if !steps.is_empty() {
        line(io.out, "")?;
        let about = |step: &Subtask| format!("#{}", step.ticket);
        let t = super::tasks::steps_table(desk, cat, &steps, &about);
        line(io.out, t.render(s.width).trim_end())?;
    }
    Ok(())
}

fn tickets_table(
    desk: &Desk,
    cat: &Catalog,
    tickets: &[TicketRow],
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    if tickets.is_empty() {
        return line(io.out, cat.t("cli.no_tickets"));
    }
    let wf = desk.workflow();
    let mut t = Table::new(&[
        "#",
        cat.t("col.priority"),
        cat.t("col.status"),
        cat.t("col.title"),
        cat.t("col.assignee"),
        cat.t("task.due"),
    ])
    .flex(3);
    for r in tickets {
        t.push(vec![
            format!("#{}", r.id),
            r.priority.to_string(),
            crate::present::state_label(wf, cat, &r.status),
            crate::present::titled_with_steps(r),
            r.assignee.clone().unwrap_or_else(|| "–".into()),
            when(desk, r.due_at),
        ]);
    }
    line(io.out, t.render(s.width).trim_end())
}

/// ✓ done, ! overdue, · open: readable without colour.
pub(super) fn step_mark(step: &Subtask, now: chrono::DateTime<chrono::Utc>) -> &'static str {
    if step.is_done() {
        "✓"
    } else if step.is_overdue(now) {
        "!"
    } else {
        "·"
    }
}
