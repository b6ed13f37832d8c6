//! The knowledge-base pane: the articles (title, category, language) beside
//! the one under the cursor, read as Markdown made for the terminal; on a
//! narrow screen the list, or the article once opened.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::block;
use crate::domain::Article;
use crate::present::markdown::{LineKind, render};
use crate::text::{pad_right, sanitize_line, truncate};
use crate::tui::app::App;

/// Below this width the list and the article take turns.
const SIDE_BY_SIDE: u16 = 100;

/// The list's and the article's areas (one of them empty when narrow).
fn areas(app: &App, body: Rect) -> (Rect, Rect) {
    if body.width >= SIDE_BY_SIDE {
        let [list, article] =
            Layout::horizontal([Constraint::Percentage(42), Constraint::Fill(1)]).areas(body);
        (list, article)
    } else if app.kb.reading {
        (Rect::default(), body)
    } else {
        (body, Rect::default())
    }
}

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let (list_area, article_area) = areas(app, body);
    if list_area.width > 0 {
        draw_list(frame, app, list_area);
    }
    if article_area.width > 0 {
        draw_article(frame, app, article_area);
    }
}

fn draw_list(frame: &mut Frame, app: &App, area: Rect) {
    let cat = &app.cat;
    let title = cat.f("kb.title", &[("count", &app.kb.hits.len())]);
    let title = if app.kb.query.is_empty() {
        title
    } else {
        format!("{title} · /{}", sanitize_line(&app.kb.query))
    };
    let outer = block(
        app,
        format!(
            " {} ",
            truncate(&title, usize::from(area.width.saturating_sub(6)))
        ),
        !app.kb.reading,
    );
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let cols = usize::from(inner.width);
    if app.kb.hits.is_empty() {
        let text = if !app.kb.loaded {
            cat.t("tui.loading").to_string()
        } else if app.kb.query.is_empty() {
            cat.t("kb.empty").to_string()
        } else {
            cat.f("kb.no_match", &[("query", &sanitize_line(&app.kb.query))])
        };
        let lines: Vec<Line> = crate::text::wrap(&text, cols.max(1))
            .into_iter()
            .map(|l| Line::styled(l, app.theme.dim))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let rows = usize::from(inner.height);
    let offset = crate::tui::layout::scroll_to(app.kb.offset, app.kb.selected, rows.max(1));
    let category_w = if cols >= 60 { 22 } else { 14 };
    let lang_w = 6;
    let title_w = cols.saturating_sub(category_w + lang_w + 2).max(4);
    let lines: Vec<Line> = app
        .kb
        .hits
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(i, h)| {
            let a = &h.article;
            let category = crate::present::category_label(
                &app.workflow,
                cat,
                a.category.as_ref().map(|c| c.as_str()),
            );
            let style = if i == app.kb.selected {
                app.theme.selected
            } else {
                app.theme.text
            };
            Line::from(vec![
                Span::styled(
                    pad_right(&truncate(&sanitize_line(&a.title), title_w), title_w),
                    style,
                ),
                Span::raw(" "),
                Span::styled(
                    pad_right(&truncate(&category, category_w), category_w),
                    app.theme.dim,
                ),
                Span::raw(" "),
                Span::styled(
                    pad_right(&truncate(&sanitize_line(&a.lang), lang_w), lang_w),
                    app.theme.dim,
                ),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The article under the cursor as lines `cols` wide.
fn article_lines(app: &App, a: &Article, cols: usize) -> Vec<Line<'static>> {
    let cat = &app.cat;
    let mut out = vec![Line::styled(
        truncate(&sanitize_line(&a.title), cols),
        app.theme.heading,
    )];
    let facts = crate::present::markdown::article_facts(&app.workflow, cat, a, &app.tz);
    for l in crate::text::wrap(&facts, cols.max(1)) {
        out.push(Line::styled(l, app.theme.dim));
    }
    out.push(Line::raw(""));
    for l in render(&a.body, cols) {
        let style = match l.kind {
            LineKind::Heading => app.theme.heading,
            LineKind::Quote | LineKind::Code => app.theme.dim,
            LineKind::Text | LineKind::Blank => app.theme.text,
        };
        out.push(Line::styled(l.text, style));
    }
    out
}

fn draw_article(frame: &mut Frame, app: &App, area: Rect) {
    let outer = block(
        app,
        format!(" {} ", app.cat.t("kb.article")),
        app.kb.reading,
    );
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let Some(hit) = app.kb.current() else {
        return;
    };
    let lines = article_lines(app, &hit.article, usize::from(inner.width));
    let max = u16::try_from(lines.len().saturating_sub(usize::from(inner.height))).unwrap_or(0);
    frame.render_widget(
        Paragraph::new(lines).scroll((app.kb.scroll.min(max), 0)),
        inner,
    );
}

/// How far the article can scroll at this screen size.
pub fn max_scroll(app: &App, size: (u16, u16)) -> u16 {
    let body = crate::tui::layout::frame(Rect::new(0, 0, size.0, size.1))[1];
    let (_, area) = areas(app, body);
    let area = if area.width == 0 { body } else { area };
    let inner_w = usize::from(area.width.saturating_sub(2));
    let inner_h = usize::from(area.height.saturating_sub(2));
    app.kb.current().map_or(0, |h| {
        let n = article_lines(app, &h.article, inner_w).len();
        u16::try_from(n.saturating_sub(inner_h)).unwrap_or(u16::MAX)
    })
}
