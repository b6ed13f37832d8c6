//! Drives the real app, runner and views without a terminal: key presses in,
//! rendered text out. Used by the snapshot and behaviour tests.

use chrono::{DateTime, Offset, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::action::Action;
use super::app::{App, AppInit};
use super::keymap::Keymap;
use super::runner::Runner;
use super::theme::Theme;
use super::view;
use crate::error::Result;
use crate::i18n::Catalog;
use crate::service::Desk;

/// An app wired to a desk, rendering into a test buffer.
pub struct Harness {
    pub desk: Desk,
    pub app: App,
    runner: Runner,
    terminal: Terminal<TestBackend>,
}

impl Harness {
    /// Starts the app on `desk` at `size`, in UTC, with everything loaded.
    pub fn new(desk: Desk, cat: Catalog, size: (u16, u16), now: DateTime<Utc>) -> Result<Self> {
        let init = Self::init(&desk, cat, size, now)?;
        Self::start(desk, init, Runner::default())
    }

    /// Like [`Harness::new`], with counts, boards and searches on a worker
    /// thread as in the real TUI (for a desk on disk); see [`Harness::settle`].
    pub fn with_worker(
        desk: Desk,
        cat: Catalog,
        size: (u16, u16),
        now: DateTime<Utc>,
    ) -> Result<Self> {
        let init = Self::init(&desk, cat, size, now)?;
        let clock = std::sync::Arc::new(crate::service::SystemClock);
        let worker = super::worker::Worker::spawn(&desk, clock.clone())?;
        let lists = super::worker::Worker::spawn(&desk, clock.clone())?;
        let details = super::worker::Worker::spawn(&desk, clock.clone())?;
        Self::start(
            desk,
            init,
            Runner::new(worker, lists, details).with_reports(clock),
        )
    }

    fn init(desk: &Desk, cat: Catalog, size: (u16, u16), now: DateTime<Utc>) -> Result<AppInit> {
        Ok(AppInit {
            cat,
            workflow: desk.workflow().clone(),
            automations: desk.automation_labels(),
            me: desk.me()?,
            theme: Theme::monochrome(),
            keymap: Keymap::default(),
            now,
            tz: Utc.fix(),
            size,
        })
    }

    fn start(mut desk: Desk, init: AppInit, mut runner: Runner) -> Result<Self> {
        let size = init.size;
        let (mut app, effects) = App::new(init);
        runner.settle(&mut desk, &mut app, effects);
        let terminal = Terminal::new(TestBackend::new(size.0, size.1))
            .map_err(|e| crate::Error::Terminal(e.to_string()))?;
        Ok(Self {
            desk,
            app,
            runner,
            terminal,
        })
    }

    /// Feeds one action and runs what it causes.
    pub fn act(&mut self, action: Action) {
        let effects = self.app.update(action);
        self.runner.settle(&mut self.desk, &mut self.app, effects);
    }

    /// Presses keys written as in the keymap, separated by spaces (`j j enter`),
    /// or types text when prefixed with `type:` (`type:退款`).
    pub fn press(&mut self, keys: &str) {
        if let Some(text) = keys.strip_prefix("type:") {
            for c in text.chars() {
                self.act(Action::Key(KeyEvent::new(
                    KeyCode::Char(c),
                    KeyModifiers::NONE,
                )));
            }
            return;
        }
        for k in keys.split_whitespace() {
            if let Some(key) = super::keymap::Key::parse(k) {
                let mods = match key.code {
                    KeyCode::Char(c) if c.is_ascii_uppercase() || "<>?:*".contains(c) => {
                        key.mods | KeyModifiers::SHIFT
                    }
                    _ => key.mods,
                };
                self.act(Action::Key(KeyEvent::new(key.code, mods)));
            }
        }
    }

    /// Resizes the screen.
    pub fn resize(&mut self, w: u16, h: u16) {
        self.terminal.backend_mut().resize(w, h);
        self.act(Action::Resize(w, h));
    }

    /// Applies whatever the worker has finished; returns whether it still owes results.
    pub fn drain(&mut self) -> bool {
        self.runner.drain(&mut self.desk, &mut self.app);
        self.runner.busy()
    }

    /// Waits until the worker has answered everything asked of it (at
    /// most 10 s: a result that never comes fails the test, not hangs it).
    pub fn settle(&mut self) {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while self.drain() && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    /// Draws a frame without reading it back (what a terminal frame costs).
    pub fn draw(&mut self) {
        let app = &self.app;
        let _ = self.terminal.draw(|f| view::draw(f, app));
    }

    /// Draws and returns the screen as text, one line per row.
    pub fn render(&mut self) -> String {
        let app = &self.app;
        let _ = self.terminal.draw(|f| view::draw(f, app));
        let buffer = self.terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..buffer.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                line.push_str(symbol);
                skip = crate::text::width(symbol).saturating_sub(1);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}
