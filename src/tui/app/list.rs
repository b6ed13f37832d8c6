//! The list pane's model: a window of loaded rows over a result that may hold
//! a million tickets. Only the window is in memory; moving near its edge asks
//! for the next one, and the total arrives separately when counted.

use crate::domain::{SortDir, SortKey, TicketRow};

/// Rows loaded at once: several screens, so scrolling rarely waits.
pub const WINDOW: usize = 240;
/// Load the next window when the screen gets this close to the loaded edge.
const MARGIN: usize = 40;

#[derive(Debug, Clone, Default)]
pub struct ListState {
    /// The loaded rows; `rows[0]` is row number `window_start` of the result.
    pub rows: Vec<TicketRow>,
    pub window_start: usize,
    /// How many tickets match, once counted.
    pub total: Option<i64>,
    /// The cursor, as a row number in the whole result.
    pub selected: usize,
    /// The first row on screen.
    pub offset: usize,
    pub sort: SortKey,
    pub dir: SortDir,
    /// A first window has arrived.
    pub loaded: bool,
    /// Bumped whenever the query or sort changes; older results are dropped.
    pub generation: u64,
    /// The window start requested and not yet arrived.
    pending: Option<usize>,
    /// The loaded rows belong to the current generation (older ones stay on
    /// screen until replaced, but do not count as loaded).
    fresh: bool,
    /// The rows on screen answer a previous query or sort.
    superseded: bool,
    /// The ticket the cursor was on when the rows were asked for again: the
    /// cursor follows it when it moved (someone else's change reordered
    /// the list).
    follow: Option<i64>,
}

impl ListState {
    /// Row `i` of the result, if it is loaded.
    pub fn row(&self, i: usize) -> Option<&TicketRow> {
        i.checked_sub(self.window_start)
            .and_then(|j| self.rows.get(j))
    }

    pub fn selected_row(&self) -> Option<&TicketRow> {
        self.row(self.selected)
    }

    /// How many rows the cursor may range over: the total when counted,
    /// otherwise as far as loaded.
    pub fn len(&self) -> usize {
        match self.total {
            Some(t) => usize::try_from(t).unwrap_or(0),
            None => self.window_start + self.rows.len(),
        }
    }

    /// Whether the rows shown answer a query or sort that has since changed.
    pub fn stale(&self) -> bool {
        self.superseded
    }

