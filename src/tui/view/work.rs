//! "My work": the member's tickets and steps in one list by due date —
//! when, what (a ticket, or a step of one), its title and where it stands.
//! Late items carry a `!` as well as the error colour.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::block;
use crate::domain::WorkItem;
use crate::present::state_label;
use crate::text::{pad_right, sanitize_line, truncate};
use crate::tui::app::App;
use crate::tui::app::work::WORK_LIMIT;

const DUE: usize = 11;
const WHAT: usize = 9;
const STATE: usize = 12;

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let w = &app.work;
    // Each half is read up to a limit: say so when one was reached.
    let tickets = w
        .items
        .iter()
        .filter(|i| matches!(i, WorkItem::Ticket(_)))
        .count();
    let capped = tickets >= WORK_LIMIT || w.items.len() - tickets >= WORK_LIMIT;
    let title = app.cat.f(
        if capped {
            "work.title_capped"
        } else {
            "work.title"
        },
        &[
            ("at", &(w.selected + usize::from(!w.items.is_empty()))),
            ("total", &w.items.len()),
            ("limit", &WORK_LIMIT),
        ],
    );
    let outer = block(app, format!(" {} ", sanitize_line(&title)), true);
    let inner = outer.inner(body);
    frame.render_widget(outer, body);
    let title_w = usize::from(inner.width).saturating_sub(DUE + WHAT + STATE + 5);
    let head = format!(
        "  {} {} {} {}",
        pad_right(app.cat.t("task.due"), DUE),
        pad_right(app.cat.t("work.what"), WHAT),
        pad_right(app.cat.t("col.title"), title_w),
        app.cat.t("col.status"),
    );
    let mut lines = vec![Line::styled(head, app.theme.heading)];
    if !w.loaded {
        lines.push(Line::styled(
            app.cat.t("tui.loading").to_string(),
            app.theme.dim,
        ));
    } else if w.items.is_empty() {
        lines.push(Line::styled(
            app.cat.t("work.empty").to_string(),
            app.theme.dim,
        ));
    }
    let visible = usize::from(inner.height).saturating_sub(1);
    for (i, item) in w.items.iter().enumerate().skip(w.offset).take(visible) {
        let late = item.due().is_some_and(|d| d < app.now);
        let due = item.due().map_or_else(
            || "–".to_string(),
            |d| d.with_timezone(&app.tz).format("%m-%d %H:%M").to_string(),
        );
        let (what, text, state) = match item {
            WorkItem::Ticket(t) => (
                format!("#{}", t.id),
                crate::present::titled_with_steps(t),
                state_label(&app.workflow, &app.cat, &t.status),
            ),
            WorkItem::Step {
                step, ticket_title, ..
            } => (
                format!("#{}·{}", step.ticket, step.id),
                format!("{} — {}", step.title, ticket_title),
                app.cat.t("work.step").to_string(),
            ),
        };
        let mark = if late { "!" } else { " " };
        let row = format!(
            "{mark} {} {} {} {}",
            pad_right(&due, DUE),
            pad_right(&what, WHAT),
            pad_right(&truncate(&sanitize_line(&text), title_w), title_w),
            truncate(&state, STATE),
        );
        let style = if i == w.selected {
            app.theme.selected
        } else if late {
            app.theme.error
        } else {
            app.theme.text
        };
        lines.push(Line::from(Span::styled(row, style)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
