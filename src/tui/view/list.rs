//! The ticket list: the view's columns (number, priority, status, title,
//! customer, assignee, … ), optional group headers, only the visible rows
//! built. Widths are display columns (CJK-aware); the title column flexes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{block, detail};
use crate::domain::{Column, SortDir, TicketRow};
use crate::present::{DueState, age, deadline_badge, state_label, type_label};
use crate::text::{pad_right, sanitize_line, width};
use crate::tui::app::{App, group_key, group_label};
use crate::tui::layout;

/// The width of a column; `None` for the flexible title.
fn fixed_width(app: &App, column: Column, wide: bool) -> Option<usize> {
    Some(match column {
        Column::Number => {
            let max_id = app
                .list
                .rows
                .iter()
                .map(|r| r.id)
                .max()
                .unwrap_or(1)
                .max(999);
            // One more for the selection mark: a selected number stays whole.
            let mark = usize::from(!app.selection.is_empty());
            max_id.to_string().len() + 1 + mark
        }
        Column::Priority => 3,
        Column::Status => {
            let longest = app
                .workflow
                .states()
                .iter()
                .map(|s| width(s.label.get(app.cat.lang().code())))
                .max()
                .unwrap_or(8);
            longest.min(if wide { 20 } else { 13 })
        }
        Column::Title => return None,
        Column::Customer => {
            if wide {
                20
            } else {
                12
            }
        }
        Column::Assignee => {
            if wide {
                14
            } else {
                10
            }
        }
        Column::Team => 6,
        Column::Type => 10,
        Column::Channel => 11,
        Column::Age => 4,
        Column::Due => 6,
    })
}

/// Widths in column order; the title takes what is left.
/// Columns start at their narrow widths; room beyond a title of
/// [`TITLE_ROOM`] goes to the others up to their wide widths, so a state or
/// a login is not cut while the title has plenty (a list beside the detail
/// pane at 200 columns).
fn widths(app: &App, columns: &[Column], total: usize) -> Vec<usize> {
    const TITLE_ROOM: usize = 30;
    let narrow: Vec<Option<usize>> = columns
        .iter()
        .map(|c| fixed_width(app, *c, false))
        .collect();
    let wide: Vec<Option<usize>> = columns.iter().map(|c| fixed_width(app, *c, true)).collect();
    let gaps = columns.len().saturating_sub(1);
    let mut chosen: Vec<Option<usize>> = narrow.clone();
    let used = |w: &[Option<usize>]| w.iter().flatten().sum::<usize>() + gaps;
    let mut spare = total.saturating_sub(used(&chosen) + TITLE_ROOM);
    for (i, w) in chosen.iter_mut().enumerate() {
        if let (Some(now), Some(most)) = (*w, wide[i]) {
            let more = most.saturating_sub(now).min(spare);
            *w = Some(now + more);
            spare -= more;
        }
    }
    let flex = total.saturating_sub(used(&chosen)).max(8);
    chosen.into_iter().map(|w| w.unwrap_or(flex)).collect()
}

fn header_key(column: Column) -> &'static str {
    match column {
        Column::Number => "col.number",
        Column::Priority => "col.pri",
        Column::Status => "col.status",
        Column::Title => "col.title",
        Column::Customer => "col.customer",
        Column::Assignee => "col.assignee",
        Column::Team => "col.team",
        Column::Type => "col.type",
        Column::Channel => "col.channel",
        Column::Age => "col.age",
        Column::Due => "col.due",
    }
}

/// A cell's text and, when it has one, its own style.
fn cell(app: &App, r: &TicketRow, column: Column) -> (String, Option<Style>) {
    let dash = || "–".to_string();
    match column {
        Column::Number if app.selection.contains(r.id) => {
            (format!("●#{}", r.id), Some(app.theme.key))
        }
        Column::Number if !app.selection.is_empty() => (format!(" #{}", r.id), None),
        Column::Number => (format!("#{}", r.id), None),
        Column::Priority => (r.priority.to_string(), Some(app.theme.priority(r.priority))),
        Column::Status => (state_label(&app.workflow, &app.cat, &r.status), None),
        Column::Title => (crate::present::titled_with_steps(r), None),
        Column::Customer => (r.customer.clone().unwrap_or_else(dash), None),
        Column::Assignee => (r.assignee.clone().unwrap_or_else(dash), None),
        Column::Team => (r.team.clone().unwrap_or_else(dash), None),
        Column::Type => (type_label(&app.workflow, &app.cat, &r.kind), None),
        Column::Channel => (
            app.cat
                .t(&format!("channel.{}", r.channel.as_str()))
                .to_string(),
            None,
        ),
        Column::Age => (age(&app.cat, app.now, r.created_at), None),
        Column::Due => match r.due_at {
            Some(due) => {
                let (text, state) = deadline_badge(&app.cat, app.now, due, r.risk_at);
                let style = match state {
                    DueState::Breached => Some(app.theme.error),
                    DueState::AtRisk => Some(app.theme.key),
                    DueState::Ok => None,
                };
                (text, style)
            }
            None => (String::new(), None),
        },
    }
}

