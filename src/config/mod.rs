//! Configuration layering (built-in → user config file → environment → flags)
//! and the platform paths of the default desk and the config file.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

use crate::error::{Error, Result};

/// One key or several for a command in `[keys]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    pub fn keys(&self) -> Vec<&str> {
        match self {
            KeyList::One(k) => vec![k.as_str()],
            KeyList::Many(ks) => ks.iter().map(String::as_str).collect(),
        }
    }
}

/// `[keys]`: command name → keys; `[keys.list]`, `[keys.board]`, … for one pane.
pub type KeysConfig = BTreeMap<String, Spanned<KeyListOrPane>>;

/// In `[keys]`, a value is keys for a command, or a table for a pane.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeyListOrPane {
    Keys(KeyList),
    Pane(BTreeMap<String, KeyList>),
}

/// Settings read from `config.toml` in the user's config directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// UI language: `en` or `zh-CN`.
    pub lang: Option<String>,
    /// The desk database to open when no `--db` or `TDESK_DB` is given.
    pub db: Option<PathBuf>,
    /// Draw borders with ASCII (`+-|`) for terminals that render box characters double-width.
    #[serde(default)]
    pub ascii_borders: bool,
    /// `dark` (default), `light` or `mono`; `NO_COLOR` always means mono.
    pub theme: Option<Spanned<String>>,
    /// The editor for long text (default: `$VISUAL`, `$EDITOR`, then `vi`).
    pub editor: Option<String>,
    /// A command run once per notification with one JSON object on stdin
    /// (run by `sh -c`); e.g. a script posting to the team's chat.
    pub notify_hook: Option<String>,
    /// The sendmail-compatible command that sends the desk's replies
    /// (`/usr/bin/msmtp -t`), when this account sends them: read from the
    /// system config or the sending account's own config, never from the
    /// desk, which other members can change (see `tdesk mail`).
    pub mail_command: Option<String>,
    /// The account that sends a team desk's mail agrees to: in its own
    /// config, its own login; in the system config, the login root lets
    /// send. The desk's `mail set --sender` alone never makes an account send.
    pub mail_sender: Option<String>,
    /// System config only: the login that may create the enforced desk
    /// (`tdesk install-setgid --admin LOGIN` writes it).
    pub admin: Option<String>,
    /// Key bindings that replace the defaults for the commands they name.
    #[serde(default)]
    pub keys: KeysConfig,
    /// The file's text, for line numbers in later checks.
    #[serde(skip)]
    pub source: String,
    /// Where it was read from (empty for the built-in defaults).
    #[serde(skip)]
    pub path: String,
}

/// A problem in the config file, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub line: usize,
    pub message: String,
}

/// The 1-based line of byte `offset` in `text` (counted in bytes, so an
/// offset inside a character cannot panic).
pub fn line_of(text: &str, offset: usize) -> usize {
    let before = &text.as_bytes()[..offset.min(text.len())];
    before.iter().filter(|&&b| b == b'\n').count() + 1
}

/// The themes there are.
pub const THEMES: [&str; 3] = ["dark", "light", "mono"];

impl Config {
    /// Reads the member's own config file, with the member's own rights
    /// (its path comes from `$HOME`/`$XDG_CONFIG_HOME`, which they choose);
    /// a missing file is the default config.
    pub fn load(path: &Path) -> Result<Self> {
        match crate::userfile::read_text_if_exists(path)? {
            Some(text) => Self::from_file(text, path),
            None => Ok(Self::default()),
        }
    }

    /// Reads the system config (`/etc/tdesk/config.toml`), a fixed path
    /// that root writes; read with the process's own rights, so in enforced
    /// mode root may keep it from members (`root:tdesk-data 0640`).
    pub fn load_system() -> Result<Self> {
        let path = Path::new(SYSTEM_CONFIG);
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(Error::Io {
                    path: path.display().to_string(),
                    message: e.to_string(),
                });
            }
        };
        Self::from_file(text, path)
    }

    fn from_file(text: String, path: &Path) -> Result<Self> {
        let mut config = Self::parse(&text).map_err(|message| Error::Config {
            file: path.display().to_string(),
            message,
        })?;
        config.source = text;
        config.path = path.display().to_string();
        Ok(config)
    }

    /// Problems a parsed config has beyond its syntax (unknown theme); key
    /// bindings are checked by the TUI's keymap, which knows the commands.
    pub fn problems(&self, text: &str) -> Vec<ConfigProblem> {
        let mut out = Vec::new();
        if let Some(theme) = &self.theme
            && !THEMES.contains(&theme.get_ref().as_str())
        {
            out.push(ConfigProblem {
                line: line_of(text, theme.span().start),
                message: format!(
                    "unknown theme \"{}\" (known: {})",
                    theme.get_ref(),
                    THEMES.join(", ")
                ),
            });
        }
        out
    }

    /// Parses config text; the error names the line.
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            match line {
                Some(l) => format!("line {l}: {}", e.message()),
                None => e.message().to_string(),
            }
        })
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "tdesk")
}

