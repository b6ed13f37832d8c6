//! Presentation helpers shared by the CLI and the TUI: localized labels for
//! states, types, priorities and roles; relative ages; local times; one-line
//! descriptions of audit events. Pure: the caller passes `now` and the zone.

mod closure;
mod explain;
mod mail;
pub mod markdown;
pub mod service_report;
pub mod ticket_report;

use chrono::{DateTime, TimeZone, Utc};

pub use closure::{cause_label, closure_pairs, stars, verdict_line};
pub use explain::explain;
pub use mail::{attachment_line, human_size, mail_state};

use crate::domain::{Event, EventKind, Priority, Role, Tier};
use crate::i18n::Catalog;
use crate::text::sanitize_line;
use crate::workflow::Workflow;

/// The label of a state in the catalog's language (the id if unknown).
pub fn state_label(wf: &Workflow, cat: &Catalog, id: &str) -> String {
    wf.state(id)
        .map(|s| s.label.get(cat.lang().code()).to_string())
        .unwrap_or_else(|| sanitize_line(id).into_owned())
}

/// The label of a ticket type in the catalog's language (the id if unknown).
pub fn type_label(wf: &Workflow, cat: &Catalog, id: &str) -> String {
    wf.ticket_type(id)
        .map(|t| t.label.get(cat.lang().code()).to_string())
        .unwrap_or_else(|| sanitize_line(id).into_owned())
}

/// `P1 High`-style name of a priority.
pub fn priority_label(cat: &Catalog, p: Priority) -> String {
    cat.t(&format!("priority.{}", p.as_str())).to_string()
}

pub fn role_label(cat: &Catalog, r: Role) -> String {
    cat.t(&format!("role.{}", r.as_str())).to_string()
}

pub fn tier_label(cat: &Catalog, t: Tier) -> String {
    cat.t(&format!("tier.{}", t.as_str())).to_string()
}

/// A short relative age: `5m`, `3h`, `2d`, `6w` (or the Chinese equivalents).
pub fn age(cat: &Catalog, now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds().max(0);
    let (n, key) = match secs {
        s if s < 60 => (s, "age.seconds"),
        s if s < 3600 => (s / 60, "age.minutes"),
        s if s < 86_400 => (s / 3600, "age.hours"),
        s if s < 86_400 * 14 => (s / 86_400, "age.days"),
        s => (s / (86_400 * 7), "age.weeks"),
    };
    cat.f(key, &[("n", &n)])
}

/// Where a deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueState {
    Ok,
    AtRisk,
    Breached,
}

/// A deadline as a badge that reads without colour too: `4h`, `!40m` at
/// risk, `−2h` breached.
pub fn deadline_badge(
    cat: &Catalog,
    now: DateTime<Utc>,
    due: DateTime<Utc>,
    risk: Option<DateTime<Utc>>,
) -> (String, DueState) {
    let (text, late) = due_badge(cat, now, due);
    if late {
        (text, DueState::Breached)
    } else if risk.is_some_and(|r| now >= r) {
        (cat.f("due.at_risk", &[("t", &text)]), DueState::AtRisk)
    } else {
        (text, DueState::Ok)
    }
}

/// A deadline as a short badge: time left (`3h`), or time over (`−2h`)
/// with `true` for late.
pub fn due_badge(cat: &Catalog, now: DateTime<Utc>, due: DateTime<Utc>) -> (String, bool) {
    if due > now {
        (cat.f("due.ahead", &[("t", &age(cat, due, now))]), false)
    } else {
        (cat.f("due.late", &[("t", &age(cat, now, due))]), true)
    }
}

/// `2026-11-20 14:03` in the given zone.
pub fn local_time<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    t.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string()
}

