//! The weekly report in four formats from one list of sections.

use super::charts;
use super::{
    ReportContext, Value, count_text, headlines, key_label, percent, person_cells, person_heads,
    top_three, value_text,
};
use crate::text::{csv_cell, sanitize_line};

/// A chart an HTML section draws above its table.
enum Chart {
    Daily,
    Pareto(Vec<(String, u64, f64)>),
    Bars(Vec<(String, u64)>),
    Ratings,
}

/// One block of the report: a heading, an optional note (the top three),
/// a chart and a table.
pub(super) struct Section {
    title: String,
    note: Option<String>,
    chart: Option<Chart>,
    heads: Vec<String>,
    rows: Vec<Vec<String>>,
    /// What an empty table says (catalog key).
    pub(super) empty: &'static str,
}

pub(super) fn section(title: String, heads: Vec<String>, rows: Vec<Vec<String>>) -> Section {
    Section {
        title,
        note: None,
        chart: None,
        heads,
        rows,
        empty: "metrics.nothing",
    }
}

fn sections(c: &ReportContext<'_>) -> Vec<Section> {
    let (wf, cat, m) = (c.wf, c.cat, &c.report.metrics);
    let t = |k: &str| cat.t(k).to_string();
    let mut out = Vec::new();

    let rows = headlines(cat, m)
        .into_iter()
        .map(|h| {
            let (change, _) = h.change(cat);
            vec![
                h.label,
                value_text(cat, h.now),
                value_text(cat, h.before),
                change,
            ]
        })
        .collect();
    out.push(section(
        t("metrics.s.headline"),
        vec![
            t("metrics.col.metric"),
            m.period.label(),
            m.previous.label(),
            t("metrics.col.change"),
        ],
        rows,
    ));

    let f = &m.current;
    let goal = |share: Option<f64>, target: f64| match share {
        Some(s) if s >= target => t("metrics.goal_met"),
        Some(_) => t("metrics.goal_missed"),
        None => "–".into(),
    };
    out.push(section(
        t("metrics.s.sla"),
        vec![
            t("metrics.col.metric"),
            t("metrics.col.value"),
            t("metrics.col.goal"),
            t("metrics.col.result"),
        ],
        vec![
            vec![
                t("metrics.h.response_sla"),
                percent(f.response_attainment),
                t("metrics.goal_policy"),
                String::new(),
            ],
            vec![
                t("metrics.h.resolve_sla"),
                percent(f.resolve_attainment),
                t("metrics.goal_policy"),
                String::new(),
            ],
            vec![
                t("metrics.h.response_goal"),
                percent(f.response_within_goal),
                "100%".into(),
                goal(f.response_within_goal, 1.0),
            ],
            vec![
                t("metrics.h.solved_goal"),
                percent(f.solved_within_goal),
                percent(Some(m.goals.resolve_share)),
                goal(f.solved_within_goal, m.goals.resolve_share),
            ],
            vec![
                t("metrics.response_p90"),
                value_text(cat, Value::Seconds(f.response.p90)),
                String::new(),
                String::new(),
            ],
            vec![
                t("metrics.resolution_p90"),
                value_text(cat, Value::Seconds(f.resolution.p90)),
                String::new(),
                String::new(),
            ],
        ],
    ));

    for (dimension, title, rows) in [
        (
            "category_top",
            "metrics.s.pareto_categories",
            &m.pareto_categories,
        ),
        ("cause", "metrics.s.pareto_causes", &m.pareto_causes),
    ] {
        let labelled: Vec<(String, u64, f64)> = rows
            .iter()
            .map(|r| (key_label(wf, cat, dimension, &r.key), r.count, r.cumulative))
            .collect();
        let mut s = section(
            t(title),
            vec![
                t("metrics.col.key"),
                t("metrics.col.tickets"),
                t("metrics.col.share"),
                t("metrics.col.cumulative"),
            ],
            rows.iter()
                .zip(&labelled)
                .map(|(r, l)| {
                    vec![
                        l.0.clone(),
                        count_text(r.count),
                        percent(Some(r.share)),
                        percent(Some(r.cumulative)),
                    ]
                })
                .collect(),
        );
        s.note = top_three(wf, cat, dimension, rows);
        s.chart = (!labelled.is_empty()).then_some(Chart::Pareto(labelled));
        out.push(s);
    }

    let mut csat = section(
        t("metrics.s.csat"),
        vec![t("metrics.col.rating"), t("metrics.col.tickets")],
        (1..=5)
            .rev()
            .map(|r| vec!["★".repeat(r), count_text(f.csat_distribution[r - 1])])
            .chain([
                vec![
                    t("metrics.accepted_customer"),
                    count_text(f.accepted_by_customer),
                ],
                vec![
                    t("metrics.accepted_silence"),
                    count_text(f.accepted_by_silence),
                ],
                vec![
                    t("metrics.accepted_supervisor"),
                    count_text(f.accepted_by_supervisor),
                ],
            ])
            .collect(),
    );
    csat.note = Some(cat.f(
        "metrics.csat_line",
        &[
            ("label", &t("metrics.h.csat")),
            ("value", &value_text(cat, Value::Rating(f.csat_average))),
        ],
    ));
    csat.chart = Some(Chart::Ratings);
    out.push(csat);

    let mut daily = section(
        t("metrics.s.daily"),
        vec![
            t("metrics.col.date"),
            t("metrics.h.created"),
            t("metrics.h.solved"),
            t("metrics.h.csat"),
        ],
        m.daily
            .iter()
            .map(|d| {
                vec![
                    d.date.clone(),
                    count_text(d.created),
                    count_text(d.solved),
                    value_text(cat, Value::Rating(d.csat)),
                ]
            })
            .collect(),
    );
    daily.chart = Some(Chart::Daily);
    out.push(daily);

    let states: Vec<(String, u64)> = m
        .backlog_states
        .iter()
        .map(|r| (key_label(wf, cat, "state", &r.key), r.count))
        .collect();
    let mut backlog = section(
        t("metrics.s.backlog"),
        vec![t("metrics.col.key"), t("metrics.col.tickets")],
        states
            .iter()
            .map(|(k, n)| vec![k.clone(), count_text(*n)])
            .collect(),
    );
    backlog.empty = "metrics.no_open";
    backlog.chart = (!states.is_empty()).then_some(Chart::Bars(states));
    out.push(backlog);
    let mut ages = section(
        t("metrics.s.backlog_age"),
        vec![t("metrics.col.age"), t("metrics.col.tickets")],
        m.backlog_ages
            .iter()
            .map(|r| vec![key_label(wf, cat, "age", &r.key), count_text(r.count)])
            .collect(),
    );
    ages.empty = "metrics.no_open";
    out.push(ages);

    for (title, first, rows) in [
        ("metrics.s.agents", "metrics.col.agent", &m.agents),
        ("metrics.s.teams", "metrics.col.team", &m.teams),
    ] {
        let mut people = section(
            t(title),
            person_heads(cat, first).to_vec(),
            rows.iter().map(|r| person_cells(cat, r).to_vec()).collect(),
        );
        people.note = Some(t("metrics.business_note"));
        out.push(people);
    }

    for b in m
        .breakdowns
        .iter()
        .filter(|b| b.dimension != "agent" && b.dimension != "team")
    {
        out.push(section(
            cat.f(
                "metrics.s.by",
                &[("dimension", &t(&format!("metrics.dim.{}", b.dimension)))],
            ),
            vec![
                t("metrics.col.key"),
                t("metrics.h.created"),
                t("metrics.h.solved"),
                t("metrics.col.open"),
            ],
            breakdown_rows(c, b),
        ));
    }

    let now = chrono::DateTime::from_timestamp_millis(m.now).unwrap_or_default();
    let mut worst = section(
        t("metrics.s.worst"),
        vec![
            "#".into(),
            t("col.title"),
            t("col.status"),
            t("col.assignee"),
            t("metrics.col.age"),
            t("metrics.col.sla"),
        ],
        m.worst
            .iter()
            .map(|w| {
                let created =
                    chrono::DateTime::from_timestamp_millis(w.created).unwrap_or_default();
                vec![
                    w.id.to_string(),
                    c.report
                        .titles
                        .get(&w.id)
                        .map_or_else(String::new, |s| sanitize_line(s).into_owned()),
                    key_label(wf, cat, "state", &w.status),
                    w.assignee
                        .as_deref()
                        .map_or_else(|| "–".into(), |a| sanitize_line(a).into_owned()),
                    super::super::age(cat, now, created),
                    if w.breached {
                        t("metrics.breached")
                    } else {
                        String::new()
                    },
                ]
            })
            .collect(),
    );
    worst.empty = "metrics.no_open";
    out.push(worst);
    out.extend(super::work::sections(c));
    out
}