    /// Whether rows asked for have not arrived yet.
    pub fn waiting(&self) -> bool {
        self.pending.is_some() || !self.fresh
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Starts over for a new query or sort: a new generation, cursor at the top.
    pub fn restart(&mut self) -> u64 {
        self.follow = None;
        self.generation += 1;
        self.total = None;
        self.selected = 0;
        self.offset = 0;
        self.pending = None;
        self.fresh = false;
        self.superseded = self.loaded;
        self.generation
    }

    /// Asks for the rows around the cursor again (after a write).
    pub fn refresh(&mut self) -> (u64, usize) {
        self.follow = self.selected_row().map(|r| r.id);
        self.generation += 1;
        self.fresh = false;
        let start = self.selected.saturating_sub(WINDOW / 2);
        self.pending = Some(start);
        (self.generation, start)
    }

    /// The window to load so that the screen (`visible` rows from `offset`)
    /// and a margin around it are in memory, if one is needed and not pending.
    pub fn window_needed(&mut self, visible: usize) -> Option<usize> {
        let want_lo = self.offset.saturating_sub(MARGIN);
        let mut want_hi = self.offset + visible + MARGIN;
        if let Some(total) = self.total {
            want_hi = want_hi.min(usize::try_from(total).unwrap_or(0));
        } else if self.fresh && self.rows.len() < WINDOW && self.window_start == 0 {
            // The whole result fitted in the first window.
            want_hi = want_hi.min(self.rows.len());
        }
        let have_lo = self.window_start;
        let have_hi = self.window_start + self.rows.len();
        let covered = self.fresh && want_lo >= have_lo && want_hi <= have_hi;
        if covered || want_hi <= want_lo && self.fresh {
            return None;
        }
        if let Some(p) = self.pending
            && want_lo >= p
            && want_hi <= p + WINDOW
        {
            return None;
        }
        let start = (self.offset + visible / 2).saturating_sub(WINDOW / 2);
        self.pending = Some(start);
        Some(start)
    }

    /// Takes a loaded window; returns false when it is stale.
    pub fn accept(
        &mut self,
        generation: u64,
        start: usize,
        rows: Vec<TicketRow>,
        asked: usize,
    ) -> bool {
        if generation != self.generation {
            return false;
        }
        if self.pending == Some(start) {
            self.pending = None;
        }
        if rows.len() < asked && (start == 0 || !rows.is_empty()) {
            // A short window ends the result: the total is known exactly.
            self.total = Some(i64::try_from(start + rows.len()).unwrap_or(i64::MAX));
        }
        self.window_start = start;
        self.rows = rows;
        if let Some(id) = self.follow.take()
            && let Some(j) = self.rows.iter().position(|r| r.id == id)
        {
            // The screen stays put (new tickets on top stay in sight); the
            // cursor moves with its ticket.
            self.selected = start + j;
        }
        self.loaded = true;
        self.fresh = true;
        self.superseded = false;
        true
    }

    /// Keeps the cursor and the screen inside the result.
    pub fn clamp(&mut self, visible: usize) {
        let n = self.len();
        self.selected = self.selected.min(n.saturating_sub(1));
        self.offset = super::super::layout::scroll_to(
            self.offset.min(n.saturating_sub(1)),
            self.selected,
            visible,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(start: usize, n: usize) -> Vec<TicketRow> {
        (start..start + n)
            .map(|i| TicketRow {
                id: i as i64 + 1,
                title: String::new(),
                status: "new".into(),
                priority: crate::domain::Priority::P2,
                kind: String::new(),
                customer: None,
                assignee: None,
                team: None,
                channel: crate::domain::Channel::Email,
                created_at: chrono::DateTime::UNIX_EPOCH,
                updated_at: chrono::DateTime::UNIX_EPOCH,
                version: 1,
                accepted: false,
                due_at: None,
                risk_at: None,
                steps: Default::default(),
            })
            .collect()
    }

    #[test]
    fn a_short_first_window_is_the_whole_result() {
        let mut l = ListState::default();
        let g = l.restart();
        assert_eq!(l.window_needed(18), Some(0));
        assert!(l.accept(g, 0, rows(0, 7), WINDOW));
        assert_eq!(l.total, Some(7));
        assert_eq!(l.window_needed(18), None);
    }

    #[test]
    fn scrolling_near_the_edge_asks_for_the_next_window_once() {
        let mut l = ListState::default();
        let g = l.restart();
        l.window_needed(18);
        l.accept(g, 0, rows(0, WINDOW), WINDOW);
        l.total = Some(1_000_000);
        l.offset = WINDOW - 30;
        let start = l.window_needed(18).expect("needs more");
        assert!(start > 0 && start < l.offset);
        assert_eq!(l.window_needed(18), None, "already pending");
        assert!(l.accept(g, start, rows(start, WINDOW), WINDOW));
        assert_eq!(l.row(l.offset).map(|r| r.id), Some(l.offset as i64 + 1));
    }

    #[test]
    fn stale_windows_are_dropped() {
        let mut l = ListState::default();
        let old = l.restart();
        let new = l.restart();
        assert!(!l.accept(old, 0, rows(0, 5), WINDOW));
        assert!(l.accept(new, 0, rows(0, 5), WINDOW));
    }

    #[test]
    fn after_a_refresh_the_cursor_follows_its_ticket() {
        let mut l = ListState::default();
        let g = l.restart();
        l.accept(g, 0, rows(0, 20), WINDOW);
        l.selected = 5;
        l.offset = 2;
        let on = l.selected_row().map(|r| r.id);
        // Someone else's new ticket arrives on top: everything moves down one.
        let (g, start) = l.refresh();
        let mut moved = rows(0, 20);
        moved.insert(0, rows(99, 1).remove(0));
        assert!(l.accept(g, start, moved, WINDOW));
        assert_eq!(l.selected_row().map(|r| r.id), on);
        assert_eq!((l.selected, l.offset), (6, 2), "the screen stays put");
    }
}
