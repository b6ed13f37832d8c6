//! The kanban board: one column per workflow state, cards most urgent first.
//! Narrow terminals show as many columns as fit and scroll sideways.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::block;
use crate::present::state_label;
use crate::text::{pad_right, sanitize_line, width};
use crate::tui::app::App;
use crate::tui::layout;

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let columns = &app.board.columns;
    if columns.is_empty() {
        let msg = app.cat.t(if app.list.loaded {
            "board.empty"
        } else {
            "tui.loading"
        });
        frame.render_widget(Paragraph::new(msg).style(app.theme.dim), body);
        return;
    }
    let visible = layout::board_visible_columns(body.width, columns.len());
    let per_column = layout::board_visible_cards(app.size);
    for (slot, area) in layout::board_columns(body, visible).into_iter().enumerate() {
        let index = app.board.first_col + slot;
        let Some(column) = columns.get(index) else {
            break;
        };
        let focused = index == app.board.col;
        let more_left = slot == 0 && app.board.first_col > 0;
        let more_right = slot + 1 == visible && index + 1 < columns.len();
        let label = state_label(&app.workflow, &app.cat, &column.state);
        let (left, right) = (
            if more_left { "‹ " } else { "" },
            if more_right { " ›" } else { "" },
        );
        let count = column.count.to_string();
        // The count always shows; the label gives way.
        let room = usize::from(area.width.saturating_sub(4))
            .saturating_sub(width(left) + width(right) + count.len() + 1);
        let title = format!(
            "{left}{} {count}{right}",
            crate::text::truncate(&label, room)
        );
        let outer = block(app, format!(" {title} "), focused);
        let inner = outer.inner(area);
        frame.render_widget(outer, area);
        let offset = if focused {
            layout::scroll_to(0, app.board.row, per_column)
        } else {
            0
        };
        let w = usize::from(inner.width);
        let mut lines = Vec::new();
        for (i, r) in column.rows.iter().enumerate().skip(offset).take(per_column) {
            let selected = focused && i == app.board.row;
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
            let who = r
                .assignee
                .as_deref()
                .map(|a| sanitize_line(a).into_owned())
                .unwrap_or_else(|| "–".into());
            let head = format!("#{} ", r.id);
            // The deadline badge at the card's right edge, when it has one.
            let (badge, badge_style) = match r.due_at {
                Some(due) => {
                    let (text, state) =
                        crate::present::deadline_badge(&app.cat, app.now, due, r.risk_at);
                    let style = match state {
                        crate::present::DueState::Breached => app.theme.error,
                        crate::present::DueState::AtRisk => app.theme.key,
                        crate::present::DueState::Ok => app.theme.dim,
                    };
                    (format!(" {text}"), if selected { base } else { style })
                }
                None => (String::new(), base),
            };
            let rest = w.saturating_sub(width(&head) + 3 + width(&badge));
            lines.push(Line::from(vec![
                Span::styled(head, base.patch(app.theme.dim).patch(base)),
                Span::styled(format!("{} ", r.priority), pri),
                Span::styled(pad_right(&who, rest), base),
                Span::styled(badge, badge_style),
            ]));
            let title = crate::present::titled_with_steps(r);
            lines.push(Line::styled(pad_right(&sanitize_line(&title), w), base));
        }
        let hidden = usize::try_from(column.count)
            .unwrap_or(0)
            .saturating_sub(column.rows.len());
        if hidden > 0 && lines.len() / 2 < per_column {
            lines.push(Line::styled(
                app.cat.f("board.more", &[("count", &hidden)]),
                app.theme.dim,
            ));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
