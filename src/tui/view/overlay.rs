//! Overlays drawn over the panes: help, filter bar, menus, note prompt,
//! comment editor and the ticket form.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{block, centered, input};
use crate::text::{pad_right, sanitize_line, truncate, width};
use crate::tui::action::Command;
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
            internal,
            input: text,
            ..
        }) => comment(frame, app, area, *internal, text),
        Some(Overlay::Form(form)) => self::form(frame, app, area, form),
    }
}

/// Every command with its keys and what it does.
const HELP: &[(Command, &str)] = &[
    (Command::Down, "help.down"),
    (Command::Up, "help.up"),
    (Command::Left, "help.left"),
    (Command::Right, "help.right"),
    (Command::PageDown, "help.page_down"),
    (Command::PageUp, "help.page_up"),
    (Command::Top, "help.top"),
    (Command::Bottom, "help.bottom"),
    (Command::Open, "help.open"),
    (Command::NextPane, "help.next_pane"),
    (Command::ShowList, "help.show_list"),
    (Command::ShowBoard, "help.show_board"),
    (Command::ShowDetail, "help.show_detail"),
    (Command::Filter, "help.filter"),
    (Command::NewTicket, "help.new"),
    (Command::Comment, "help.comment"),
    (Command::Assign, "help.assign"),
    (Command::Move, "help.move"),
    (Command::MovePrev, "help.move_prev"),
    (Command::MoveNext, "help.move_next"),
    (Command::Edit, "help.edit"),
    (Command::Accept, "help.accept"),
    (Command::SortNext, "help.sort"),
    (Command::SortReverse, "help.sort_reverse"),
    (Command::Refresh, "help.refresh"),
    (Command::Back, "help.back"),
    (Command::Quit, "help.quit"),
    (Command::Views, "help.views"),
    (Command::Group, "help.group"),
    (Command::Help, "help.help"),
];

fn help(frame: &mut Frame, app: &App, area: Rect, scroll: u16) {
    let popup = centered(area, 64, area.height.saturating_sub(2));
    frame.render_widget(Clear, popup);
    let outer = block(app, format!(" {} ", app.cat.t("help.title")), true);
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    let rows: Vec<(String, &str)> = HELP
        .iter()
        .map(|(cmd, key)| {
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
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|(keys, text)| {
            Line::from(vec![
                Span::styled(pad_right(&keys, kw), app.theme.key),
                Span::raw(format!("  {text}")),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    for l in app.cat.t("help.editing").lines() {
        lines.push(Line::styled(l.to_string(), app.theme.dim));
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
        MenuKind::View { .. } => app.cat.t("menu.view").to_string(),
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

fn comment(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    internal: bool,
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
    let [field, hint] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    input(frame, text, field, true);
    frame.render_widget(
        Paragraph::new(truncate(app.cat.t("comment.hint"), usize::from(hint.width)))
            .style(app.theme.dim),
        hint,
    );
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
