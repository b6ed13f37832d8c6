//! `tdesk report ticket N`: one ticket's resolution report — what it was,
//! its timeline (who did what, when), first response and resolution
//! against the SLA, the resolution record, and the customer's verdict — as
//! Markdown for chat tools and wikis, or one self-contained HTML page.
//! Pure: the caller reads the ticket and passes the time zone and now.

use chrono::{DateTime, TimeZone, Utc};

use super::{AutomationLabels, actor_label, clock_text, describe_event, local_time, state_label};
use crate::domain::{Article, EventKind, TicketDetail};
use crate::i18n::Catalog;
use crate::text::sanitize_line;
use crate::workflow::Workflow;

/// Everything a ticket report says.
pub struct TicketReport<'a> {
    pub detail: &'a TicketDetail,
    pub clocks: Option<&'a crate::service::SlaClocks>,
    /// The article that solved it, if one did.
    pub article: Option<&'a Article>,
    pub automations: &'a AutomationLabels,
    pub now: DateTime<Utc>,
}

/// One block of the report: a heading and label/value rows, or lines.
struct Section {
    title: String,
    rows: Vec<(String, String)>,
    lines: Vec<String>,
}

fn sections<Tz: TimeZone>(
    wf: &Workflow,
    cat: &Catalog,
    r: &TicketReport<'_>,
    tz: &Tz,
) -> Vec<Section>
where
    Tz::Offset: std::fmt::Display,
{
    let t = &r.detail.ticket;
    let time = |v: Option<DateTime<Utc>>| v.map_or_else(|| "–".to_string(), |v| local_time(v, tz));
    let mut about = vec![
        (
            cat.t("col.status").to_string(),
            state_label(wf, cat, &t.status),
        ),
        (
            cat.t("col.priority").to_string(),
            super::priority_label(cat, t.priority),
        ),
        (
            cat.t("col.category").to_string(),
            super::category_label(wf, cat, t.category.as_ref().map(|c| c.as_str())),
        ),
        (
            cat.t("col.channel").to_string(),
            cat.t(&format!("channel.{}", t.channel.as_str()))
                .to_string(),
        ),
        (
            cat.t("col.customer").to_string(),
            r.detail
                .customer
                .as_ref()
                .map_or_else(|| "–".into(), |c| c.name.clone()),
        ),
        (
            cat.t("col.assignee").to_string(),
            t.assignee.clone().unwrap_or_else(|| "–".into()),
        ),
        (cat.t("col.created").to_string(), time(Some(t.created_at))),
    ];
    about.retain(|(_, v)| !v.is_empty());
    let mut sla = vec![
        (
            cat.t("col.first_response").to_string(),
            time(t.first_response_at),
        ),
        (cat.t("col.resolved").to_string(), time(t.resolved_at)),
        (cat.t("col.closed").to_string(), time(t.closed_at)),
    ];
    if let Some(c) = r.clocks {
        sla.push((
            cat.t("report.response_sla").to_string(),
            clock_text(cat, c.response, r.now).0,
        ));
        sla.push((
            cat.t("report.resolve_sla").to_string(),
            clock_text(cat, c.resolve, r.now).0,
        ));
    }
    let mut record = super::closure_pairs(wf, cat, t, tz);
    if let Some(a) = r.article {
        record.push((
            cat.t("report.article").to_string(),
            format!("{} ({})", a.title, a.slug),
        ));
    }
    let event_line = |e: &crate::domain::Event| {
        format!(
            "{} · {} · {}",
            local_time(e.at, tz),
            actor_label(cat, r.automations, &e.actor),
            describe_event(wf, cat, e)
        )
    };
    // A verdict with the customer's own words, where they gave any.
    let words = |e: &crate::domain::Event| {
        let id = e.old.as_deref()?.parse::<i64>().ok()?;
        let c = r.detail.comments.iter().find(|c| c.id == id)?;
        Some(format!(" — “{}”", sanitize_line(c.body.trim())))
    };
    let verdicts: Vec<String> = r
        .detail
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Verdict | EventKind::Accepted))
        .map(|e| {
            let quoted = if e.kind == EventKind::Verdict {
                words(e)
            } else {
                None
            };
            format!("{}{}", event_line(e), quoted.unwrap_or_default())
        })
        .collect();
    let timeline: Vec<String> = r.detail.events.iter().map(event_line).collect();
    let mut out = vec![
        Section {
            title: cat.t("report.about").to_string(),
            rows: about,
            lines: Vec::new(),
        },
        Section {
            title: cat.t("report.times").to_string(),
            rows: sla,
            lines: Vec::new(),
        },
        Section {
            title: cat.t("col.resolution").to_string(),
            rows: record,
            lines: Vec::new(),
        },
    ];
    if !verdicts.is_empty() {
        out.push(Section {
            title: cat.t("report.verdict").to_string(),
            rows: Vec::new(),
            lines: verdicts,
        });
    }
    out.push(Section {
        title: cat.t("report.timeline").to_string(),
        rows: Vec::new(),
        lines: timeline,
    });
    out
}

