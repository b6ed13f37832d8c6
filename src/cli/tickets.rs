//! Ticket subcommands: add, list, show, move, assign, comment, edit, accept, history.

use chrono::Local;

use super::args::{
    AcceptArgs, AddArgs, AssignArgs, CommentArgs, CsatArgs, EditArgs, ListArgs, MoveArgs, ShowArgs,
};
use super::output::{self, Table, block, fields, line};
use super::{Session, Streams, text_arg};
use crate::domain::{
    Category, Channel, ListRequest, NewTicket, Priority, SortKey, TicketChanges, TicketDetail,
    parse_deadline,
};
use crate::error::{Error, Result};
use crate::i18n::Catalog;
use crate::present::{
    actor_label, age, attachment_line, category_label, describe_event, explain, local_time,
    mail_state, priority_label, state_label, tags_label, tier_label, type_label,
};
use crate::service::{Desk, MoveOptions, VerdictInput, VerdictOutcome, VerdictSource};

fn parse_category(text: &str) -> Result<Category> {
    Ok(Category::parse(text)?)
}

pub(super) fn parse_due(desk: &Desk, text: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    parse_deadline(text, desk.now(), &desk.timezone()).ok_or_else(|| {
        Error::Invalid(crate::domain::InvalidValue {
            field: "due",
            value: text.to_string(),
            expected: "2d, tomorrow, 2026-11-25, \"2026-11-25 14:00\"".into(),
        })
    })
}

pub fn add(desk: &mut Desk, a: AddArgs, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let description = match &a.body {
        Some(b) => text_arg(b, io)?,
        None => String::new(),
    };
    let new = NewTicket {
        title: a.title,
        description,
        priority: a.priority.as_deref().map(Priority::parse).transpose()?,
        kind: a.kind,
        category: a.category.as_deref().map(parse_category).transpose()?,
        channel: a.channel.as_deref().map(Channel::parse).transpose()?,
        customer_email: a.customer,
        assignee: a.assignee.map(|l| me_to_login(&l, desk)),
        team: a.team,
        tags: a.tags,
        due: a.due.as_deref().map(|d| parse_due(desk, d)).transpose()?,
        ..NewTicket::default()
    };
    let id = desk.create_ticket(new)?;
    line(io.out, &s.cat.f("cli.created_ticket", &[("id", &id)]))
}

pub(super) fn me_to_login(login: &str, desk: &Desk) -> String {
    if login.eq_ignore_ascii_case("me") {
        desk.login().to_string()
    } else {
        login.to_string()
    }
}

pub fn list(desk: &mut Desk, a: ListArgs, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let view = a.view.as_deref().map(|name| desk.view(name)).transpose()?;
    let mut text = super::args::join_query(&a.query);
    if let Some(v) = &view {
        text = format!("{} {text}", v.query).trim().to_string();
    }
    let sort = match a.sort.as_deref() {
        Some(name) => SortKey::parse(name).ok_or_else(|| Error::UnknownValue {
            field: "sort",
            value: name.to_string(),
            known: SortKey::ALL
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })?,
        None => view.as_ref().map(|v| v.sort).unwrap_or_default(),
    };
    let query = desk.parse_query(&text)?;
    // Search results read best newest first unless a sort was asked for.
    let sort = if a.sort.is_none() && query.has_text() {
        SortKey::Number
    } else {
        sort
    };
    let dir = if a.reverse {
        sort.default_dir().flipped()
    } else {
        sort.default_dir()
    };
    if a.explain {
        for l in explain(&query, sort, dir, desk.workflow(), &s.cat, &desk.timezone()) {
            line(io.out, &l)?;
        }
        return Ok(());
    }
    let req = ListRequest {
        query,
        sort,
        dir,
        limit: a.limit,
        offset: 0,
        group: view.as_ref().and_then(|v| v.group),
        backwards: false,
    };
    let rows = desk.list(&req)?;
    if a.json {
        return output::json(io.out, &rows);
    }
    if rows.is_empty() {
        return line(io.out, s.cat.t("cli.no_tickets"));
    }
    let cat = &s.cat;
    let wf = desk.workflow();
    let now = desk.now();
    let mut table = Table::new(&[
        "#",
        cat.t("col.priority"),
        cat.t("col.status"),
        cat.t("col.title"),
        cat.t("col.customer"),
        cat.t("col.assignee"),
        cat.t("col.age"),
    ])
    .flex(3);
    for r in &rows {
        table.push(vec![
            format!("#{}", r.id),
            r.priority.to_string(),
            state_label(wf, cat, &r.status),
            crate::present::titled_with_steps(r),
            r.customer.clone().unwrap_or_else(|| "–".into()),
            r.assignee.clone().unwrap_or_else(|| "–".into()),
            age(cat, now, r.created_at),
        ]);
    }
    io.out
        .write_all(table.render(s.width).as_bytes())
        .map_err(output::io)
}

