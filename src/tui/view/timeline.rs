//! The timeline: a label column (ticket or step, its owner, marks) and a
//! chart of bars on the pane's scale, milestones pinned above, a legend
//! below. Every state reads without colour: open, done, late and blocked
//! each have their own glyph or mark (ASCII ones with `--ascii`).

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::block;
use crate::domain::{MilestoneSummary, Subtask, TicketRow};
use crate::text::{pad_right, sanitize_line, truncate};
use crate::tui::app::App;
use crate::tui::app::timeline::{Scale, TimelineLine};

/// The glyphs of one drawing style.
struct Glyphs {
    ticket: &'static str,
    step: &'static str,
    done: &'static str,
    late: &'static str,
    milestone_bar: &'static str,
    milestone: &'static str,
    today: &'static str,
    today_head: &'static str,
    undated: &'static str,
    blocked: &'static str,
    branch: &'static str,
    /// Before a done ticket's or step's number.
    check: &'static str,
}

const UNICODE: Glyphs = Glyphs {
    ticket: "█",
    step: "━",
    done: "░",
    late: "▓",
    milestone_bar: "═",
    milestone: "◆",
    today: "┊",
    today_head: "▼",
    undated: "·",
    blocked: "⊘",
    branch: "└",
    check: "✓",
};

const ASCII: Glyphs = Glyphs {
    ticket: "#",
    step: "=",
    done: ".",
    late: "%",
    milestone_bar: "-",
    milestone: "*",
    today: ":",
    today_head: "v",
    undated: "~",
    blocked: "x",
    branch: "`",
    check: "+",
};

/// How a bar is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ticket,
    Step,
    Done,
    Late,
    Milestone,
    /// Open without a due date: from its start to today.
    Undated,
}

/// The label column's width for a pane `total` columns wide.
pub fn label_width(total: u16) -> usize {
    (usize::from(total) * 2 / 5).clamp(20, 48)
}

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let g = if app.theme.borders.top_left == "+" {
        &ASCII
    } else {
        &UNICODE
    };
    let zoom = app.cat.t(app.timeline.zoom.key());
    let title = app.cat.f(
        "timeline.title",
        &[
            ("zoom", &zoom),
            ("total", &super::chrome::total_text(app.list.total)),
        ],
    );
    let outer = block(app, format!(" {} ", sanitize_line(&title)), true);
    let inner = outer.inner(body);
    frame.render_widget(outer, body);
    if inner.height < 3 || inner.width < 30 {
        return;
    }
    let lw = label_width(inner.width);
    let scale = app.timeline_scale(usize::from(inner.width).saturating_sub(lw + 1));
    let band = app.timeline_band(inner.height);
    let height = usize::from(inner.height).saturating_sub(2 + band);
    let mut lines = vec![scale_line(app, g, &scale, lw)];
    for m in app.pinned_milestones().into_iter().take(band) {
        lines.push(milestone_line(app, g, &scale, lw, m));
    }
    if app.list.loaded && app.list.is_empty() {
        let key = if app.filter.text.is_empty() {
            "list.empty"
        } else {
            "list.no_match"
        };
        for l in app.cat.t(key).lines() {
            lines.push(Line::styled(l.to_string(), app.theme.dim));
        }
    }
    let cursor = app.timeline_cursor();
    for line in app.timeline_lines(height) {
        let selected = line == cursor;
        lines.push(match line {
            TimelineLine::Ticket(i) => match app.list.row(i) {
                Some(r) => ticket_line(app, g, &scale, lw, r, selected),
                None => Line::raw(""),
            },
            TimelineLine::Step(i, j) => match app.timeline_steps(i).get(j) {
                Some(s) => step_line(app, g, &scale, lw, s, selected),
                None => Line::raw(""),
            },
        });
    }
    let [chart, legend] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Min(0),
        ratatui::layout::Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(lines), chart);
    frame.render_widget(
        Paragraph::new(truncate(&legend_text(app, g), usize::from(legend.width)))
            .style(app.theme.dim),
        legend,
    );
}

