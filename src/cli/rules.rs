//! `tdesk rules show|check|set|explain` and `tdesk load`.

use super::args::{AutomationsCommand, RulesCommand};
use super::output::{self, Table, line};
use super::{Session, Streams};
use crate::error::{Error, Result};
use crate::rules::{Condition, RuleSet};
use crate::service::Desk;

use super::admin::read_source as read;

/// Checks a rule-shaped file (`parse` counts what it holds) and says so, or
/// returns its problems wrapped by `invalid` (file name, problems).
pub(super) fn check_file(
    io: &mut Streams<'_>,
    cat: &crate::i18n::Catalog,
    file: &std::path::Path,
    ok_key: &str,
    parse: impl FnOnce(&str) -> std::result::Result<usize, Vec<crate::rules::RuleError>>,
    invalid: fn(String, Vec<crate::rules::RuleError>) -> Error,
) -> Result<()> {
    let count =
        parse(&read(file)?).map_err(|errors| invalid(file.display().to_string(), errors))?;
    line(
        io.out,
        &cat.f(ok_key, &[("file", &file.display()), ("count", &count)]),
    )
}

/// `Error::Rules` as a function, for [`check_file`].
fn rules_error(file: String, errors: Vec<crate::rules::RuleError>) -> Error {
    Error::Rules { file, errors }
}

/// A condition as its rule file spells it.
fn condition_text(c: &Condition) -> String {
    let list = |name: &str, v: Vec<String>| format!("{name} = {}", v.join(" | "));
    match c {
        Condition::Type(v) => list("type", v.clone()),
        Condition::Category(v) => list("category", v.clone()),
        Condition::Channel(v) => list(
            "channel",
            v.iter().map(|c| c.as_str().to_string()).collect(),
        ),
        Condition::Priority(v) => list(
            "priority",
            v.iter().map(|p| p.as_str().to_string()).collect(),
        ),
        Condition::Tier(v) => list("tier", v.iter().map(|t| t.as_str().to_string()).collect()),
        Condition::Country(v) => list("country", v.clone()),
        Condition::Language(v) => list("language", v.clone()),
        Condition::Tag(v) => list("tag", v.clone()),
        Condition::Words(v) => list("words", v.clone()),
    }
}

pub fn run(desk: &mut Desk, c: RulesCommand, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let cat = &s.cat;
    match c {
        RulesCommand::Show => {
            let source = desk.rules_source()?;
            if source.is_empty() {
                return line(io.out, cat.t("cli.no_rules"));
            }
            output::source(io.out, &source, s.width.is_some())
        }
        RulesCommand::Check { file } => check_file(
            io,
            cat,
            &file,
            "cli.rules_ok",
            |text| RuleSet::parse(text).map(|r| r.rules.len()),
            rules_error,
        ),
        RulesCommand::Set { file } => {
            desk.set_rules(&read(&file)?, &file.display().to_string())?;
            line(
                io.out,
                &cat.f(
                    "cli.rules_set",
                    &[
                        ("file", &file.display()),
                        ("count", &desk.rules().rules.len()),
                    ],
                ),
            )
        }
        RulesCommand::Simulate {
            file,
            from,
            synthetic,
            json,
        } => {
            let rules = match &file {
                Some(f) => RuleSet::parse(&read(f)?).map_err(|errors| Error::Rules {
                    file: f.display().to_string(),
                    errors,
                })?,
                None => desk.rules().clone(),
            };
            let from = match from {
                Some(d) => Some(
                    chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                        .map_err(|_| Error::UnknownValue {
                            field: "from",
                            value: d.clone(),
                            known: "YYYY-MM-DD".into(),
                        })?
                        .and_time(chrono::NaiveTime::MIN)
                        .and_utc(),
                ),
                None => None,
            };
            let started = std::time::Instant::now();
            let sim = desk.simulate(&rules, from, synthetic)?;
            let took = started.elapsed();
            if json {
                return output::json(io.out, &sim);
            }
            let mut t = Table::new(&[
                cat.t("col.team"),
                cat.t("col.assignee"),
                cat.t("col.tickets"),
            ]);
            for (team, agents) in &sim.agents {
                for (agent, n) in agents {
                    t.push(vec![team.clone(), agent.clone(), n.to_string()]);
                }
            }
            io.out
                .write_all(t.render(s.width).as_bytes())
                .map_err(output::io)?;
            for (team, ratio) in &sim.imbalance {
                line(
                    io.out,
                    &cat.f(
                        "cli.imbalance",
                        &[("team", team), ("ratio", &format!("{ratio:.2}"))],
                    ),
                )?;
            }
            line(
                io.out,
                &cat.f(
                    "cli.simulated",
                    &[
                        ("tickets", &sim.tickets),
                        ("unrouted", &sim.unrouted),
                        ("unassigned", &sim.unassigned),
                        ("ms", &took.as_millis()),
                    ],
                ),
            )
        }
        RulesCommand::Explain { id } => {
            let out = desk.explain_routing(id)?;
            if out.trace.is_empty() {
                return line(io.out, cat.t("cli.no_rules"));
            }
            for r in &out.trace {
                let name = crate::text::sanitize_line(&r.name);
                let key = if r.skipped {
                    "cli.rule_skipped"
                } else if r.matched {
                    "cli.rule_matched"
                } else {
                    "cli.rule_missed"
                };
                line(io.out, &cat.f(key, &[("name", &name)]))?;
                for c in &r.checks {
                    let key = if c.held {
                        "cli.check_held"
                    } else {
                        "cli.check_failed"
                    };
                    let value = crate::text::sanitize_line(&c.value);
                    line(
                        io.out,
                        &cat.f(
                            key,
                            &[
                                ("condition", &condition_text(&c.condition)),
                                ("value", &value),
                            ],
                        ),
                    )?;
                }
            }
            line(
                io.out,
                &cat.f(
                    "cli.routing",
                    &[
                        ("team", &out.team.as_deref().unwrap_or("–")),
                        ("assignee", &out.assignee.as_deref().unwrap_or("–")),
                        ("priority", &out.priority.map(|p| p.as_str()).unwrap_or("–")),
                    ],
                ),
            )
        }
    }
}

pub fn automations(
    desk: &mut Desk,
    c: AutomationsCommand,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    match c {
        AutomationsCommand::Show => {
            let source = desk.automations_source()?;
            output::source(io.out, &source, s.width.is_some())
        }
        AutomationsCommand::Check { file } => check_file(
            io,
            &s.cat,
            &file,
            "cli.automations_ok",
            |text| crate::rules::automation::parse(text).map(|a| a.len()),
            rules_error,
        ),
        AutomationsCommand::Set { file } => {
            desk.set_automations(&read(&file)?, &file.display().to_string())?;
            line(
                io.out,
                &s.cat.f("cli.automations_set", &[("file", &file.display())]),
            )
        }
    }
}

pub fn load(desk: &Desk, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let rows = desk.load()?;
    let mut t = Table::new(&[
        s.cat.t("col.team"),
        s.cat.t("col.assignee"),
        s.cat.t("col.open"),
    ]);
    for (team, agent, n) in rows {
        t.push(vec![
            if team.is_empty() { "–".into() } else { team },
            agent.unwrap_or_else(|| "–".into()),
            n.to_string(),
        ]);
    }
    io.out
        .write_all(t.render(s.width).as_bytes())
        .map_err(output::io)
}
