//! `tdesk list --explain`: a resolved query in words, one clause per line.

use chrono::FixedOffset;

use super::{local_time, state_label, type_label};
use crate::domain::{Clause, Field, Priority, Query, SortDir, SortKey};
use crate::i18n::Catalog;
use crate::text::sanitize_line;
use crate::workflow::Workflow;

fn field_name(cat: &Catalog, field: Field) -> String {
    cat.t(&format!("field.{}", field.name())).to_string()
}

fn value_label(wf: &Workflow, cat: &Catalog, field: Field, v: &str) -> String {
    match field {
        Field::Status => state_label(wf, cat, v),
        Field::Type => type_label(wf, cat, v),
        Field::Priority => Priority::parse(v)
            .map(|p| format!("{p} {}", super::priority_label(cat, p)))
            .unwrap_or_else(|_| v.to_string()),
        Field::Channel => cat.t(&format!("channel.{v}")).to_string(),
        Field::Tier => cat.t(&format!("tier.{v}")).to_string(),
        Field::Assignee | Field::Team if v.eq_ignore_ascii_case("none") => {
            cat.t("explain.nobody").to_string()
        }
        Field::Category => format!("{v} (+ {})", cat.t("explain.subcategories")),
        Field::Number => format!("#{v}"),
        _ => sanitize_line(v).into_owned(),
    }
}

/// One line per clause, then the order.
pub fn explain(
    query: &Query,
    sort: SortKey,
    dir: SortDir,
    wf: &Workflow,
    cat: &Catalog,
    tz: &FixedOffset,
) -> Vec<String> {
    let mut lines = Vec::new();
    for clause in &query.clauses {
        let (text, negated) = match clause {
            Clause::Field {
                field,
                values,
                negated,
            } => {
                let shown: Vec<String> = values
                    .iter()
                    .map(|v| value_label(wf, cat, *field, v))
                    .collect();
                (
                    cat.f(
                        "explain.field",
                        &[
                            ("field", &field_name(cat, *field)),
                            ("values", &shown.join(" | ")),
                        ],
                    ),
                    *negated,
                )
            }
            Clause::Text { text, negated } => (
                cat.f("explain.text", &[("text", &sanitize_line(text))]),
                *negated,
            ),
            Clause::Time {
                field,
                from,
                to,
                negated,
            } => {
                let name = field_name(cat, *field);
                let t = |v: chrono::DateTime<chrono::Utc>| local_time(v, tz);
                let text = match (from, to) {
                    (Some(a), Some(b)) => cat.f(
                        "explain.between",
                        &[("field", &name), ("from", &t(*a)), ("to", &t(*b))],
                    ),
                    (Some(a), None) => {
                        cat.f("explain.after", &[("field", &name), ("from", &t(*a))])
                    }
                    (None, Some(b)) => cat.f("explain.before", &[("field", &name), ("to", &t(*b))]),
                    (None, None) => cat.f("explain.set", &[("field", &name)]),
                };
                (text, *negated)
            }
            Clause::Visible { assignee, team } => (
                cat.f(
                    "explain.visible",
                    &[
                        ("assignee", &assignee.as_str()),
                        ("team", &team.as_deref().unwrap_or("–")),
                    ],
                ),
                false,
            ),
            Clause::Sla {
                states, negated, ..
            } => {
                let shown: Vec<String> = states
                    .iter()
                    .map(|s| cat.t(&format!("sla.{s}")).to_string())
                    .collect();
                (
                    cat.f("explain.sla", &[("states", &shown.join(" | "))]),
                    *negated,
                )
            }
        };
        lines.push(if negated {
            cat.f("explain.not", &[("clause", &text)])
        } else {
            text
        });
    }
    if lines.is_empty() {
        lines.push(cat.t("explain.all").to_string());
    }
    let column = cat
        .t(&format!("field.{}", crate::tui::app::sort_field(sort)))
        .to_string();
    let order = match dir {
        SortDir::Asc => cat.t("explain.ascending"),
        SortDir::Desc => cat.t("explain.descending"),
    };
    lines.push(cat.f("explain.sort", &[("column", &column), ("order", &order)]));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Query;
    use crate::i18n::Lang;

    #[test]
    fn clauses_read_as_sentences_with_labels() {
        let wf = Workflow::default_workflow();
        let cat = Catalog::new(Lang::En);
        let q =
            Query::parse("status:new|in_progress -tag:spam priority:P0..P1 refund").expect("query");
        let tz = FixedOffset::east_opt(0).expect("utc");
        let lines = explain(&q, SortKey::Updated, SortDir::Desc, &wf, &cat, &tz);
        assert_eq!(lines[0], "status is Unassigned | In progress");
        assert_eq!(lines[1], "not: tag is spam");
        assert_eq!(lines[2], "priority is P0 System down | P1 High");
        assert!(lines[3].contains("\"refund\""), "{}", lines[3]);
        assert_eq!(lines[4], "sorted by updated, newest / highest first");
    }
}
