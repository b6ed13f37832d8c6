//! The desk's figures in words: headline numbers with their change against
//! the previous period (shared by the dashboard and the weekly report), and
//! the weekly "problem-resolution efficiency report" as Markdown, one HTML
//! page with inline SVG charts, tidy CSV tables or stable JSON. Pure: the
//! caller computes the report and passes the time zone.

use chrono::FixedOffset;

use super::{category_label, state_label, type_label};
use crate::i18n::Catalog;
use crate::metrics::{Dist, Figures, Metrics, ParetoRow, PersonRow};
use crate::service::{DeskReport, ReportScope};
use crate::text::{csv_cell, sanitize_line};
use crate::workflow::Workflow;

mod charts;
mod formats;
mod work;

pub use formats::{csv, html, json, markdown};

/// Which way is better for a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
    /// Neither (volume: more tickets is not good or bad in itself).
    Neutral,
}

/// How a figure is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Count(u64),
    Seconds(Option<i64>),
    Share(Option<f64>),
    Rating(Option<f64>),
}

/// One headline figure, this period and the one before.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// Stable name (JSON, CSV).
    pub id: &'static str,
    pub label: String,
    pub now: Value,
    pub before: Value,
    pub better: Better,
}

/// Whether a change is good, bad or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Good,
    Bad,
    Flat,
}

impl Headline {
    /// The change in words (`↑ 12`, `↓ 8m`, `↑ 3.5 pts`) and whether it is good.
    pub fn change(&self, cat: &Catalog) -> (String, Trend) {
        self.change_in(cat, "metrics.points")
    }

    /// The change, with percentage points written by `points` (a catalog
    /// key: the dashboard's is shorter).
    pub fn change_in(&self, cat: &Catalog, points: &str) -> (String, Trend) {
        // The change between the values as shown (minutes, tenths of a
        // point, hundredths of a rating), so it adds up with what is read.
        let shown = |v: f64, step: f64| (v / step).round() * step;
        let diff = match (self.now, self.before) {
            (Value::Count(a), Value::Count(b)) => Some((a as f64 - b as f64, None)),
            (Value::Seconds(Some(a)), Value::Seconds(Some(b))) => {
                Some(((a / 60 - b / 60) as f64 * 60.0, None))
            }
            (Value::Share(Some(a)), Value::Share(Some(b))) => {
                Some((shown(a * 100.0, 0.1) - shown(b * 100.0, 0.1), Some("pts")))
            }
            (Value::Rating(Some(a)), Value::Rating(Some(b))) => {
                Some((shown(a, 0.01) - shown(b, 0.01), Some("rating")))
            }
            _ => None,
        };
        let Some((d, unit)) = diff else {
            return ("–".into(), Trend::Flat);
        };
        if d.abs() < 0.005 {
            return ("=".into(), Trend::Flat);
        }
        let arrow = if d > 0.0 { "↑" } else { "↓" };
        let size = match (self.now, unit) {
            (Value::Seconds(_), _) => duration(cat, d.abs() as i64),
            (_, Some("pts")) => cat.f(points, &[("n", &format!("{:.1}", d.abs()))]),
            (_, Some(_)) => format!("{:.2}", d.abs()),
            _ => count_text(d.abs() as u64),
        };
        let trend = match self.better {
            Better::Neutral => Trend::Flat,
            Better::Higher if d > 0.0 => Trend::Good,
            Better::Lower if d < 0.0 => Trend::Good,
            _ => Trend::Bad,
        };
        (format!("{arrow} {size}"), trend)
    }
}

/// A duration in business time: `45m`, `3h 05m`, `2d 4h`.
pub fn duration(cat: &Catalog, secs: i64) -> String {
    let m = secs.max(0) / 60;
    if m < 60 {
        cat.f("metrics.dur_m", &[("m", &m)])
    } else if m < 24 * 60 {
        cat.f(
            "metrics.dur_hm",
            &[("h", &(m / 60)), ("m", &format!("{:02}", m % 60))],
        )
    } else {
        cat.f(
            "metrics.dur_dh",
            &[("d", &(m / 1440)), ("h", &(m % 1440 / 60))],
        )
    }
}

/// A count with thousands separated: `201,806`.
pub fn count_text(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A value in words ("–" when there is nothing to measure).
pub fn value_text(cat: &Catalog, v: Value) -> String {
    match v {
        Value::Count(n) => count_text(n),
        Value::Seconds(s) => s.map_or_else(|| "–".into(), |s| duration(cat, s)),
        Value::Share(s) => percent(s),
        Value::Rating(r) => r.map_or_else(|| "–".into(), |r| format!("{r:.2}")),
    }
}

pub fn percent(s: Option<f64>) -> String {
    s.map_or_else(|| "–".into(), |s| format!("{:.1}%", s * 100.0))
}

/// The headline figures, in the order every view shows them.
pub fn headlines(cat: &Catalog, m: &Metrics) -> Vec<Headline> {
    let (a, b) = (&m.current, &m.before);
    let row = |id: &'static str, f: &dyn Fn(&Figures) -> Value, better| Headline {
        id,
        label: cat.t(&format!("metrics.h.{id}")).to_string(),
        now: f(a),
        before: f(b),
        better,
    };
    use Better::{Higher, Lower, Neutral};
    vec![
        row("created", &|f| Value::Count(f.created), Neutral),
        row("solved", &|f| Value::Count(f.solved), Higher),
        row("closed", &|f| Value::Count(f.closed), Neutral),
        row("reopened", &|f| Value::Count(f.reopened), Lower),
        row("backlog", &|f| Value::Count(f.backlog_end), Lower),
        row(
            "response_median",
            &|f| Value::Seconds(f.response.median),
            Lower,
        ),
        row(
            "resolution_median",
            &|f| Value::Seconds(f.resolution.median),
            Lower,
        ),
        row(
            "response_sla",
            &|f| Value::Share(f.response_attainment),
            Higher,
        ),
        row(
            "resolve_sla",
            &|f| Value::Share(f.resolve_attainment),
            Higher,
        ),
        row(
            "response_goal",
            &|f| Value::Share(f.response_within_goal),
            Higher,
        ),
        row(
            "solved_goal",
            &|f| Value::Share(f.solved_within_goal),
            Higher,
        ),
        row("reopen_rate", &|f| Value::Share(f.reopen_rate), Lower),
        row("one_touch", &|f| Value::Share(f.one_touch), Higher),
        row("repeat_ratio", &|f| Value::Share(f.repeat_ratio), Lower),
        row("csat", &|f| Value::Rating(f.csat_average), Higher),
        row("with_article", &|f| Value::Share(f.with_article), Higher),
    ]
}

