//! What a run of tdesk knows about the world before it opens a desk — the
//! member, the language, the configs, the mode — and how it finds and opens
//! the desk. Both front ends start here: `main` builds the [`Session`],
//! then hands it to the command line or the TUI.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config};
use crate::error::{Error, Result};
use crate::i18n::Catalog;
use crate::service::{Clock, Desk, Identity, Opened};

/// Tickets in the demo desk `tdesk --demo` opens.
pub const DEFAULT_DEMO_TICKETS: usize = 200;
pub const DEFAULT_DEMO_SEED: u64 = 2026;

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

    /// The desk file to open and whether it was named explicitly (`--db`,
    /// `TDESK_DB`, a config); a desk directory means the database inside it.
    pub fn desk_path(&self, db_flag: Option<&Path>) -> Result<(PathBuf, bool)> {
        if self.enforced {
            // Only the system config names the desk: a path from the user could
            // make tdesk write, with the data group, where the user may not.
            let path = self.system_db.clone().ok_or(Error::NoSystemDesk)?;
            return Ok((crate::deskdir::desk_file(&path), true));
        }
        let (path, explicit) = config::choose_db(
            db_flag,
            self.env_db.clone(),
            &self.config,
            self.system_db.clone(),
        )
        .ok_or(Error::NoHome)?;
        Ok((crate::deskdir::desk_file(&path), explicit))
    }

    /// Opens the desk named by flag, `TDESK_DB`, config or the default path.
    /// An explicitly named desk must exist unless `create` is set (`tdesk
    /// init`); the default personal desk is created on first use, private to
    /// its owner, and `notes` (standard error) says so.
    pub fn open_desk(
        &self,
        db_flag: Option<&Path>,
        create: bool,
        notes: &mut dyn Write,
    ) -> Result<Desk> {
        let (path, explicit) = self.desk_path(db_flag)?;
        if self.enforced && (db_flag.is_some() || self.env_db.is_some()) {
            note(notes, self.cat.t("error.paths_ignored"))?;
        }
        // Enforced mode has one desk, made by `tdesk init --shared` only.
        if explicit && (!create || self.enforced) {
            crate::deskdir::require_existing(&path)?;
            let (desk, _) = Desk::open(&path, &self.identity, self.clock.clone())?;
            return Ok(desk);
        }
        crate::deskdir::create_private(&path)?;
        let (desk, opened) = Desk::create(&path, &self.identity, self.clock.clone())?;
        if opened == Opened::Bootstrapped && !create {
            let msg = self.cat.f(
                "cli.created_desk",
                &[("path", &path.display()), ("login", &self.identity.login)],
            );
            note(notes, &msg)?;
        }
        Ok(desk)
    }

    /// The member's own demo desk (`tdesk --demo`), filled with sample
    /// tickets on first use. Never the team desk: in enforced mode the data
    /// group is given up first.
    pub fn open_demo_desk(&self) -> Result<Desk> {
        if self.enforced {
            crate::privilege::drop_group_for_good().map_err(|e| Error::Io {
                path: "setresgid".into(),
                message: e.to_string(),
            })?;
        }
        let path = config::demo_db_path().ok_or(Error::NoHome)?;
        crate::deskdir::create_private(&path)?;
        let (mut desk, _) = Desk::create(&path, &self.identity, self.clock.clone())?;
        if desk.ticket_count()? == 0 {
            desk.load_demo(DEFAULT_DEMO_TICKETS, DEFAULT_DEMO_SEED)?;
        }
        Ok(desk)
    }
}

/// One sanitised line on standard error (a path may hold anything).
fn note(notes: &mut dyn Write, text: &str) -> Result<()> {
    writeln!(notes, "{}", crate::text::sanitize_block(text)).map_err(|e| Error::Io {
        path: "stderr".into(),
        message: e.to_string(),
    })
}