fn row_line(app: &App, r: &TicketRow, widths: &[usize], selected: bool) -> Line<'static> {
    let base = if selected {
        app.theme.selected
    } else {
        Style::default()
    };
    let mut spans = Vec::new();
    for (i, (column, w)) in app.columns.iter().zip(widths).enumerate() {
        let (text, own) = cell(app, r, *column);
        let style = if selected { base } else { own.unwrap_or(base) };
        let sep = if i + 1 < widths.len() { " " } else { "" };
        spans.push(Span::styled(
            format!("{}{sep}", pad_right(&sanitize_line(&text), *w)),
            style,
        ));
    }
    Line::from(spans)
}

fn header_line(app: &App, widths: &[usize]) -> Line<'static> {
    let text: Vec<String> = app
        .columns
        .iter()
        .zip(widths)
        .map(|(c, w)| pad_right(app.cat.t(header_key(*c)), *w))
        .collect();
    Line::from(Span::styled(text.join(" "), app.theme.heading))
}

fn group_line(app: &App, r: &TicketRow, cols: usize) -> Line<'static> {
    let label = group_label(app, r);
    let rule = "─".repeat(cols.saturating_sub(width(&label) + 4).min(200));
    Line::styled(format!("── {label} {rule}"), app.theme.heading)
}

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let (list_area, preview) = layout::list_split(body);
    let arrow = match app.list.dir {
        SortDir::Asc => "↑",
        SortDir::Desc => "↓",
    };
    let sort_name = app.cat.t(&format!(
        "field.{}",
        crate::tui::app::sort_field(app.list.sort)
    ));
    let mut title = app.cat.f(
        "list.title",
        &[
            (
                "at",
                &(app.list.selected + usize::from(!app.list.is_empty())),
            ),
            ("total", &super::chrome::total_text(app.list.total)),
            ("sort", &format!("{sort_name}{arrow}")),
        ],
    );
    if let Some(n) = app.selected_count().filter(|_| !app.selection.is_empty()) {
        title = format!("{title} · {}", app.cat.f("list.selected", &[("count", &n)]));
    } else if app.selection.all {
        title = format!(
            "{title} · {}",
            app.cat.f("list.selected", &[("count", &"…")])
        );
    }
    if let Some(view) = &app.view {
        title = format!("{} · {title}", crate::tui::app::view_name(app, view));
    }
    let outer = block(app, format!(" {} ", sanitize_line(&title)), true);
    let inner = outer.inner(list_area);
    frame.render_widget(outer, list_area);
    let widths = widths(app, &app.columns, usize::from(inner.width));
    let mut lines = vec![header_line(app, &widths)];
    if app.list.loaded && app.list.is_empty() {
        lines.push(Line::raw(""));
        let key = if app.filter.text.is_empty() {
            "list.empty"
        } else {
            "list.no_match"
        };
        let cols = usize::from(inner.width).saturating_sub(2).max(1);
        for l in app
            .cat
            .t(key)
            .lines()
            .flat_map(|l| crate::text::wrap(l, cols))
        {
            lines.push(Line::styled(format!("  {l}"), app.theme.dim));
        }
    }
    let visible = usize::from(inner.height.saturating_sub(1));
    let mut i = app.list.offset;
    while lines.len() <= visible && i < app.list.len() {
        match app.list.row(i) {
            Some(r) => {
                let starts_group = app.group.is_some()
                    && (i == 0
                        || app
                            .list
                            .row(i - 1)
                            .is_none_or(|prev| group_key(app, prev) != group_key(app, r)));
                if starts_group {
                    lines.push(group_line(app, r, usize::from(inner.width)));
                    if lines.len() > visible {
                        break;
                    }
                }
                let line = row_line(app, r, &widths, i == app.list.selected);
                // Rows of the previous query stay until the new ones arrive, dimmed.
                lines.push(if app.list.stale() {
                    line.patch_style(app.theme.dim)
                } else {
                    line
                });
            }
            // Not loaded yet: the window arrives within a frame or two.
            None => lines.push(Line::styled("…", app.theme.dim)),
        }
        i += 1;
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(area) = preview {
        detail::draw(frame, app, area, false);
    }
}
