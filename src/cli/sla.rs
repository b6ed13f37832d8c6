//! `tdesk status` and `tdesk sla show|check|set`.

use std::path::Path;

use super::args::SlaCommand;
use super::output::line;
use super::{Session, Streams};
use crate::error::{Error, Result};
use crate::service::Desk;
use crate::sla::Policy;

/// The fields `--format` knows.
const FIELDS: [&str; 3] = ["breached", "at_risk", "mine"];

pub fn status(desk: &Desk, format: Option<&str>, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let sum = desk.status_summary()?;
    let text = match format {
        None => s.cat.f(
            "status.line",
            &[
                ("breached", &sum.breached),
                ("at_risk", &sum.at_risk),
                ("mine", &sum.mine),
            ],
        ),
        Some(f) => {
            check_fields(f)?;
            f.replace("{breached}", &sum.breached.to_string())
                .replace("{at_risk}", &sum.at_risk.to_string())
                .replace("{mine}", &sum.mine.to_string())
        }
    };
    line(io.out, &text)
}

/// `tdesk tick`: one escalation sweep; prints what fired.
pub fn tick(desk: &mut Desk, json: bool, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let fired = desk.sweep()?;
    if json {
        return super::output::json(io.out, &fired);
    }
    for f in &fired {
        line(
            io.out,
            &s.cat
                .f("notice.escalated", &[("id", &f.ticket), ("step", &f.step)]),
        )?;
    }
    line(io.out, &s.cat.f("cli.tick", &[("count", &fired.len())]))
}

/// Every `{name}` in a format must be a known field.
fn check_fields(format: &str) -> Result<()> {
    let mut rest = format;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !FIELDS.contains(&name) {
            return Err(Error::UnknownValue {
                field: "format",
                value: format!("{{{name}}}"),
                known: FIELDS.map(|f| format!("{{{f}}}")).join(", "),
            });
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

fn read(file: &Path) -> Result<String> {
    crate::userfile::read_text(file)
}

pub fn run(desk: &mut Desk, c: SlaCommand, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    match c {
        SlaCommand::Show => {
            let source = desk.sla_source()?;
            super::output::source(io.out, &source, s.width.is_some())
        }
        SlaCommand::Check { file } => {
            let source = read(&file)?;
            Policy::parse(&source).map_err(|errors| Error::Sla {
                file: file.display().to_string(),
                errors,
            })?;
            line(io.out, &s.cat.f("cli.sla_ok", &[("file", &file.display())]))
        }
        SlaCommand::Set { file } => {
            let source = read(&file)?;
            desk.set_sla(&source, &file.display().to_string())?;
            line(
                io.out,
                &s.cat.f("cli.sla_set", &[("file", &file.display())]),
            )
        }
        SlaCommand::Recompute => {
            let n = desk.recompute_sla()?;
            line(io.out, &s.cat.f("cli.sla_recomputed", &[("n", &n)]))
        }
    }
}
