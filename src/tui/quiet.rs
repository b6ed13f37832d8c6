//! Drawing only when the screen changes: an idle desk sends nothing to the
//! terminal (over SSH, not a byte), where redrawing every tick sent cursor
//! and style sequences four times a second forever. After a key the frame
//! is drawn as always; otherwise — ticks, workers' answers, heartbeats,
//! other agents' changes — the view is drawn off-screen and compared with
//! what is shown, so what changes nothing on screen writes nothing.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use super::app::App;
use super::view;
use crate::error::{Error, Result};

/// What the terminal shows, and an off-screen terminal to compare against.
pub struct Quiet {
    probe: Terminal<TestBackend>,
    shown: Option<Buffer>,
}

impl Quiet {
    pub fn new() -> Result<Self> {
        let probe = Terminal::new(TestBackend::new(1, 1)).map_err(terminal)?;
        Ok(Self { probe, shown: None })
    }

    /// Remembers a frame that was drawn to the terminal.
    pub fn shown(&mut self, buffer: &Buffer) {
        self.shown = Some(buffer.clone());
    }

    /// Forgets what is shown: the next frame is drawn whatever it holds
    /// (the terminal was handed to an editor, or resized).
    pub fn forget(&mut self) {
        self.shown = None;
    }

    /// Whether `app` would draw something other than what is shown.
    pub fn would_change(&mut self, app: &App) -> Result<bool> {
        let Some(shown) = &self.shown else {
            return Ok(true);
        };
        let area = shown.area;
        if self.probe.backend().buffer().area != area {
            self.probe.backend_mut().resize(area.width, area.height);
            self.probe.resize(area).map_err(terminal)?;
        }
        let frame = self.probe.draw(|f| view::draw(f, app)).map_err(terminal)?;
        Ok(frame.buffer != shown)
    }
}

fn terminal(e: impl std::fmt::Display) -> Error {
    Error::Terminal(e.to_string())
}
