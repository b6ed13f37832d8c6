//! The dashboard pane: headline figures with their trend against the
//! period before, the backlog by state and age, created against solved per
//! day for 30 days, the Pareto of categories, the agents and the tickets
//! about to breach. Two columns from 120 wide; below that one column,
//! scrolled a section at a time (j/k).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline};

use super::block;
use crate::metrics::Metrics;
use crate::present::service_report::{
    Trend, count_text, headlines, key_label, percent, person_cells, person_heads, scope_text,
    top_three, value_text,
};
use crate::service::DeskReport;
use crate::text::{pad_right, sanitize_line, truncate, width};
use crate::tui::app::App;

/// From this width the sections sit in two columns.
const TWO_COLUMNS: u16 = 120;
/// Width of one headline figure.
const HEADLINE_W: usize = 38;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Headlines,
    Backlog,
    Daily,
    Pareto,
    Agents,
    AtRisk,
}

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let cat = &app.cat;
    let [top, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body);
    let Some(report) = app.dashboard.report.as_deref() else {
        let text = cat.t("dashboard.working");
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {text}"), app.theme.dim)),
            top,
        );
        return;
    };
    frame.render_widget(Paragraph::new(title_line(app, report, top.width)), top);
    if rest.width >= TWO_COLUMNS {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(rest);
        column(
            frame,
            app,
            report,
            left,
            &[Section::Headlines, Section::Daily, Section::Pareto],
        );
        column(
            frame,
            app,
            report,
            right,
            &[Section::Backlog, Section::Agents, Section::AtRisk],
        );
    } else {
        let all = [
            Section::Headlines,
            Section::Backlog,
            Section::Daily,
            Section::Pareto,
            Section::Agents,
            Section::AtRisk,
        ];
        let first = app.dashboard.scroll.min(all.len() - 1);
        column(frame, app, report, rest, &all[first..]);
    }
}

fn title_line(app: &App, report: &DeskReport, w: u16) -> Line<'static> {
    let cat = &app.cat;
    let m = &report.metrics;
    let mut text = String::new();
    if app.dashboard.loading {
        text.push_str(cat.t("dashboard.working"));
        text.push_str(" · ");
    }
    text += &cat.f(
        "dashboard.title",
        &[
            ("period", &m.period.label()),
            ("previous", &m.previous.label()),
            ("scope", &scope_text(cat, &report.scope)),
        ],
    );
    if report.outcomes_missing > 0 {
        text.push_str(" · ");
        text.push_str(&cat.f("dashboard.partial", &[("n", &report.outcomes_missing)]));
    }
    Line::styled(
        format!(" {}", truncate(&text, usize::from(w.saturating_sub(2)))),
        app.theme.heading,
    )
}

/// Sections stacked top to bottom; the last takes what is left.
fn column(frame: &mut Frame, app: &App, report: &DeskReport, area: Rect, sections: &[Section]) {
    let inner_w = usize::from(area.width.saturating_sub(2));
    let mut y = area.y;
    let bottom = area.y + area.height;
    for (i, &s) in sections.iter().enumerate() {
        if y >= bottom {
            break;
        }
        let figures = headlines(&app.cat, &report.metrics).len();
        let wanted = height(
            s,
            &report.metrics,
            (inner_w, figures),
            area.width >= TWO_COLUMNS / 2,
        );
        let h = if i + 1 == sections.len() {
            bottom - y
        } else {
            wanted.min(bottom - y)
        };
        let rect = Rect::new(area.x, y, area.width, h);
        draw_section(frame, app, report, s, rect);
        y += h;
    }
}