/// Rows shown per breakdown; the rest are summed in one line.
const BREAKDOWN_ROWS: usize = 10;

/// A breakdown's first rows, and one that sums up the others.
fn breakdown_rows(c: &ReportContext<'_>, b: &crate::metrics::Breakdown) -> Vec<Vec<String>> {
    let (wf, cat) = (c.wf, c.cat);
    let mut rows: Vec<Vec<String>> = b
        .rows
        .iter()
        .take(BREAKDOWN_ROWS)
        .map(|r| {
            vec![
                key_label(wf, cat, b.dimension, &r.key),
                count_text(r.created),
                count_text(r.solved),
                count_text(r.open),
            ]
        })
        .collect();
    let rest = &b.rows[b.rows.len().min(BREAKDOWN_ROWS)..];
    if !rest.is_empty() {
        let sum = |f: fn(&crate::metrics::BreakdownRow) -> u64| rest.iter().map(f).sum::<u64>();
        rows.push(vec![
            cat.f(
                "metrics.more_rows",
                &[
                    ("n", &rest.len()),
                    ("count", &count_text(sum(|r| r.created))),
                ],
            ),
            count_text(sum(|r| r.created)),
            count_text(sum(|r| r.solved)),
            count_text(sum(|r| r.open)),
        ]);
    }
    rows
}