fn title(cat: &Catalog, r: &TicketReport<'_>) -> String {
    let t = &r.detail.ticket;
    cat.f(
        "report.ticket_title",
        &[("id", &t.id), ("title", &sanitize_line(&t.title))],
    )
}

/// Markdown: pastes cleanly into chat tools and wikis.
pub fn markdown<Tz: TimeZone>(wf: &Workflow, cat: &Catalog, r: &TicketReport<'_>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    // Markdown that a customer's text cannot turn into links or tables.
    let esc = |s: &str| {
        sanitize_line(s)
            .chars()
            .flat_map(|c| {
                let special = "\\`*_[]<>|".contains(c);
                special.then_some('\\').into_iter().chain([c])
            })
            .collect::<String>()
    };
    let mut out = format!("# {}\n", esc(&title(cat, r)));
    for s in sections(wf, cat, r, tz) {
        out.push_str(&format!("\n## {}\n\n", esc(&s.title)));
        for (k, v) in &s.rows {
            out.push_str(&format!("- **{}:** {}\n", esc(k), esc(v)));
        }
        for l in &s.lines {
            out.push_str(&format!("- {}\n", esc(l)));
        }
    }
    out
}

/// One self-contained HTML page (no scripts, no outside files).
pub fn html<Tz: TimeZone>(wf: &Workflow, cat: &Catalog, r: &TicketReport<'_>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let esc = |s: &str| {
        sanitize_line(s)
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let lang = cat.lang().code();
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         <style>body{{font-family:system-ui,\"Noto Sans CJK SC\",\"PingFang SC\",sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}}\
         h1{{font-size:1.4rem}}h2{{font-size:1.1rem;border-bottom:1px solid #ccc;margin-top:1.6rem}}\
         table{{border-collapse:collapse}}th{{text-align:left;padding:.2rem 1rem .2rem 0;color:#555;font-weight:normal}}\
         td{{padding:.2rem 0}}li{{margin:.15rem 0}}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(&title(cat, r)),
        esc(&title(cat, r))
    );
    for s in sections(wf, cat, r, tz) {
        out.push_str(&format!("<h2>{}</h2>\n", esc(&s.title)));
        if !s.rows.is_empty() {
            out.push_str("<table>\n");
            for (k, v) in &s.rows {
                out.push_str(&format!(
                    "<tr><th>{}</th><td>{}</td></tr>\n",
                    esc(k),
                    esc(v)
                ));
            }
            out.push_str("</table>\n");
        }
        if !s.lines.is_empty() {
            out.push_str("<ul>\n");
            for l in &s.lines {
                out.push_str(&format!("<li>{}</li>\n", esc(l)));
            }
            out.push_str("</ul>\n");
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}