/// An SLA clock in words, and whether it needs attention (at risk or
/// breached): `3h left`, `at risk · 40m left`, `breached 2d ago`, `met`.
pub fn clock_text(
    cat: &Catalog,
    state: crate::sla::ClockState,
    now: DateTime<Utc>,
) -> (String, bool) {
    use crate::sla::ClockState;
    match state {
        ClockState::Met => (cat.t("clock.met").to_string(), false),
        ClockState::MetLate => (cat.t("clock.met_late").to_string(), true),
        ClockState::Running { due, risk } => {
            let left = age(cat, due, now);
            if now >= risk {
                (cat.f("clock.at_risk", &[("t", &left)]), true)
            } else {
                (cat.f("clock.left", &[("t", &left)]), false)
            }
        }
        ClockState::Paused { left } => {
            let t = age(cat, now + left, now);
            (cat.f("clock.paused", &[("t", &t)]), false)
        }
        ClockState::Breached { due } => {
            (cat.f("clock.breached", &[("t", &age(cat, now, due))]), true)
        }
        ClockState::Never => (cat.t("clock.never").to_string(), true),
    }
}

/// A customer 360 as lines, for `tdesk customer show` and the TUI's
/// customer pane: who, their local time now, handles, orders, notes, and
/// their tickets. Everything they or others wrote is sanitised here.
pub fn customer_lines(
    cat: &Catalog,
    workflow: &Workflow,
    p: &crate::service::CustomerProfile,
    now: DateTime<Utc>,
    tz: &chrono::FixedOffset,
) -> Vec<String> {
    let c = &p.customer;
    let mut lines = vec![format!(
        "#{} {} · {} · {}",
        c.id,
        sanitize_line(&c.name),
        tier_label(cat, c.tier),
        sanitize_line(c.country.as_deref().unwrap_or("–"))
    )];
    if let Some(zone) = c
        .timezone
        .as_deref()
        .and_then(|z| z.parse::<chrono_tz::Tz>().ok())
    {
        let local = now.with_timezone(&zone);
        let part = match chrono::Timelike::hour(&local) {
            6..=11 => "customer.morning",
            12..=17 => "customer.afternoon",
            18..=21 => "customer.evening",
            _ => "customer.night",
        };
        lines.push(cat.f(
            "customer.local_time",
            &[
                ("time", &local.format("%H:%M")),
                ("part", &cat.t(part)),
                ("zone", &zone.name()),
            ],
        ));
    }
    for (kind, value) in &p.handles {
        lines.push(format!("{kind}: {}", sanitize_line(value)));
    }
    if !p.orders.is_empty() {
        lines.push(cat.f(
            "cli.customer_orders",
            &[("orders", &sanitize_line(&p.orders.join(", ")))],
        ));
    }
    lines.extend(p.notes.lines().map(|l| sanitize_line(l).into_owned()));
    if p.withheld {
        lines.push(cat.t("customer.withheld").to_string());
    }
    let rating = p
        .last_rating
        .map_or_else(|| "–".to_string(), |r| r.to_string());
    lines.push(cat.f(
        "cli.customer_tickets",
        &[
            ("count", &p.tickets.len()),
            ("open", &p.open),
            ("rating", &rating),
        ],
    ));
    // One timeline, newest first: each ticket where it was opened, each of
    // the customer's messages where it arrived.
    let mut timeline: Vec<(DateTime<Utc>, String)> = p
        .tickets
        .iter()
        .map(|t| {
            let line = format!(
                "#{} {} {} {}",
                t.id,
                local_time(t.created_at, tz),
                state_label(workflow, cat, &t.status),
                sanitize_line(&t.title)
            );
            (t.created_at, line)
        })
        .collect();
    timeline.extend(p.messages.iter().map(|m| {
        let first = m.body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let line = format!(
            "#{} {}   ✉ {}",
            m.ticket,
            local_time(m.created_at, tz),
            crate::text::truncate(&sanitize_line(first), 60)
        );
        (m.created_at, line)
    }));
    timeline.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    lines.extend(timeline.into_iter().map(|(_, line)| line));
    lines
}

