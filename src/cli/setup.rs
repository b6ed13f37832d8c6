//! Commands that need no desk: `config`, `completions`, `man`.

use clap::CommandFactory;
use std::path::Path;

use super::args::{Cli, ConfigCommand};
use super::output::line;
use super::{Session, Streams};
use crate::config::{self, Config};
use crate::error::{Error, Result};
use crate::tui::keymap::Keymap;

fn problems_of(path: &Path) -> Result<Vec<String>> {
    let config = Config::load(path)?;
    let mut problems: Vec<(usize, String)> = config
        .problems(&config.source)
        .into_iter()
        .map(|p| (p.line, p.message))
        .collect();
    if let Err(keys) = Keymap::with_config(&config.keys, &config.source) {
        problems.extend(keys.into_iter().map(|p| (p.line, p.message)));
    }
    problems.sort();
    Ok(problems
        .into_iter()
        .map(|(l, m)| format!("{}:{l}: {m}", path.display()))
        .collect())
}

pub fn config(c: ConfigCommand, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let path = config::config_path().ok_or(Error::NoHome)?;
    match c {
        ConfigCommand::Path => line(io.out, &path.display().to_string()),
        ConfigCommand::Show => {
            // The session fell back to defaults if the file is broken; say so instead.
            let cfg = &Config::load(&path)?;
            let theme = cfg
                .theme
                .as_ref()
                .map(|t| t.get_ref().clone())
                .unwrap_or_else(|| "dark".into());
            line(
                io.out,
                &format!(
                    "# {}",
                    if cfg.path.is_empty() {
                        s.cat.t("cli.config_defaults").to_string()
                    } else {
                        cfg.path.clone()
                    }
                ),
            )?;
            line(io.out, &format!("lang = {:?}", s.cat.lang().code()))?;
            if let Some(db) = &cfg.db {
                line(io.out, &format!("db = {:?}", db.display().to_string()))?;
            }
            line(io.out, &format!("theme = {theme:?}"))?;
            line(io.out, &format!("ascii_borders = {}", cfg.ascii_borders))?;
            if let Some(editor) = &cfg.editor {
                line(io.out, &format!("editor = {editor:?}"))?;
            }
            if let Some(hook) = &cfg.notify_hook {
                line(io.out, &format!("notify_hook = {hook:?}"))?;
            }
            if let Some(command) = &cfg.mail_command {
                line(io.out, &format!("mail_command = {command:?}"))?;
            }
            line(io.out, "")?;
            let keymap = Keymap::with_config(&cfg.keys, &cfg.source).unwrap_or_else(|_| {
                let _ = line(io.err, s.cat.t("cli.config_keys_default"));
                Keymap::default()
            });
            io.out
                .write_all(keymap.to_toml().as_bytes())
                .map_err(super::output::io)
        }
        ConfigCommand::Check { file } => {
            let file = file.unwrap_or(path);
            let problems = problems_of(&file)?;
            if problems.is_empty() {
                return line(
                    io.out,
                    &s.cat.f("cli.config_ok", &[("file", &file.display())]),
                );
            }
            for p in &problems {
                line(io.err, p)?;
            }
            Err(Error::Config {
                file: file.display().to_string(),
                message: s
                    .cat
                    .f("cli.config_problems", &[("count", &problems.len())]),
            })
        }
    }
}

pub fn completions(shell: clap_complete::Shell, io: &mut Streams<'_>) -> Result<()> {
    // Generated into memory first: clap_complete panics on a write error
    // (a closed pipe), which must stay an ordinary exit.
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tdesk", &mut buf);
    io.out.write_all(&buf).map_err(super::output::io)
}

pub fn man(io: &mut Streams<'_>) -> Result<()> {
    clap_mangen::Man::new(Cli::command())
        .render(io.out)
        .map_err(super::output::io)
}
