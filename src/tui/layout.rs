//! Screen geometry shared by the views (to draw) and the app (to scroll and to
//! hit-test mouse clicks), so both always agree. Pure arithmetic on sizes.

use ratatui::layout::{Constraint, Layout, Rect};

/// Columns of one kanban column at least; fewer columns are shown when narrow.
pub const BOARD_MIN_COLUMN: u16 = 20;
/// Lines one kanban card takes.
pub const CARD_HEIGHT: u16 = 2;

/// Header (tabs), body (the pane), footer (hints + status line).
pub fn frame(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(2),
    ])
    .areas(area)
}

/// Inside a bordered block.
pub fn inner(area: Rect) -> Rect {
    Rect {
        x: area.x.saturating_add(1),
        y: area.y.saturating_add(1),
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    }
}

/// The list body may be split to show a preview of the selected ticket on the right.
pub fn list_split(body: Rect) -> (Rect, Option<Rect>) {
    if body.width >= 140 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                .areas(body);
        (left, Some(right))
    } else {
        (body, None)
    }
}

/// Where list rows are drawn: inside the border, below the header row.
pub fn list_rows(body: Rect) -> Rect {
    let (list, _) = list_split(body);
    let inside = inner(list);
    Rect {
        y: inside.y.saturating_add(1),
        height: inside.height.saturating_sub(1),
        ..inside
    }
}

/// How many list rows fit on a screen of `size`.
pub fn list_visible(size: (u16, u16)) -> usize {
    let [_, body, _] = frame(Rect::new(0, 0, size.0, size.1));
    usize::from(list_rows(body).height).max(1)
}

/// How many kanban columns fit across `width`.
pub fn board_visible_columns(width: u16, states: usize) -> usize {
    usize::from((width / BOARD_MIN_COLUMN).max(1)).min(states.max(1))
}

/// Areas of the visible kanban columns, left to right.
pub fn board_columns(body: Rect, visible: usize) -> Vec<Rect> {
    let constraints = vec![Constraint::Ratio(1, visible.max(1) as u32); visible.max(1)];
    Layout::horizontal(constraints).split(body).to_vec()
}

/// How many cards fit in a kanban column on a screen of `size`.
pub fn board_visible_cards(size: (u16, u16)) -> usize {
    let [_, body, _] = frame(Rect::new(0, 0, size.0, size.1));
    usize::from(inner(body).height / CARD_HEIGHT).max(1)
}

/// The first item to show so that `selected` is visible in `visible` rows,
/// moving the window as little as possible from `offset`.
pub fn scroll_to(offset: usize, selected: usize, visible: usize) -> usize {
    let visible = visible.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + visible {
        selected + 1 - visible
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scroll_moves_the_window_minimally() {
        assert_eq!(scroll_to(0, 3, 10), 0);
        assert_eq!(scroll_to(0, 12, 10), 3);
        assert_eq!(scroll_to(5, 2, 10), 2);
        assert_eq!(scroll_to(0, 0, 0), 0);
    }

    #[test]
    fn tiny_screens_never_underflow() {
        for w in 0..5 {
            for h in 0..5 {
                let _ = frame(Rect::new(0, 0, w, h));
                assert!(list_visible((w, h)) >= 1);
                assert!(board_visible_cards((w, h)) >= 1);
                assert!(board_visible_columns(w, 7) >= 1);
            }
        }
    }

    #[test]
    fn standard_terminal_shows_four_board_columns_and_eighteen_rows() {
        assert_eq!(board_visible_columns(80, 7), 4);
        assert_eq!(list_visible((80, 24)), 18);
    }
}