/// A ticket's links a line each (`blocked by #7 Parcel lost · In
/// progress`), and one line counting those to tickets the member may not
/// see, never their numbers or titles.
pub fn link_lines(
    cat: &Catalog,
    workflow: &crate::workflow::Workflow,
    links: &crate::domain::Links,
) -> Vec<String> {
    let mut out: Vec<String> = links
        .shown
        .iter()
        .map(|l| {
            format!(
                "{} #{} {} · {}",
                cat.t(&format!("link.{}", l.kind.side(l.outgoing))),
                l.id,
                sanitize_line(&l.title),
                state_label(workflow, cat, &l.status)
            )
        })
        .collect();
    if links.hidden > 0 {
        out.push(cat.f("link.hidden", &[("count", &links.hidden)]));
    }
    out
}

/// A ticket's title, led by its subtasks' progress when it has any
/// (`[1/3] Return of order A1001`), so lists and boards show how far
/// broken-down work is.
pub fn titled_with_steps(r: &crate::domain::TicketRow) -> String {
    if r.steps.is_none() {
        r.title.clone()
    } else {
        format!("[{}] {}", r.steps, r.title)
    }
}

/// One line saying what a notice is about, e.g. `li.na assigned #12 to you`.
/// Everything another user wrote is sanitised here.
pub fn notice_text(cat: &Catalog, n: &crate::domain::Notification) -> String {
    use crate::domain::NoticeKind;
    let id = n
        .ticket
        .map(|t| t.to_string())
        .unwrap_or_else(|| "–".into());
    let actor = sanitize_line(&n.actor);
    let detail = or_dash(n.detail.as_deref());
    match n.kind {
        NoticeKind::Assigned => cat.f("notice.assigned", &[("actor", &actor), ("id", &id)]),
        NoticeKind::Mention => cat.f(
            "notice.mention",
            &[("actor", &actor), ("id", &id), ("excerpt", &detail)],
        ),
        NoticeKind::CustomerReply => cat.f("notice.customer_reply", &[("id", &id)]),
        NoticeKind::Escalated => cat.f("notice.escalated", &[("id", &id), ("step", &detail)]),
        NoticeKind::Unhappy => cat.f("notice.unhappy", &[("id", &id), ("verdict", &detail)]),
        NoticeKind::Bounced => cat.f("notice.bounced", &[("id", &id), ("reason", &detail)]),
        NoticeKind::Step => cat.f(
            "notice.step",
            &[("actor", &actor), ("id", &id), ("step", &detail)],
        ),
        NoticeKind::Watched => {
            let what = n
                .detail
                .as_deref()
                .map(|k| change_label(cat, k))
                .unwrap_or_default();
            cat.f(
                "notice.watched",
                &[("actor", &actor), ("id", &id), ("what", &what)],
            )
        }
    }
}

fn or_dash(v: Option<&str>) -> String {
    v.filter(|s| !s.is_empty())
        .map(|s| sanitize_line(s).into_owned())
        .unwrap_or_else(|| "–".to_string())
}

