//! `tdesk task`, `tdesk link` and `tdesk unlink`: breaking work down from
//! the command line.

use super::args::TaskCommand;
use super::output::{Table, json, line};
use super::{Session, Streams};
use crate::domain::{NewSubtask, Progress, Subtask, SubtaskChanges};
use crate::error::Result;
use crate::present::local_time;
use crate::service::Desk;
use crate::text::sanitize_line;

pub fn run(desk: &mut Desk, c: TaskCommand, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let cat = &s.cat;
    let said = |key: &str, step: &Subtask| {
        cat.f(
            key,
            &[
                ("id", &step.id),
                ("ticket", &step.ticket),
                ("title", &sanitize_line(&step.title)),
            ],
        )
    };
    match c {
        TaskCommand::Add {
            ticket,
            title,
            assignee,
            due,
            note,
        } => {
            let due = due
                .map(|d| super::tickets::parse_due(desk, &d))
                .transpose()?;
            let step = desk.add_subtask(
                ticket,
                NewSubtask {
                    title,
                    assignee: assignee.filter(|a| !a.trim().is_empty()),
                    due,
                    note,
                },
            )?;
            line(io.out, &said("task.added", &step))
        }
        TaskCommand::List {
            ticket,
            json: as_json,
        } => {
            let steps = match ticket {
                Some(t) => desk.subtasks(t)?,
                None => desk.my_subtasks(500)?,
            };
            if as_json {
                return json(io.out, &steps);
            }
            if steps.is_empty() {
                return line(io.out, cat.t("task.none"));
            }
            let now = desk.now();
            let tz = chrono::Local::now().offset().to_owned();
            let mut t = Table::new(&[
                cat.t("col.number"),
                cat.t("task.ticket"),
                "",
                cat.t("col.title"),
                cat.t("col.assignee"),
                cat.t("task.due"),
            ])
            .flex(3);
            for step in &steps {
                let mark = if step.is_done() {
                    "✓"
                } else if step.is_overdue(now) {
                    "!"
                } else {
                    "·"
                };
                // Your own steps name their tickets: you may not see them.
                let about = match ticket {
                    Some(_) => format!("#{}", step.ticket),
                    None => desk
                        .ticket_brief(step.ticket)
                        .map(|(title, _)| format!("#{} {}", step.ticket, sanitize_line(&title)))
                        .unwrap_or_else(|_| format!("#{}", step.ticket)),
                };
                t.push(vec![
                    step.id.to_string(),
                    about,
                    mark.to_string(),
                    sanitize_line(&step.title).into_owned(),
                    step.assignee
                        .as_deref()
                        .map(sanitize_line)
                        .unwrap_or_default()
                        .into_owned(),
                    step.due.map(|d| local_time(d, &tz)).unwrap_or_default(),
                ]);
            }
            line(io.out, t.render(s.width).trim_end())?;
            if ticket.is_some() {
                line(
                    io.out,
                    &cat.f("task.progress", &[("progress", &Progress::of(&steps))]),
                )?;
            }
            Ok(())
        }
        TaskCommand::Done { id } => {
            let step = desk.set_subtask_done(id, true)?;
            line(io.out, &said("task.done", &step))
        }
        TaskCommand::Undo { id } => {
            let step = desk.set_subtask_done(id, false)?;
            line(io.out, &said("task.reopened", &step))
        }
        TaskCommand::Edit {
            id,
            title,
            assignee,
            due,
            note,
        } => {
            let cleared = |v: String| (!v.trim().is_empty()).then_some(v);
            let due = match due {
                Some(d) if d.trim().is_empty() => Some(None),
                Some(d) => Some(Some(super::tickets::parse_due(desk, &d)?)),
                None => None,
            };
            let step = desk.edit_subtask(
                id,
                SubtaskChanges {
                    title,
                    assignee: assignee.map(cleared),
                    due,
                    note,
                },
            )?;
            line(io.out, &said("task.edited", &step))
        }
        TaskCommand::Rm { id } => {
            let step = desk.remove_subtask(id)?;
            line(io.out, &said("task.removed", &step))
        }
    }
}

/// `tdesk link A B --as KIND`.
pub fn link(
    desk: &mut Desk,
    a: i64,
    b: i64,
    kind: &str,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let added = desk.link(a, b, kind)?;
    let key = if added { "link.added" } else { "link.already" };
    line(
        io.out,
        &s.cat.f(key, &[("a", &a), ("b", &b), ("kind", &kind)]),
    )
}

/// `tdesk unlink A B [--as KIND]`.
pub fn unlink(
    desk: &mut Desk,
    a: i64,
    b: i64,
    kind: Option<&str>,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let removed = desk.unlink(a, b, kind)?;
    line(
        io.out,
        &s.cat
            .f("link.removed", &[("a", &a), ("b", &b), ("count", &removed)]),
    )
}
