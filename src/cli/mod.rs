//! The command-line front end: parses nothing itself (see [`args`]), opens the
//! desk, runs one subcommand through the service, prints the result. Never
//! touches the store directly.

mod admin;
pub mod args;
mod backup;
mod customers;
mod doctor;
mod export;
mod import;
mod inbox;
mod install;
mod kb;
mod mail;
mod milestones;
mod output;
mod report;
mod rules;
mod setup;
mod sla;
mod survey;
mod tasks;
mod tickets;
mod views;

use std::io::{Read, Write};

use crate::error::{Error, Result};
use crate::service::Desk;
use crate::session::Session;

pub use args::Cli;
use args::Command;

/// Standard streams, injectable for tests.
pub struct Streams<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub input: &'a mut dyn Read,
}

/// Runs one subcommand (`main` starts the TUI when there is none).
pub fn run(command: Command, cli: &Cli, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    if s.enforced && !opens_team_desk(&command) {
        // Nothing of the desk's is needed: give up its group for good.
        crate::privilege::drop_group_for_good().map_err(|e| Error::Io {
            path: "setresgid".into(),
            message: e.to_string(),
        })?;
    }
    match command {
        Command::Init { shared, group } => match shared {
            Some(dir) => admin::init_shared(&dir, group.as_deref(), s, io),
            None => admin::init(cli, s, io),
        },
        Command::Doctor {
            repair_search,
            end_restore,
        } => doctor::run(
            cli,
            doctor::Repairs {
                repair_search,
                end_restore,
            },
            s,
            io,
        ),
        Command::InstallSetgid {
            group,
            desk,
            admin,
            apply,
        } => install::setgid(&group, &desk, &admin, apply, s, io),
        Command::Config(c) => setup::config(c, s, io),
        Command::Completions { shell } => setup::completions(shell, io),
        Command::Man => setup::man(io),
        Command::Workflow(args::WorkflowCommand::Check { file }) => {
            admin::check_workflow_file(&file, s, io)
        }
        command => {
            // `tdesk --demo list` works on the demo desk, like `tdesk --demo`.
            let mut desk = if cli.demo {
                s.open_demo_desk()?
            } else {
                s.open_desk(cli.db.as_deref(), false, io.err)?
            };
            dispatch(command, &mut desk, s, io)
        }
    }
}

/// Whether the command works on the team desk (the others — config,
/// completions, checking a file — never do).
fn opens_team_desk(command: &Command) -> bool {
    !matches!(
        command,
        Command::Config(_)
            | Command::Completions { .. }
            | Command::Man
            | Command::Workflow(args::WorkflowCommand::Check { .. })
    )
}

fn dispatch(command: Command, desk: &mut Desk, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    match command {
        Command::Init { .. }
        | Command::Doctor { .. }
        | Command::InstallSetgid { .. }
        | Command::Config(_)
        | Command::Completions { .. }
        | Command::Man => Ok(()),
        Command::Add(a) => tickets::add(desk, a, s, io),
        Command::List(a) => tickets::list(desk, a, s, io),
        Command::Show(a) => tickets::show(desk, a, s, io),
        Command::Move(a) => tickets::move_ticket(desk, a, s, io),
        Command::Assign(a) => tickets::assign(desk, a, s, io),
        Command::Comment(a) => tickets::comment(desk, a, s, io),
        Command::Edit(a) => tickets::edit(desk, a, s, io),
        Command::Accept(a) => tickets::accept(desk, a, s, io),
        Command::Csat(a) => tickets::csat(desk, a, s, io),
        Command::Kb(c) => kb::run(desk, c, s, io),
        Command::Report(c) => kb::report(desk, c, s, io),
        Command::History(a) => tickets::history(desk, a, s, io),
        Command::Demo(a) => admin::demo(desk, a, s, io),
        Command::User(c) => admin::user(desk, c, s, io),
        Command::Workflow(c) => admin::workflow(desk, c, s, io),
        Command::View(c) => views::run(desk, c, s, io),
        Command::Changes { limit, json } => tickets::changes(desk, limit, json, s, io),
        Command::Undo { change } => tickets::undo(desk, change, s, io),
        Command::Inbox {
            all,
            mark_read,
            json,
        } => inbox::list(desk, all, mark_read, json, s, io),
        Command::Hook => inbox::hook(desk, s, io),
        Command::Status { format } => sla::status(desk, format.as_deref(), s, io),
        Command::Tick { json } => sla::tick(desk, json, s, io),
        Command::Sla(c) => sla::run(desk, c, s, io),
        Command::Rules(c) => rules::run(desk, c, s, io),
        Command::Export(a) => export::run(desk, a, s, io),
        Command::Import(c) => import::run(desk, c, s, io),
        Command::Attachment(c) => mail::attachment(desk, c, s, io),
        Command::Task(c) => tasks::run(desk, c, s, io),
        Command::Time(c) => tasks::time(desk, c, s, io),
        Command::Milestone(c) => milestones::run(desk, c, s, io),
        Command::Mail(c) => mail::mail(desk, c, s, io),
        Command::Replies(c) => mail::replies(desk, c, s, io),
        Command::Customer(c) => customers::run(desk, c, s, io),
        Command::Merge { src, dst } => tickets::merge(desk, &src, &dst, s, io),
        Command::Load => rules::load(desk, s, io),
        Command::Backup { target, keep } => backup::backup(desk, &target, keep, s, io),
        Command::Restore { file, yes } => backup::restore(desk, &file, yes, s, io),
        Command::Automations(c) => rules::automations(desk, c, s, io),
        Command::Watch { id } => inbox::watch(desk, id, true, s, io),
        Command::Unwatch { id } => inbox::watch(desk, id, false, s, io),
        Command::Link { a, b, kind } => tasks::link(desk, a, b, &kind, s, io),
        Command::Unlink { a, b, kind } => tasks::unlink(desk, a, b, kind.as_deref(), s, io),
    }
}

/// Reads `-` as standard input; any other value is taken as given.
fn text_arg(value: &str, io: &mut Streams<'_>) -> Result<String> {
    if value != "-" {
        return Ok(value.to_string());
    }
    let mut bytes = Vec::new();
    io.input
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Stdin(e.to_string()))?;
    String::from_utf8(bytes).map_err(|_| Error::NotUtf8("stdin".into()))
}
