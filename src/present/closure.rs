//! The closing record of a ticket as label/value pairs: resolution summary,
//! root cause, prevention, acceptance (how, when, rating) and reopens. The
//! CLI's `show` and the TUI's detail pane print the same pairs.

use chrono::TimeZone;

use super::local_time;
use crate::domain::Ticket;
use crate::i18n::Catalog;
use crate::text::sanitize_line;
use crate::workflow::Workflow;

/// One pair per part of the record the ticket has, in reading order.
pub fn closure_pairs<Tz: TimeZone>(
    wf: &Workflow,
    cat: &Catalog,
    t: &Ticket,
    tz: &Tz,
) -> Vec<(String, String)>
where
    Tz::Offset: std::fmt::Display,
{
    let mut pairs = Vec::new();
    if let Some(r) = &t.resolution {
        pairs.push((cat.t("col.resolution").to_string(), r.clone()));
    }
    if let Some(c) = &t.closure.cause {
        pairs.push((cat.t("col.cause").to_string(), cause_label(wf, cat, c)));
    }
    if let Some(p) = &t.closure.prevention {
        pairs.push((cat.t("col.prevention").to_string(), p.clone()));
    }
    if let Some(at) = t.accepted_at {
        let mut text = local_time(at, tz);
        if let Some(r) = t.rating {
            text.push_str(&format!(" · {}", stars(r)));
        }
        if let Some(by) = t.closure.accepted_by {
            text.push_str(&format!(
                " · {}",
                cat.t(&format!("accepted_by.{}", by.as_str()))
            ));
        }
        pairs.push((cat.t("col.accepted").to_string(), text));
    } else if let Some(r) = t.rating {
        pairs.push((cat.t("col.rating").to_string(), stars(r)));
    }
    if t.closure.reopens > 0 {
        pairs.push((
            cat.t("col.reopens").to_string(),
            t.closure.reopens.to_string(),
        ));
    }
    pairs
}

/// A rating as stars out of five: ★★★☆☆.
pub fn stars(rating: u8) -> String {
    let r = usize::from(rating.min(5));
    format!("{}{}", "★".repeat(r), "☆".repeat(5 - r))
}

/// A root cause in the catalog's language, with its id for the `cause:`
/// query when the two differ: `物流问题 (logistics)`.
pub fn cause_label(wf: &Workflow, cat: &Catalog, id: &str) -> String {
    let label = wf.cause_label(id, cat.lang().code());
    if label == id {
        sanitize_line(id).into_owned()
    } else {
        format!("{label} ({})", sanitize_line(id))
    }
}

/// What a recorded verdict did, in a sentence.
pub fn verdict_line(
    wf: &Workflow,
    cat: &Catalog,
    id: i64,
    outcome: &crate::service::VerdictOutcome,
) -> String {
    use crate::service::VerdictOutcome as O;
    let state = |s: &str| super::state_label(wf, cat, s);
    match outcome {
        O::Closed { state: s } => cat.f("verdict.closed", &[("id", &id), ("state", &state(s))]),
        O::Accepted => cat.f("cli.accepted", &[("id", &id)]),
        O::Recorded => cat.f("verdict.recorded", &[("id", &id)]),
        O::Reopened {
            state: s,
            assignee,
            to_supervisor,
            reopens,
        } => {
            let key = if *to_supervisor {
                "verdict.reopened_supervisor"
            } else {
                "verdict.reopened"
            };
            let who = assignee
                .as_deref()
                .map_or_else(|| "–".into(), sanitize_line);
            cat.f(
                key,
                &[
                    ("id", &id),
                    ("state", &state(s)),
                    ("who", &who),
                    ("n", reopens),
                ],
            )
        }
    }
}
