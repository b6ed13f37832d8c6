//! The ticket list: number, priority, status, title, customer, assignee, age.
//! Only the visible rows are built; widths are display columns (CJK-aware).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{block, detail};
use crate::domain::{SortDir, TicketRow};
use crate::present::{age, state_label};
use crate::text::{pad_right, sanitize_line, width};
use crate::tui::app::App;
use crate::tui::layout;

/// Column widths for a list `total` columns wide (inside the border).
struct Widths {
    number: usize,
    status: usize,
    title: usize,
    customer: usize,
    assignee: usize,
}

const PRIORITY: usize = 3;
const AGE: usize = 4;
const GAPS: usize = 6;

fn widths(app: &App, total: usize) -> Widths {
    let max_id = app
        .list
        .rows
        .iter()
        .map(|r| r.id)
        .max()
        .unwrap_or(1)
        .max(9999);
    let number = max_id.to_string().len() + 1;
    let longest_state = app
        .workflow
        .states()
        .iter()
        .map(|s| width(s.label.get(app.cat.lang().code())))
        .max()
        .unwrap_or(8);
    let wide = total >= 120;
    let status = longest_state.min(if wide { 20 } else { 13 });
    let customer = if wide { 20 } else { 12 };
    let assignee = if wide { 14 } else { 10 };
    let fixed = number + PRIORITY + status + customer + assignee + AGE + GAPS;
    Widths {
        number,
        status,
        title: total.saturating_sub(fixed).max(8),
        customer,
        assignee,
    }
}

fn cell(text: &str, w: usize) -> String {
    pad_right(&sanitize_line(text), w)
}

fn row_line(app: &App, r: &TicketRow, w: &Widths, selected: bool) -> Line<'static> {
    let base = if selected {
        app.theme.selected
    } else {
        Style::default()
    };
    let pri = if selected {
        base
    } else {
        app.theme.priority(r.priority)
    };
    let dash = "–".to_string();
    Line::from(vec![
        Span::styled(
            format!("{} ", pad_right(&format!("#{}", r.id), w.number)),
            base,
        ),
        Span::styled(
            format!("{} ", pad_right(r.priority.as_str(), PRIORITY)),
            pri,
        ),
        Span::styled(
            format!(
                "{} ",
                cell(&state_label(&app.workflow, &app.cat, &r.status), w.status)
            ),
            base,
        ),
        Span::styled(format!("{} ", cell(&r.title, w.title)), base),
        Span::styled(
            format!(
                "{} ",
                cell(r.customer.as_ref().unwrap_or(&dash), w.customer)
            ),
            base,
        ),
        Span::styled(
            format!(
                "{} ",
                cell(r.assignee.as_ref().unwrap_or(&dash), w.assignee)
            ),
            base,
        ),
        Span::styled(pad_right(&age(&app.cat, app.now, r.created_at), AGE), base),
    ])
}

fn header_line(app: &App, w: &Widths) -> Line<'static> {
    let c = |key: &str, n: usize| format!("{} ", pad_right(app.cat.t(key), n));
    Line::from(Span::styled(
        format!(
            "{}{}{}{}{}{}{}",
            c("col.number", w.number),
            c("col.pri", PRIORITY),
            c("col.status", w.status),
            c("col.title", w.title),
            c("col.customer", w.customer),
            c("col.assignee", w.assignee),
            pad_right(app.cat.t("col.age"), AGE)
        ),
        app.theme.heading,
    ))
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
    let title = app.cat.f(
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
    let outer = block(app, format!(" {title} "), true);
    let inner = outer.inner(list_area);
    frame.render_widget(outer, list_area);
    let w = widths(app, usize::from(inner.width));
    let mut lines = vec![header_line(app, &w)];
    if app.list.loaded && app.list.is_empty() {
        lines.push(Line::raw(""));
        let key = if app.filter.text.is_empty() {
            "list.empty"
        } else {
            "list.no_match"
        };
        for l in app.cat.t(key).lines() {
            lines.push(Line::styled(format!("  {l}"), app.theme.dim));
        }
    }
    let visible = usize::from(inner.height.saturating_sub(1));
    let end = (app.list.offset + visible).min(app.list.len());
    for i in app.list.offset..end {
        lines.push(match app.list.row(i) {
            Some(r) => row_line(app, r, &w, i == app.list.selected),
            // Not loaded yet: the window arrives within a frame or two.
            None => Line::styled("…", app.theme.dim),
        });
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(area) = preview {
        detail::draw(frame, app, area, false);
    }
}
