//! The terminal UI: list, kanban and detail panes over the desk.
//!
//! Shape: [`app::App`] holds all state and changes only in `update`, which
//! returns [`action::Effect`]s; [`runner`] executes them through the service
//! and feeds results back; [`view`] draws the state. The event loop here is
//! synchronous: poll for input with a timeout, update, draw.

pub mod action;
pub mod app;

pub mod harness;
pub mod keymap;
pub mod layout;
mod quiet;
pub mod runner;
pub mod terminal;
pub mod theme;
pub mod trace;
pub mod view;
pub mod worker;

use chrono::{Local, Offset, Utc};
use crossterm::event::{self, Event, KeyEventKind};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::service::Desk;
use crate::session::Session;
use action::{Action, Effect};
use app::{App, AppInit};
use keymap::Keymap;
use terminal::TerminalGuard;
use theme::Theme;

/// How long the loop waits for input before a tick (ages, signals).
const POLL: Duration = Duration::from_millis(250);
/// The same with a worker thread whose results should show promptly.
const WORKER_POLL: Duration = Duration::from_millis(15);
/// How often the desk is asked whether someone else changed it.
const LIVE_POLL: Duration = Duration::from_millis(500);
/// How often new notices are handed to the notify hook, when there is one.
const HOOK_EVERY: Duration = Duration::from_secs(10);
/// How often an open TUI pipes due replies to the mail command.
const MAIL_EVERY: Duration = Duration::from_secs(15);
/// How often an open TUI takes the SLA escalation steps that are due.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Whether the user asked for no colour (<https://no-color.org>).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Maps a terminal event to an action; key releases and focus changes are dropped.
fn to_action(ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Action::Key(k)),
        Event::Mouse(m) => Some(Action::Mouse(m)),
        Event::Paste(p) => Some(Action::Paste(p)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

/// Notices other agents' writes: asks the desk's data version at most every
/// [`LIVE_POLL`]. Our own writes go through the same connection and do not
/// count (they reload what they change themselves).
struct LiveCheck {
    version: Option<i64>,
    last: std::time::Instant,
}

impl LiveCheck {
    fn new(desk: &Desk) -> Self {
        Self {
            version: desk.data_version().ok(),
            last: std::time::Instant::now(),
        }
    }

    fn changed(&mut self, desk: &Desk, now: std::time::Instant) -> bool {
        if now.duration_since(self.last) < LIVE_POLL {
            return false;
        }
        self.last = now;
        let version = desk.data_version().ok();
        let changed = version.is_some() && self.version.is_some() && version != self.version;
        self.version = version;
        changed
    }
}

/// What the desk keeps of a member who leaves, however they leave (quit,
/// a signal, a hung-up terminal): the reply being typed, as a draft.
fn leave(desk: &mut Desk, app: &App) {
    if let Some((id, internal, text)) = app.open_draft() {
        let _ = desk.save_draft(id, internal, &text);
    }
    // Gone from every ticket at once, not when the beat expires.
    let _ = desk.heartbeat(None, false);
}

/// Runs the TUI until the user quits.
pub fn run(mut desk: Desk, s: &Session) -> Result<()> {
    let me = desk.me()?;
    // Bad key bindings do not keep anyone out: defaults, and a note on screen.
    let keymap = Keymap::with_config(&s.config.keys, &s.config.source);
    let mut guard = TerminalGuard::enter()?;
    let size = guard
        .terminal
        .size()
        .map_err(|e| Error::Terminal(e.to_string()))?;
    let now = Utc::now();
    let init = AppInit {
        cat: s.cat.clone(),
        workflow: desk.workflow().clone(),
        automations: desk.automation_labels(),
        me,
        theme: Theme::pick(
            no_color(),
            s.config.theme.as_ref().map(|t| t.get_ref().as_str()),
            s.config.ascii_borders,
        ),
        keymap: keymap.clone().unwrap_or_default(),
        now,
        tz: Local::now().offset().fix(),
        size: (size.width, size.height),
    };
    let (mut app, effects) = App::new(init);
    if let Err(problems) = &keymap
        && let Some(p) = problems.first()
    {
        app.status = Some(app::Status {
            text: s.cat.f(
                "tui.bad_keys",
                &[
                    ("file", &s.config.path),
                    ("line", &p.line),
                    ("problem", &p.message),
                ],
            ),
            error: true,
        });
    }
    // Counts and the board come from a second connection on a worker thread,
    // list pages from a third and the detail pane's ticket from a fourth,
    // so typing never waits on any of them.
    let worker = worker::Worker::spawn(&desk, s.clock.clone())?;
    let lists = worker::Worker::spawn(&desk, s.clock.clone())?;
    let details = worker::Worker::spawn(&desk, s.clock.clone())?;
    // The first page is read in line, so the first frame is a full one; the
    // detail beside it arrives from its lane.
    let mut runner = runner::Runner::new(worker, None, details).with_reports(s.clock.clone());
    runner.settle(&mut desk, &mut app, effects);
    runner.set_lists(lists);
    let mut trace = trace::Trace::from_env();
    let mut live = LiveCheck::new(&desk);
    let mut hook_due = std::time::Instant::now();
    // Not at once: opening the desk should not start with a burst of writes.
    let mut sweep_due = std::time::Instant::now() + SWEEP_EVERY;
    let mut mail_due = std::time::Instant::now() + MAIL_EVERY;
    // Drawn after a key; otherwise only when the screen would change.
    let mut quiet = quiet::Quiet::new()?;
    let mut draw_next = true;
    loop {
        if draw_next || quiet.would_change(&app)? {
            let frame = guard
                .terminal
                .draw(|f| view::draw(f, &app))
                .map_err(|e| Error::Terminal(e.to_string()))?;
            quiet.shown(frame.buffer);
            trace.frame(
                app.list.loaded,
                trace::Waiting {
                    list: app.list.waiting(),
                    detail: app.detail_waiting(),
                    dashboard: app.dashboard_waiting(),
                },
            );
        }
        draw_next = false;
        if app.quit || terminal::stop_requested() {
            trace.finish();
            leave(&mut desk, &app);
            return Ok(());
        }
        // While the worker may answer, look for its results often.
        let timeout = if runner.busy() { WORKER_POLL } else { POLL };
        let ready = match terminal::wait_for_input(timeout)? {
            terminal::Input::Gone => {
                leave(&mut desk, &app);
                return Ok(());
            }
            terminal::Input::Ready => true,
            terminal::Input::Timeout => false,
        };
        let arrived = std::time::Instant::now();
        // Another agent's change and a worker's answer are drawn when they
        // change the screen (the off-screen comparison above): a heartbeat
        // or a reload that shows the same sends nothing.
        if live.changed(&desk, arrived) {
            let effects = app.update(Action::DeskChanged);
            runner.settle(&mut desk, &mut app, effects);
        }
        // Escalations are swept on the worker too; the database makes each
        // step fire once whoever sweeps.
        if arrived >= sweep_due {
            sweep_due = arrived + SWEEP_EVERY;
            runner.settle(
                &mut desk,
                &mut app,
                vec![Effect::Background(action::Job::Sweep)],
            );
        }
        // Replies go out from the mail sender's open desk (each letter is
        // claimed, so never twice), on the worker: a slow mail server holds
        // up no key. Anyone else's desk only queues them.
        if arrived >= mail_due {
            mail_due = arrived + MAIL_EVERY;
            runner.settle(
                &mut desk,
                &mut app,
                vec![Effect::Background(action::Job::SendMail(s.mail_commands()))],
            );
        }
        // The hook runs on the worker: a slow one never holds up a key.
        if let Some(command) = &s.config.notify_hook
            && arrived >= hook_due
        {
            hook_due = arrived + HOOK_EVERY;
            let job = action::Job::Deliver {
                command: command.clone(),
                cat: s.cat.clone(),
            };
            runner.settle(&mut desk, &mut app, vec![Effect::Background(job)]);
        }
        if runner.drain(&mut desk, &mut app) && !ready {
            continue;
        }
        let action = if ready {
            match to_action(event::read().map_err(|e| Error::Terminal(e.to_string()))?) {
                Some(a) => {
                    draw_next = true;
                    a
                }
                None => continue,
            }
        } else {
            Action::Tick(Utc::now())
        };
        trace.input(&action, arrived);
        let mut effects = app.update(action);
        if effects.iter().any(|e| matches!(e, Effect::Suspend)) {
            guard.suspend()?;
            quiet.forget();
        }
        // The editor gets the terminal; its result comes back as an action.
        if let Some(i) = effects
            .iter()
            .position(|e| matches!(e, Effect::Editor { .. }))
            && let Effect::Editor { text } = effects.remove(i)
        {
            guard.pause();
            let result = run_editor(&text, s);
            guard.resume()?;
            quiet.forget();
            effects.extend(app.update(result));
        }
        runner.settle(&mut desk, &mut app, effects);
        // An answer may ask for the editor too (a drafted article).
        while let Some(text) = runner.take_editor() {
            guard.pause();
            let result = run_editor(&text, s);
            guard.resume()?;
            quiet.forget();
            let effects = app.update(result);
            runner.settle(&mut desk, &mut app, effects);
        }
    }
}

/// Edits `text` in the member's editor; the outcome as an action.
fn run_editor(text: &str, s: &Session) -> Action {
    let command = crate::editor::editor_command(s.config.editor.as_deref());
    match crate::editor::edit(text, &command) {
        Ok(text) => Action::EditorDone(text),
        Err(e) => Action::Failed(e),
    }
}
