//! The ticket detail: fields, description, the conversation (public replies
//! and internal notes marked), and the history. Pre-wrapped so scrolling is exact.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::block;
use crate::domain::TicketDetail;
use crate::domain::TicketRow;
use crate::present::{
    actor_label, attachment_line, category_label, comment_kind, describe_event, local_time,
    mail_state, priority_label, state_label, tags_label, tier_label, type_label,
};
use crate::text::{pad_right, sanitize_block, sanitize_line, truncate, width, wrap};
use crate::tui::app::App;

fn wrapped(lines: &mut Vec<Line<'static>>, text: &str, cols: usize, indent: &str, style: Style) {
    let avail = cols.saturating_sub(width(indent)).max(1);
    for l in wrap(&sanitize_block(text), avail) {
        lines.push(Line::styled(format!("{indent}{l}"), style));
    }
}

fn heading(app: &App, lines: &mut Vec<Line<'static>>, text: String, cols: usize) {
    lines.push(Line::raw(""));
    let rule = "─".repeat(cols.saturating_sub(width(&text) + 4).min(200));
    lines.push(Line::styled(format!("── {text} {rule}"), app.theme.heading));
}

/// The knowledge-base articles that may answer the ticket, a line each.
fn suggestions(app: &App, id: i64, out: &mut Vec<Line<'static>>, cols: usize) {
    let Some((_, hits)) = app
        .detail
        .suggestions
        .as_ref()
        .filter(|(at, hits)| *at == id && !hits.is_empty())
    else {
        return;
    };
    let key = app
        .keymap
        .first_key(app.pane, crate::tui::action::Command::InsertArticle);
    let title = app.cat.f("kb.suggested_key", &[("key", &key)]);
    heading(app, out, title, cols);
    for h in hits {
        let a = &h.article;
        let text = format!(
            "  • {} · {}",
            sanitize_line(&a.title),
            app.cat.t(&format!("visibility.{}", a.visibility.as_str()))
        );
        out.push(Line::styled(truncate(&text, cols.max(1)), app.theme.text));
    }
}

/// The ticket's subtasks with their progress, a line each: done or open,
/// title, owner, due date (marked when overdue, readable without colour).
fn subtasks(app: &App, id: i64, out: &mut Vec<Line<'static>>, cols: usize) {
    let Some((_, steps)) = app
        .detail
        .subtasks
        .as_ref()
        .filter(|(at, steps)| *at == id && !steps.is_empty())
    else {
        return;
    };
    let progress = crate::domain::Progress::of(steps);
    heading(
        app,
        out,
        app.cat.f("detail.subtasks", &[("progress", &progress)]),
        cols,
    );
    let now = app.now;
    for s in steps {
        let mark = if s.is_done() { "☑" } else { "☐" };
        // The step's number is the one `tdesk task` takes.
        let mut text = format!("  {} {mark} {}", s.id, sanitize_line(&s.title));
        if let Some(owner) = &s.assignee {
            text.push_str(&format!(" · {}", sanitize_line(owner)));
        }
        let overdue = s.is_overdue(now);
        if let Some(due) = s.due {
            text.push_str(&format!(" · {}", local_time(due, &app.tz)));
            if overdue {
                text.push_str(&format!(" {}", app.cat.t("detail.overdue")));
            }
        }
        let style = if overdue {
            app.theme.error
        } else if s.is_done() {
            app.theme.dim
        } else {
            app.theme.text
        };
        out.push(Line::styled(truncate(&text, cols.max(1)), style));
    }
}

/// The ticket's links, a line each, and a count of those the member may
/// not see.
fn links(app: &App, id: i64, out: &mut Vec<Line<'static>>, cols: usize) {
    let Some((_, links)) = app
        .detail
        .links
        .as_ref()
        .filter(|(at, l)| *at == id && (!l.shown.is_empty() || l.hidden > 0))
    else {
        return;
    };
    heading(app, out, app.cat.t("detail.links").to_string(), cols);
    for text in crate::present::link_lines(&app.cat, &app.workflow, links) {
        out.push(Line::styled(
            truncate(&format!("  {text}"), cols.max(1)),
            app.theme.text,
        ));
    }
}