/// Whose figures, in words.
pub fn scope_text(cat: &Catalog, scope: &ReportScope) -> String {
    match scope {
        ReportScope::Desk => cat.t("metrics.scope_desk").to_string(),
        ReportScope::Team(t) => cat.f("metrics.scope_team", &[("team", &sanitize_line(t))]),
        ReportScope::Agent(a) => cat.f("metrics.scope_agent", &[("agent", &sanitize_line(a))]),
    }
}

/// A breakdown key in the reader's words (state, category, type, …).
pub fn key_label(wf: &Workflow, cat: &Catalog, dimension: &str, key: &str) -> String {
    if key == "none" {
        return cat.t("metrics.none").to_string();
    }
    match dimension {
        "state" => state_label(wf, cat, key),
        "category" | "category_top" | "category_2" => category_label(wf, cat, Some(key)),
        "type" => type_label(wf, cat, key),
        "cause" => sanitize_line(wf.cause_label(key, cat.lang().code())).into_owned(),
        "channel" | "tier" => {
            // The catalog's word for a known one, else the name as stored.
            let k = format!("{dimension}.{key}");
            let t = cat.t(&k);
            if t == k {
                sanitize_line(key).into_owned()
            } else {
                t.to_string()
            }
        }
        "age" => cat.t(&format!("metrics.age.{key}")).to_string(),
        _ => sanitize_line(key).into_owned(),
    }
}

/// "Top three: logistics 37.0%, product 22.0%, payment 12.0% — 71.0% in all."
pub fn top_three(
    wf: &Workflow,
    cat: &Catalog,
    dimension: &str,
    rows: &[ParetoRow],
) -> Option<String> {
    let top: Vec<&ParetoRow> = rows.iter().take(3).collect();
    let last = top.last()?;
    let names: Vec<String> = top
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                key_label(wf, cat, dimension, &r.key),
                percent(Some(r.share))
            )
        })
        .collect();
    Some(cat.f(
        "metrics.top_three",
        &[
            ("list", &names.join(cat.t("metrics.list_sep"))),
            ("total", &percent(Some(last.cumulative))),
        ],
    ))
}

/// A person's or team's row as cells: key, handled, open, response and
/// resolution medians, attainment, CSAT, reopened.
pub fn person_cells(cat: &Catalog, r: &PersonRow) -> [String; 8] {
    let med = |d: &Dist| value_text(cat, Value::Seconds(d.median));
    [
        sanitize_line(&r.key).into_owned(),
        r.handled.to_string(),
        r.open.to_string(),
        med(&r.response),
        med(&r.resolution),
        percent(r.attainment),
        value_text(cat, Value::Rating(r.csat)),
        r.reopened.to_string(),
    ]
}

/// The column heads of [`person_cells`].
pub fn person_heads(cat: &Catalog, first: &str) -> [String; 8] {
    [
        cat.t(first).to_string(),
        cat.t("metrics.col.handled").to_string(),
        cat.t("metrics.col.open").to_string(),
        cat.t("metrics.col.response").to_string(),
        cat.t("metrics.col.resolution").to_string(),
        cat.t("metrics.col.attainment").to_string(),
        cat.t("metrics.col.csat").to_string(),
        cat.t("metrics.col.reopened").to_string(),
    ]
}

/// What a report needs besides the figures.
pub struct ReportContext<'a> {
    pub wf: &'a Workflow,
    pub cat: &'a Catalog,
    pub report: &'a DeskReport,
    pub tz: FixedOffset,
    /// When it was made, in words.
    pub generated: String,
}

impl ReportContext<'_> {
    fn title(&self) -> String {
        self.cat.f(
            "metrics.report_title",
            &[("period", &self.report.metrics.period.label())],
        )
    }

    fn subtitle(&self) -> String {
        self.cat.f(
            "metrics.report_subtitle",
            &[
                ("scope", &scope_text(self.cat, &self.report.scope)),
                ("previous", &self.report.metrics.previous.label()),
                ("generated", &self.generated),
            ],
        )
    }

    /// What the report says about clock outcomes the desk had not stored.
    pub fn outcomes_notice(&self) -> Option<String> {
        let r = self.report;
        if r.outcomes_missing > 0 {
            Some(
                self.cat
                    .f("metrics.outcomes_missing", &[("n", &r.outcomes_missing)]),
            )
        } else if r.outcomes_computed > 0 {
            Some(
                self.cat
                    .f("metrics.outcomes_computed", &[("n", &r.outcomes_computed)]),
            )
        } else {
            None
        }
    }

    fn csv_key(&self, dimension: &str, key: &str) -> String {
        csv_cell(&key_label(self.wf, self.cat, dimension, key))
    }
}
