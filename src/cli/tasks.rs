//! `tdesk task`, `tdesk link`, `tdesk unlink` and `tdesk time`: breaking
//! work down, and the time it takes, from the command line.

use super::args::{TaskCommand, TimeCommand};
use super::output::{Table, json, line};
use super::{Session, Streams};
use crate::domain::{NewSubtask, Progress, Subtask, SubtaskChanges};
use crate::error::Result;
use crate::present::local_time;
use crate::service::Desk;
use crate::text::sanitize_line;

/// Most of a member's own steps `task list` shows (soonest due first).
const MY_STEPS: usize = 500;

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
                    assignee: assignee
                        .filter(|a| !a.trim().is_empty())
                        .map(|a| super::tickets::me_to_login(&a, desk)),
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
                None => desk.my_subtasks(MY_STEPS)?,
            };
            if as_json {
                return json(io.out, &steps);
            }
            if steps.is_empty() {
                return line(io.out, cat.t("task.none"));
            }
            // Your own steps name their tickets: you may not see them.
            let about = |step: &Subtask| match ticket {
                Some(_) => format!("#{}", step.ticket),
                None => desk
                    .ticket_brief(step.ticket)
                    .map(|(title, _)| format!("#{} {}", step.ticket, sanitize_line(&title)))
                    .unwrap_or_else(|_| format!("#{}", step.ticket)),
            };
            let t = steps_table(desk, cat, &steps, &about);
            line(io.out, t.render(s.width).trim_end())?;
            if ticket.is_none() && steps.len() >= MY_STEPS {
                line(io.out, &cat.f("task.capped", &[("limit", &MY_STEPS)]))?;
            }
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
            let cleared =
                |v: String| (!v.trim().is_empty()).then(|| super::tickets::me_to_login(&v, desk));
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

/// Steps as a table: number, what they belong to (`about`), a mark
/// readable without colour, title, owner, due date in the desk's zone.
pub(super) fn steps_table(
    desk: &Desk,
    cat: &crate::i18n::Catalog,
    steps: &[Subtask],
    about: &dyn Fn(&Subtask) -> String,
) -> Table {
    let now = desk.now();
    let tz = desk.timezone();
    let mut t = Table::new(&[
        cat.t("task.step"),
        cat.t("task.ticket"),
        "",
        cat.t("col.title"),
        cat.t("col.assignee"),
        cat.t("task.due"),
    ])
    .flex(3);
    for step in steps {
        t.push(vec![
            step.id.to_string(),
            about(step),
            super::milestones::step_mark(step, now).to_string(),
            sanitize_line(&step.title).into_owned(),
            step.assignee
                .as_deref()
                .map(sanitize_line)
                .unwrap_or_default()
                .into_owned(),
            step.due.map(|d| local_time(d, &tz)).unwrap_or_default(),
        ]);
    }
    t
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
    // The kind in the reader's words, from A's side.
    let named = crate::domain::LinkKind::parse_named(kind)
        .map(|(k, reversed)| s.cat.t(&format!("link.{}", k.side(!reversed))).to_string())
        .unwrap_or_default();
    line(
        io.out,
        &s.cat.f(key, &[("a", &a), ("b", &b), ("kind", &named)]),
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

/// `25m`, `1h`, `1h30m`, `90m`: a span of time.
fn parse_spent(text: &str) -> Option<chrono::Duration> {
    let mut total = 0i64;
    let mut rest = text.trim();
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        let unit_end = rest[digits..]
            .find(|c: char| c.is_ascii_digit())
            .map_or(rest.len(), |i| digits + i);
        total += crate::domain::parse_duration(&rest[..unit_end])?;
        rest = &rest[unit_end..];
    }
    // Whole minutes: `5s` is no time worth logging.
    (total >= 60).then(|| chrono::Duration::seconds(total))
}

/// What a stopped timer says: its time, or that it recorded nothing
/// (under a minute, or a ticket no longer the member's).
pub fn stopped_key(
    e: &crate::domain::TimeEntry,
    now: chrono::DateTime<chrono::Utc>,
) -> &'static str {
    if e.spent(now) < chrono::Duration::minutes(1) {
        "time.stopped_nothing"
    } else {
        "time.stopped"
    }
}