/// Dates along the top, today marked.
fn scale_line(app: &App, g: &Glyphs, scale: &Scale, lw: usize) -> Line<'static> {
    let mut cells = vec![" ".to_string(); scale.columns];
    // A date every week (days), every six weeks, every eight months: each
    // label has room before the next.
    let every = match scale.days_per_column {
        1 => 7,
        7 => 6,
        _ => 8,
    };
    let format = if scale.days_per_column >= 30 {
        "%Y-%m"
    } else {
        "%m-%d"
    };
    let today = column_of(scale, app.now);
    let mut c = 0;
    while c < scale.columns {
        let at = scale.at(c as i64).with_timezone(&app.tz);
        let text = at.format(format).to_string();
        // A date never covers today's mark.
        let covers_today = today.is_some_and(|t| t >= c && t < c + text.len());
        if c + text.len() <= scale.columns && !covers_today {
            for (k, ch) in text.chars().enumerate() {
                cells[c + k] = ch.to_string();
            }
        }
        c += every;
    }
    if let Some(t) = today {
        cells[t] = g.today_head.to_string();
    }
    let today = app
        .now
        .with_timezone(&app.tz)
        .format("%Y-%m-%d")
        .to_string();
    Line::from(vec![
        Span::styled(pad_right(&today, lw), app.theme.heading),
        Span::raw(" "),
        Span::styled(cells.concat(), app.theme.dim),
    ])
}

fn column_of(scale: &Scale, t: DateTime<Utc>) -> Option<usize> {
    usize::try_from(scale.column(t))
        .ok()
        .filter(|&c| c < scale.columns)
}

/// A chart row: today's line, then a bar from `from` to `to`, then marks.
fn bar(
    app: &App,
    g: &Glyphs,
    scale: &Scale,
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
    kind: Kind,
    late_at: Option<DateTime<Utc>>,
) -> Vec<Span<'static>> {
    let mut cells: Vec<(&str, Style)> = vec![(" ", app.theme.text); scale.columns];
    if let Some(t) = column_of(scale, app.now) {
        cells[t] = (g.today, app.theme.dim);
    }
    let (glyph, style) = match kind {
        Kind::Ticket => (g.ticket, app.theme.text),
        Kind::Step => (g.step, app.theme.text),
        Kind::Done => (g.done, app.theme.dim),
        Kind::Late => (g.late, app.theme.error),
        Kind::Milestone => (g.milestone_bar, app.theme.heading),
        Kind::Undated => (g.undated, app.theme.dim),
    };
    let last = scale.columns as i64 - 1;
    let a = scale.column(from).max(0);
    if let Some(to) = to {
        let b = scale.column(to).min(last);
        for c in a..=b {
            if let Ok(c) = usize::try_from(c) {
                cells[c] = (glyph, style);
            }
        }
        if kind == Kind::Milestone
            && let Some(c) = column_of(scale, to)
        {
            cells[c] = (g.milestone, app.theme.heading);
        }
    }
    // A late item's due date carries a `!`.
    if let Some(c) = late_at.and_then(|d| column_of(scale, d)) {
        cells[c] = ("!", app.theme.error);
    }
    // One span per run of a style, not per cell: a 200-column chart row
    // is a handful of spans.
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_style = None;
    for (symbol, style) in cells {
        if run_style.is_some_and(|s| s != style) {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                run_style.unwrap_or_default(),
            ));
        }
        run_style = Some(style);
        run.push_str(symbol);
    }
    if let Some(style) = run_style {
        spans.push(Span::styled(run, style));
    }
    spans
}

fn label(app: &App, text: &str, lw: usize, selected: bool, style: Style) -> Span<'static> {
    let style = if selected { app.theme.selected } else { style };
    Span::styled(pad_right(&truncate(text, lw), lw), style)
}

fn done_state(app: &App, status: &str) -> bool {
    app.workflow
        .states()
        .iter()
        .any(|s| s.id == status && (s.is_final || s.is_resolved))
}