pub fn show(desk: &mut Desk, a: ShowArgs, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let d = desk.detail(a.id.0)?;
    if a.json {
        return output::json(io.out, &d);
    }
    print_detail(desk, &d, &s.cat, io)
}

fn print_detail(desk: &Desk, d: &TicketDetail, cat: &Catalog, io: &mut Streams<'_>) -> Result<()> {
    let wf = desk.workflow();
    let t = &d.ticket;
    let time = |v: Option<chrono::DateTime<chrono::Utc>>| {
        v.map(|v| local_time(v, &Local))
            .unwrap_or_else(|| "–".into())
    };
    let customer = d
        .customer
        .as_ref()
        .map(|c| {
            let mut parts = vec![c.name.clone()];
            if let Some(e) = &c.email {
                parts[0] = format!("{} <{e}>", c.name);
            }
            parts.push(tier_label(cat, c.tier));
            parts.extend(c.country.clone());
            parts.extend(c.timezone.clone());
            parts.join(" · ")
        })
        .unwrap_or_else(|| "–".into());
    line(
        io.out,
        &format!("#{}  {}", t.id, crate::text::sanitize_line(&t.title)),
    )?;
    let mut pairs = vec![
        (
            cat.t("col.status").to_string(),
            format!("{} ({})", state_label(wf, cat, &t.status), t.status),
        ),
        (
            cat.t("col.priority").to_string(),
            format!("{} {}", t.priority, priority_label(cat, t.priority)),
        ),
        (cat.t("col.type").to_string(), type_label(wf, cat, &t.kind)),
        (
            cat.t("col.category").to_string(),
            category_label(wf, cat, t.category.as_ref().map(|c| c.as_str())),
        ),
        (
            cat.t("col.channel").to_string(),
            cat.t(&format!("channel.{}", t.channel.as_str()))
                .to_string(),
        ),
        (cat.t("col.customer").to_string(), customer),
        (
            cat.t("col.assignee").to_string(),
            t.assignee.clone().unwrap_or_else(|| "–".into()),
        ),
        (
            cat.t("col.team").to_string(),
            t.team.clone().unwrap_or_else(|| "–".into()),
        ),
        (cat.t("col.tags").to_string(), tags_label(wf, cat, &t.tags)),
        (cat.t("col.created").to_string(), time(Some(t.created_at))),
        (cat.t("col.updated").to_string(), time(Some(t.updated_at))),
        (
            cat.t("col.first_response").to_string(),
            time(t.first_response_at),
        ),
        (cat.t("col.resolved").to_string(), time(t.resolved_at)),
        (cat.t("col.closed").to_string(), time(t.closed_at)),
    ];
    if let Some(due) = t.due_at {
        let text = if d.due_manual {
            cat.f("detail.due_by_hand", &[("at", &time(Some(due)))])
        } else {
            time(Some(due))
        };
        pairs.push((cat.t("col.due").to_string(), text));
    }
    if let Ok(clocks) = desk.sla_clocks(t.id) {
        let (text, _) = crate::present::clocks_line(cat, &clocks, desk.now());
        pairs.push((cat.t("col.sla").to_string(), text));
    }
    pairs.extend(crate::present::closure_pairs(
        desk.workflow(),
        cat,
        t,
        &Local,
    ));
    if let Some(m) = desk.ticket_milestone(t.id)? {
        pairs.push((
            cat.t("col.milestone").to_string(),
            format!("#{} {}", m.id, m.name),
        ));
    }
    for (k, v) in &t.custom {
        pairs.push((k.clone(), v.to_string()));
    }
    pairs.push((cat.t("col.version").to_string(), t.version.to_string()));
    fields(io.out, &pairs)?;
    if !t.description.is_empty() {
        line(io.out, "")?;
        line(io.out, cat.t("detail.description"))?;
        block(io.out, &t.description, "  ")?;
    }
    let links = desk.links(t.id)?;
    if !links.shown.is_empty() || links.hidden > 0 {
        line(io.out, "")?;
        line(io.out, cat.t("detail.links"))?;
        for l in crate::present::link_lines(cat, wf, &links) {
            line(io.out, &format!("  {l}"))?;
        }
    }
    let steps = desk.subtasks(t.id)?;
    if !steps.is_empty() {
        line(io.out, "")?;
        line(
            io.out,
            &cat.f(
                "detail.subtasks",
                &[("progress", &crate::domain::Progress::of(&steps))],
            ),
        )?;
        for step in &steps {
            line(io.out, &format!("  {}", subtask_line(step, desk.now())))?;
        }
    }
    let files = desk.attachments(t.id)?;
    let outgoing = desk.mail_queue(Some(t.id))?;
    let automations = desk.automation_labels();
    let ready = desk.mail_ready()?;
    let ticket_files: Vec<_> = files.iter().filter(|a| a.comment.is_none()).collect();
    if !ticket_files.is_empty() {
        line(io.out, "")?;
        line(
            io.out,
            &cat.f("detail.attachments", &[("count", &ticket_files.len())]),
        )?;
        for a in ticket_files {
            line(io.out, &format!("  {}", attachment_line(cat, a)))?;
        }
    }
    line(io.out, "")?;
    line(
        io.out,
        &cat.f("detail.conversation", &[("count", &d.comments.len())]),
    )?;
    for c in &d.comments {
        let kind = crate::present::comment_kind(cat, c, &d.events);
        line(
            io.out,
            &format!(
                "  {}  {}  [{kind}]",
                local_time(c.created_at, &Local),
                actor_label(cat, &automations, &c.author)
            ),
        )?;
        if let Some(o) = outgoing.iter().find(|o| o.comment == c.id) {
            line(
                io.out,
                &format!("    {}", mail_state(cat, o, &Local, ready).0),
            )?;
        }
        block(io.out, &c.body, "    ")?;
        for a in files.iter().filter(|a| a.comment == Some(c.id)) {
            line(io.out, &format!("    {}", attachment_line(cat, a)))?;
        }
    }
    Ok(())
}

