//! Overlays drawn over the panes: help, filter bar, menus, note prompt,
//! comment editor and the ticket form.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{block, centered, input};
use crate::text::{pad_right, sanitize_line, truncate, width};
use crate::tui::app::{App, FieldKind, Menu, MenuKind, NoteKind, Overlay, TicketForm};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, footer: Rect) {
    match &app.overlay {
        None => {}
        Some(Overlay::Help { scroll }) => help(frame, app, area, *scroll),
        Some(Overlay::Filter { input: text, error }) => {
            filter(frame, app, text, error.as_deref(), footer)
        }
        Some(Overlay::Menu(menu)) => self::menu(frame, app, area, menu),
        Some(Overlay::Note {
            kind, input: text, ..
        }) => note(frame, app, area, *kind, text),
        Some(Overlay::Comment {
            id,
            internal,
            input: text,
        }) => comment(frame, app, area, (*id, *internal), text),
        Some(Overlay::Form(form)) => self::form(frame, app, area, form),
        Some(Overlay::Resolve(form)) => resolve(frame, app, area, form),
        Some(Overlay::Summary {
            title,
            lines,
            scroll,
        }) => summary(frame, app, area, title, lines, *scroll),
        Some(Overlay::Customer {
            profile,
            selected,
            scroll,
        }) => customer(frame, app, area, profile, *selected, *scroll),
        Some(Overlay::Prompt {
            purpose,
            input: text,
        }) => prompt(frame, app, area, purpose, text),
        Some(Overlay::Palette {
            input: text,
            selected,
        }) => palette(frame, app, area, text, *selected),
        Some(Overlay::Search(popup)) => super::search::draw(frame, app, area, popup),
    }
}

fn summary(frame: &mut Frame, app: &App, area: Rect, title: &str, lines: &[String], scroll: u16) {
    let popup = centered(area, 76, area.height.saturating_sub(4));
    frame.render_widget(Clear, popup);
    let outer = block(
        app,
        format!(
            " {} ",
            truncate(
                &sanitize_line(title),
                usize::from(popup.width.saturating_sub(4))
            )
        ),
        true,
    );
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    let mut out: Vec<Line> = Vec::new();
    for l in lines.iter().skip(1) {
        for w in crate::text::wrap(&sanitize_line(l), usize::from(inner.width).max(1)) {
            out.push(Line::raw(w));
        }
    }
    out.push(Line::styled(
        app.cat.t("summary.hint").to_string(),
        app.theme.dim,
    ));
    frame.render_widget(Paragraph::new(out).scroll((scroll, 0)), inner);
}

/// The customer pane: who they are, then their tickets with a cursor.
fn customer(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    p: &crate::service::CustomerProfile,
    selected: usize,
    scroll: u16,
) {
    let popup = centered(area, 76, area.height.saturating_sub(4));
    frame.render_widget(Clear, popup);
    let outer = block(app, format!(" {} ", app.cat.t("customer.title")), true);
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    let cols = usize::from(inner.width).max(1);
    let mut out: Vec<Line> = Vec::new();
    let mut about = crate::present::customer_lines(&app.cat, &app.workflow, p, app.now, &app.tz);
    // The first line names them; the ticket list below replaces the
    // timeline's ticket lines, with a cursor to open one.
    let tickets_at = about
        .iter()
        .position(|l| l.starts_with('#') && about[0] != *l);
    if let Some(at) = tickets_at {
        about.truncate(at);
    }
    for l in &about {
        for w in crate::text::wrap(&sanitize_line(l), cols) {
            out.push(Line::raw(w));
        }
    }
    for (i, t) in p.tickets.iter().enumerate() {
        let marker = if i == selected { "›" } else { " " };
        let text = format!(
            "{marker} #{} {} {}",
            t.id,
            crate::present::state_label(&app.workflow, &app.cat, &t.status),
            sanitize_line(&t.title)
        );
        let style = if i == selected {
            app.theme.selected
        } else {
            app.theme.text
        };
        out.push(Line::styled(truncate(&text, cols), style));
    }
    out.push(Line::styled(
        app.cat.t("customer.hint").to_string(),
        app.theme.dim,
    ));
    // Keep the cursor's ticket in sight.
    let height = usize::from(inner.height).max(1);
    let cursor_line = out.len().saturating_sub(1 + p.tickets.len()) + selected;
    let follow = cursor_line.saturating_sub(height.saturating_sub(2));
    let scroll = u16::try_from(follow).unwrap_or(u16::MAX).max(scroll);
    frame.render_widget(Paragraph::new(out).scroll((scroll, 0)), inner);
}

