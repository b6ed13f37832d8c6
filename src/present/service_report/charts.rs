//! Inline SVG charts for the HTML report: no scripts, no outside files,
//! every label escaped; Chinese labels use the page's CJK fonts.

use std::fmt::Write;

use crate::metrics::DayRow;

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 12.0;
const CREATED: &str = "#4a78b5";
const SOLVED: &str = "#5aa469";
const LINE: &str = "#d0782a";

pub fn escape(s: &str) -> String {
    crate::text::sanitize_line(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn open(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" \
         role=\"img\" aria-label=\"{}\" font-size=\"11\">",
        escape(title)
    );
}

/// A round step for an axis up to `max`: 1, 2 or 5 times a power of ten,
/// about four of them.
fn nice_step(max: f64) -> f64 {
    let raw = (max / 4.0).max(1.0);
    let power = 10f64.powf(raw.log10().floor());
    let unit = raw / power;
    let nice = if unit <= 1.0 {
        1.0
    } else if unit <= 2.0 {
        2.0
    } else if unit <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// A y axis from 0 with round steps; returns its top, which the plot scales to.
fn axis(out: &mut String, max: f64) -> f64 {
    let step = nice_step(max);
    let top = (max / step).ceil().max(1.0) * step;
    let mut v = 0.0;
    while v <= top + step / 2.0 {
        grid_line(out, v, 0.0, top, &format!("{v:.0}"));
        v += step;
    }
    top
}

/// One grid line at `v` of an axis from `low` to `high`, labelled.
fn grid_line(out: &mut String, v: f64, low: f64, high: f64, label: &str) {
    let y = y_in(v, low, high);
    let _ = write!(
        out,
        "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>\
         <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#666\">{label}</text>",
        W - 8.0,
        LEFT - 4.0,
        y + 4.0,
    );
}

fn y_in(v: f64, low: f64, high: f64) -> f64 {
    let plot = H - BOTTOM - TOP;
    let span = (high - low).max(1e-9);
    TOP + plot - plot * ((v - low) / span).clamp(0.0, 1.0)
}

fn y_of(v: f64, max: f64) -> f64 {
    y_in(v, 0.0, max)
}

/// Created and solved per day, side by side, with every fifth date.
pub fn daily(title: &str, legend: (&str, &str), days: &[DayRow]) -> String {
    let mut out = String::new();
    open(&mut out, title);
    let max = days
        .iter()
        .map(|d| d.created.max(d.solved))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let max = axis(&mut out, max);
    let step = (W - LEFT - 8.0) / days.len().max(1) as f64;
    let bar = (step * 0.4).max(1.0);
    for (i, d) in days.iter().enumerate() {
        let x = LEFT + step * i as f64 + step * 0.1;
        for (n, (value, color)) in [(d.created, CREATED), (d.solved, SOLVED)]
            .iter()
            .enumerate()
        {
            let y = y_of(*value as f64, max);
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{color}\"/>",
                x + bar * n as f64,
                H - BOTTOM - y
            );
        }
        date_label(&mut out, i, x, d);
    }
    legend_items(&mut out, &[(legend.0, CREATED), (legend.1, SOLVED)]);
    out.push_str("</svg>");
    out
}

fn legend_items(out: &mut String, items: &[(&str, &str)]) {
    let mut x = LEFT + 8.0;
    for (label, color) in items {
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{TOP}\" width=\"10\" height=\"10\" fill=\"{color}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x + 14.0,
            TOP + 9.0,
            escape(label)
        );
        x += 24.0 + crate::text::width(label) as f64 * 7.0;
    }
}

/// Every fifth day's date (month and day) under the x axis.
fn date_label(out: &mut String, i: usize, x: f64, d: &DayRow) {
    if i.is_multiple_of(5) {
        let _ = write!(
            out,
            "<text x=\"{x:.1}\" y=\"{:.1}\" fill=\"#666\">{}</text>",
            H - 10.0,
            escape(d.date.get(5..).unwrap_or(&d.date))
        );
    }
}

/// Bars by count with the cumulative share as a line (0–100 %).
pub fn pareto(title: &str, rows: &[(String, u64, f64)]) -> String {
    let mut out = String::new();
    open(&mut out, title);
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let max = axis(&mut out, max);
    let shown = &rows[..rows.len().min(10)];
    let step = (W - LEFT - 40.0) / shown.len().max(1) as f64;
    let mut points = Vec::new();
    for (i, (label, count, cumulative)) in shown.iter().enumerate() {
        let x = LEFT + step * i as f64 + step * 0.15;
        let y = y_of(*count as f64, max);
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{CREATED}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#444\">{}</text>",
            step * 0.7,
            H - BOTTOM - y,
            x + step * 0.35,
            H - 10.0,
            escape(&crate::text::truncate(
                label,
                (step / 7.0).max(3.0) as usize
            ))
        );
        points.push(format!(
            "{:.1},{:.1}",
            x + step * 0.35,
            y_of(*cumulative, 1.0)
        ));
    }
    let _ = write!(
        out,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{LINE}\" stroke-width=\"2\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" fill=\"{LINE}\">100%</text>",
        points.join(" "),
        W - 34.0,
        TOP + 4.0
    );
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one per row.
pub fn bars(title: &str, rows: &[(String, u64)]) -> String {
    let height = 24.0 * rows.len().max(1) as f64 + 8.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {height}\" width=\"{W}\" \
         height=\"{height}\" role=\"img\" aria-label=\"{}\" font-size=\"11\">",
        escape(title)
    );
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    for (i, (label, count)) in rows.iter().enumerate() {
        let y = 4.0 + 24.0 * i as f64;
        let w = (W - 220.0) * *count as f64 / max;
        let _ = write!(
            out,
            "<text x=\"150\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"158\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"18\" fill=\"{SOLVED}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#444\">{count}</text>",
            y + 13.0,
            escape(&crate::text::truncate(label, 20)),
            162.0 + w,
            y + 13.0
        );
    }
    out.push_str("</svg>");
    out
}

/// A line over days from 1 to 5 (days without a value break the line).
pub fn rating_line(title: &str, days: &[DayRow]) -> String {
    let mut out = String::new();
    open(&mut out, title);
    // Ratings run from 1 to 5.
    for v in 1..=5 {
        grid_line(&mut out, f64::from(v), 1.0, 5.0, &v.to_string());
    }
    let step = (W - LEFT - 8.0) / days.len().max(1) as f64;
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, out: &mut String| {
        if run.len() == 1 {
            let (x, y) = run[0].split_once(',').unwrap_or(("0", "0"));
            let _ = write!(
                out,
                "<circle cx=\"{x}\" cy=\"{y}\" r=\"3\" fill=\"{LINE}\"/>"
            );
        } else if run.len() > 1 {
            let _ = write!(
                out,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{LINE}\" stroke-width=\"2\"/>",
                run.join(" ")
            );
        }
        run.clear();
    };
    for (i, d) in days.iter().enumerate() {
        let x = LEFT + step * (i as f64 + 0.5);
        match d.csat {
            Some(v) => run.push(format!("{x:.1},{:.1}", y_in(v, 1.0, 5.0))),
            None => flush(&mut run, &mut out),
        }
        date_label(&mut out, i, x, d);
    }
    flush(&mut run, &mut out);
    out.push_str("</svg>");
    out
}
