//! Desk administration subcommands: init, demo, user, workflow.

use serde::Serialize;
use std::path::Path;

use super::args::{Cli, DemoArgs, UserCommand, WorkflowCommand};
use super::output::{self, Table, line};
use super::{Session, Streams};
use crate::domain::Role;
use crate::error::{Error, Result};
use crate::present::role_label;
use crate::service::Desk;
use crate::workflow::Workflow;

pub fn init(cli: &Cli, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let desk = s.open_desk(cli.db.as_deref(), true, io.err)?;
    let me = desk.me()?;
    let path = desk
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let msg = s.cat.f(
        "cli.init",
        &[
            ("path", &path),
            ("login", &me.login),
            ("role", &role_label(&s.cat, me.role)),
        ],
    );
    line(io.out, &msg)
}

/// `tdesk init --shared DIR [--group G]`: a team desk every member of the
/// group can open; the caller becomes its admin.
pub fn init_shared(
    dir: &Path,
    group: Option<&str>,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let dir = if s.enforced {
        // Only the system's desk, by the path root wrote: with the data
        // group, a directory named by the member could be swapped for
        // another (a link raced in) between a check and its use.
        let system = s.system_db.as_deref().ok_or(Error::NoSystemDesk)?;
        if !crate::deskdir::same_place(dir, system) {
            return Err(Error::OtherDesk(dir.display().to_string()));
        }
        // Only the admin root named: the first to run `init` would be it.
        if s.system_admin.as_deref() != Some(s.identity.login.as_str()) {
            return Err(Error::NotTheAdmin(
                s.system_admin.clone().unwrap_or_else(|| "LOGIN".into()),
            ));
        }
        system
    } else {
        dir
    };
    let db = crate::deskdir::create_shared(dir, group)?;
    let (desk, _) = Desk::create(&db, &s.identity, s.clock.clone())?;
    // SQLite has made its -wal and -shm files now: give them the group's modes too.
    crate::deskdir::create_shared(dir, group)?;
    let me = desk.me()?;
    let group = crate::deskdir::group_name(crate::deskdir::dir_group(dir)?);
    let msg = s.cat.f(
        "cli.init_shared",
        &[
            ("dir", &dir.display()),
            ("group", &group),
            ("login", &me.login),
            ("role", &role_label(&s.cat, me.role)),
        ],
    );
    line(io.out, &msg)
}

pub fn demo(desk: &mut Desk, a: DemoArgs, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    // Sample agents, customers and tickets cannot be told apart from real
    // ones afterwards: never mix them into a working desk by accident.
    let tickets = desk.ticket_count()?;
    if tickets > 0 && !a.yes {
        return Err(Error::DemoIntoRealDesk(tickets));
    }
    let summary = desk.load_demo(a.tickets, a.seed)?;
    let msg = s.cat.f(
        "cli.demo_loaded",
        &[
            ("tickets", &summary.tickets),
            ("agents", &summary.agents),
            ("customers", &summary.customers),
            ("articles", &summary.articles),
        ],
    );
    line(io.out, &msg)
}

pub fn user(desk: &mut Desk, c: UserCommand, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let cat = &s.cat;
    match c {
        UserCommand::Add {
            login,
            role,
            team,
            name,
        } => {
            let role = Role::parse(&role)?;
            let u = desk.add_user(&login, name.as_deref(), role, team.as_deref())?;
            line(
                io.out,
                &cat.f(
                    "cli.user_added",
                    &[("login", &u.login), ("role", &role_label(cat, u.role))],
                ),
            )
        }
        UserCommand::SetRole { login, role } => {
            let role = Role::parse(&role)?;
            let u = desk.set_role(&login, role)?;
            line(
                io.out,
                &cat.f(
                    "cli.role_set",
                    &[("login", &u.login), ("role", &role_label(cat, u.role))],
                ),
            )
        }
        UserCommand::Set {
            login,
            languages,
            timezone,
            shift,
            level,
        } => {
            let profile = languages.is_some() || timezone.is_some() || shift.is_some();
            if let Some(level) = level {
                let u = desk.set_level(&login, crate::domain::Level::parse(&level)?)?;
                let name = cat.t(&format!("level.{}", u.level.as_str())).to_string();
                line(
                    io.out,
                    &cat.f("cli.level_set", &[("login", &u.login), ("level", &name)]),
                )?;
                if !profile {
                    return Ok(());
                }
            }
            if profile {
                desk.set_agent_profile(
                    &login,
                    languages.as_deref().unwrap_or(""),
                    timezone.as_deref(),
                    shift.as_deref(),
                )?;
            }
            line(io.out, &cat.f("cli.profile_set", &[("login", &login)]))
        }
        UserCommand::Rm { login } => {
            let u = desk.remove_user(&login)?;
            line(io.out, &cat.f("cli.user_removed", &[("login", &u.login)]))
        }
        UserCommand::List { json } => {
            let users = desk.users()?;
            if json {
                return output::json(io.out, &users);
            }
            let mut t = Table::new(&[
                cat.t("col.login"),
                cat.t("col.name"),
                cat.t("col.role"),
                cat.t("col.team"),
                cat.t("col.level"),
            ]);
            for u in &users {
                t.push(vec![
                    u.login.clone(),
                    u.display_name.clone(),
                    role_label(cat, u.role),
                    u.team.clone().unwrap_or_else(|| "–".into()),
                    cat.t(&format!("level.{}", u.level.as_str())).to_string(),
                ]);
            }
            io.out
                .write_all(t.render(s.width).as_bytes())
                .map_err(output::io)
        }
    }
}