fn prompt(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    purpose: &crate::tui::app::Prompt,
    text: &ratatui_textarea::TextArea<'static>,
) {
    let popup = centered(area, 60, 5);
    frame.render_widget(Clear, popup);
    let title = match purpose {
        crate::tui::app::Prompt::Verdict { id, .. } => app.cat.f("prompt.verdict", &[("id", id)]),
        other => app.cat.t(other.title_key()).to_string(),
    };
    let room = usize::from(popup.width.saturating_sub(4));
    let outer = block(app, format!(" {} ", truncate(&title, room)), true);
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    let [field, hint] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    input(frame, text, field, true);
    let hint_key = match purpose {
        crate::tui::app::Prompt::KbSearch => "kb.search_hint",
        _ => "note.hint",
    };
    frame.render_widget(
        Paragraph::new(app.cat.t(hint_key)).style(app.theme.dim),
        hint,
    );
}

fn palette(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    text: &ratatui_textarea::TextArea<'static>,
    selected: usize,
) {
    let popup = centered(area, 64, area.height.saturating_sub(4).min(20));
    frame.render_widget(Clear, popup);
    let outer = block(app, format!(" {} ", app.cat.t("palette.title")), true);
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    let [field, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    input(frame, text, field, true);
    let matches = app.palette_matches(&crate::tui::app::text_of(text));
    let visible = usize::from(list.height).max(1);
    let offset = crate::tui::layout::scroll_to(0, selected, visible);
    let lines: Vec<Line> = matches
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, (cmd, label))| {
            let keys = app.keymap.keys_for(app.pane, *cmd).join(" ");
            let w = usize::from(list.width);
            let text = format!(" {}", label);
            let pad = w.saturating_sub(width(&text) + width(&keys) + 1);
            let style = if i == selected {
                app.theme.selected
            } else {
                app.theme.text
            };
            Line::from(vec![
                Span::styled(
                    format!(
                        "{}{}",
                        truncate(&text, w.saturating_sub(width(&keys) + 1)),
                        " ".repeat(pad)
                    ),
                    style,
                ),
                Span::styled(
                    format!("{keys} "),
                    if i == selected { style } else { app.theme.key },
                ),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

fn help(frame: &mut Frame, app: &App, area: Rect, scroll: u16) {
    // As wide as the screen allows (up to 100), so descriptions read whole.
    let popup = centered(
        area,
        area.width.saturating_sub(2).min(100),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, popup);
    let outer = block(app, format!(" {} ", app.cat.t("help.title")), true);
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    let rows: Vec<(String, &str)> = crate::tui::app::COMMANDS
        .iter()
        .map(|(cmd, key)| {
            // The timeline's ← → move its dates, not board columns.
            let key = match (app.pane, cmd) {
                (crate::tui::app::Pane::Timeline, crate::tui::action::Command::Left) => {
                    "help.pan_earlier"
                }
                (crate::tui::app::Pane::Timeline, crate::tui::action::Command::Right) => {
                    "help.pan_later"
                }
                _ => key,
            };
            (
                app.keymap.keys_for(app.pane, *cmd).join(" "),
                app.cat.t(key),
            )
        })
        .collect();
    let kw = rows
        .iter()
        .map(|(k, _)| width(k))
        .max()
        .unwrap_or(4)
        .min(18);
    // A long description wraps under itself instead of being cut.
    let text_w = usize::from(inner.width).saturating_sub(kw + 2).max(10);
    let mut lines: Vec<Line> = Vec::new();
    for (keys, text) in rows {
        for (i, part) in crate::text::wrap(text, text_w).into_iter().enumerate() {
            let keys = if i == 0 { keys.as_str() } else { "" };
            lines.push(Line::from(vec![
                Span::styled(pad_right(keys, kw), app.theme.key),
                Span::raw(format!("  {part}")),
            ]));
        }
    }
    lines.push(Line::raw(""));
    for l in app.cat.t("help.editing").lines() {
        for part in crate::text::wrap(l, usize::from(inner.width).max(10)) {
            lines.push(Line::styled(part, app.theme.dim));
        }
    }
    let scroll = scroll.min(
        u16::try_from(lines.len())
            .unwrap_or(0)
            .saturating_sub(inner.height),
    );
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

fn filter(
    frame: &mut Frame,
    app: &App,
    text: &ratatui_textarea::TextArea<'static>,
    error: Option<&str>,
    footer: Rect,
) {
    frame.render_widget(Clear, footer);
    let [bar, msg] = Layout::vertical([Constraint::Length(1); 2]).areas(footer);
    let prompt = "/ ";
    frame.render_widget(Paragraph::new(Span::styled(prompt, app.theme.key)), bar);
    let field = Rect {
        x: bar.x + 2,
        width: bar.width.saturating_sub(2),
        ..bar
    };
    input(frame, text, field, true);
    let (line, style) = match error {
        Some(e) => (
            e.lines().next().unwrap_or_default().to_string(),
            app.theme.error,
        ),
        None => (app.cat.t("filter.hint").to_string(), app.theme.dim),
    };
    frame.render_widget(
        Paragraph::new(truncate(&sanitize_line(&line), usize::from(msg.width))).style(style),
        msg,
    );
}

fn menu(frame: &mut Frame, app: &App, area: Rect, menu: &Menu) {
    let title = match &menu.kind {
        MenuKind::Move { id, .. } => app.cat.f("menu.move", &[("id", id)]),
        MenuKind::Assign { id, .. } => app.cat.f("menu.assign", &[("id", id)]),
        MenuKind::Children { parent, .. } => app.cat.f("menu.children", &[("id", parent)]),
        MenuKind::StepAssign { ticket, step } => app
            .cat
            .f("menu.step_assign", &[("id", ticket), ("step", step)]),
        MenuKind::View { .. } => app.cat.t("menu.view").to_string(),
        MenuKind::Undo => app.cat.t("menu.undo").to_string(),
        MenuKind::Inbox => app.cat.t("menu.inbox").to_string(),
        MenuKind::Reply { id } => app.cat.f("menu.reply", &[("id", id)]),
        MenuKind::Article { id } => app.cat.f("menu.article", &[("id", id)]),
        MenuKind::Attachment { id } => app.cat.f("menu.attachments", &[("id", id)]),
        MenuKind::Priority { .. } => app.cat.t("menu.priority").to_string(),
        MenuKind::BulkAssign => app.cat.f(
            "menu.bulk_assign",
            &[("count", &super::chrome::total_text(app.selected_count()))],
        ),
        MenuKind::BulkMove => app.cat.f(
            "menu.bulk_move",
            &[("count", &super::chrome::total_text(app.selected_count()))],
        ),
    };
    let w = menu
        .items
        .iter()
        .map(|i| width(&i.label))
        .max()
        .unwrap_or(10)
        .max(width(&title))
        + 6;
    let h = u16::try_from(menu.items.len())
        .unwrap_or(20)
        .saturating_add(2);
    let popup = centered(area, u16::try_from(w).unwrap_or(60), h);
    frame.render_widget(Clear, popup);
    let outer = block(app, format!(" {title} "), true);
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    let visible = usize::from(inner.height).max(1);
    let offset = crate::tui::layout::scroll_to(0, menu.selected, visible);
    let lines: Vec<Line> = menu
        .items
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, item)| {
            let style = if i == menu.selected {
                app.theme.selected
            } else {
                app.theme.text
            };
            Line::styled(
                pad_right(
                    &format!(" {}", sanitize_line(&item.label)),
                    usize::from(inner.width),
                ),
                style,
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn note(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    kind: NoteKind,
    text: &ratatui_textarea::TextArea<'static>,
) {
    let popup = centered(area, 70, 6);
    frame.render_widget(Clear, popup);
    let outer = block(app, format!(" {} ", app.cat.t(kind.title_key())), true);
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    let [field, _, hint] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    input(frame, text, field, true);
    frame.render_widget(
        Paragraph::new(app.cat.t("note.hint")).style(app.theme.dim),
        hint,
    );
}

/// The resolution dialog: summary, root cause, prevention.
fn resolve(frame: &mut Frame, app: &App, area: Rect, form: &crate::tui::app::resolve::ResolveForm) {
    use crate::tui::app::resolve::ResolveField;
    let cat = &app.cat;
    let popup = centered(area, 72, 14);
    frame.render_widget(Clear, popup);
    let outer = block(
        app,
        format!(" {} ", cat.f("resolve.title", &[("id", &form.id)])),
        true,
    );
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    let [l1, summary, l2, cause, l3, prevention, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(2),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(inner);
    let label = |field: ResolveField, key: &str| {
        let style = if form.focus == field {
            app.theme.key
        } else {
            app.theme.dim
        };
        Paragraph::new(truncate(cat.t(key), usize::from(inner.width))).style(style)
    };
    frame.render_widget(label(ResolveField::Summary, "resolve.summary"), l1);
    input(
        frame,
        &form.summary,
        summary,
        form.focus == ResolveField::Summary,
    );
    frame.render_widget(label(ResolveField::Cause, "resolve.cause"), l2);
    let lang = cat.lang().code();
    let picked = form
        .cause
        .and_then(|i| app.workflow.causes().get(i))
        .map_or_else(
            || cat.t("resolve.pick").to_string(),
            |c| c.label.get(lang).to_string(),
        );
    let style = if form.focus == ResolveField::Cause {
        app.theme.selected
    } else {
        app.theme.text
    };
    frame.render_widget(
        Paragraph::new(truncate(&format!("◀ {picked} ▶"), usize::from(inner.width))).style(style),
        cause,
    );
    let needs_prevention = app
        .selected()
        .filter(|s| s.id == form.id)
        .and_then(|s| {
            app.workflow
                .requirements(&s.status, &form.to)
                .map(<[_]>::to_vec)
        })
        .is_some_and(|r| r.contains(&crate::workflow::Requirement::Prevention));
    let key = if needs_prevention {
        "resolve.prevention_needed"
    } else {
        "resolve.prevention"
    };
    frame.render_widget(label(ResolveField::Prevention, key), l3);
    input(
        frame,
        &form.prevention,
        prevention,
        form.focus == ResolveField::Prevention,
    );
    frame.render_widget(
        Paragraph::new(truncate(cat.t("resolve.hint"), usize::from(inner.width)))
            .style(app.theme.dim),
        hint,
    );
}

fn comment(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    (id, internal): (i64, bool),
    text: &ratatui_textarea::TextArea<'static>,
) {
    let popup = centered(area, 76, area.height.saturating_sub(4).clamp(6, 16));
    frame.render_widget(Clear, popup);
    let (key, style) = if internal {
        ("comment.internal", app.theme.internal)
    } else {
        ("comment.public", app.theme.ok)
    };
    let outer = block(app, format!(" {} ", app.cat.t(key)), true).border_style(style);
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    let [field, files_line, hint] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    input(frame, text, field, true);
    let files = app.reply_files.get(&id).filter(|f| !f.is_empty());
    let (files_text, files_style) = match files {
        // Paths the member typed: shown as data.
        Some(f) => (
            app.cat
                .f("comment.files", &[("files", &sanitize_line(&f.join(", ")))]),
            app.theme.key,
        ),
        None => (app.cat.t("comment.attach_hint").to_string(), app.theme.dim),
    };
    frame.render_widget(
        Paragraph::new(truncate(&files_text, usize::from(files_line.width))).style(files_style),
        files_line,
    );
    frame.render_widget(
        Paragraph::new(truncate(app.cat.t("comment.hint"), usize::from(hint.width)))
            .style(app.theme.dim),
        hint,
    );
}

/// Under the fields while the customer field has focus: what it takes,
/// or the customers it matches (name, e-mail or phone, number), the one
/// ↑/↓ point at highlighted.
fn customer_matches(frame: &mut Frame, app: &App, area: Rect, form: &TicketForm) {
    let indent = 2;
    let cols = usize::from(area.width).saturating_sub(indent);
    let head = if form.customers.found.is_empty() {
        "form.customer_hint"
    } else {
        "form.pick_customer"
    };
    let mut lines = vec![
        Line::from(""),
        Line::styled(
            truncate(app.cat.t(head), usize::from(area.width)),
            app.theme.dim,
        ),
    ];
    for (i, c) in form.customers.found.iter().enumerate() {
        let handle = c.email.as_deref().or(c.phone.as_deref()).unwrap_or("");
        let text = format!("{} · {} · #{}", c.name, handle, c.id);
        let style = if i == form.customers.pick {
            app.theme.selected
        } else {
            app.theme.text
        };
        lines.push(Line::from(vec![
            Span::raw(" ".repeat(indent)),
            Span::styled(truncate(&sanitize_line(&text), cols), style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn form(frame: &mut Frame, app: &App, area: Rect, form: &TicketForm) {
    let popup = centered(area, 78, area.height.saturating_sub(2));
    frame.render_widget(Clear, popup);
    let title = match form.ticket_id() {
        Some(id) => app.cat.f("form.edit", &[("id", &id)]),
        None => app.cat.t("form.new").to_string(),
    };
    let outer = block(app, format!(" {title} "), true);
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    let label_w = form
        .fields
        .iter()
        .map(|f| width(app.cat.t(f.id.key())))
        .max()
        .unwrap_or(8)
        + 1;
    let heights: Vec<Constraint> = form
        .fields
        .iter()
        .map(|f| match f.kind {
            FieldKind::Text(_) => Constraint::Length(inner.height.saturating_sub(11).clamp(1, 5)),
            _ => Constraint::Length(1),
        })
        .chain([
            Constraint::Min(0),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .collect();
    let rows = Layout::vertical(heights).split(inner);
    for (i, f) in form.fields.iter().enumerate() {
        let Some(row) = rows.get(i).copied() else {
            break;
        };
        let focused = i == form.focus;
        let label_style = if focused {
            app.theme.key
        } else {
            app.theme.dim
        };
        let label = Rect {
            width: u16::try_from(label_w).unwrap_or(10).min(row.width),
            ..row
        };
        frame.render_widget(
            Paragraph::new(pad_right(app.cat.t(f.id.key()), label_w)).style(label_style),
            label,
        );
        let value = Rect {
            x: row.x + label.width,
            width: row.width.saturating_sub(label.width),
            ..row
        };
        match &f.kind {
            FieldKind::Line(t) | FieldKind::Text(t) => input(frame, t, value, focused),
            FieldKind::Choice { options, selected } => {
                let text = options
                    .get(*selected)
                    .map(|(_, l)| l.as_str())
                    .unwrap_or("");
                let style = if focused {
                    app.theme.selected
                } else {
                    app.theme.text
                };
                frame.render_widget(
                    Paragraph::new(format!("‹ {} ›", sanitize_line(text))).style(style),
                    value,
                );
            }
        }
    }
    let n = form.fields.len();
    if form.on_customer()
        && let Some(area) = rows.get(n).copied()
    {
        customer_matches(frame, app, area, form);
    }
    if let Some(msg_row) = rows.get(n + 1).copied() {
        let (text, style) = match (&form.error, form.conflict) {
            (Some(e), _) => (
                e.lines().next().unwrap_or_default().to_string(),
                app.theme.error,
            ),
            (None, true) => (app.cat.t("form.conflict").to_string(), app.theme.error),
            (None, false) => (String::new(), app.theme.text),
        };
        frame.render_widget(
            Paragraph::new(truncate(&sanitize_line(&text), usize::from(msg_row.width)))
                .style(style),
            msg_row,
        );
    }
    if let Some(hint_row) = rows.get(n + 2).copied() {
        frame.render_widget(
            Paragraph::new(truncate(
                app.cat.t("form.hint"),
                usize::from(hint_row.width),
            ))
            .style(app.theme.dim),
            hint_row,
        );
    }
}
