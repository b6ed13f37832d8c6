//! Colours and borders. The monochrome theme (chosen when `NO_COLOR` is set)
//! uses only bold, dim, underline and reverse, so everything still reads.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use crate::domain::Priority;

/// ASCII borders for terminals that draw box-drawing characters double-width.
pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

#[derive(Debug, Clone)]
pub struct Theme {
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub selected: Style,
    pub border: Style,
    pub border_focus: Style,
    pub error: Style,
    pub ok: Style,
    pub key: Style,
    pub internal: Style,
    pub heading: Style,
    /// Search matches inside text.
    pub matched: Style,
    priority: [Style; 4],
    pub borders: border::Set<'static>,
}

impl Theme {
    /// Monochrome when `no_color`, the default dark theme otherwise.
    pub fn pick(no_color: bool, name: Option<&str>, ascii: bool) -> Self {
        let mut theme = match (no_color, name) {
            (true, _) | (false, Some("mono")) => Self::monochrome(),
            (false, Some("light")) => Self::light(),
            _ => Self::dark(),
        };
        if ascii {
            theme.borders = ASCII_BORDER;
        }
        theme
    }

    pub fn dark() -> Self {
        Self {
            text: Style::default(),
            dim: Style::default().fg(Color::DarkGray),
            title: Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            tab: Style::default().fg(Color::Gray),
            tab_active: Style::default()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            selected: Style::default()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            border: Style::default().fg(Color::DarkGray),
            border_focus: Style::default().fg(Color::Cyan),
            error: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            ok: Style::default().fg(Color::Green),
            key: Style::default().fg(Color::Yellow),
            internal: Style::default().fg(Color::Magenta),
            heading: Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            matched: Style::default()
                .fg(Color::LightYellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            priority: [
                Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
                Style::default().fg(Color::LightRed),
                Style::default().fg(Color::Yellow),
                Style::default().fg(Color::Gray),
            ],
            borders: border::PLAIN,
        }
    }

    /// For terminals with a light background.
    pub fn light() -> Self {
        Self {
            text: Style::default(),
            dim: Style::default().fg(Color::DarkGray),
            title: Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            tab: Style::default().fg(Color::DarkGray),
            tab_active: Style::default()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            selected: Style::default()
                .bg(Color::LightBlue)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD),
            border: Style::default().fg(Color::DarkGray),
            border_focus: Style::default().fg(Color::Blue),
            error: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            ok: Style::default().fg(Color::Green),
            key: Style::default().fg(Color::Magenta),
            internal: Style::default().fg(Color::Magenta),
            heading: Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            matched: Style::default()
                .fg(Color::Magenta)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            priority: [
                Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
                Style::default().fg(Color::Red),
                Style::default().fg(Color::Yellow),
                Style::default().fg(Color::DarkGray),
            ],
            borders: border::PLAIN,
        }
    }

    pub fn monochrome() -> Self {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        Self {
            text: Style::default(),
            dim: Style::default().add_modifier(Modifier::DIM),
            title: bold,
            tab: Style::default(),
            tab_active: Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected: Style::default().add_modifier(Modifier::REVERSED),
            border: Style::default(),
            border_focus: bold,
            error: bold,
            ok: Style::default(),
            key: Style::default().add_modifier(Modifier::UNDERLINED),
            internal: Style::default().add_modifier(Modifier::ITALIC),
            heading: bold.add_modifier(Modifier::UNDERLINED),
            matched: bold.add_modifier(Modifier::UNDERLINED),
            priority: [bold, bold, Style::default(), Style::default()],
            borders: border::PLAIN,
        }
    }

    pub fn priority(&self, p: Priority) -> Style {
        self.priority[usize::try_from(p.rank()).unwrap_or(3).min(3)]
    }
}
