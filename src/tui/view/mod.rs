//! Drawing: pure functions from [`App`] to a frame. Nothing here changes state
//! except the text inputs' own scroll bookkeeping inside ratatui-textarea.

mod board;
pub(crate) mod chrome;
mod dashboard;
pub(crate) mod detail;
pub(crate) mod kb;
mod list;
mod overlay;
mod search;
mod timeline;
mod work;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::widgets::{Block, Borders};
use ratatui_textarea::TextArea;

use super::app::{App, Pane};
use super::layout;

/// Smallest screen the panes are drawn on; below it a one-line notice.
const MIN_SIZE: (u16, u16) = (20, 6);

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        chrome::too_small(frame, app, area);
        return;
    }
    let [header, body, footer] = layout::frame(area);
    chrome::header(frame, app, header);
    match app.pane {
        Pane::List => list::draw(frame, app, body),
        Pane::Board => board::draw(frame, app, body),
        Pane::Detail => detail::draw(frame, app, body, true),
        Pane::Triage => detail::draw_triage(frame, app, body),
        Pane::Kb => kb::draw(frame, app, body),
        Pane::Dashboard => dashboard::draw(frame, app, body),
        Pane::Timeline => timeline::draw(frame, app, body),
        Pane::Work => work::draw(frame, app, body),
    }
    chrome::footer(frame, app, footer);
    overlay::draw(frame, app, area, footer);
    scrub(frame.buffer_mut());
}

/// The last line of defence at the terminal's edge: whatever a view drew,
/// no cell reaches the terminal with a control character or a bidi control
/// in it. Views sanitise what they draw (showing controls as visible
/// pictures); anything one missed — a workflow label, an error quoting a
/// customer's text — is dropped here. Such characters take no columns, so
/// dropping them leaves the layout as it was drawn.
fn scrub(buffer: &mut ratatui::buffer::Buffer) {
    let unsafe_char = |c: char| c.is_control() || crate::text::is_bidi_control(c);
    for cell in buffer.content.iter_mut() {
        let symbol = cell.symbol();
        if symbol.chars().any(unsafe_char) {
            let clean: String = symbol.chars().filter(|&c| !unsafe_char(c)).collect();
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
    mend_cut_wide_cells(buffer);
}

/// A double-width character (Chinese, say) whose right half something else
/// was drawn over — a popup's left border — would still be printed whole
/// by the terminal and eat that border. Such a cut character becomes a
/// space, so the popup's edge shows.
fn mend_cut_wide_cells(buffer: &mut ratatui::buffer::Buffer) {
    let width = usize::from(buffer.area.width);
    if width < 2 {
        return;
    }
    for row in buffer.content.chunks_mut(width) {
        for x in 0..width - 1 {
            // The cell under a wide character's right half is blank
            // (ratatui resets it); anything else was drawn over it.
            let wide = crate::text::width(row[x].symbol()) > 1;
            if wide && !matches!(row[x + 1].symbol(), "" | " ") {
                row[x].set_symbol(" ");
            }
        }
    }
}

/// A bordered block in the theme's style and border set.
fn block<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    let style = if focused {
        app.theme.border_focus
    } else {
        app.theme.border
    };
    Block::default()
        .borders(Borders::ALL)
        .border_set(app.theme.borders)
        .border_style(style)
        .title(ratatui::text::Span::styled(title, app.theme.title))
}

/// A centred rectangle of at most `w`×`h` inside `area`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// Draws a text input and puts the terminal cursor where it is, so input
/// methods (Chinese IMEs) open their candidate window in the right place.
fn input(frame: &mut Frame, input: &TextArea<'static>, area: Rect, focused: bool) {
    frame.render_widget(input, area);
    if focused {
        let sc = input.screen_cursor();
        let (top_row, top_col) = input.scroll_offset();
        let x = area
            .x
            .saturating_add(u16::try_from(sc.col).unwrap_or(0).saturating_sub(top_col));
        let y = area
            .y
            .saturating_add(u16::try_from(sc.row).unwrap_or(0).saturating_sub(top_row));
        if x < area.x.saturating_add(area.width) && y < area.y.saturating_add(area.height) {
            frame.set_cursor_position((x, y));
        }
    }
}