/// All lines of the detail view for a width.
pub fn lines(app: &App, d: &TicketDetail, cols: usize) -> Vec<Line<'static>> {
    let t = &d.ticket;
    let cat = &app.cat;
    let time = |v: Option<DateTime<Utc>>| {
        v.map(|v| local_time(v, &app.tz))
            .unwrap_or_else(|| "–".into())
    };
    let mut out = Vec::new();
    let title = format!("#{} {}", t.id, sanitize_line(&t.title));
    for l in wrap(&title, cols.max(1)) {
        out.push(Line::styled(l, app.theme.title));
    }
    // Typed, not sent: said where it cannot be missed, naming which.
    for (internal, key) in [(false, "detail.draft"), (true, "detail.draft_note")] {
        if app.has_draft(t.id, internal) {
            out.push(Line::styled(
                truncate(cat.t(key), cols.max(1)),
                app.theme.error,
            ));
        }
    }
    let others = app.others_here();
    if !others.is_empty() {
        // Logins are account names, but still text from another user.
        let names: Vec<String> = others
            .iter()
            .map(|v| {
                let name = sanitize_line(&v.login);
                if v.editing {
                    cat.f("detail.typing", &[("login", &name)])
                } else {
                    name.into_owned()
                }
            })
            .collect();
        let style = if others.iter().any(|v| v.editing) {
            app.theme.error
        } else {
            app.theme.key
        };
        let text = cat.f("detail.also_here", &[("who", &names.join(", "))]);
        for l in wrap(&text, cols.max(1)) {
            out.push(Line::styled(l, style));
        }
    }
    let label_w = [
        "col.status",
        "col.priority",
        "col.type",
        "col.category",
        "col.channel",
        "col.customer",
        "col.assignee",
        "col.team",
        "col.tags",
        "col.created",
        "col.updated",
        "col.first_response",
        "col.resolved",
        "col.accepted",
        "col.sla",
        "col.due",
    ]
    .iter()
    .map(|k| width(cat.t(k)))
    .max()
    .unwrap_or(10);
    let mut field = |key: &str, value: String, style: Style| {
        let label = pad_right(cat.t(key), label_w);
        let avail = cols.saturating_sub(label_w + 1).max(1);
        let mut first = true;
        for l in wrap(&sanitize_line(&value), avail) {
            let prefix = if first {
                label.clone()
            } else {
                " ".repeat(label_w)
            };
            first = false;
            out.push(Line::from(vec![
                Span::styled(format!("{prefix} "), app.theme.dim),
                Span::styled(l, style),
            ]));
        }
    };
    field(
        "col.status",
        state_label(&app.workflow, cat, &t.status),
        app.theme.text,
    );
    field(
        "col.priority",
        format!("{} {}", t.priority, priority_label(cat, t.priority)),
        app.theme.priority(t.priority),
    );
    let category = category_label(&app.workflow, cat, t.category.as_ref().map(|c| c.as_str()));
    field(
        "col.type",
        format!("{} · {category}", type_label(&app.workflow, cat, &t.kind)),
        app.theme.text,
    );
    field(
        "col.channel",
        cat.t(&format!("channel.{}", t.channel.as_str()))
            .to_string(),
        app.theme.text,
    );
    if let Some(c) = &d.customer {
        let mut parts = vec![c.name.clone()];
        parts.extend(c.email.clone());
        parts.push(tier_label(cat, c.tier));
        parts.extend(c.country.clone());
        parts.extend(c.timezone.clone());
        field("col.customer", parts.join(" · "), app.theme.text);
    }
    let assignee = t.assignee.clone().unwrap_or_else(|| "–".into());
    let team = t.team.clone().unwrap_or_else(|| "–".into());
    field(
        "col.assignee",
        format!("{assignee} · {team}"),
        app.theme.text,
    );
    if !t.tags.is_empty() {
        field(
            "col.tags",
            tags_label(&app.workflow, cat, &t.tags),
            app.theme.text,
        );
    }
    field(
        "col.created",
        format!(
            "{} · {} {}",
            time(Some(t.created_at)),
            cat.t("col.updated"),
            time(Some(t.updated_at))
        ),
        app.theme.text,
    );
    if d.due_manual
        && let Some(due) = t.due_at
    {
        field(
            "col.due",
            cat.f("detail.due_by_hand", &[("at", &local_time(due, &app.tz))]),
            if due < app.now {
                app.theme.error
            } else {
                app.theme.text
            },
        );
    }
    if let Some((id, clocks)) = &app.detail.clocks
        && *id == t.id
    {
        let (text, alert) = crate::present::clocks_line(cat, clocks, app.now);
        field(
            "col.sla",
            text,
            if alert {
                app.theme.error
            } else {
                app.theme.text
            },
        );
    }
    if t.first_response_at.is_some() || t.resolved_at.is_some() {
        field(
            "col.first_response",
            format!(
                "{} · {} {}",
                time(t.first_response_at),
                cat.t("col.resolved"),
                time(t.resolved_at)
            ),
            app.theme.text,
        );
    }
    if let Some(at) = t.accepted_at {
        let stars = t
            .rating
            .map(|r| format!(" · {}", crate::present::stars(r)))
            .unwrap_or_default();
        let by = t
            .closure
            .accepted_by
            .map(|b| format!(" · {}", cat.t(&format!("accepted_by.{}", b.as_str()))))
            .unwrap_or_default();
        field(
            "col.accepted",
            format!("{}{stars}{by}", time(Some(at))),
            app.theme.ok,
        );
    } else if let Some(r) = t.rating {
        field("col.rating", crate::present::stars(r), app.theme.error);
    }
    if t.closure.reopens > 0 {
        field("col.reopens", t.closure.reopens.to_string(), app.theme.text);
    }
    // Possible duplicates: one line under the fields, never pushing them
    // (the status above all) off a small screen.
    if let Some((id, rows)) = &app.detail.similar
        && *id == t.id
        && !rows.is_empty()
    {
        let list: Vec<String> = rows
            .iter()
            .map(|r| format!("#{} {}", r.id, sanitize_line(&r.title)))
            .collect();
        let text = cat.f("detail.similar", &[("list", &list.join(" · "))]);
        out.push(Line::styled(truncate(&text, cols.max(1)), app.theme.key));
    }
    if let Some(r) = &t.resolution {
        heading(app, &mut out, cat.t("col.resolution").to_string(), cols);
        wrapped(&mut out, r, cols, "  ", app.theme.text);
        if let Some(c) = &t.closure.cause {
            let label = crate::present::cause_label(&app.workflow, cat, c);
            let (name, value) = (cat.t("col.cause"), label.as_str());
            let text = cat.f("detail.labelled", &[("label", &name), ("value", &value)]);
            wrapped(&mut out, &text, cols, "  ", app.theme.dim);
        }
        if let Some(p) = &t.closure.prevention {
            let (name, value) = (cat.t("col.prevention"), p.as_str());
            let text = cat.f("detail.labelled", &[("label", &name), ("value", &value)]);
            wrapped(&mut out, &text, cols, "  ", app.theme.dim);
        }
    }
    heading(app, &mut out, cat.t("detail.description").to_string(), cols);
    if t.description.trim().is_empty() {
        out.push(Line::styled(
            format!("  {}", cat.t("detail.no_description")),
            app.theme.dim,
        ));
    } else {
        wrapped(&mut out, &t.description, cols, "  ", app.theme.text);
    }
    links(app, t.id, &mut out, cols);
    subtasks(app, t.id, &mut out, cols);
    suggestions(app, t.id, &mut out, cols);
    let mail = app
        .detail
        .mail
        .as_ref()
        .filter(|(id, _)| *id == t.id)
        .map(|(_, info)| info);
    let files_of = |comment: Option<i64>| {
        mail.into_iter()
            .flat_map(|m| m.attachments.iter())
            .filter(move |a| a.comment == comment)
    };
    let ticket_files: Vec<_> = files_of(None).collect();
    if !ticket_files.is_empty() {
        let title = cat.f("detail.attachments", &[("count", &ticket_files.len())]);
        heading(app, &mut out, title, cols);
        for a in ticket_files {
            wrapped(
                &mut out,
                &attachment_line(cat, a),
                cols,
                "  ",
                app.theme.text,
            );
        }
    }
    heading(
        app,
        &mut out,
        cat.f("detail.conversation", &[("count", &d.comments.len())]),
        cols,
    );
    for c in &d.comments {
        let (tag, style) = if c.internal {
            (comment_kind(cat, c, &d.events), app.theme.internal)
        } else if crate::domain::is_customer_author(&c.author) {
            (comment_kind(cat, c, &d.events), app.theme.key)
        } else {
            (comment_kind(cat, c, &d.events), app.theme.ok)
        };
        out.push(Line::from(vec![
            Span::styled(format!("[{tag}] "), style),
            Span::styled(
                actor_label(cat, &app.automations, &c.author),
                app.theme.title,
            ),
            Span::styled(format!(" · {}", time(Some(c.created_at))), app.theme.dim),
        ]));
        let outgoing = mail.and_then(|m| m.outgoing.iter().find(|o| o.comment == c.id));
        if let Some(o) = outgoing {
            let ready = mail.is_none_or(|m| m.ready);
            let (text, alert) = mail_state(cat, o, &app.tz, ready);
            let style = if alert {
                app.theme.error
            } else {
                app.theme.dim
            };
            wrapped(&mut out, &text, cols, "  ", style);
        }
        wrapped(
            &mut out,
            &c.body,
            cols,
            "  ",
            if c.internal {
                app.theme.internal
            } else {
                app.theme.text
            },
        );
        for a in files_of(Some(c.id)) {
            wrapped(
                &mut out,
                &attachment_line(cat, a),
                cols,
                "  ",
                app.theme.dim,
            );
        }
    }
    heading(app, &mut out, cat.t("detail.history").to_string(), cols);
    for e in &d.events {
        let head = format!(
            "{} {} ",
            time(Some(e.at)),
            actor_label(cat, &app.automations, &e.actor)
        );
        let text = describe_event(&app.workflow, cat, e);
        let avail = cols.saturating_sub(width(&head)).max(1);
        for (i, l) in wrap(&text, avail).into_iter().enumerate() {
            let prefix = if i == 0 {
                head.clone()
            } else {
                " ".repeat(width(&head))
            };
            out.push(Line::from(vec![
                Span::styled(prefix, app.theme.dim),
                Span::raw(l),
            ]));
        }
    }
    out
}