fn ticket_line(
    app: &App,
    g: &Glyphs,
    scale: &Scale,
    lw: usize,
    r: &TicketRow,
    selected: bool,
) -> Line<'static> {
    let done = done_state(app, &r.status);
    let late = !done && r.due_at.is_some_and(|d| d < app.now);
    let (kind, to) = match (done, late) {
        (true, _) => (Kind::Done, Some(r.due_at.unwrap_or(r.updated_at))),
        (false, true) => (Kind::Late, Some(app.now)),
        (false, false) if r.due_at.is_none() => (Kind::Undated, Some(app.now)),
        (false, false) => (Kind::Ticket, r.due_at),
    };
    let mark = if late {
        "!"
    } else if done {
        g.check
    } else {
        " "
    };
    let mut text = format!("{mark}#{} ", r.id);
    if let Some(blockers) = app.timeline.blocked_by.get(&r.id) {
        let list: Vec<String> = blockers.iter().map(|b| format!("#{b}")).collect();
        text.push_str(&format!("{}{} ", g.blocked, list.join(",")));
    }
    text.push_str(&sanitize_line(&crate::present::titled_with_steps(r)));
    let style = if late {
        app.theme.error
    } else {
        app.theme.text
    };
    let mut spans = vec![label(app, &text, lw, selected, style), Span::raw(" ")];
    let late_at = if late { r.due_at } else { None };
    spans.extend(bar(app, g, scale, r.created_at, to, kind, late_at));
    Line::from(spans)
}

fn step_line(
    app: &App,
    g: &Glyphs,
    scale: &Scale,
    lw: usize,
    s: &Subtask,
    selected: bool,
) -> Line<'static> {
    let late = s.is_overdue(app.now);
    let (kind, to) = if s.is_done() {
        (Kind::Done, s.done_at)
    } else if late {
        (Kind::Late, Some(app.now))
    } else if s.due.is_none() {
        (Kind::Undated, Some(app.now))
    } else {
        (Kind::Step, s.due)
    };
    let mark = if s.is_done() {
        g.check
    } else if late {
        "!"
    } else {
        " "
    };
    let mut text = format!(" {}{mark}{} {}", g.branch, s.id, sanitize_line(&s.title));
    if let Some(a) = &s.assignee {
        text.push_str(&format!(" @{}", sanitize_line(a)));
    }
    let style = if late { app.theme.error } else { app.theme.dim };
    let mut spans = vec![label(app, &text, lw, selected, style), Span::raw(" ")];
    spans.extend(bar(
        app,
        g,
        scale,
        s.created_at,
        to,
        kind,
        late.then_some(s.due).flatten(),
    ));
    Line::from(spans)
}

fn milestone_line(
    app: &App,
    g: &Glyphs,
    scale: &Scale,
    lw: usize,
    m: &MilestoneSummary,
) -> Line<'static> {
    let p = &m.progress;
    let late = m.milestone.due.is_some_and(|d| d < app.now) && p.done() < p.total();
    let mut text = format!(
        "{}{} {} {}%",
        g.milestone,
        if late { "!" } else { "" },
        sanitize_line(&m.milestone.name),
        p.percent()
    );
    if p.overdue > 0 {
        text.push_str(&format!(" !{}", p.overdue));
    }
    let style = if late {
        app.theme.error
    } else {
        app.theme.heading
    };
    let mut spans = vec![label(app, &text, lw, false, style), Span::raw(" ")];
    spans.extend(bar(
        app,
        g,
        scale,
        m.milestone.created_at,
        m.milestone.due,
        Kind::Milestone,
        if late { m.milestone.due } else { None },
    ));
    Line::from(spans)
}

fn legend_text(app: &App, g: &Glyphs) -> String {
    let t = |k: &str| app.cat.t(k).to_string();
    let parts = [
        format!("{} {}", g.ticket, t("timeline.open")),
        format!("{} {}", g.step, t("timeline.step")),
        format!("{} {}", g.done, t("timeline.done")),
        format!("{}! {}", g.late, t("timeline.late")),
        format!("{} {}", g.milestone, t("timeline.milestone")),
        format!("{} {}", g.today, t("timeline.today")),
        format!("{} {}", g.undated, t("timeline.undated")),
        format!("{} {}", g.blocked, t("timeline.blocked")),
    ];
    parts.join("  ")
}
