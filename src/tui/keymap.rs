//! Key bindings as data: which key means which [`Command`] in which pane.
//! Bindings are written as strings (`ctrl+d`, `shift+tab`, `<`) so a config
//! file can name them.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{COMMAND_NAMES, Command};
use super::app::Pane;
use crate::config::{ConfigProblem, KeyList, KeyListOrPane, KeysConfig, line_of};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Pane(Pane),
}

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    /// Parses `j`, `G`, `ctrl+d`, `shift+tab`, `enter`, `esc`, `pagedown`, `f5`, `<`, `space`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl+") {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt+") {
                mods |= KeyModifiers::ALT;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("shift+").filter(|r| !r.is_empty()) {
                mods |= KeyModifiers::SHIFT;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if mods.contains(KeyModifiers::SHIFT) => {
                mods -= KeyModifiers::SHIFT;
                KeyCode::BackTab
            }
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(c)
            }
        };
        Some(Self { code, mods })
    }

    /// Whether a key event is this key. Shift is implied by the character
    /// itself (`G`, `<`), so it is ignored for character keys.
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let mut mods = ev.modifiers;
        if matches!(ev.code, KeyCode::Char(_)) {
            mods -= KeyModifiers::SHIFT;
        }
        let code = match ev.code {
            KeyCode::Char(c) if ev.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        code == self.code && mods == self.mods
    }

    /// How the key is written in a config file (`ctrl+d`, `G`, `space`).
    pub fn spec(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("ctrl+");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("alt+");
        }
        out.push_str(&match self.code {
            KeyCode::Char(' ') => "space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "enter".into(),
            KeyCode::Esc => "esc".into(),
            KeyCode::Tab => "tab".into(),
            KeyCode::BackTab => "shift+tab".into(),
            KeyCode::Up => "up".into(),
            KeyCode::Down => "down".into(),
            KeyCode::Left => "left".into(),
            KeyCode::Right => "right".into(),
            KeyCode::PageUp => "pageup".into(),
            KeyCode::PageDown => "pagedown".into(),
            KeyCode::Home => "home".into(),
            KeyCode::End => "end".into(),
            KeyCode::Backspace => "backspace".into(),
            KeyCode::Delete => "delete".into(),
            KeyCode::F(n) => format!("f{n}"),
            other => format!("{other:?}").to_lowercase(),
        });
        out
    }

    /// How the key is shown in hints and help.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl+");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt+");
        }
        out.push_str(&match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift+Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        });
        out
    }
}