/// Whether a cell holds a figure (right-aligned in HTML): a count, a
/// share, a rating, a duration, a change, or nothing to measure.
fn looks_numeric(cell: &str) -> bool {
    cell.chars()
        .next()
        .is_some_and(|ch| ch.is_ascii_digit() || "–↑↓=".contains(ch))
}

/// Markdown: GitHub-style tables that paste into chat tools and wikis;
/// nothing anyone typed can turn into a link, a heading or a column.
pub fn markdown(c: &ReportContext<'_>) -> String {
    let esc = |s: &str| {
        sanitize_line(s)
            .chars()
            .flat_map(|ch| {
                let special = "\\`*_[]<>|".contains(ch);
                special.then_some('\\').into_iter().chain([ch])
            })
            .collect::<String>()
    };
    let mut out = format!("# {}\n\n{}\n", esc(&c.title()), esc(&c.subtitle()));
    if let Some(notice) = c.outcomes_notice() {
        out.push_str(&format!("\n> {}\n", esc(&notice)));
    }
    for s in sections(c) {
        out.push_str(&format!("\n## {}\n\n", esc(&s.title)));
        if let Some(note) = &s.note {
            out.push_str(&format!("**{}**\n\n", esc(note)));
        }
        if s.rows.is_empty() {
            out.push_str(&format!("{}\n", esc(c.cat.t(s.empty))));
            continue;
        }
        let row = |cells: &[String]| {
            format!(
                "| {} |\n",
                cells.iter().map(|x| esc(x)).collect::<Vec<_>>().join(" | ")
            )
        };
        out.push_str(&row(&s.heads));
        out.push_str(&format!("|{}\n", "---|".repeat(s.heads.len())));
        for r in &s.rows {
            out.push_str(&row(r));
        }
    }
    out
}