/// Draws the detail pane (or, unfocused, the list's preview).
pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let outer = block(app, format!(" {} ", app.cat.t("tab.detail")), focused);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    // The ticket asked for last: until it arrives from its worker, the
    // fields the list row has are drawn at once, the rest marked loading.
    let loaded = app
        .detail
        .ticket
        .as_ref()
        .filter(|d| app.detail.wanted.is_none_or(|w| w == d.ticket.id));
    let Some(d) = loaded else {
        // A preview of an empty list has nothing to wait for.
        if !focused && app.list.loaded && app.list.is_empty() {
            return;
        }
        let row = app
            .list
            .selected_row()
            .filter(|r| app.detail.wanted.is_none_or(|w| w == r.id));
        let mut shown = row
            .map(|r| row_lines(app, r, usize::from(inner.width)))
            .unwrap_or_default();
        let msg = app
            .cat
            .t(if focused && row.is_none() && app.detail.wanted.is_none() {
                "detail.none"
            } else {
                "tui.loading"
            });
        shown.push(Line::styled(msg.to_string(), app.theme.dim));
        frame.render_widget(Paragraph::new(shown), inner);
        return;
    };
    let all = lines(app, d, usize::from(inner.width));
    let max_scroll = all.len().saturating_sub(usize::from(inner.height));
    let scroll = if focused {
        usize::from(app.detail.scroll).min(max_scroll)
    } else {
        0
    };
    let shown: Vec<Line> = all
        .into_iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// What a list row tells of a ticket, drawn while the rest loads.
