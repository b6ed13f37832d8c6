//! The search popup: the query, how many matched, and the hits with every
//! match highlighted, in the title or in a snippet of where it was found.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{block, centered, input};
use crate::present::state_label;
use crate::service::SearchHit;
use crate::text::{match_ranges, pad_right, sanitize_line, truncate, width};
use crate::tui::app::{App, SEARCH_LIMIT, SearchPopup, SearchState};

/// Widest the popup gets; wider lines read badly.
const MAX_WIDTH: u16 = 110;
/// Columns for the state label.
const STATE_COLS: usize = 12;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, popup: &SearchPopup) {
    let rect = centered(
        area,
        area.width.saturating_sub(2).min(MAX_WIDTH),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, rect);
    let outer = block(app, format!(" {} ", app.cat.t("search.title")), true);
    let inner = outer.inner(rect);
    frame.render_widget(outer, rect);
    let [field, state, list, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(inner);
    input(frame, &popup.input, field, true);
    let cols = usize::from(inner.width);
    let (text, style) = state_line(app, popup);
    frame.render_widget(
        Paragraph::new(truncate(&sanitize_line(&text), cols)).style(style),
        state,
    );
    frame.render_widget(Paragraph::new(hit_lines(app, popup, list)), list);
    frame.render_widget(
        Paragraph::new(truncate(app.cat.t("search.hint"), cols)).style(app.theme.dim),
        hint,
    );
}

/// What the line under the query says: a count, "searching", or why not.
fn state_line(app: &App, popup: &SearchPopup) -> (String, Style) {
    let n = popup.hits.len();
    let count = || {
        if n >= SEARCH_LIMIT {
            app.cat.f("search.more", &[("count", &n)])
        } else {
            app.cat.f("search.count", &[("count", &n)])
        }
    };
    match &popup.state {
        SearchState::Empty => (app.cat.t("search.empty").to_string(), app.theme.dim),
        SearchState::Waiting => (app.cat.t("search.waiting").to_string(), app.theme.dim),
        SearchState::Ready if n == 0 => (app.cat.t("search.none").to_string(), app.theme.dim),
        SearchState::Ready => (count(), app.theme.dim),
        SearchState::Invalid(message) => (
            message.lines().next().unwrap_or_default().to_string(),
            app.theme.error,
        ),
    }
}

/// Two lines per hit at most: the ticket, and a snippet when the match is
/// not in the title. Scrolled so the chosen hit is visible.
fn hit_lines<'a>(app: &'a App, popup: &SearchPopup, area: Rect) -> Vec<Line<'a>> {
    let cols = usize::from(area.width);
    let rows = usize::from(area.height);
    let per_hit: Vec<Vec<Line>> = popup
        .hits
        .iter()
        .enumerate()
        .map(|(i, hit)| hit_block(app, hit, &popup.terms, i == popup.selected, cols))
        .collect();
    // Scroll by hits: the first shown hit is the one that keeps the chosen visible.
    let mut first = 0;
    let mut used: usize = per_hit.iter().take(popup.selected + 1).map(Vec::len).sum();
    while used > rows && first < popup.selected {
        used -= per_hit[first].len();
        first += 1;
    }
    per_hit
        .into_iter()
        .skip(first)
        .flatten()
        .take(rows)
        .collect()
}

fn hit_block<'a>(
    app: &'a App,
    hit: &SearchHit,
    terms: &[String],
    chosen: bool,
    cols: usize,
) -> Vec<Line<'a>> {
    let row = &hit.row;
    let base = if chosen {
        app.theme.selected
    } else {
        app.theme.text
    };
    let state = truncate(
        &state_label(&app.workflow, &app.cat, &row.status),
        STATE_COLS,
    );
    let number = format!(" #{:<7} ", row.id);
    let prio = format!("{}  ", row.priority);
    let state = format!("{} ", pad_right(&state, STATE_COLS));
    let title_cols = cols.saturating_sub(width(&number) + width(&prio) + width(&state));
    let prio_style = if chosen {
        base
    } else {
        app.theme.priority(row.priority)
    };
    let mut spans = vec![
        Span::styled(number, base),
        Span::styled(prio, prio_style),
        Span::styled(state, base),
    ];
    spans.extend(marked(
        &row.title,
        terms,
        base,
        app.theme.matched,
        title_cols,
    ));
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    spans.push(Span::styled(" ".repeat(cols.saturating_sub(used)), base));
    let mut lines = vec![Line::from(spans)];
    if let Some(snippet) = &hit.snippet {
        let indent = "   ";
        let mut spans = vec![Span::raw(indent)];
        spans.extend(marked(
            snippet,
            terms,
            app.theme.dim,
            app.theme.matched,
            cols.saturating_sub(indent.len()),
        ));
        lines.push(Line::from(spans));
    }
    lines
}

/// `text` made safe, cut to `cols`, in `base` with the matches in `mark`.
fn marked<'a>(
    text: &str,
    terms: &[String],
    base: Style,
    mark: Style,
    cols: usize,
) -> Vec<Span<'a>> {
    let shown = truncate(&sanitize_line(text), cols);
    let mut spans = Vec::new();
    let mut at = 0;
    for r in match_ranges(&shown, terms) {
        if r.start > at {
            spans.push(Span::styled(shown[at..r.start].to_string(), base));
        }
        spans.push(Span::styled(shown[r.clone()].to_string(), base.patch(mark)));
        at = r.end;
    }
    if at < shown.len() {
        spans.push(Span::styled(shown[at..].to_string(), base));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier};

    #[test]
    fn matches_are_marked_and_escapes_never_pass() {
        let mark = Style::default()
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD);
        let spans = marked(
            "我要退款 \u{1b}[31mrefund",
            &["tk".to_string(), "REFUND".to_string()],
            Style::default(),
            mark,
            80,
        );
        let marked: Vec<&str> = spans
            .iter()
            .filter(|s| s.style == mark)
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(marked, ["退款", "refund"]);
        assert!(spans.iter().all(|s| !s.content.contains('\u{1b}')));
    }
}
