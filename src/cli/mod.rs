//! The command-line front end: parses nothing itself (see [`args`]), opens the
//! desk, runs one subcommand through the service, prints the result. Never
//! touches the store directly.

mod admin;
pub mod args;
mod customers;
mod doctor;
mod export;
mod import;
mod inbox;
mod install;
mod mail;
mod output;
mod rules;
mod setup;
mod sla;
mod tickets;
mod views;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{self, Config};
use crate::error::{Error, Result};
use crate::i18n::Catalog;
use crate::service::{Clock, Desk, Identity, Opened};

pub use args::Cli;
use args::Command;

/// Everything a command needs from the outside world.
pub struct Session {
    pub cat: Catalog,
    pub identity: Identity,
    pub clock: Arc<dyn Clock>,
    pub config: Config,
    /// The value of `TDESK_DB`, if set.
    pub env_db: Option<PathBuf>,
    /// The desk named in the system config (/etc/tdesk/config.toml), if any.
    pub system_db: Option<PathBuf>,
    /// The mail command of the system config, if any.
    pub system_mail_command: Option<String>,
    /// The account the system config lets send the desk's mail, if any.
    pub system_mail_sender: Option<String>,
    /// The account the system config names as the enforced desk's admin.
    pub system_admin: Option<String>,
    /// Enforced team mode (installed setgid): only the system config names the desk.
    pub enforced: bool,
    /// Terminal width when standard output is a terminal (tables shrink to fit).
    pub width: Option<usize>,
}

impl Session {
    /// The mail commands this account's configs name.
    pub fn mail_commands(&self) -> crate::mailer::MailCommands {
        crate::mailer::MailCommands {
            system: self.system_mail_command.clone(),
            own: self.config.mail_command.clone(),
            system_sender: self.system_mail_sender.clone(),
            own_sender: self.config.mail_sender.clone(),
        }
    }
}

/// Standard streams, injectable for tests.
pub struct Streams<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub input: &'a mut dyn Read,
}

/// Runs the parsed command line.
pub fn run(mut cli: Cli, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    if s.enforced && !opens_team_desk(&cli) {
        // Nothing of the desk's is needed: give up its group for good.
        crate::privilege::drop_group_for_good().map_err(|e| Error::Io {
            path: "setresgid".into(),
            message: e.to_string(),
        })?;
    }
    match cli.command.take() {
        None if cli.demo => {
            let path = config::demo_db_path().ok_or(Error::NoHome)?;
            crate::deskdir::create_private(&path)?;
            let (mut desk, _) = Desk::create(&path, &s.identity, s.clock.clone())?;
            if desk.ticket_count()? == 0 {
                desk.load_demo(admin::DEFAULT_DEMO_TICKETS, admin::DEFAULT_DEMO_SEED)?;
            }
            crate::tui::run(desk, s)
        }
        None => {
            let desk = open(&cli, s, io, false)?;
            crate::tui::run(desk, s)
        }
        Some(Command::Init { shared, group }) => match shared {
            Some(dir) => admin::init_shared(&dir, group.as_deref(), s, io),
            None => admin::init(&cli, s, io),
        },
        Some(Command::Doctor { repair_search }) => doctor::run(&cli, repair_search, s, io),
        Some(Command::InstallSetgid {
            group,
            desk,
            admin,
            apply,
        }) => install::setgid(&group, &desk, &admin, apply, s, io),
        Some(Command::Config(c)) => setup::config(c, s, io),
        Some(Command::Completions { shell }) => setup::completions(shell, io),
        Some(Command::Man) => setup::man(io),
        Some(Command::Workflow(args::WorkflowCommand::Check { file })) => {
            admin::check_workflow_file(&file, s, io)
        }
        Some(command) => {
            let mut desk = open(&cli, s, io, false)?;
            dispatch(command, &mut desk, s, io)
        }
    }
}

/// Whether the command works on the team desk (the others — the demo desk
/// in the member's home, config, completions, checking a file — never do).
fn opens_team_desk(cli: &Cli) -> bool {
    match &cli.command {
        None => !cli.demo,
        Some(
            Command::Config(_)
            | Command::Completions { .. }
            | Command::Man
            | Command::Workflow(args::WorkflowCommand::Check { .. }),
        ) => false,
        Some(_) => true,
    }
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
        Command::Mail(c) => mail::mail(desk, c, s, io),
        Command::Replies(c) => mail::replies(desk, c, s, io),
        Command::Customer(c) => customers::run(desk, c, s, io),
        Command::Merge { src, dst } => tickets::merge(desk, &src, &dst, s, io),
        Command::Load => rules::load(desk, s, io),
        Command::Automations(c) => rules::automations(desk, c, s, io),
        Command::Watch { id } => inbox::watch(desk, id, true, s, io),
        Command::Unwatch { id } => inbox::watch(desk, id, false, s, io),
    }
}

/// Opens the desk named by flag, `TDESK_DB`, config or the default path.
/// An explicitly named desk must exist unless `create` is set (`tdesk
/// init`); the default personal desk is created on first use, private to
/// its owner.
pub(crate) fn open(cli: &Cli, s: &Session, io: &mut Streams<'_>, create: bool) -> Result<Desk> {
    let (path, explicit) = desk_path(cli, s)?;
    if s.enforced && (cli.db.is_some() || s.env_db.is_some()) {
        output::line(io.err, s.cat.t("error.paths_ignored"))?;
    }
    // Enforced mode has one desk, made by `tdesk init --shared` only.
    if explicit && (!create || s.enforced) {
        crate::deskdir::require_existing(&path)?;
        let (desk, _) = Desk::open(&path, &s.identity, s.clock.clone())?;
        return Ok(desk);
    }
    crate::deskdir::create_private(&path)?;
    let (desk, opened) = Desk::create(&path, &s.identity, s.clock.clone())?;
    if opened == Opened::Bootstrapped && !create {
        let msg = s.cat.f(
            "cli.created_desk",
            &[("path", &path.display()), ("login", &s.identity.login)],
        );
        output::line(io.err, &msg)?;
    }
    Ok(desk)
}

/// The desk file to open and whether it was named explicitly; a desk
/// directory means the database inside it.
pub(crate) fn desk_path(cli: &Cli, s: &Session) -> Result<(PathBuf, bool)> {
    if s.enforced {
        // Only the system config names the desk: a path from the user could
        // make tdesk write, with the data group, where the user may not.
        let path = s.system_db.clone().ok_or(Error::NoSystemDesk)?;
        return Ok((crate::deskdir::desk_file(&path), true));
    }
    let (path, explicit) = config::choose_db(
        cli.db.as_deref(),
        s.env_db.clone(),
        &s.config,
        s.system_db.clone(),
    )
    .ok_or(Error::NoHome)?;
    Ok((crate::deskdir::desk_file(&path), explicit))
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