/// Rows a section wants; `(inner_w, figures)`: its inner width and how
/// many headline figures there are.
fn height(s: Section, m: &Metrics, (inner_w, figures): (usize, usize), wide: bool) -> u16 {
    let list = if wide { 20 } else { 8 };
    let rows = match s {
        Section::Headlines => figures.div_ceil((inner_w / HEADLINE_W).max(1)),
        Section::Backlog => m.backlog_states.len().max(1) + 1,
        Section::Daily => 2 + 2 * sparkline_rows(wide),
        Section::Pareto => m.pareto_categories.len().clamp(1, 6) + 1,
        Section::Agents => m.agents.len().clamp(1, list) + 1,
        Section::AtRisk => m.at_risk.len().clamp(1, 10),
    };
    u16::try_from(rows + 2).unwrap_or(u16::MAX)
}

fn draw_section(frame: &mut Frame, app: &App, report: &DeskReport, s: Section, area: Rect) {
    let cat = &app.cat;
    let key = match s {
        Section::Headlines => "dashboard.headlines",
        Section::Backlog => "dashboard.backlog",
        Section::Daily => "dashboard.daily",
        Section::Pareto => "dashboard.pareto",
        Section::Agents => "dashboard.agents",
        Section::AtRisk => "dashboard.at_risk",
    };
    let title = truncate(cat.t(key), usize::from(area.width.saturating_sub(4)));
    let outer = block(app, format!(" {title} "), false);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let m = &report.metrics;
    let w = usize::from(inner.width);
    match s {
        Section::Daily => draw_daily(frame, app, m, inner, area.width >= TWO_COLUMNS / 2),
        Section::Headlines => frame.render_widget(Paragraph::new(headline_lines(app, m, w)), inner),
        Section::Backlog => frame.render_widget(Paragraph::new(backlog_lines(app, m, w)), inner),
        Section::Pareto => frame.render_widget(Paragraph::new(pareto_lines(app, m, w)), inner),
        Section::Agents => frame.render_widget(
            Paragraph::new(agent_lines(app, m, w, usize::from(inner.height))),
            inner,
        ),
        Section::AtRisk => {
            frame.render_widget(Paragraph::new(at_risk_lines(app, report, w)), inner)
        }
    }
}

fn trend_style(app: &App, t: Trend) -> Style {
    match t {
        Trend::Good => app.theme.ok,
        Trend::Bad => app.theme.error,
        Trend::Flat => app.theme.dim,
    }
}

fn headline_lines(app: &App, m: &Metrics, w: usize) -> Vec<Line<'static>> {
    let cat = &app.cat;
    let per_row = (w / HEADLINE_W).max(1);
    // Two blanks between figures side by side.
    let gap = 2;
    let cell = ((w + gap) / per_row).saturating_sub(gap).max(10);
    let value_w = 10;
    let change_w = 11;
    let label_w = cell.saturating_sub(value_w + change_w + 2).max(4);
    let cells: Vec<Vec<Span<'static>>> = headlines(cat, m)
        .into_iter()
        .map(|h| {
            let (change, trend) = h.change_in(cat, "metrics.points_short");
            vec![
                Span::styled(
                    pad_right(
                        &truncate(cat.t(&format!("metrics.short.{}", h.id)), label_w),
                        label_w,
                    ),
                    app.theme.dim,
                ),
                Span::styled(
                    format!(" {}", pad_left(&value_text(cat, h.now), value_w)),
                    app.theme.text,
                ),
                Span::styled(
                    format!(" {}", pad_right(&truncate(&change, change_w), change_w)),
                    trend_style(app, trend),
                ),
            ]
        })
        .collect();
    cells
        .chunks(per_row)
        .map(|row| {
            let mut spans = Vec::new();
            for (i, c) in row.iter().enumerate() {
                if i > 0 {
                    spans.push(Span::raw(" ".repeat(gap)));
                }
                spans.extend(c.iter().cloned());
            }
            Line::from(spans)
        })
        .collect()
}

fn pad_left(text: &str, w: usize) -> String {
    let t = truncate(text, w);
    format!("{}{t}", " ".repeat(w.saturating_sub(width(&t))))
}

