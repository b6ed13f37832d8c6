//! Mouse clicks: tabs switch panes, clicks select list rows and kanban cards,
//! a click on the already selected item opens it, the wheel scrolls.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::{App, Pane};
use crate::tui::action::{Command, Effect};
use crate::tui::layout;

/// Tab labels' catalog keys in header order.
pub const TABS: [(Pane, &str); 7] = [
    (Pane::List, "tab.list"),
    (Pane::Board, "tab.board"),
    (Pane::Detail, "tab.detail"),
    (Pane::Kb, "tab.kb"),
    (Pane::Dashboard, "tab.dashboard"),
    (Pane::Timeline, "tab.timeline"),
    (Pane::Work, "tab.work"),
];

/// The header's tab texts and where each starts, as drawn by the view.
/// Where the room is short (a long login at 80 columns, say), tabs other
/// than the current one show only their number, from the last one back
/// until the rest fits, so who is signed in and the unread count stay in view.
pub fn tab_spans(app: &App) -> Vec<(Pane, String, u16)> {
    let full = |i: usize, key: &str| format!(" {} {} ", i + 1, app.cat.t(key));
    let start = crate::text::width(" tdesk ") + 1;
    let room =
        usize::from(app.size.0).saturating_sub(start + crate::text::width(&header_me(app)) + 1);
    let mut texts: Vec<String> = TABS
        .iter()
        .enumerate()
        .map(|(i, (_, key))| full(i, key))
        .collect();
    let used = |texts: &[String]| {
        texts
            .iter()
            .map(|t| crate::text::width(t) + 1)
            .sum::<usize>()
    };
    for i in (0..TABS.len()).rev() {
        if used(&texts) <= room {
            break;
        }
        if TABS[i].0 != app.pane {
            texts[i] = format!(" {} ", i + 1);
        }
    }
    let mut x = start as u16;
    TABS.iter()
        .zip(texts)
        .map(|((pane, _), text)| {
            let start = x;
            x = x.saturating_add(crate::text::width(&text) as u16 + 1);
            (*pane, text, start)
        })
        .collect()
}

/// The header's right side: unread notices, who is signed in, their role.
pub fn header_me(app: &App) -> String {
    let inbox = if app.unread > 0 {
        format!(
            "{} · ",
            app.cat.f("inbox.unread", &[("count", &app.unread)])
        )
    } else {
        String::new()
    };
    // A running timer, where the member cannot miss it.
    let timer = app
        .timer
        .as_ref()
        .map(|e| {
            let on = match e.step {
                Some(step) => format!("#{}·{step}", e.ticket),
                None => format!("#{}", e.ticket),
            };
            format!(
                "⏱ {on} {} · ",
                crate::domain::minutes_text(e.spent(app.now))
            )
        })
        .unwrap_or_default();
    format!(
        "{timer}{inbox}{} · {} ",
        crate::text::sanitize_line(&app.me.login),
        crate::present::role_label(&app.cat, app.me.role)
    )
}

/// The header's right side when the whole of it does not fit: a running
/// timer alone (it keeps counting whether seen or not), else the login.
pub fn header_me_short(app: &App) -> String {
    match &app.timer {
        Some(e) => format!(
            "⏱ #{} {} ",
            e.ticket,
            crate::domain::minutes_text(e.spent(app.now))
        ),
        None => format!("{} ", crate::text::sanitize_line(&app.me.login)),
    }
}

fn contains(r: Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.x.saturating_add(r.width) && y >= r.y && y < r.y.saturating_add(r.height)
}

impl App {
    pub(super) fn mouse(&mut self, ev: MouseEvent) -> Vec<Effect> {
        if self.overlay.is_some() {
            return Vec::new();
        }
        match ev.kind {
            MouseEventKind::ScrollDown => self.command(Command::Down),
            MouseEventKind::ScrollUp => self.command(Command::Up),
            MouseEventKind::Down(MouseButton::Left) => self.click(ev.column, ev.row),
            _ => Vec::new(),
        }
    }

    fn click(&mut self, x: u16, y: u16) -> Vec<Effect> {
        let [header, body, _] = layout::frame(Rect::new(0, 0, self.size.0, self.size.1));
        if contains(header, x, y) {
            let hit = tab_spans(self).into_iter().find(|(_, text, start)| {
                x >= *start && x < start + crate::text::width(text) as u16
            });
            return match hit {
                Some((pane, _, _)) => self.show(pane),
                None => Vec::new(),
            };
        }
        match self.pane {
            Pane::List => {
                let rows = layout::list_rows(body);
                if !contains(rows, x, y) {
                    return Vec::new();
                }
                let index = self.list.offset + usize::from(y - rows.y);
                if self.list.row(index).is_none() {
                    return Vec::new();
                }
                if index == self.list.selected {
                    return self.open_selected();
                }
                self.list.selected = index;
                Vec::new()
            }
            Pane::Board => {
                let visible = layout::board_visible_columns(self.size.0, self.board.columns.len());
                for (i, area) in layout::board_columns(body, visible).into_iter().enumerate() {
                    let cards = layout::inner(area);
                    if !contains(cards, x, y) {
                        continue;
                    }
                    let col = self.board.first_col + i;
                    let per = layout::board_visible_cards(self.size);
                    let offset = if col == self.board.col {
                        layout::scroll_to(0, self.board.row, per)
                    } else {
                        0
                    };
                    let row = offset + usize::from((y - cards.y) / layout::CARD_HEIGHT);
                    let len = self
                        .board
                        .columns
                        .get(col)
                        .map(|c| c.rows.len())
                        .unwrap_or(0);
                    if row >= len {
                        return Vec::new();
                    }
                    if (col, row) == (self.board.col, self.board.row) {
                        return self.open_selected();
                    }
                    self.board.col = col;
                    self.board.row = row;
                    return Vec::new();
                }
                Vec::new()
            }
            Pane::Kb => self.kb_click(y.saturating_sub(body.y)),
            Pane::Detail | Pane::Triage | Pane::Dashboard | Pane::Timeline | Pane::Work => {
                Vec::new()
            }
        }
    }
}