/// `~/.config/tdesk/config.toml` on Linux.
pub fn config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// `~/.local/share/tdesk/desk.db` on Linux: the solo seller's desk.
pub fn default_db_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().join("desk.db"))
}

/// Where `tdesk --demo` keeps its demo desk.
pub fn demo_db_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().join("demo.db"))
}

/// The system-wide config: a team server names its desk here, so members
/// just type `tdesk`.
pub const SYSTEM_CONFIG: &str = "/etc/tdesk/config.toml";

/// Which database to open: flag, then `TDESK_DB`, then the user's config,
/// then the system config, then the default. The boolean says whether the
/// path was chosen explicitly (it must then exist).
pub fn choose_db(
    flag: Option<&Path>,
    env: Option<PathBuf>,
    config: &Config,
    system: Option<PathBuf>,
) -> Option<(PathBuf, bool)> {
    flag.map(Path::to_path_buf)
        .or(env.filter(|p| !p.as_os_str().is_empty()))
        .or_else(|| config.db.clone())
        .or(system)
        .map(|p| (p, true))
        .or_else(|| default_db_path().map(|p| (p, false)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever a config file holds, parsing and checking it answers
        /// without panicking, and an error names a line inside the file.
        #[test]
        fn arbitrary_config_text_is_answered_never_panics(
            src in "(\\PC|\n|\\[|\\]|=|\"|keys|theme|editor|lang){0,120}"
        ) {
            match Config::parse(&src) {
                Ok(config) => {
                    for problem in config.problems(&src) {
                        prop_assert!(problem.line >= 1);
                    }
                }
                Err(message) => {
                    if let Some(rest) = message.strip_prefix("line ") {
                        let line: usize = rest
                            .split(':')
                            .next()
                            .and_then(|n| n.parse().ok())
                            .expect("a line number");
                        prop_assert!(line >= 1 && line <= src.lines().count().max(1) + 1);
                    }
                }
            }
        }
    }

    #[test]
    fn config_parses_known_keys_and_names_bad_lines() {
        let c = Config::parse("lang = \"zh-CN\"\nascii_borders = true\n").expect("valid");
        assert_eq!(c.lang.as_deref(), Some("zh-CN"));
        assert!(c.ascii_borders);
        let err = Config::parse("lang = \"en\"\ncolour = 3\n").expect_err("unknown key");
        assert!(err.starts_with("line 2"), "{err}");
    }

    #[test]
    fn db_choice_prefers_flag_then_env_then_config() {
        let cfg = Config {
            db: Some("/cfg.db".into()),
            ..Config::default()
        };
        let pick = |flag: Option<&str>, env: Option<&str>| {
            choose_db(flag.map(Path::new), env.map(PathBuf::from), &cfg, None)
        };
        assert_eq!(
            pick(Some("/f.db"), Some("/e.db")),
            Some(("/f.db".into(), true))
        );
        assert_eq!(pick(None, Some("/e.db")), Some(("/e.db".into(), true)));
        assert_eq!(pick(None, Some("")), Some(("/cfg.db".into(), true)));
        assert_eq!(pick(None, None), Some(("/cfg.db".into(), true)));
        let none = Config::default();
        let (_, explicit) = choose_db(None, None, &none, None).expect("a default path");
        assert!(!explicit);
        // The system config names the desk when the user's does not.
        let team = Some(PathBuf::from("/srv/desk"));
        assert_eq!(
            choose_db(None, None, &none, team.clone()),
            Some(("/srv/desk".into(), true))
        );
        assert_eq!(
            choose_db(None, None, &cfg, team),
            Some(("/cfg.db".into(), true))
        );
    }
}