/// `label ███████ 12` with the bar scaled to the largest count.
fn bar_line(app: &App, label: &str, count: u64, max: u64, w: usize, extra: &str) -> Line<'static> {
    let label_w = (w / 3).clamp(6, 22);
    let count_text = format!(" {}{extra}", count_text(count));
    let room = w.saturating_sub(label_w + 1 + width(&count_text));
    let bar = if max == 0 {
        0
    } else {
        ((count as f64 / max as f64) * room as f64).round() as usize
    };
    Line::from(vec![
        Span::styled(
            pad_right(&truncate(label, label_w), label_w),
            app.theme.text,
        ),
        Span::raw(" "),
        Span::styled("█".repeat(bar.max(usize::from(count > 0))), app.theme.key),
        Span::styled(count_text, app.theme.dim),
    ])
}

fn backlog_lines(app: &App, m: &Metrics, w: usize) -> Vec<Line<'static>> {
    let (wf, cat) = (&app.workflow, &app.cat);
    if m.backlog_states.is_empty() {
        return vec![Line::styled(
            cat.t("dashboard.no_backlog").to_string(),
            app.theme.dim,
        )];
    }
    let max = m.backlog_states.iter().map(|c| c.count).max().unwrap_or(0);
    let mut lines: Vec<Line> = m
        .backlog_states
        .iter()
        .map(|c| {
            bar_line(
                app,
                &key_label(wf, cat, "state", &c.key),
                c.count,
                max,
                w,
                "",
            )
        })
        .collect();
    let ages: Vec<String> = m
        .backlog_ages
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| {
            format!(
                "{} {}",
                cat.t(&format!("metrics.age_short.{}", c.key)),
                count_text(c.count)
            )
        })
        .collect();
    lines.push(Line::styled(truncate(&ages.join(" · "), w), app.theme.dim));
    lines
}

/// Rows of each sparkline: more where the screen has room.
fn sparkline_rows(wide: bool) -> usize {
    if wide { 5 } else { 2 }
}

fn draw_daily(frame: &mut Frame, app: &App, m: &Metrics, area: Rect, wide: bool) {
    let cat = &app.cat;
    let w = usize::from(area.width);
    // The newest days that fit, each as many columns wide as the width allows.
    let days = &m.daily[m.daily.len().saturating_sub(w)..];
    let each = (w / days.len().max(1)).max(1);
    let spread = |f: fn(&crate::metrics::DayRow) -> u64| -> Vec<u64> {
        days.iter()
            .flat_map(|d| std::iter::repeat_n(f(d), each))
            .collect()
    };
    let created = spread(|d| d.created);
    let solved = spread(|d| d.solved);
    let spark = u16::try_from(sparkline_rows(wide)).unwrap_or(2);
    let max = created.iter().chain(&solved).copied().max().unwrap_or(0);
    let total = |f: fn(&crate::metrics::DayRow) -> u64| count_text(days.iter().map(f).sum::<u64>());
    let rows = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(spark),
        Constraint::Length(1),
        Constraint::Length(spark),
    ])
    .split(area);
    let label = |key: &str, n: String| {
        Line::styled(
            truncate(&cat.f(key, &[("n", &n), ("days", &days.len())]), w),
            app.theme.dim,
        )
    };
    frame.render_widget(
        Paragraph::new(label("dashboard.created_days", total(|d| d.created))),
        rows[0],
    );
    frame.render_widget(
        Sparkline::default()
            .data(created)
            .max(max.max(1))
            .style(app.theme.key),
        rows[1],
    );
    frame.render_widget(
        Paragraph::new(label("dashboard.solved_days", total(|d| d.solved))),
        rows[2],
    );
    frame.render_widget(
        Sparkline::default()
            .data(solved)
            .max(max.max(1))
            .style(app.theme.ok),
        rows[3],
    );
}