/// The default bindings: (scope, key, command). Pane bindings win over global ones.
const DEFAULTS: &[(Scope, &str, Command)] = &[
    (Scope::Global, "q", Command::Quit),
    (Scope::Global, "ctrl+c", Command::Quit),
    (Scope::Global, "esc", Command::Back),
    (Scope::Global, "tab", Command::NextPane),
    (Scope::Global, "1", Command::ShowList),
    (Scope::Global, "2", Command::ShowBoard),
    (Scope::Global, "3", Command::ShowDetail),
    (Scope::Global, "4", Command::ShowKb),
    (Scope::Global, "5", Command::ShowDashboard),
    (Scope::Global, "6", Command::ShowTimeline),
    (Scope::Global, "7", Command::ShowWork),
    (Scope::Pane(Pane::Timeline), "<", Command::DueEarlier),
    (Scope::Pane(Pane::Timeline), ">", Command::DueLater),
    (Scope::Pane(Pane::Timeline), "H", Command::DueEarlierWeek),
    (Scope::Pane(Pane::Timeline), "L", Command::DueLaterWeek),
    (Scope::Pane(Pane::Timeline), "z", Command::Zoom),
    (Scope::Pane(Pane::Timeline), "T", Command::ToggleTimer),
    (Scope::Pane(Pane::Work), "S", Command::ToggleStep),
    (Scope::Pane(Pane::Work), "x", Command::ToggleStep),
    (Scope::Pane(Pane::Dashboard), "[", Command::PeriodBack),
    (Scope::Pane(Pane::Dashboard), "]", Command::PeriodForward),
    (Scope::Pane(Pane::Dashboard), "p", Command::PeriodLength),
    (Scope::Global, "j", Command::Down),
    (Scope::Global, "down", Command::Down),
    (Scope::Global, "k", Command::Up),
    (Scope::Global, "up", Command::Up),
    (Scope::Global, "h", Command::Left),
    (Scope::Global, "left", Command::Left),
    (Scope::Global, "l", Command::Right),
    (Scope::Global, "right", Command::Right),
    (Scope::Global, "pageup", Command::PageUp),
    (Scope::Global, "ctrl+u", Command::PageUp),
    (Scope::Global, "pagedown", Command::PageDown),
    (Scope::Global, "ctrl+d", Command::PageDown),
    (Scope::Global, "g", Command::Top),
    (Scope::Global, "home", Command::Top),
    (Scope::Global, "G", Command::Bottom),
    (Scope::Global, "end", Command::Bottom),
    (Scope::Global, "enter", Command::Open),
    (Scope::Global, "/", Command::Filter),
    (Scope::Global, "n", Command::NewTicket),
    (Scope::Global, "c", Command::Comment),
    (Scope::Global, "r", Command::Reply),
    (Scope::Global, "R", Command::CannedReply),
    (Scope::Global, "o", Command::Attachments),
    (Scope::Global, "a", Command::Assign),
    (Scope::Global, "m", Command::Move),
    (Scope::Global, "<", Command::MovePrev),
    (Scope::Global, "H", Command::MovePrev),
    (Scope::Global, ">", Command::MoveNext),
    (Scope::Global, "L", Command::MoveNext),
    (Scope::Global, "e", Command::Edit),
    (Scope::Global, "A", Command::Accept),
    (Scope::Global, "s", Command::SortNext),
    (Scope::Global, "S", Command::SortReverse),
    (Scope::Global, "ctrl+r", Command::Refresh),
    (Scope::Global, "f5", Command::Refresh),
    (Scope::Global, "?", Command::Help),
    (Scope::Global, "v", Command::Views),
    (Scope::Global, "=", Command::Group),
    (Scope::Global, "space", Command::ToggleSelect),
    (Scope::Global, "V", Command::RangeSelect),
    (Scope::Global, "*", Command::SelectAll),
    (Scope::Global, "+", Command::AddTag),
    (Scope::Global, "-", Command::RemoveTag),
    (Scope::Global, "p", Command::SetPriority),
    (Scope::Global, "u", Command::Undo),
    (Scope::Global, "U", Command::UndoList),
    (Scope::Global, "t", Command::Triage),
    (Scope::Global, ":", Command::Palette),
    (Scope::Global, "f", Command::Search),
    (Scope::Global, "ctrl+f", Command::Search),
    (Scope::Global, "i", Command::Inbox),
    (Scope::Global, "Q", Command::Queues),
    (Scope::Global, "C", Command::Customer),
    (Scope::Global, "M", Command::Merge),
    (Scope::Global, "w", Command::Watch),
    (Scope::Global, "I", Command::InsertArticle),
    (Scope::Global, "K", Command::DraftArticle),
    (Scope::Pane(Pane::Triage), "t", Command::Take),
    (Scope::Pane(Pane::Triage), "enter", Command::Take),
    (Scope::Pane(Pane::Triage), "0", Command::Priority0),
    (Scope::Pane(Pane::Triage), "1", Command::Priority1),
    (Scope::Pane(Pane::Triage), "2", Command::Priority2),
    (Scope::Pane(Pane::Triage), "3", Command::Priority3),
    (Scope::Pane(Pane::Triage), "y", Command::CycleType),
    (Scope::Pane(Pane::Triage), "g", Command::SetCategory),
    (Scope::Pane(Pane::Triage), "x", Command::Spam),
    (Scope::Pane(Pane::Triage), "n", Command::Skip),
    (Scope::Pane(Pane::Triage), "j", Command::Skip),
    (Scope::Pane(Pane::Triage), "down", Command::Skip),
    (Scope::Pane(Pane::Triage), "space", Command::Skip),
    (Scope::Pane(Pane::Triage), "k", Command::Previous),
    (Scope::Pane(Pane::Triage), "up", Command::Previous),
    (Scope::Pane(Pane::Detail), "s", Command::AddStep),
    (Scope::Pane(Pane::Detail), "S", Command::ToggleStep),
    (Scope::Pane(Pane::Detail), "T", Command::ToggleTimer),
    (Scope::Global, "ctrl+z", Command::Suspend),
];

/// The bindings in effect.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Scope, Key, Command)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULTS
            .iter()
            .filter_map(|(scope, key, cmd)| Key::parse(key).map(|k| (*scope, k, *cmd)))
            .collect();
        Self { bindings }
    }
}

/// A pane's name in `[keys.<pane>]`.
fn pane_named(name: &str) -> Option<Pane> {
    match name {
        "list" => Some(Pane::List),
        "board" => Some(Pane::Board),
        "detail" => Some(Pane::Detail),
        "triage" => Some(Pane::Triage),
        "kb" => Some(Pane::Kb),
        "dashboard" => Some(Pane::Dashboard),
        "timeline" => Some(Pane::Timeline),
        "work" => Some(Pane::Work),
        _ => None,
    }
}