/// `☐ 3  Refund the buyer · finance.wu · due 2026-12-01 (overdue)`.
fn subtask_line(step: &crate::domain::Subtask, now: chrono::DateTime<chrono::Utc>) -> String {
    let mark = if step.is_done() { "☑" } else { "☐" };
    let mut out = format!(
        "{mark} {:<3} {}",
        step.id,
        crate::text::sanitize_line(&step.title)
    );
    if let Some(a) = &step.assignee {
        out.push_str(&format!(" · {}", crate::text::sanitize_line(a)));
    }
    if let Some(d) = step.due {
        out.push_str(&format!(" · {}", local_time(d, &Local)));
        if step.is_overdue(now) {
            out.push_str(" !");
        }
    }
    if !step.note.is_empty() {
        out.push_str(&format!(" — {}", crate::text::sanitize_line(&step.note)));
    }
    out
}

pub fn move_ticket(desk: &mut Desk, a: MoveArgs, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let opts = MoveOptions {
        note: a.note,
        cause: a.cause,
        prevention: a.prevention,
        override_requirements: a.override_requirements,
        expected_version: a.if_version,
    };
    let t = desk.move_ticket(a.id.0, &a.state, &opts)?;
    let wf = desk.workflow();
    let label = state_label(wf, &s.cat, &t.status);
    line(
        io.out,
        &s.cat.f("cli.moved", &[("id", &t.id), ("state", &label)]),
    )?;
    // Automations that answered the move (resolved → pending acceptance)
    // have moved it on since: say where it is now.
    let now = desk.detail(t.id)?.ticket.status;
    if now != t.status {
        let label = state_label(desk.workflow(), &s.cat, &now);
        line(
            io.out,
            &s.cat.f("cli.moved_on", &[("id", &t.id), ("state", &label)]),
        )?;
    }
    if a.children {
        let out = desk.move_children(t.id, &a.state, &opts)?;
        return children_summary(desk, &out, &label, s, io);
    }
    let open = desk.open_children(t.id)?;
    if !open.is_empty() {
        line(
            io.out,
            &s.cat.f(
                "cli.children_open",
                &[("id", &t.id), ("count", &open.len())],
            ),
        )?;
    }
    Ok(())
}