fn pareto_lines(app: &App, m: &Metrics, w: usize) -> Vec<Line<'static>> {
    let (wf, cat) = (&app.workflow, &app.cat);
    if m.pareto_categories.is_empty() {
        return vec![Line::styled(
            cat.t("metrics.nothing").to_string(),
            app.theme.dim,
        )];
    }
    let max = m.pareto_categories.first().map_or(0, |r| r.count);
    let mut lines: Vec<Line> = m
        .pareto_categories
        .iter()
        .take(6)
        .map(|r| {
            let extra = format!(
                " · {} · Σ {}",
                percent(Some(r.share)),
                percent(Some(r.cumulative))
            );
            bar_line(
                app,
                &key_label(wf, cat, "category_top", &r.key),
                r.count,
                max,
                w,
                &extra,
            )
        })
        .collect();
    if let Some(top) = top_three(wf, cat, "category_top", &m.pareto_categories) {
        lines.push(Line::styled(truncate(&top, w), app.theme.dim));
    }
    lines
}

/// The agents table in `rows` lines: the header, the agents, and a last
/// line saying how many did not fit (the report lists them all).
fn agent_lines(app: &App, m: &Metrics, w: usize, rows: usize) -> Vec<Line<'static>> {
    let cat = &app.cat;
    // Agent, solved, open, response, resolution, SLA, CSAT, reopened: as
    // many columns as fit, in that order.
    let heads = person_heads(cat, "metrics.col.agent");
    let mut widths = [14usize, 7, 6, 9, 9, 7, 5, 6];
    for (w, head) in widths.iter_mut().zip(&heads) {
        *w = (*w).max(width(head));
    }
    let mut shown = 0;
    let mut used = 0;
    for cw in widths {
        if used + cw + 1 > w && shown > 0 {
            break;
        }
        used += cw + 1;
        shown += 1;
    }
    let first_w = widths[0] + w.saturating_sub(used);
    let row = |cells: [String; 8], style: Style| {
        let spans: Vec<Span> = cells
            .iter()
            .take(shown)
            .enumerate()
            .map(|(i, c)| {
                let cw = if i == 0 { first_w } else { widths[i] };
                let text = if i == 0 {
                    pad_right(&truncate(c, cw), cw)
                } else {
                    pad_left(c, cw)
                };
                Span::styled(format!("{text} "), style)
            })
            .collect();
        Line::from(spans)
    };
    let mut lines = vec![row(heads.clone(), app.theme.dim)];
    if m.agents.is_empty() {
        lines.push(Line::styled(
            cat.t("metrics.nothing").to_string(),
            app.theme.dim,
        ));
    }
    let room = rows.saturating_sub(1);
    let shown = if m.agents.len() > room {
        room.saturating_sub(1)
    } else {
        m.agents.len()
    };
    for r in &m.agents[..shown] {
        lines.push(row(person_cells(cat, r), app.theme.text));
    }
    if shown < m.agents.len() {
        let more = cat.f("dashboard.more_agents", &[("n", &(m.agents.len() - shown))]);
        lines.push(Line::styled(truncate(&more, w), app.theme.dim));
    }
    lines
}

fn at_risk_lines(app: &App, report: &DeskReport, w: usize) -> Vec<Line<'static>> {
    let cat = &app.cat;
    let m = &report.metrics;
    if m.at_risk.is_empty() {
        return vec![Line::styled(
            cat.t("dashboard.none_at_risk").to_string(),
            app.theme.dim,
        )];
    }
    m.at_risk
        .iter()
        .map(|t| {
            let badge = t
                .due
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(|due| crate::present::due_badge(cat, app.now, due).0)
                .unwrap_or_default();
            let id = format!("#{} ", t.id);
            let title_w = w.saturating_sub(width(&id) + width(&badge) + 1);
            let title = report.titles.get(&t.id).map_or("", String::as_str);
            Line::from(vec![
                Span::styled(id, app.theme.key),
                Span::styled(
                    pad_right(&truncate(&sanitize_line(title), title_w), title_w),
                    app.theme.text,
                ),
                Span::styled(format!(" {badge}"), app.theme.error),
            ])
        })
        .collect()
}
