//! Time spent: a member's timer (one at a time; starting another stops
//! the first), stretches logged after the fact, and totals per ticket,
//! member and category. Only tickets the member may see; each stopped or
//! logged stretch is in the ticket's history.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::domain::{EventKind, TimeEntry, minutes_text};
use crate::error::{Error, Result};

use super::{Desk, ops};

/// Longest stretch one log may record.
const LOG_MAX: i64 = 24 * 60;

/// Time spent on one ticket by one member in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeSpent {
    pub ticket: i64,
    pub title: String,
    pub category: Option<String>,
    pub login: String,
    pub minutes: i64,
}

impl Desk {
    /// Starts the member's timer on ticket `id`; a timer running on
    /// another ticket stops first (returned).
    pub fn start_timer(&mut self, id: i64) -> Result<(Option<TimeEntry>, TimeEntry)> {
        self.start_timer_on(Target::Ticket(id))
    }

    /// Starts the member's timer on step `step` of ticket `ticket` (its
    /// owner may, even on a ticket of another team).
    pub fn start_step_timer(
        &mut self,
        ticket: i64,
        step: i64,
    ) -> Result<(Option<TimeEntry>, TimeEntry)> {
        self.start_timer_on(Target::Step(ticket, step))
    }

    fn start_timer_on(&mut self, target: Target) -> Result<(Option<TimeEntry>, TimeEntry)> {
        self.write_outside_undo(|w, ctx| {
            let (ticket, step) = target.resolve(w, ctx)?;
            let stopped = w
                .stop_timer(&ctx.actor.login, ctx.now)?
                .map(|s| keep_or_drop(w, ctx, s))
                .transpose()?;
            let started = w.insert_time(ticket, step, &ctx.actor.login, ctx.now, None, "")?;
            Ok((stopped, started))
        })
    }

    /// Stops the member's timer; the stretch it recorded, if one ran (a
    /// stretch not kept reads as none: 0m).
    pub fn stop_timer(&mut self) -> Result<Option<TimeEntry>> {
        self.write_outside_undo(|w, ctx| {
            w.stop_timer(&ctx.actor.login, ctx.now)?
                .map(|s| keep_or_drop(w, ctx, s))
                .transpose()
        })
    }

    /// Records `spent` on ticket `id`, ending now.
    pub fn log_time(&mut self, id: i64, spent: Duration, note: &str) -> Result<TimeEntry> {
        self.log_time_on(Target::Ticket(id), spent, note)
    }

    /// Records `spent` on step `step` of ticket `ticket`, ending now.
    pub fn log_step_time(
        &mut self,
        ticket: i64,
        step: i64,
        spent: Duration,
        note: &str,
    ) -> Result<TimeEntry> {
        self.log_time_on(Target::Step(ticket, step), spent, note)
    }

    fn log_time_on(&mut self, target: Target, spent: Duration, note: &str) -> Result<TimeEntry> {
        if spent <= Duration::zero() || spent.num_minutes() > LOG_MAX {
            return Err(Error::Invalid(crate::domain::InvalidValue::new(
                "time",
                &spent.num_minutes().to_string(),
                "between 1m and 24h, e.g. 25m or 1h30m",
            )));
        }
        ops::check_body("field.note", note)?;
        self.write_outside_undo(|w, ctx| {
            let (ticket, step) = target.resolve(w, ctx)?;
            let start = ctx.now - spent;
            let e = w.insert_time(ticket, step, &ctx.actor.login, start, Some(ctx.now), note)?;
            log_spent(w, ctx, &e)?;
            Ok(e)
        })
    }

    /// The member's running timer, if any.
    pub fn running_timer(&self) -> Result<Option<TimeEntry>> {
        self.store.reader().running_timer(&self.login)
    }

    /// Ticket `id`'s time entries, oldest first.
    pub fn time_entries(&self, id: i64) -> Result<Vec<TimeEntry>> {
        let reader = self.store.reader();
        self.visible_ticket(&reader, id)?;
        reader.time_entries(id)
    }

    /// Time spent since `since` per ticket and member, on tickets the
    /// member may see, most first.
    pub fn time_report(&self, since: DateTime<Utc>) -> Result<Vec<TimeSpent>> {
        let reader = self.store.reader();
        let now = self.clock.now();
        let mut out = Vec::new();
        for (ticket, title, category, login, ms) in reader.time_spent(since, now)? {
            if self.visible_ticket(&reader, ticket).is_ok() {
                out.push(TimeSpent {
                    ticket,
                    title,
                    category,
                    login,
                    minutes: ms / 60_000,
                });
            }
        }
        Ok(out)
    }
}

/// What time is spent on: a ticket, or one step of one.
#[derive(Clone, Copy)]
enum Target {
    Ticket(i64),
    /// (ticket, step): a step of another ticket looks like a missing one.
    Step(i64, i64),
}

impl Target {
    /// (ticket, step), if the member may time it: a ticket they may
    /// change, or a step of one — or a step they own.
    fn resolve(
        self,
        w: &crate::store::Writer<'_>,
        ctx: &ops::Ctx<'_>,
    ) -> Result<(i64, Option<i64>)> {
        match self {
            Target::Ticket(id) => ops::load(w, ctx, id, None).map(|_| (id, None)),
            Target::Step(ticket, id) => {
                let s = super::subtasks::markable_step(w, ctx, id)?;
                if s.ticket != ticket {
                    return Err(Error::SubtaskNotFound(id));
                }
                Ok((s.ticket, Some(s.id)))
            }
        }
    }
}

/// A stopped timer that ran under a minute is dropped (a start by mistake
/// leaves no `0m` entry), and so is one on a ticket the member may no
/// longer see (it moved to another team meanwhile): nothing is written to
/// a ticket that is not theirs. A longer one goes into the ticket's history.
fn keep_or_drop(
    w: &mut crate::store::Writer<'_>,
    ctx: &ops::Ctx<'_>,
    mut e: TimeEntry,
) -> Result<TimeEntry> {
    let target = match e.step {
        Some(step) => Target::Step(e.ticket, step),
        None => Target::Ticket(e.ticket),
    };
    let gone = matches!(
        target.resolve(w, ctx),
        Err(Error::TicketNotFound(_) | Error::SubtaskNotFound(_))
    );
    if gone || e.spent(ctx.now) < Duration::minutes(1) {
        w.delete_time(e.id)?;
        // Said as what it recorded: nothing.
        e.stopped = Some(e.started);
    } else {
        log_spent(w, ctx, &e)?;
    }
    Ok(e)
}

/// The stretch in the ticket's history: `time: 25m`.
fn log_spent(w: &mut crate::store::Writer<'_>, ctx: &ops::Ctx<'_>, e: &TimeEntry) -> Result<()> {
    let text = minutes_text(e.spent(ctx.now));
    ctx.log(
        w,
        e.ticket,
        EventKind::Field,
        Some("time"),
        None,
        Some(&text),
    )
}