/// What `--children` did: who moved, who the workflow refused and why.
fn children_summary(
    desk: &Desk,
    out: &crate::service::ChildrenOutcome,
    state: &str,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let cat = &s.cat;
    if !out.moved.is_empty() {
        let list: Vec<String> = out.moved.iter().map(|id| format!("#{id}")).collect();
        line(
            io.out,
            &cat.f(
                "cli.children_moved",
                &[("list", &list.join(", ")), ("state", &state)],
            ),
        )?;
    }
    let wf = desk.workflow();
    for (id, e) in &out.refused {
        let why = e.describe_for(
            cat,
            &|st| state_label(wf, cat, st),
            crate::error::Remedy::Flags,
        );
        line(
            io.out,
            &cat.f("cli.child_refused", &[("id", id), ("why", &why)]),
        )?;
    }
    if out.hidden > 0 {
        line(
            io.out,
            &cat.f("cli.children_hidden", &[("count", &out.hidden)]),
        )?;
    }
    if out.moved.is_empty() && out.refused.is_empty() && out.hidden == 0 {
        line(io.out, cat.t("cli.no_children"))?;
    }
    Ok(())
}

pub fn assign(desk: &mut Desk, a: AssignArgs, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let login = match a.login.as_str() {
        "none" | "-" | "" => None,
        other => Some(me_to_login(other, desk)),
    };
    let t = desk.assign(a.id.0, login.as_deref(), a.if_version)?;
    let msg = match &t.assignee {
        Some(l) => s.cat.f("cli.assigned", &[("id", &t.id), ("login", l)]),
        None => s.cat.f("cli.unassigned", &[("id", &t.id)]),
    };
    line(io.out, &msg)
}

pub fn comment(desk: &mut Desk, a: CommentArgs, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let body = text_arg(&a.body, io)?;
    let files = crate::userfile::read_files(&a.attach, desk.attachment_limit()?)?;
    let kind = match (a.internal, &a.via) {
        (true, _) => crate::domain::CommentKind::Note,
        (false, Some(via)) => crate::domain::CommentKind::Given(
            crate::domain::Channel::parse(via).map_err(Error::Invalid)?,
        ),
        (false, None) => crate::domain::CommentKind::Reply,
    };
    let (c, fate) = desk.post(a.id.0, &body, kind, &files)?;
    let key = match (kind, fate) {
        (crate::domain::CommentKind::Note, _) => "cli.noted",
        (crate::domain::CommentKind::Given(_), _) => "cli.reply_given",
        (_, crate::domain::MailFate::Queued) => "cli.reply_queued",
        (_, crate::domain::MailFate::WaitingForSetUp) => "cli.reply_waiting",
        (_, crate::domain::MailFate::NoAddress) => "cli.reply_no_address",
        (_, crate::domain::MailFate::NotByMail) => "cli.replied",
    };
    line(io.out, &s.cat.f(key, &[("id", &c.ticket)]))
}

pub fn edit(desk: &mut Desk, a: EditArgs, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let mut custom = serde_json::Map::new();
    for kv in &a.custom {
        let (k, v) = kv
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| {
                Error::Invalid(crate::domain::InvalidValue {
                    field: "custom",
                    value: kv.clone(),
                    expected: "KEY=VALUE".into(),
                })
            })?;
        let value = if v.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(v).unwrap_or_else(|_| serde_json::Value::String(v.to_string()))
        };
        custom.insert(k.trim().to_string(), value);
    }
    let changes = TicketChanges {
        title: a.title,
        description: a.body.as_deref().map(|b| text_arg(b, io)).transpose()?,
        priority: a.priority.as_deref().map(Priority::parse).transpose()?,
        kind: a.kind,
        category: match a.category.as_deref() {
            None => None,
            Some("") => Some(None),
            Some(c) => Some(Some(parse_category(c)?)),
        },
        channel: a.channel.as_deref().map(Channel::parse).transpose()?,
        team: a.team.map(|t| Some(t).filter(|t| !t.trim().is_empty())),
        add_tags: a.add_tags,
        remove_tags: a.remove_tags,
        custom,
        due: match a.due.as_deref() {
            None => None,
            Some("") => Some(None),
            Some(d) => Some(Some(parse_due(desk, d)?)),
        },
    };
    let t = desk.edit(a.id.0, &changes, a.if_version)?;
    line(
        io.out,
        &s.cat
            .f("cli.edited", &[("id", &t.id), ("version", &t.version)]),
    )
}

pub fn accept(desk: &mut Desk, a: AcceptArgs, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let outcome = desk.accept(a.id.0, a.rating, a.words.as_deref(), None)?;
    verdict_said(desk, a.id.0, &outcome, s, io)
}