fn scope_name(scope: Scope) -> Option<&'static str> {
    match scope {
        Scope::Global => None,
        Scope::Pane(Pane::List) => Some("list"),
        Scope::Pane(Pane::Board) => Some("board"),
        Scope::Pane(Pane::Detail) => Some("detail"),
        Scope::Pane(Pane::Triage) => Some("triage"),
        Scope::Pane(Pane::Kb) => Some("kb"),
        Scope::Pane(Pane::Dashboard) => Some("dashboard"),
        Scope::Pane(Pane::Timeline) => Some("timeline"),
        Scope::Pane(Pane::Work) => Some("work"),
    }
}

impl Keymap {
    /// The defaults with the config's `[keys]` applied: a command named there
    /// gets exactly the keys given, in that scope. Every problem is reported
    /// with its line; the keymap is only built when there are none.
    pub fn with_config(keys: &KeysConfig, text: &str) -> Result<Self, Vec<ConfigProblem>> {
        let mut map = Self::default();
        let mut problems = Vec::new();
        let apply = |map: &mut Self,
                     problems: &mut Vec<ConfigProblem>,
                     scope: Scope,
                     name: &str,
                     list: &KeyList,
                     at: usize| {
            let line = line_of(text, at);
            let Some(cmd) = Command::parse(name) else {
                problems.push(ConfigProblem {
                    line,
                    message: format!("unknown command \"{name}\""),
                });
                return;
            };
            let mut parsed = Vec::new();
            for k in list.keys() {
                match Key::parse(k) {
                    Some(key) => parsed.push(key),
                    None => problems.push(ConfigProblem {
                        line,
                        message: format!("\"{k}\" is not a key (e.g. j, ctrl+d, shift+tab, f5)"),
                    }),
                }
            }
            map.bindings.retain(|(s, _, c)| !(*s == scope && *c == cmd));
            // A key now bound here means only the new command in this scope.
            map.bindings
                .retain(|(s, k, _)| !(*s == scope && parsed.contains(k)));
            map.bindings
                .extend(parsed.into_iter().map(|k| (scope, k, cmd)));
        };
        for (name, value) in keys {
            match value.get_ref() {
                KeyListOrPane::Keys(list) => apply(
                    &mut map,
                    &mut problems,
                    Scope::Global,
                    name,
                    list,
                    value.span().start,
                ),
                KeyListOrPane::Pane(table) => match pane_named(name) {
                    Some(pane) => {
                        // Entries of a pane table carry no span of their own: find each name's line.
                        let start = value.span().start;
                        for (cmd, list) in table {
                            let at = text[start..]
                                .find(&format!("\n{cmd}"))
                                .map(|i| start + i + 1)
                                .unwrap_or(start);
                            apply(&mut map, &mut problems, Scope::Pane(pane), cmd, list, at);
                        }
                    }
                    None => problems.push(ConfigProblem {
                        line: line_of(text, value.span().start),
                        message: format!(
                            "unknown pane \"{name}\" (known: list, board, detail, triage)"
                        ),
                    }),
                },
            }
        }
        if problems.is_empty() {
            Ok(map)
        } else {
            Err(problems)
        }
    }

