//! `tdesk import survey FILE`: a satisfaction survey's answers recorded as
//! the customers' verdicts.

use std::path::Path;

use super::output::line;
use super::{Session, Streams};
use crate::error::{Error, Result};
use crate::interchange::csv;
use crate::interchange::{Issue, Problem};
use crate::service::Desk;
use crate::userfile;

/// How to take a survey file.
#[derive(Debug, Clone, Copy)]
pub struct How {
    pub dry_run: bool,
    pub skip_bad: bool,
}

/// `tdesk import survey FILE`: answers of a satisfaction survey, each the
/// customer's verdict on a ticket. The whole file is read first: a row that
/// does not read stops it before anything is recorded.
pub fn run(
    desk: &mut Desk,
    file: &Path,
    encoding: Option<&str>,
    how: How,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let name = file.display().to_string();
    let bytes = userfile::read(file, userfile::TABLE_LIMIT)?;
    let table = csv::parse_as(&bytes, encoding).map_err(|e| Error::Import {
        file: name.clone(),
        problems: vec![Problem::new(e.line, Issue::Csv(e.kind))],
    })?;
    let (answers, bad) =
        crate::interchange::survey::parse_survey(&table).map_err(|e| Error::FileLine {
            file: name.clone(),
            line: e.line,
            key: e.key,
            value: e.value,
        })?;
    if !bad.is_empty() && !how.skip_bad {
        return Err(Error::FileLines {
            file: name,
            problems: bad.into_iter().map(|e| (e.line, e.key, e.value)).collect(),
        });
    }
    let dry_run = how.dry_run;
    let report = desk.import_survey(&answers, dry_run)?;
    let cat = &s.cat;
    let key = if dry_run {
        "survey.would"
    } else {
        "survey.done"
    };
    let skipped = report.skipped.len() + bad.len();
    line(
        io.out,
        &cat.f(
            key,
            &[
                ("closed", &report.closed),
                ("reopened", &report.reopened),
                ("recorded", &report.recorded),
                ("skipped", &skipped),
            ],
        ),
    )?;
    // Every row not recorded, in file order.
    let mut notes: Vec<(usize, String)> = bad
        .iter()
        .map(|e| {
            let why = cat.f(e.key, &[("value", &e.value)]);
            (
                e.line,
                cat.f("survey.bad_row", &[("line", &e.line), ("why", &why)]),
            )
        })
        .collect();
    for (l, ticket, why) in &report.skipped {
        let text = cat.f(
            "survey.skipped",
            &[("line", l), ("id", ticket), ("why", &why.message(cat))],
        );
        notes.push((*l, text));
    }
    notes.sort_by_key(|(l, _)| *l);
    for (_, text) in notes {
        line(io.out, &text)?;
    }
    Ok(())
}