/// One line saying what an event changed, e.g. `status: Unassigned → In progress`.
pub fn describe_event(wf: &Workflow, cat: &Catalog, e: &Event) -> String {
    let old = e.old.as_deref();
    let new = e.new.as_deref();
    match e.kind {
        EventKind::Created => cat.f(
            "event.created",
            &[("state", &state_label(wf, cat, new.unwrap_or("")))],
        ),
        EventKind::Status => cat.f(
            "event.status",
            &[
                ("from", &state_label(wf, cat, old.unwrap_or(""))),
                ("to", &state_label(wf, cat, new.unwrap_or(""))),
            ],
        ),
        EventKind::Assigned => cat.f(
            "event.assigned",
            &[("from", &or_dash(old)), ("to", &or_dash(new))],
        ),
        EventKind::Field => {
            let field = e.field.as_deref().unwrap_or("");
            let name = match field {
                f if f.starts_with("custom.") => sanitize_line(f).into_owned(),
                f => cat.t(&format!("field.{f}")).to_string(),
            };
            // A link reads `blocked by #7` in the reader's language.
            let link_text = |v: Option<&str>| {
                v.map(|t| match t.split_once(" #") {
                    Some((side, n)) => {
                        format!("{} #{}", cat.t(&format!("link.{side}")), sanitize_line(n))
                    }
                    None => sanitize_line(t).into_owned(),
                })
            };
            if field == "link" {
                return cat.f(
                    "event.field",
                    &[
                        ("field", &name),
                        ("from", &link_text(old).unwrap_or_else(|| "–".into())),
                        ("to", &link_text(new).unwrap_or_else(|| "–".into())),
                    ],
                );
            }
            match field {
                "description" | "resolution" => cat.f("event.field_text", &[("field", &name)]),
                "tag" if old.is_none() => cat.f(
                    "event.tag_added",
                    &[("tag", &tags_label(wf, cat, &[new.unwrap_or("").into()]))],
                ),
                "tag" => cat.f(
                    "event.tag_removed",
                    &[("tag", &tags_label(wf, cat, &[old.unwrap_or("").into()]))],
                ),
                "cause" => {
                    let shown =
                        |v: Option<&str>| v.map_or_else(|| "–".into(), |v| cause_label(wf, cat, v));
                    cat.f(
                        "event.field",
                        &[("field", &name), ("from", &shown(old)), ("to", &shown(new))],
                    )
                }
                "category" => cat.f(
                    "event.field",
                    &[
                        ("field", &name),
                        ("from", &category_label(wf, cat, old)),
                        ("to", &category_label(wf, cat, new)),
                    ],
                ),
                "type" => {
                    let shown =
                        |v: Option<&str>| v.map_or_else(|| "–".into(), |v| type_label(wf, cat, v));
                    cat.f(
                        "event.field",
                        &[("field", &name), ("from", &shown(old)), ("to", &shown(new))],
                    )
                }
                _ => cat.f(
                    "event.field",
                    &[
                        ("field", &name),
                        ("from", &or_dash(old)),
                        ("to", &or_dash(new)),
                    ],
                ),
            }
        }
        EventKind::Comment if e.field.as_deref() == Some("note") => cat.t("event.note").to_string(),
        EventKind::Comment if e.field.as_deref() == Some("retracted") => {
            cat.t("event.retracted").to_string()
        }
        EventKind::Comment if e.field.as_deref() == Some(crate::domain::CUSTOMER_MESSAGE) => {
            cat.t("event.customer_message").to_string()
        }
        EventKind::Comment => match e.field.as_deref().and_then(|f| f.strip_prefix("reply:")) {
            Some(channel) => cat.f(
                "event.reply_given",
                &[("channel", &cat.t(&format!("channel.{channel}")))],
            ),
            None => cat.t("event.reply").to_string(),
        },
        EventKind::Accepted => {
            let said = match new {
                Some(r) => cat.f("event.accepted_rating", &[("rating", &or_dash(Some(r)))]),
                None => cat.t("event.accepted").to_string(),
            };
            match e.field.as_deref() {
                Some(by @ ("supervisor" | "silence")) => {
                    format!("{said} ({})", cat.t(&format!("accepted_by.{by}")))
                }
                _ => said,
            }
        }
        EventKind::Override => cat.f("event.override", &[("reason", &or_dash(new))]),
        EventKind::User => cat.f(
            "event.user",
            &[
                ("login", &or_dash(e.field.as_deref())),
                ("from", &or_dash(old)),
                ("to", &or_dash(new)),
            ],
        ),
        EventKind::Workflow => cat.f("event.workflow", &[("source", &or_dash(new))]),
        EventKind::Verdict => verdict_text(cat, e.field.as_deref(), new),
        EventKind::Bounced => cat.f(
            "event.bounced",
            &[
                ("to", &or_dash(e.field.as_deref())),
                ("reason", &or_dash(new)),
            ],
        ),
        EventKind::Article => cat.f(
            "event.article",
            &[
                ("article", &or_dash(e.field.as_deref())),
                (
                    "what",
                    &cat.t(&format!("kb.did_{}", new.unwrap_or("edited"))),
                ),
            ],
        ),
    }
}

