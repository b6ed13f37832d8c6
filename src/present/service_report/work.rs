//! The work part of the weekly report: time spent per member and per
//! category, and steps per owner, as sections every format draws.

use super::formats::{Section, section};
use super::{ReportContext, key_label};

/// Time spent per member and per category, and steps per owner.
pub(super) fn sections(c: &ReportContext<'_>) -> Vec<Section> {
    let (wf, cat, w) = (c.wf, c.cat, &c.report.work);
    let t = |k: &str| cat.t(k).to_string();
    let time_rows = |rows: &[crate::service::TimeRow], dimension: &str| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                vec![
                    key_label(wf, cat, dimension, &r.key),
                    crate::domain::minutes_text(chrono::Duration::minutes(r.minutes)),
                    r.tickets.to_string(),
                ]
            })
            .collect()
    };
    let mut by_member = section(
        t("metrics.s.time_member"),
        vec![
            t("metrics.col.member"),
            t("metrics.col.time"),
            t("metrics.col.tickets"),
        ],
        time_rows(&w.time_by_member, "login"),
    );
    by_member.empty = "metrics.no_time";
    let mut by_category = section(
        t("metrics.s.time_category"),
        vec![
            t("col.category"),
            t("metrics.col.time"),
            t("metrics.col.tickets"),
        ],
        time_rows(&w.time_by_category, "category"),
    );
    by_category.empty = "metrics.no_time";
    let mut steps = section(
        t("metrics.s.steps"),
        vec![
            t("metrics.col.owner"),
            t("metrics.col.steps_done"),
            t("metrics.col.steps_open"),
            t("metrics.col.steps_overdue"),
        ],
        w.steps_by_owner
            .iter()
            .map(|r| {
                vec![
                    key_label(wf, cat, "login", &r.owner),
                    r.done.to_string(),
                    r.open.to_string(),
                    r.overdue.to_string(),
                ]
            })
            .collect(),
    );
    steps.empty = "metrics.no_steps";
    vec![by_member, by_category, steps]
}
