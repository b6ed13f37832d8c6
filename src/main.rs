//! The `tdesk` binary: parse arguments, pick the language, run, map errors to
//! exit codes (0 ok, 2 usage, 3 not found, 4 refused, 5 conflict, 1 other).

use clap::Parser;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use tdesk::cli::args::Command;
use tdesk::cli::{self, Cli, Streams};
use tdesk::config::{self, Config};
use tdesk::i18n::{Catalog, Lang};
use tdesk::service::{Identity, SystemClock};
use tdesk::session::Session;

fn main() -> ExitCode {
    tdesk::tui::trace::mark_process_start();
    // Arguments that are not UTF-8 become replacement characters instead of a panic.
    let args = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut cli = Cli::parse_from(cli::args::protect_negations(args));
    let env = |k: &str| std::env::var(k).ok();
    let config = config::config_path().map(|p| Config::load(&p));
    let config_lang = config
        .as_ref()
        .and_then(|c| c.as_ref().ok())
        .and_then(|c| c.lang.clone());
    let lang = Lang::detect(cli.lang.as_deref(), config_lang.as_deref(), env);
    let cat = Catalog::new(lang);
    install_panic_message(cat.clone());
    // A broken config file must not lock anyone out of the commands that find and check it.
    let about_setup = matches!(
        cli.command,
        Some(Command::Config(_) | Command::Completions { .. } | Command::Man)
    );
    let config = match config.transpose() {
        Ok(c) => c.unwrap_or_default(),
        Err(_) if about_setup => Config::default(),
        Err(e) => return fail(&cat, &e),
    };
    let system = match Config::load_system() {
        Ok(c) => c,
        Err(_) if about_setup => Config::default(),
        Err(e) => return fail(&cat, &e),
    };
    let width = std::io::stdout()
        .is_terminal()
        .then(|| {
            crossterm::terminal::size()
                .ok()
                .map(|(w, _)| usize::from(w))
        })
        .flatten();
    let session = Session {
        cat: cat.clone(),
        identity: Identity::current(),
        clock: Arc::new(SystemClock),
        config,
        env_db: std::env::var_os("TDESK_DB").map(Into::into),
        system_db: system.db.clone(),
        system_mail_command: system.mail_command.clone(),
        system_mail_sender: system.mail_sender.clone(),
        system_admin: system.admin.clone(),
        enforced: tdesk::privilege::enforced(),
        width,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut err = std::io::stderr();
    let mut input = std::io::stdin();
    let mut streams = Streams {
        out: &mut out,
        err: &mut err,
        input: &mut input,
    };
    let result = match cli.command.take() {
        Some(command) => cli::run(command, &cli, &session, &mut streams),
        None => start_tui(&cli, &session),
    };
    let flushed = out.flush();
    match result {
        Ok(()) => match flushed {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => fail(
                &cat,
                &tdesk::Error::Io {
                    path: "stdout".into(),
                    message: e.to_string(),
                },
            ),
            _ => ExitCode::SUCCESS,
        },
        Err(tdesk::Error::BrokenPipe) => ExitCode::SUCCESS,
        Err(e) => fail(&cat, &e),
    }
}

/// No subcommand: the TUI on the member's desk, or on the demo desk.
fn start_tui(cli: &Cli, session: &Session) -> tdesk::Result<()> {
    let desk = if cli.demo {
        session.open_demo_desk()?
    } else {
        session.open_desk(cli.db.as_deref(), false, &mut std::io::stderr())?
    };
    tdesk::tui::run(desk, session)
}

fn fail(cat: &Catalog, e: &tdesk::Error) -> ExitCode {
    // Errors quote input (a file's line, a value typed, a label): sanitised.
    let message = e.message(cat);
    let _ = writeln!(
        std::io::stderr(),
        "tdesk: {}",
        tdesk::text::sanitize_block(&message)
    );
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
}

/// A panic prints one sentence instead of a backtrace; the TUI's own hook
/// restores the terminal before this runs.
fn install_panic_message(cat: Catalog) {
    std::panic::set_hook(Box::new(move |info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "tdesk: {}",
            cat.f("error.internal", &[("place", &place)])
        );
    }));
}