    /// The bindings in effect as a `[keys]` table, for `tdesk config show`.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for scope in [
            Scope::Global,
            Scope::Pane(Pane::List),
            Scope::Pane(Pane::Board),
            Scope::Pane(Pane::Detail),
            Scope::Pane(Pane::Triage),
        ] {
            let rows: Vec<(Command, Vec<String>)> = COMMAND_NAMES
                .iter()
                .map(|(cmd, _)| {
                    let keys: Vec<String> = self
                        .bindings
                        .iter()
                        .filter(|(s, _, c)| *s == scope && c == cmd)
                        .map(|(_, k, _)| k.spec())
                        .collect();
                    (*cmd, keys)
                })
                .filter(|(_, keys)| !keys.is_empty())
                .collect();
            if rows.is_empty() {
                continue;
            }
            out.push_str(&match scope_name(scope) {
                None => "[keys]\n".to_string(),
                Some(p) => format!("\n[keys.{p}]\n"),
            });
            for (cmd, keys) in rows {
                let list: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
                out.push_str(&format!("{} = [{}]\n", cmd.name(), list.join(", ")));
            }
        }
        out
    }

    /// The command a key means in `pane`.
    pub fn lookup(&self, pane: Pane, ev: &KeyEvent) -> Option<Command> {
        let find = |scope: Scope| {
            self.bindings
                .iter()
                .find(|(s, k, _)| *s == scope && k.matches(ev))
                .map(|(_, _, c)| *c)
        };
        find(Scope::Pane(pane)).or_else(|| find(Scope::Global))
    }

    /// The keys bound to `cmd` in `pane`, in binding order, as shown to users
    /// (pane bindings first; a global key the pane rebinds is left out).
    pub fn keys_for(&self, pane: Pane, cmd: Command) -> Vec<String> {
        let in_pane = |k: &Key| {
            self.bindings
                .iter()
                .any(|(s, bk, _)| *s == Scope::Pane(pane) && bk == k)
        };
        let mut keys: Vec<String> = self
            .bindings
            .iter()
            .filter(|(s, _, c)| *c == cmd && *s == Scope::Pane(pane))
            .map(|(_, k, _)| k.label())
            .collect();
        keys.extend(
            self.bindings
                .iter()
                .filter(|(s, k, c)| *c == cmd && *s == Scope::Global && !in_pane(k))
                .map(|(_, k, _)| k.label()),
        );
        keys
    }

    /// The first key bound to `cmd`, for one-line hints.
    pub fn first_key(&self, pane: Pane, cmd: Command) -> String {
        self.keys_for(pane, cmd)
            .into_iter()
            .next()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn every_default_binding_parses() {
        assert_eq!(Keymap::default().bindings.len(), DEFAULTS.len());
    }

    #[test]
    fn keys_parse_with_modifiers() {
        assert_eq!(
            Key::parse("ctrl+d"),
            Some(Key {
                code: KeyCode::Char('d'),
                mods: KeyModifiers::CONTROL
            })
        );
        assert_eq!(
            Key::parse("shift+tab"),
            Some(Key {
                code: KeyCode::BackTab,
                mods: KeyModifiers::NONE
            })
        );
        assert_eq!(Key::parse("f5").map(|k| k.code), Some(KeyCode::F(5)));
        assert_eq!(Key::parse("<").map(|k| k.code), Some(KeyCode::Char('<')));
        assert_eq!(Key::parse("nope"), None);
    }

    #[test]
    fn config_rebinds_commands_and_reports_bad_lines() {
        let text = "[keys]\nquit = \"ctrl+q\"\nmove_next = [\">\", \"ctrl+l\"]\n[keys.triage]\nskip = \"s\"\n";
        let cfg: crate::config::Config = toml::from_str(text).expect("config");
        let km = Keymap::with_config(&cfg.keys, text).expect("valid");
        assert_eq!(
            km.lookup(Pane::List, &ev(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            Some(Command::Quit)
        );
        assert_eq!(
            km.lookup(Pane::List, &ev(KeyCode::Char('q'), KeyModifiers::NONE)),
            None,
            "q is no longer quit"
        );
        assert_eq!(
            km.lookup(Pane::Board, &ev(KeyCode::Char('l'), KeyModifiers::CONTROL)),
            Some(Command::MoveNext)
        );
        assert_eq!(
            km.lookup(Pane::Triage, &ev(KeyCode::Char('s'), KeyModifiers::NONE)),
            Some(Command::Skip)
        );
        assert!(
            km.to_toml().contains("quit = [\"ctrl+q\"]"),
            "{}",
            km.to_toml()
        );
        let bad =
            "[keys]\nquit = \"ctrl+q\"\nfly = \"f\"\nopen = \"ctrl+\"\n[keys.sidebar]\nx = \"y\"\n";
        let cfg: crate::config::Config = toml::from_str(bad).expect("parses as TOML");
        let problems = Keymap::with_config(&cfg.keys, bad).expect_err("problems");
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4, 5], "{problems:?}");
    }

    #[test]
    fn every_command_has_a_config_name_that_round_trips() {
        for (cmd, name) in COMMAND_NAMES {
            assert_eq!(Command::parse(name), Some(*cmd));
        }
        for (_, key, _) in &Keymap::default().bindings {
            assert_eq!(
                Key::parse(&key.spec()).as_ref(),
                Some(key),
                "{}",
                key.spec()
            );
        }
    }

    #[test]
    fn lookup_respects_case_and_modifiers() {
        let km = Keymap::default();
        assert_eq!(
            km.lookup(Pane::List, &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Command::Bottom)
        );
        assert_eq!(
            km.lookup(Pane::List, &ev(KeyCode::Char('g'), KeyModifiers::NONE)),
            Some(Command::Top)
        );
        assert_eq!(
            km.lookup(Pane::Board, &ev(KeyCode::Char('<'), KeyModifiers::SHIFT)),
            Some(Command::MovePrev)
        );
        assert_eq!(
            km.lookup(Pane::List, &ev(KeyCode::Char('d'), KeyModifiers::CONTROL)),
            Some(Command::PageDown)
        );
        assert_eq!(
            km.lookup(Pane::List, &ev(KeyCode::Char('x'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(km.keys_for(Pane::List, Command::Down), ["j", "↓"]);
        assert_eq!(km.first_key(Pane::List, Command::Filter), "/");
    }
}