/// `tdesk workflow check FILE` needs no desk.
pub fn check_workflow_file(file: &Path, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let wf = read_workflow(file)?;
    let msg = s.cat.f(
        "cli.workflow_ok",
        &[
            ("file", &file.display()),
            ("states", &wf.states().len()),
            ("transitions", &wf.transitions().len()),
        ],
    );
    line(io.out, &msg)
}

/// A text file given on the command line: UTF-8 or a clear error.
pub(super) fn read_source(file: &Path) -> Result<String> {
    crate::userfile::read_text(file)
}

fn read_workflow(file: &Path) -> Result<Workflow> {
    let source = read_source(file)?;
    Workflow::parse(&source).map_err(|errors| Error::Workflow {
        file: file.display().to_string(),
        errors,
    })
}

#[derive(Serialize)]
struct StateJson<'a> {
    id: &'a str,
    label: &'a str,
    #[serde(rename = "final")]
    is_final: bool,
    resolved: bool,
}

#[derive(Serialize)]
struct TransitionJson<'a> {
    from: &'a str,
    to: &'a str,
    requires: Vec<&'static str>,
}

#[derive(Serialize)]
struct WorkflowJson<'a> {
    initial: &'a str,
    states: Vec<StateJson<'a>>,
    transitions: Vec<TransitionJson<'a>>,
}

pub fn workflow(
    desk: &mut Desk,
    c: WorkflowCommand,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let cat = &s.cat;
    match c {
        WorkflowCommand::Check { file } => check_workflow_file(&file, s, io),
        WorkflowCommand::Set { file } => {
            let source = read_source(&file)?;
            desk.set_workflow(&source, &file.display().to_string())?;
            line(
                io.out,
                &cat.f("cli.workflow_set", &[("file", &file.display())]),
            )
        }
        WorkflowCommand::Reset => {
            desk.reset_workflow()?;
            line(io.out, cat.t("cli.workflow_reset"))
        }
        WorkflowCommand::Causes { json } => causes(desk, json, s, io),
        WorkflowCommand::Show { toml, json } => {
            let wf = desk.workflow();
            if toml {
                let source = if wf.source().is_empty() {
                    crate::workflow::DEFAULT_DEFINITION
                } else {
                    wf.source()
                };
                return output::source(io.out, source, s.width.is_some());
            }
            let lang = cat.lang().code();
            if json {
                let doc = WorkflowJson {
                    initial: &wf.initial().id,
                    states: wf
                        .states()
                        .iter()
                        .map(|st| StateJson {
                            id: &st.id,
                            label: st.label.get(lang),
                            is_final: st.is_final,
                            resolved: st.is_resolved,
                        })
                        .collect(),
                    transitions: wf
                        .transitions()
                        .iter()
                        .map(|t| TransitionJson {
                            from: &t.from,
                            to: &t.to,
                            requires: t.requires.iter().map(|r| r.as_str()).collect(),
                        })
                        .collect(),
                };
                return output::json(io.out, &doc);
            }
            let mut states =
                Table::new(&[cat.t("col.state"), cat.t("col.label"), cat.t("col.flags")]);
            for st in wf.states() {
                let mut flags = Vec::new();
                if st.id == wf.initial().id {
                    flags.push("initial");
                }
                if st.is_resolved {
                    flags.push("resolved");
                }
                if st.is_final {
                    flags.push("final");
                }
                states.push(vec![
                    st.id.clone(),
                    st.label.get(lang).to_string(),
                    flags.join(", "),
                ]);
            }
            io.out
                .write_all(states.render(s.width).as_bytes())
                .map_err(output::io)?;
            line(io.out, "")?;
            let mut moves = Table::new(&[
                cat.t("col.from"),
                cat.t("col.to"),
                cat.t("col.requires"),
                cat.t("col.roles"),
            ]);
            for t in wf.transitions() {
                let roles = if t.roles.is_empty() {
                    "–".to_string()
                } else {
                    t.roles
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let mut requires: Vec<String> =
                    t.requires.iter().map(|r| r.as_str().to_string()).collect();
                if !t.override_roles.is_empty() {
                    let who: Vec<&str> = t.override_roles.iter().map(|r| r.as_str()).collect();
                    requires.push(format!("override: {}", who.join("/")));
                }
                moves.push(vec![
                    t.from.clone(),
                    t.to.clone(),
                    requires.join(", "),
                    roles,
                ]);
            }
            io.out
                .write_all(moves.render(s.width).as_bytes())
                .map_err(output::io)
        }
    }
}

#[derive(Serialize)]
struct CauseJson<'a> {
    id: &'a str,
    label: &'a str,
}

/// `tdesk workflow causes`: the desk's root causes with their labels.
fn causes(desk: &Desk, json: bool, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let lang = s.cat.lang().code();
    let causes = desk.workflow().causes();
    if json {
        let doc: Vec<CauseJson> = causes
            .iter()
            .map(|c| CauseJson {
                id: &c.id,
                label: c.label.get(lang),
            })
            .collect();
        return output::json(io.out, &doc);
    }
    let mut table = Table::new(&[s.cat.t("col.cause"), s.cat.t("col.label")]);
    for c in causes {
        table.push(vec![c.id.clone(), c.label.get(lang).to_string()]);
    }
    io.out
        .write_all(table.render(s.width).as_bytes())
        .map_err(output::io)
}