/// A verdict event in words: `customer's verdict ★★☆☆☆ · not satisfied (by mail)`.
fn verdict_text(cat: &Catalog, source: Option<&str>, value: Option<&str>) -> String {
    let mut parts = value.unwrap_or("").split_whitespace();
    let rating = parts
        .next()
        .and_then(|r| r.parse::<u8>().ok())
        .map(stars)
        .unwrap_or_default();
    let said = match parts.next() {
        Some("yes") => cat.t("verdict.satisfied").to_string(),
        Some("no") => cat.t("verdict.unsatisfied").to_string(),
        _ => String::new(),
    };
    let what: Vec<String> = [rating, said]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    let source = source.map_or_else(String::new, |s| {
        format!(" ({})", cat.t(&format!("verdict.via_{}", sanitize_line(s))))
    });
    cat.f(
        "event.verdict",
        &[("verdict", &format!("{}{source}", what.join(" · ")))],
    )
}

/// Both SLA clocks in words, with the calendar they follow; true when one
/// is at risk or breached.
pub fn clocks_line(
    cat: &Catalog,
    clocks: &crate::service::SlaClocks,
    now: DateTime<Utc>,
) -> (String, bool) {
    let (response, r_alert) = clock_text(cat, clocks.response, now);
    let (resolve, s_alert) = clock_text(cat, clocks.resolve, now);
    let calendar = clocks
        .calendar_label
        .as_ref()
        .map_or(clocks.calendar.as_str(), |l| l.get(cat.lang().code()));
    let text = cat.f(
        "clock.both",
        &[
            ("response", &response),
            ("resolve", &resolve),
            ("calendar", &sanitize_line(calendar)),
        ],
    );
    (text, r_alert || s_alert)
}

/// Why undo left ticket `id` as it is, in one line.
pub fn undo_refusal<Tz: chrono::TimeZone>(
    cat: &Catalog,
    id: i64,
    why: &crate::service::UndoRefusal,
    tz: &Tz,
) -> String
where
    Tz::Offset: std::fmt::Display,
{
    use crate::service::UndoRefusal;
    match why {
        UndoRefusal::ChangedSince { by, at } => cat.f(
            "cli.undo_refused",
            &[
                ("id", &id),
                ("by", &sanitize_line(by)),
                ("at", &local_time(*at, tz)),
            ],
        ),
        UndoRefusal::Workflow => cat.f("cli.undo_refused_engine", &[("id", &id)]),
        UndoRefusal::Gone => cat.f("cli.undo_refused_gone", &[("id", &id)]),
    }
}

/// A stored change kind in the member's language; a kind this build does
/// not know (written by another version) is shown as stored.
pub fn change_label(cat: &Catalog, kind: &str) -> String {
    match crate::domain::ChangeKind::parse(kind) {
        Some(k) => cat.t(&format!("change.{}", k.as_str())).to_string(),
        None => sanitize_line(kind).into_owned(),
    }
}

/// What kind of message a comment is, as the conversation tags it:
/// internal note, the customer's message, a reply, or a reply given on
/// another channel ("reply · Phone", from the event that recorded it).
pub fn comment_kind(cat: &Catalog, c: &crate::domain::Comment, events: &[Event]) -> String {
    if c.internal {
        return cat.t("detail.internal").to_string();
    }
    if crate::domain::is_customer_author(&c.author) {
        return cat.t("detail.customer").to_string();
    }
    let id = c.id.to_string();
    let given = events.iter().find_map(|e| {
        (e.kind == EventKind::Comment && e.new.as_deref() == Some(id.as_str()))
            .then(|| e.field.as_deref()?.strip_prefix("reply:"))
            .flatten()
    });
    match given.and_then(|ch| crate::domain::Channel::parse(ch).ok()) {
        Some(channel) => cat.f(
            "detail.reply_via",
            &[("channel", &cat.t(&format!("channel.{}", channel.as_str())))],
        ),
        None => cat.t("detail.reply").to_string(),
    }
}