/// One self-contained HTML page with inline SVG charts: no scripts, no
/// outside files, everything anyone typed escaped.
pub fn html(c: &ReportContext<'_>) -> String {
    let esc = charts::escape;
    let m = &c.report.metrics;
    let lang = c.cat.lang().code();
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{}</title>\n<style>\
         body{{font-family:system-ui,\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;\
         max-width:56rem;margin:2rem auto;padding:0 1rem;color:#222}}\
         h1{{font-size:1.45rem}}h2{{font-size:1.1rem;border-bottom:1px solid #ccc;margin-top:1.8rem}}\
         table{{border-collapse:collapse;margin:.4rem 0}}th,td{{padding:.2rem .8rem .2rem 0;text-align:left}}\
         th{{color:#555;font-weight:normal;border-bottom:1px solid #eee}}td.n{{text-align:right}}\
         .good{{color:#2e7d32}}.bad{{color:#c62828}}.note{{font-weight:bold}}svg{{max-width:100%;height:auto;display:block}}\
         </style>\n</head>\n<body>\n<h1>{}</h1>\n<p>{}</p>\n",
        esc(&c.title()),
        esc(&c.title()),
        esc(&c.subtitle())
    );
    if let Some(notice) = c.outcomes_notice() {
        out.push_str(&format!("<p>{}</p>\n", esc(&notice)));
    }
    let trends: Vec<super::Trend> = headlines(c.cat, m)
        .iter()
        .map(|h| h.change(c.cat).1)
        .collect();
    for (index, s) in sections(c).into_iter().enumerate() {
        out.push_str(&format!("<h2>{}</h2>\n", esc(&s.title)));
        if let Some(note) = &s.note {
            out.push_str(&format!("<p class=\"note\">{}</p>\n", esc(note)));
        }
        match &s.chart {
            Some(Chart::Daily) => out.push_str(&charts::daily(
                &s.title,
                (c.cat.t("metrics.h.created"), c.cat.t("metrics.h.solved")),
                &m.daily,
            )),
            Some(Chart::Pareto(rows)) => out.push_str(&charts::pareto(&s.title, rows)),
            Some(Chart::Bars(rows)) => out.push_str(&charts::bars(&s.title, rows)),
            Some(Chart::Ratings) => out.push_str(&charts::rating_line(&s.title, &m.daily)),
            None => {}
        }
        if s.rows.is_empty() {
            out.push_str(&format!("<p>{}</p>\n", esc(c.cat.t(s.empty))));
            continue;
        }
        out.push_str("<table>\n<tr>");
        for h in &s.heads {
            out.push_str(&format!("<th>{}</th>", esc(h)));
        }
        out.push_str("</tr>\n");
        for (i, r) in s.rows.iter().enumerate() {
            out.push_str("<tr>");
            for (j, cell) in r.iter().enumerate() {
                // The headline's change column is coloured by whether it is good.
                let class = match (index, j, trends.get(i)) {
                    (0, 3, Some(super::Trend::Good)) => " class=\"n good\"",
                    (0, 3, Some(super::Trend::Bad)) => " class=\"n bad\"",
                    _ if j > 0 && looks_numeric(cell) => " class=\"n\"",
                    _ => "",
                };
                out.push_str(&format!("<td{class}>{}</td>", esc(cell)));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Tidy CSV: one table per section, each with its own header row and a
/// `section` column, separated by a blank line; numbers unformatted
/// (seconds, shares from 0 to 1); names through the formula guard.
pub fn csv(c: &ReportContext<'_>) -> String {
    let m = &c.report.metrics;
    // Names others wrote (categories, teams, countries, logins): never a
    // control character, never a formula, never a line break in a cell.
    let cell = |v: &str| csv_cell(&sanitize_line(v));
    let num = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.4}"));
    let int = |v: Option<i64>| v.map_or_else(String::new, |v| v.to_string());
    let mut out = String::from("section,metric,current,previous\n");
    for h in headlines(c.cat, m) {
        let cell = |v: Value| match v {
            Value::Count(n) => n.to_string(),
            Value::Seconds(s) => int(s),
            Value::Share(s) | Value::Rating(s) => num(s),
        };
        out.push_str(&format!(
            "headline,{},{},{}\n",
            h.id,
            cell(h.now),
            cell(h.before)
        ));
    }
    for (name, rows, dimension) in [
        ("pareto_categories", &m.pareto_categories, "category_top"),
        ("pareto_causes", &m.pareto_causes, "cause"),
    ] {
        out.push_str("\nsection,key,label,count,share,cumulative\n");
        for r in rows {
            out.push_str(&format!(
                "{name},{},{},{},{:.4},{:.4}\n",
                cell(&r.key),
                c.csv_key(dimension, &r.key),
                r.count,
                r.share,
                r.cumulative
            ));
        }
    }
    out.push_str("\nsection,date,created,solved,csat\n");
    for d in &m.daily {
        out.push_str(&format!(
            "daily,{},{},{},{}\n",
            d.date,
            d.created,
            d.solved,
            num(d.csat)
        ));
    }
    out.push_str("\nsection,rating,count\n");
    for (i, n) in m.current.csat_distribution.iter().enumerate() {
        out.push_str(&format!("csat,{},{n}\n", i + 1));
    }
    out.push_str("\nsection,dimension,key,count\n");
    for r in &m.backlog_states {
        out.push_str(&format!("backlog,state,{},{}\n", cell(&r.key), r.count));
    }
    for r in &m.backlog_ages {
        out.push_str(&format!("backlog,age,{},{}\n", r.key, r.count));
    }
    for (name, rows) in [("agents", &m.agents), ("teams", &m.teams)] {
        out.push_str(
            "\nsection,key,handled,open,response_median_secs,resolution_median_secs,resolve_attainment,csat,reopened\n",
        );
        for r in rows {
            out.push_str(&format!(
                "{name},{},{},{},{},{},{},{},{}\n",
                cell(&r.key),
                r.handled,
                r.open,
                int(r.response.median),
                int(r.resolution.median),
                num(r.attainment),
                num(r.csat),
                r.reopened
            ));
        }
    }
    out.push_str("\nsection,dimension,key,created,solved,open\n");
    for b in &m.breakdowns {
        for r in &b.rows {
            out.push_str(&format!(
                "breakdown,{},{},{},{},{}\n",
                b.dimension,
                cell(&r.key),
                r.created,
                r.solved,
                r.open
            ));
        }
    }
    let work = &c.report.work;
    out.push_str("\nsection,key,minutes,tickets\n");
    for (name, rows) in [
        ("time_member", &work.time_by_member),
        ("time_category", &work.time_by_category),
    ] {
        for r in rows {
            out.push_str(&format!(
                "{name},{},{},{}\n",
                cell(&r.key),
                r.minutes,
                r.tickets
            ));
        }
    }
    out.push_str("\nsection,owner,done,open,overdue\n");
    for r in &work.steps_by_owner {
        out.push_str(&format!(
            "steps,{},{},{},{}\n",
            cell(&r.owner),
            r.done,
            r.open,
            r.overdue
        ));
    }
    out.push_str("\nsection,id,title,status,assignee,created,due,breached\n");
    for w in &m.worst {
        out.push_str(&format!(
            "worst,{},{},{},{},{},{},{}\n",
            w.id,
            cell(c.report.titles.get(&w.id).map_or("", String::as_str)),
            cell(&w.status),
            cell(w.assignee.as_deref().unwrap_or("")),
            w.created,
            int(w.due),
            w.breached
        ));
    }
    out
}

/// JSON: the report as data, `format_version` 1 (documented in the README).
pub fn json(c: &ReportContext<'_>) -> String {
    #[derive(serde::Serialize)]
    struct Document<'a> {
        format_version: u32,
        period_label: String,
        previous_label: String,
        #[serde(flatten)]
        report: &'a crate::service::DeskReport,
    }
    let doc = Document {
        format_version: 1,
        period_label: c.report.metrics.period.label(),
        previous_label: c.report.metrics.previous.label(),
        report: c.report,
    };
    let json = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    crate::text::escape_json(json) + "\n"
}
