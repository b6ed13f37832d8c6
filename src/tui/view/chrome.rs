//! The frame around the panes: tabs and identity on top, key hints and the
//! status line below.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::text::{sanitize_line, truncate, width};
use crate::tui::action::Command;
use crate::tui::app::{App, Pane};

pub fn too_small(frame: &mut Frame, app: &App, area: Rect) {
    let text = truncate(app.cat.t("tui.too_small"), usize::from(area.width));
    frame.render_widget(Paragraph::new(text).style(app.theme.error), area);
}

pub fn header(frame: &mut Frame, app: &App, area: Rect) {
    let mut spans = vec![Span::styled(" tdesk ", app.theme.title), Span::raw(" ")];
    for (pane, text, _) in crate::tui::app::tab_spans(app) {
        let style = if pane == app.pane {
            app.theme.tab_active
        } else {
            app.theme.tab
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw(" "));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = usize::from(area.width).saturating_sub(used);
    let mut me = crate::tui::app::header_me(app);
    if width(&me) >= room {
        me = crate::tui::app::header_me_short(app);
    }
    if width(&me) < room {
        spans.push(Span::raw(" ".repeat(room - width(&me))));
        spans.push(Span::styled(me, app.theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The hints for a pane: the most useful commands with their keys.
fn hints(app: &App) -> Vec<(String, &'static str)> {
    let cmds: &[(Command, &str)] = match app.pane {
        Pane::List => &[
            (Command::Down, "hint.move"),
            (Command::Open, "hint.open"),
            (Command::Move, "hint.state"),
            (Command::Assign, "hint.assign"),
            (Command::Comment, "hint.comment"),
            (Command::NewTicket, "hint.new"),
            (Command::Filter, "hint.filter"),
            (Command::Search, "hint.search"),
            (Command::Views, "hint.views"),
            (Command::SortNext, "hint.sort"),
            (Command::Help, "hint.help"),
            (Command::Quit, "hint.quit"),
        ],
        Pane::Board => &[
            (Command::Right, "hint.column"),
            (Command::MoveNext, "hint.move_card"),
            (Command::Open, "hint.open"),
            (Command::Move, "hint.state"),
            (Command::Assign, "hint.assign"),
            (Command::NewTicket, "hint.new"),
            (Command::Filter, "hint.filter"),
            (Command::Search, "hint.search"),
            (Command::Help, "hint.help"),
            (Command::Quit, "hint.quit"),
        ],
        Pane::Triage => &[
            (Command::Take, "hint.take"),
            (Command::Priority0, "hint.priority_keys"),
            (Command::CycleType, "hint.type"),
            (Command::SetCategory, "hint.category"),
            (Command::Spam, "hint.spam"),
            (Command::Skip, "hint.skip"),
            (Command::Help, "hint.help"),
            (Command::Back, "hint.back"),
        ],
        Pane::Dashboard => &[
            (Command::PeriodBack, "hint.period_back"),
            (Command::PeriodForward, "hint.period_forward"),
            (Command::PeriodLength, "hint.period_length"),
            (Command::Down, "hint.scroll"),
            (Command::Back, "hint.back"),
            (Command::Help, "hint.help"),
        ],
        Pane::Timeline => &[
            (Command::Down, "hint.move"),
            (Command::DueLater, "hint.due_later"),
            (Command::DueLaterWeek, "hint.due_later_week"),
            (Command::Assign, "hint.assign"),
            (Command::Zoom, "hint.zoom"),
            (Command::Right, "hint.pan"),
            (Command::Open, "hint.open"),
            (Command::Back, "hint.back"),
            (Command::Help, "hint.help"),
        ],
        Pane::Work => &[
            (Command::Down, "hint.move"),
            (Command::Open, "hint.open"),
            (Command::ToggleStep, "hint.step_done"),
            (Command::Refresh, "hint.refresh"),
            (Command::Back, "hint.back"),
            (Command::Help, "hint.help"),
        ],
        Pane::Kb => &[
            (Command::Down, "hint.move"),
            (Command::Open, "hint.read"),
            (Command::Search, "hint.search"),
            (Command::Edit, "hint.edit"),
            (Command::NewTicket, "hint.new_article"),
            (Command::Back, "hint.back"),
            (Command::Help, "hint.help"),
        ],
        Pane::Detail => &[
            (Command::Down, "hint.scroll"),
            (Command::Reply, "hint.reply"),
            (Command::CannedReply, "hint.canned_reply"),
            (Command::Move, "hint.state"),
            (Command::Assign, "hint.assign"),
            (Command::Edit, "hint.edit"),
            (Command::Accept, "hint.accept"),
            (Command::Back, "hint.back"),
            (Command::Help, "hint.help"),
        ],
    };
    cmds.iter()
        .map(|(cmd, key)| {
            let keys = if *cmd == Command::Priority0 {
                "0-3".to_string()
            } else if let Some(earlier) = earlier_of(app.pane, *cmd) {
                format!(
                    "{} {}",
                    app.keymap.first_key(app.pane, earlier),
                    app.keymap.first_key(app.pane, *cmd)
                )
            } else {
                app.keymap.first_key(app.pane, *cmd)
            };
            (keys, *key)
        })
        .collect()
}

/// Commands hinted as a pair with the one before them (`< >`).
fn earlier_of(pane: Pane, cmd: Command) -> Option<Command> {
    match cmd {
        Command::MoveNext => Some(Command::MovePrev),
        Command::DueLater => Some(Command::DueEarlier),
        Command::DueLaterWeek => Some(Command::DueEarlierWeek),
        Command::Right if pane == Pane::Timeline => Some(Command::Left),
        _ => None,
    }
}

pub fn footer(frame: &mut Frame, app: &App, area: Rect) {
    let [hint_area, status_area] =
        ratatui::layout::Layout::vertical([ratatui::layout::Constraint::Length(1); 2]).areas(area);
    let max = usize::from(area.width);
    // A long message (a refusal with its allowed states) takes both lines.
    if let Some(status) = app.status.as_ref().filter(|s| width(&s.text) > max) {
        let style = if status.error {
            app.theme.error
        } else {
            app.theme.ok
        };
        let lines: Vec<Line> = crate::text::wrap(&sanitize_line(&status.text), max.max(1))
            .into_iter()
            .take(2)
            .map(|l| Line::styled(l, style))
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    // How to get help and how to get out always show; the other hints
    // fill what room is left, in order.
    let (tail, head): (Vec<_>, Vec<_>) = hints(app)
        .into_iter()
        .partition(|(_, key)| matches!(*key, "hint.help" | "hint.quit" | "hint.back"));
    let piece = |keys: &str, label_key: &str| width(keys) + 1 + width(app.cat.t(label_key)) + 2;
    let reserved: usize = tail.iter().map(|(k, l)| piece(k, l)).sum();
    let mut shown = Vec::new();
    let mut used = reserved;
    for (keys, label_key) in head {
        let w = piece(&keys, label_key);
        if used + w > max {
            break;
        }
        used += w;
        shown.push((keys, label_key));
    }
    shown.extend(tail);
    let mut spans = Vec::new();
    for (keys, label_key) in shown {
        spans.push(Span::styled(keys, app.theme.key));
        spans.push(Span::styled(
            format!(" {}  ", app.cat.t(label_key)),
            app.theme.dim,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), hint_area);
    let (text, style) = match &app.status {
        Some(s) => (
            sanitize_line(&s.text).into_owned(),
            if s.error {
                app.theme.error
            } else {
                app.theme.ok
            },
        ),
        None => (summary(app), app.theme.dim),
    };
    frame.render_widget(
        Paragraph::new(truncate(&text, max)).style(style),
        status_area,
    );
}

/// A count, or `…` while it is being counted.
pub fn total_text(total: Option<i64>) -> String {
    total.map(|t| t.to_string()).unwrap_or_else(|| "…".into())
}

/// The default status line: counts and the active filter.
fn summary(app: &App) -> String {
    if !app.list.loaded {
        return app.cat.t("tui.loading").to_string();
    }
    let mut text = app
        .cat
        .f("tui.count", &[("total", &total_text(app.list.total))]);
    if !app.filter.text.is_empty() {
        text.push_str(" · ");
        text.push_str(&app.cat.f("tui.filtered", &[("query", &app.filter.text)]));
    }
    text
}