/// Labels of the desk's automations by name.
pub type AutomationLabels = std::collections::BTreeMap<String, crate::domain::Label>;

/// Who did something, as screens show it: a member's login, or an
/// automation by the label the desk gives it in the member's language
/// (built-in actors such as mail intake by the catalog's).
pub fn actor_label(cat: &Catalog, automations: &AutomationLabels, actor: &str) -> String {
    let Some(name) = actor.strip_prefix(crate::domain::AUTOMATION_PREFIX) else {
        return sanitize_line(actor).into_owned();
    };
    let shown = match automations.get(name) {
        Some(label) => label.get(cat.lang().code()).to_string(),
        None => cat
            .get(&format!("actor.{name}"))
            .map_or_else(|| name.to_string(), str::to_string),
    };
    cat.f("actor.automation", &[("name", &sanitize_line(&shown))])
}

/// A category path by the labels the desk's workflow gives its levels.
pub fn category_label(wf: &Workflow, cat: &Catalog, category: Option<&str>) -> String {
    match category {
        Some(c) => sanitize_line(&wf.category_label(c, cat.lang().code())).into_owned(),
        None => "–".into(),
    }
}

/// Tags by their labels, comma-separated ("–" for none).
pub fn tags_label(wf: &Workflow, cat: &Catalog, tags: &[String]) -> String {
    if tags.is_empty() {
        return "–".into();
    }
    let shown: Vec<&str> = tags
        .iter()
        .map(|t| wf.tag_label(t, cat.lang().code()))
        .collect();
    sanitize_line(&shown.join(", ")).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + secs, 0).expect("valid")
    }

    #[test]
    fn ages_pick_the_right_unit() {
        let cat = Catalog::new(Lang::En);
        assert_eq!(age(&cat, at(30), at(0)), "30s");
        assert_eq!(age(&cat, at(300), at(0)), "5m");
        assert_eq!(age(&cat, at(3 * 3600), at(0)), "3h");
        assert_eq!(age(&cat, at(2 * 86_400), at(0)), "2d");
        assert_eq!(age(&cat, at(30 * 86_400), at(0)), "4w");
        assert_eq!(
            age(&cat, at(0), at(100)),
            "0s",
            "clock skew never goes negative"
        );
        let zh = Catalog::new(Lang::ZhCn);
        assert_eq!(age(&zh, at(2 * 86_400), at(0)), "2天");
    }

    #[test]
    fn status_events_use_state_labels_in_the_ui_language() {
        let wf = Workflow::default_workflow();
        let e = Event {
            id: 1,
            ticket: Some(1),
            actor: "a".into(),
            at: at(0),
            kind: EventKind::Status,
            field: None,
            old: Some("new".into()),
            new: Some("in_progress".into()),
        };
        assert_eq!(
            describe_event(&wf, &Catalog::new(Lang::En), &e),
            "status: Unassigned → In progress"
        );
        assert_eq!(
            describe_event(&wf, &Catalog::new(Lang::ZhCn), &e),
            "状态:待分配 → 处理中"
        );
    }

    #[test]
    fn event_values_from_users_are_sanitised() {
        let wf = Workflow::default_workflow();
        let e = Event {
            id: 1,
            ticket: Some(1),
            actor: "a".into(),
            at: at(0),
            kind: EventKind::Field,
            field: Some("title".into()),
            old: Some("ok".into()),
            new: Some("evil\x1b[2Jtitle".into()),
        };
        let text = describe_event(&wf, &Catalog::new(Lang::En), &e);
        assert!(!text.contains('\x1b'), "{text}");
    }
}