pub fn csat(desk: &mut Desk, a: CsatArgs, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let satisfied = match (a.yes, a.no) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => a
            .comment
            .as_deref()
            .and_then(crate::interchange::verdict::parse_verdict)
            .and_then(|v| v.satisfied),
    };
    let rating = crate::interchange::verdict::parse_verdict(&a.rating)
        .and_then(|v| v.rating)
        .ok_or_else(|| {
            Error::Invalid(crate::domain::InvalidValue {
                field: "rating",
                value: a.rating.clone(),
                expected: "1..5".into(),
            })
        })?;
    let input = VerdictInput {
        rating: Some(rating),
        satisfied,
        words: a.comment,
    };
    let outcome = desk.record_verdict(a.id.0, &input, VerdictSource::Agent, None)?;
    verdict_said(desk, a.id.0, &outcome, s, io)
}

/// What a verdict did, in a line; a good verdict without the customer's
/// words is not an acceptance, and says so with exit code 4.
fn verdict_said(
    desk: &Desk,
    id: i64,
    outcome: &VerdictOutcome,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let text = crate::present::verdict_line(desk.workflow(), &s.cat, id, outcome);
    line(io.out, &text)
}

pub fn history(desk: &mut Desk, a: ShowArgs, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let events = desk.history(a.id.0)?;
    if a.json {
        return output::json(io.out, &events);
    }
    let cat = &s.cat;
    let automations = desk.automation_labels();
    let mut table =
        Table::new(&[cat.t("col.time"), cat.t("col.actor"), cat.t("col.change")]).flex(2);
    for e in &events {
        table.push(vec![
            local_time(e.at, &Local),
            actor_label(cat, &automations, &e.actor),
            describe_event(desk.workflow(), cat, e),
        ]);
    }
    io.out
        .write_all(table.render(s.width).as_bytes())
        .map_err(output::io)
}

pub fn changes(
    desk: &mut Desk,
    limit: usize,
    json: bool,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let changes = desk.recent_changes(limit)?;
    if json {
        return output::json(io.out, &changes);
    }
    let cat = &s.cat;
    let mut table = Table::new(&[
        cat.t("col.change_no"),
        cat.t("col.time"),
        cat.t("col.change"),
        cat.t("col.tickets"),
        cat.t("col.state"),
    ])
    .flex(2);
    for c in &changes {
        let state = match (c.undone_by, c.kind.as_str()) {
            (Some(by), _) => cat.f("cli.undone_by", &[("change", &by)]),
            (None, "undo") => cat.t("cli.an_undo").to_string(),
            _ => String::new(),
        };
        table.push(vec![
            c.id.to_string(),
            local_time(c.at, &Local),
            format!(
                "{} {}",
                crate::present::change_label(cat, &c.kind),
                c.detail
            ),
            c.tickets.to_string(),
            state,
        ]);
    }
    io.out
        .write_all(table.render(s.width).as_bytes())
        .map_err(output::io)
}

pub fn undo(desk: &mut Desk, change: Option<i64>, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let out = desk.undo(change)?;
    let cat = &s.cat;
    line(
        io.out,
        &cat.f(
            "cli.undone",
            &[("change", &out.undone.id), ("count", &out.reverted.len())],
        ),
    )?;
    for (id, why) in &out.refused {
        line(io.err, &crate::present::undo_refusal(cat, *id, why, &Local))?;
    }
    if out.reverted.is_empty() && !out.refused.is_empty() {
        return Err(Error::UndoRefused);
    }
    Ok(())
}

/// `tdesk merge SRC DST`.
pub fn merge(
    desk: &mut Desk,
    src: &str,
    dst: &str,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let number = |t: &str| {
        t.trim()
            .trim_start_matches('#')
            .parse::<i64>()
            .map_err(|_| {
                crate::error::Error::Invalid(crate::domain::InvalidValue::new(
                    "ticket",
                    t,
                    "a ticket number",
                ))
            })
    };
    let (src, dst) = (number(src)?, number(dst)?);
    desk.merge_tickets(src, dst)?;
    // Closed when the workflow has a way there; otherwise it stays where
    // it was, tagged `merged`: say which.
    let status = desk.detail(src)?.ticket.status;
    let wf = desk.workflow();
    if wf.state(&status).is_some_and(|st| st.is_final) {
        line(
            io.out,
            &s.cat.f("cli.merged", &[("src", &src), ("dst", &dst)]),
        )
    } else {
        let state = state_label(wf, &s.cat, &status);
        line(
            io.out,
            &s.cat.f(
                "cli.merged_open",
                &[("src", &src), ("dst", &dst), ("state", &state)],
            ),
        )
    }
}