/// `tdesk time …`.
pub fn time(desk: &mut Desk, c: TimeCommand, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    use crate::domain::minutes_text;
    let cat = &s.cat;
    let now = desk.now();
    match c {
        TimeCommand::Start { ticket, step } => {
            let (stopped, _) = match step {
                Some(step) => desk.start_step_timer(ticket, step)?,
                None => desk.start_timer(ticket)?,
            };
            if let Some(e) = stopped {
                line(
                    io.out,
                    &cat.f(
                        stopped_key(&e, now),
                        &[("id", &e.ticket), ("spent", &minutes_text(e.spent(now)))],
                    ),
                )?;
            }
            line(io.out, &cat.f("time.started", &[("id", &ticket)]))
        }
        TimeCommand::Stop => match desk.stop_timer()? {
            Some(e) => line(
                io.out,
                &cat.f(
                    stopped_key(&e, now),
                    &[("id", &e.ticket), ("spent", &minutes_text(e.spent(now)))],
                ),
            ),
            None => line(io.out, cat.t("time.none_running")),
        },
        TimeCommand::Status => match desk.running_timer()? {
            Some(e) => line(
                io.out,
                &cat.f(
                    "time.running",
                    &[("id", &e.ticket), ("spent", &minutes_text(e.spent(now)))],
                ),
            ),
            None => line(io.out, cat.t("time.none_running")),
        },
        TimeCommand::Log {
            ticket,
            spent,
            note,
            step,
        } => {
            let span = parse_spent(&spent).ok_or_else(|| {
                crate::error::Error::Invalid(crate::domain::InvalidValue {
                    field: "time",
                    value: spent.clone(),
                    expected: "25m, 1h, 1h30m".into(),
                })
            })?;
            if span > chrono::Duration::hours(24) {
                return Err(crate::error::Error::Invalid(crate::domain::InvalidValue {
                    field: "time",
                    value: spent,
                    expected: "up to 24h at once".into(),
                }));
            }
            let note = note.as_deref().unwrap_or("");
            let e = match step {
                Some(step) => desk.log_step_time(ticket, step, span, note)?,
                None => desk.log_time(ticket, span, note)?,
            };
            line(
                io.out,
                &cat.f(
                    "time.logged",
                    &[("id", &ticket), ("spent", &minutes_text(e.spent(now)))],
                ),
            )
        }
        TimeCommand::Show {
            ticket,
            json: as_json,
        } => {
            let entries = desk.time_entries(ticket)?;
            if as_json {
                return json(io.out, &entries);
            }
            let tz = chrono::Local::now().offset().to_owned();
            let mut t = Table::new(&[
                cat.t("time.member"),
                cat.t("task.step"),
                cat.t("time.start"),
                cat.t("time.spent"),
                cat.t("time.note"),
            ])
            .flex(4);
            let mut total = chrono::Duration::zero();
            for e in &entries {
                total += e.spent(now);
                let mut spent = minutes_text(e.spent(now));
                if e.stopped.is_none() {
                    spent.push_str(" …");
                }
                t.push(vec![
                    sanitize_line(&e.login).into_owned(),
                    e.step.map_or_else(|| "–".into(), |s| s.to_string()),
                    local_time(e.started, &tz),
                    spent,
                    sanitize_line(&e.note).into_owned(),
                ]);
            }
            if !entries.is_empty() {
                line(io.out, t.render(s.width).trim_end())?;
            }
            line(
                io.out,
                &cat.f(
                    "time.total",
                    &[("id", &ticket), ("spent", &minutes_text(total))],
                ),
            )
        }
        TimeCommand::Report {
            days,
            json: as_json,
        } => {
            if !(1..=3660).contains(&days) {
                return Err(crate::error::Error::Invalid(
                    crate::domain::InvalidValue::new("days", &days.to_string(), "1 … 3660"),
                ));
            }
            let since = now - chrono::Duration::days(i64::from(days));
            let rows = desk.time_report(since)?;
            if as_json {
                return json(io.out, &rows);
            }
            if rows.is_empty() {
                return line(io.out, cat.t("time.nothing"));
            }
            let total: i64 = rows.iter().map(|r| r.minutes).sum();
            let mut by_agent: std::collections::BTreeMap<&str, i64> = Default::default();
            let mut by_category: std::collections::BTreeMap<&str, i64> = Default::default();
            for r in &rows {
                *by_agent.entry(&r.login).or_default() += r.minutes;
                *by_category
                    .entry(r.category.as_deref().unwrap_or("–"))
                    .or_default() += r.minutes;
            }
            let mins = |m: i64| minutes_text(chrono::Duration::minutes(m));
            line(
                io.out,
                &cat.f("time.report", &[("days", &days), ("spent", &mins(total))]),
            )?;
            let mut t = Table::new(&[
                cat.t("col.number"),
                cat.t("col.title"),
                cat.t("metrics.col.member"),
                cat.t("time.spent"),
            ])
            .flex(1);
            for r in &rows {
                t.push(vec![
                    format!("#{}", r.ticket),
                    sanitize_line(&r.title).into_owned(),
                    sanitize_line(&r.login).into_owned(),
                    mins(r.minutes),
                ]);
            }
            line(io.out, t.render(s.width).trim_end())?;
            for (key, groups) in [
                ("time.by_agent", &by_agent),
                ("time.by_category", &by_category),
            ] {
                line(io.out, "")?;
                line(io.out, cat.t(key))?;
                for (name, m) in groups.iter() {
                    line(
                        io.out,
                        &format!("  {:<24} {}", sanitize_line(name), mins(*m)),
                    )?;
                }
            }
            Ok(())
        }
    }
}
