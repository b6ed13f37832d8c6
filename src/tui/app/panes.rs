//! Moving around: cursor movement in the list and the board, scrolling the
//! detail pane, switching panes, sorting.

use super::{App, Pane};
use crate::tui::action::{Command, Effect, Job};
use crate::tui::layout;

impl App {
    /// Cursor movement for the current pane.
    pub(super) fn navigate(&mut self, cmd: Command) -> Vec<Effect> {
        match self.pane {
            Pane::List => {
                self.navigate_list(cmd);
                self.extend_range();
                return self.ensure_window();
            }
            Pane::Timeline => {
                self.navigate_list(cmd);
                self.fit_timeline();
                return self.ensure_window();
            }
            Pane::Triage | Pane::Kb | Pane::Dashboard | Pane::Work => return Vec::new(),
            Pane::Board => self.navigate_board(cmd),
            Pane::Detail => self.scroll_detail(cmd),
        }
        Vec::new()
    }

    fn navigate_list(&mut self, cmd: Command) {
        let n = self.list.len();
        if n == 0 {
            return;
        }
        let page = layout::list_visible(self.size);
        let sel = self.list.selected;
        self.list.selected = match cmd {
            Command::Up => sel.saturating_sub(1),
            Command::Down => (sel + 1).min(n - 1),
            Command::PageUp => sel.saturating_sub(page),
            Command::PageDown => (sel + page).min(n - 1),
            Command::Top => 0,
            Command::Bottom => n - 1,
            _ => sel,
        };
        self.list.offset = layout::scroll_to(self.list.offset, self.list.selected, page);
    }

    fn navigate_board(&mut self, cmd: Command) {
        let cols = self.board.columns.len();
        if cols == 0 {
            return;
        }
        let rows_in =
            |app: &Self, c: usize| app.board.columns.get(c).map(|c| c.rows.len()).unwrap_or(0);
        let page = layout::board_visible_cards(self.size);
        match cmd {
            Command::Left => self.board.col = self.board.col.saturating_sub(1),
            Command::Right => self.board.col = (self.board.col + 1).min(cols - 1),
            Command::Up => self.board.row = self.board.row.saturating_sub(1),
            Command::Down => self.board.row += 1,
            Command::PageUp => self.board.row = self.board.row.saturating_sub(page),
            Command::PageDown => self.board.row += page,
            Command::Top => self.board.row = 0,
            Command::Bottom => self.board.row = usize::MAX,
            _ => {}
        }
        let n = rows_in(self, self.board.col);
        self.board.row = self.board.row.min(n.saturating_sub(1));
        let visible = layout::board_visible_columns(self.size.0, cols);
        self.board.first_col = layout::scroll_to(self.board.first_col, self.board.col, visible);
    }

    fn scroll_detail(&mut self, cmd: Command) {
        let page = self.size.1.saturating_sub(6).max(1);
        let max = crate::tui::view::detail::max_scroll(self, self.size);
        let s = self.detail.scroll.min(max);
        self.detail.scroll = match cmd {
            Command::Up => s.saturating_sub(1),
            Command::Down => s.saturating_add(1),
            Command::PageUp => s.saturating_sub(page),
            Command::PageDown => s.saturating_add(page),
            Command::Top => 0,
            Command::Bottom => max,
            _ => s,
        }
        .min(max);
    }

    /// Opens the selected ticket in the detail pane.
    pub(super) fn open_selected(&mut self) -> Vec<Effect> {
        let Some(sel) = self.selected() else {
            return Vec::new();
        };
        if self.pane != Pane::Detail {
            self.prev_pane = self.pane;
        }
        self.pane = Pane::Detail;
        if self.detail.ticket.as_ref().map(|d| d.ticket.id) != Some(sel.id) {
            self.detail.scroll = 0;
        }
        vec![Effect::Background(Job::View(sel.id))]
    }

    /// Switches to `pane`; the detail pane opens the selected ticket.
    pub(super) fn show(&mut self, pane: Pane) -> Vec<Effect> {
        match pane {
            Pane::Detail if self.pane != Pane::Detail => self.open_selected(),
            Pane::Detail => Vec::new(),
            Pane::Kb => self.show_kb(),
            Pane::Dashboard => self.show_dashboard(),
            Pane::Timeline => self.show_timeline(),
            Pane::Work => self.show_work(),
            other => {
                self.pane = other;
                self.clamp();
                Vec::new()
            }
        }
    }

    /// Tab: list → board → detail → knowledge base → list.
    pub(super) fn next_pane(&mut self) -> Vec<Effect> {
        match self.pane {
            Pane::List => self.show(Pane::Board),
            Pane::Board => {
                let effects = self.show(Pane::Detail);
                if self.pane == Pane::Board {
                    self.show(Pane::List)
                } else {
                    effects
                }
            }
            Pane::Detail => self.show_kb(),
            Pane::Kb => self.show_dashboard(),
            Pane::Dashboard => self.show_timeline(),
            Pane::Timeline => self.show_work(),
            Pane::Work | Pane::Triage => self.show(Pane::List),
        }
    }

    /// Cycles the sort column (list pane) and reloads.
    pub(super) fn sort(&mut self, reverse: bool) -> Vec<Effect> {
        if reverse {
            self.list.dir = self.list.dir.flipped();
        } else {
            self.list.sort = self.list.sort.next();
            self.list.dir = self.list.sort.default_dir();
        }
        let name = self
            .cat
            .t(&format!("field.{}", sort_field(self.list.sort)))
            .to_string();
        let arrow = match self.list.dir {
            crate::domain::SortDir::Asc => "↑",
            crate::domain::SortDir::Desc => "↓",
        };
        self.info("status.sorted", &[("column", &format!("{name} {arrow}"))]);
        self.load_list()
    }
}

/// The catalog field key for a sort column.
pub fn sort_field(key: crate::domain::SortKey) -> &'static str {
    use crate::domain::SortKey;
    match key {
        SortKey::Number => "number",
        SortKey::Priority => "priority",
        SortKey::Status => "status",
        SortKey::Title => "title",
        SortKey::Customer => "customer",
        SortKey::Assignee => "assignee",
        SortKey::Created => "created",
        SortKey::Updated => "updated",
        SortKey::Due => "due",
    }
}
