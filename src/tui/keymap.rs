//! Key bindings as data: which key means which [`Command`] in which pane.
//! Bindings are written as strings (`ctrl+d`, `shift+tab`, `<`) so a config
//! file can name them.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Command;
use super::app::Pane;

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
    (Scope::Global, "ctrl+c", Command::Quit),
    (Scope::Global, "q", Command::Quit),
    (Scope::Global, "esc", Command::Back),
    (Scope::Global, "tab", Command::NextPane),
    (Scope::Global, "1", Command::ShowList),
    (Scope::Global, "2", Command::ShowBoard),
    (Scope::Global, "3", Command::ShowDetail),
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

impl Keymap {
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