fn row_lines<'a>(app: &App, r: &TicketRow, cols: usize) -> Vec<Line<'a>> {
    let cat = &app.cat;
    let mut out: Vec<Line> = wrap(
        &format!("#{} {}", r.id, sanitize_line(&r.title)),
        cols.max(1),
    )
    .into_iter()
    .map(|l| Line::styled(l, app.theme.title))
    .collect();
    let assignee = r.assignee.clone().unwrap_or_else(|| "–".into());
    let team = r.team.clone().unwrap_or_else(|| "–".into());
    for (key, value) in [
        ("col.status", state_label(&app.workflow, cat, &r.status)),
        (
            "col.priority",
            format!("{} {}", r.priority, priority_label(cat, r.priority)),
        ),
        ("col.assignee", format!("{assignee} · {team}")),
    ] {
        let text = format!("{}  {}", cat.t(key), sanitize_line(&value));
        out.push(Line::styled(truncate(&text, cols.max(1)), app.theme.text));
    }
    out
}

/// The largest useful scroll offset of the detail pane on a screen of `size`.
pub fn max_scroll(app: &App, size: (u16, u16)) -> u16 {
    let Some(d) = &app.detail.ticket else {
        return 0;
    };
    let [_, body, _] = crate::tui::layout::frame(Rect::new(0, 0, size.0, size.1));
    let inner = crate::tui::layout::inner(body);
    let total = lines(app, d, usize::from(inner.width)).len();
    u16::try_from(total.saturating_sub(usize::from(inner.height))).unwrap_or(u16::MAX)
}

/// Triage: the ticket under the list's cursor, full text, with how many are left.
pub fn draw_triage(frame: &mut Frame, app: &App, area: Rect) {
    let left = super::chrome::total_text(app.triage_left());
    let title = app.cat.f("triage.title", &[("left", &left)]);
    let outer = block(app, format!(" {title} "), true);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let current = app.list.selected_row().map(|r| r.id);
    match &app.detail.ticket {
        Some(d) if Some(d.ticket.id) == current => {
            let all = lines(app, d, usize::from(inner.width));
            let max_scroll = all.len().saturating_sub(usize::from(inner.height));
            let scroll = usize::from(app.detail.scroll).min(max_scroll);
            let shown: Vec<Line> = all
                .into_iter()
                .skip(scroll)
                .take(usize::from(inner.height))
                .collect();
            frame.render_widget(Paragraph::new(shown), inner);
        }
        _ => {
            // What the row knows, at once; the rest when it arrives.
            let mut shown = app
                .list
                .selected_row()
                .map(|r| row_lines(app, r, usize::from(inner.width)))
                .unwrap_or_default();
            let msg = app.cat.t(if current.is_none() {
                "triage.done"
            } else {
                "tui.loading"
            });
            shown.push(Line::styled(msg.to_string(), app.theme.dim));
            frame.render_widget(Paragraph::new(shown), inner);
        }
    }
}
