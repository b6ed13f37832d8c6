//! Terminal set-up and the guarantee to undo it: on normal exit (Drop), on
//! panic (hook), and on SIGTERM/SIGHUP/SIGINT (flag checked by the loop).

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{Stdout, stdout};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::error::{Error, Result};

/// Set by the signal handler; the event loop exits when it sees it.
static STOP: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// Whether a termination signal arrived.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::Relaxed)
}

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::Relaxed);
}

fn install_signal_handlers() {
    for sig in [libc::SIGTERM, libc::SIGHUP, libc::SIGINT] {
        // SAFETY: sigaction with a zeroed struct and a handler that only stores
        // to an atomic, which is async-signal-safe.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as *const () as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    }
}

/// What waiting for input found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// An event can be read without blocking.
    Ready,
    /// Nothing arrived before the timeout.
    Timeout,
    /// The terminal hung up (SSH dropped, window closed).
    Gone,
}

/// Polls the terminal's file descriptor (standard input when it is a
/// terminal) for readiness or hang-up. crossterm 0.29 reads a hung-up
/// terminal in an endless loop, so a hang-up must be seen before crossterm
/// is asked to read.
fn poll_tty(timeout: Duration) -> Input {
    // SAFETY: isatty and poll only inspect the descriptor; pollfd is plain data.
    unsafe {
        if libc::isatty(0) != 1 {
            return Input::Ready;
        }
        let mut fd = libc::pollfd {
            fd: 0,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
        let n = libc::poll(&mut fd, 1, ms);
        if n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            Input::Gone
        } else if n > 0 {
            Input::Ready
        } else {
            Input::Timeout
        }
    }
}

/// Waits up to `timeout` for a terminal event without ever letting crossterm
/// spin on a hung-up terminal.
pub fn wait_for_input(timeout: Duration) -> Result<Input> {
    if poll_tty(Duration::ZERO) == Input::Gone {
        return Ok(Input::Gone);
    }
    // Events crossterm has buffered, or a resize, come first.
    if crossterm::event::poll(Duration::ZERO).map_err(terminal_error)? {
        return Ok(Input::Ready);
    }
    match poll_tty(timeout) {
        Input::Gone => Ok(Input::Gone),
        Input::Ready => Ok(
            if crossterm::event::poll(Duration::ZERO).map_err(terminal_error)? {
                Input::Ready
            } else {
                Input::Timeout
            },
        ),
        Input::Timeout => Ok(Input::Timeout),
    }
}

/// Exits the process if a termination signal is not acted on within a
/// second (a read stuck inside the terminal library). SQLite rolls back any
/// unfinished transaction at the next open, so nothing is half-written.
fn start_watchdog() {
    let _ = std::thread::Builder::new()
        .name("tdesk-watchdog".into())
        .spawn(|| {
            loop {
                std::thread::sleep(Duration::from_millis(100));
                if stop_requested() {
                    std::thread::sleep(Duration::from_secs(1));
                    restore();
                    std::process::exit(129);
                }
            }
        });
}

/// Leaves raw mode, the alternate screen, mouse capture and paste mode.
/// Safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

fn terminal_error(e: std::io::Error) -> Error {
    Error::Terminal(e.to_string())
}

/// An entered terminal; dropping it restores the terminal.
pub struct TerminalGuard {
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalGuard {
    pub fn enter() -> Result<Self> {
        HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                restore();
                previous(info);
            }));
            install_signal_handlers();
            start_watchdog();
        });
        enable_raw_mode().map_err(terminal_error)?;
        let entered = execute!(
            stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        );
        if let Err(e) = entered {
            restore();
            return Err(terminal_error(e));
        }
        let terminal = Terminal::new(CrosstermBackend::new(stdout())).map_err(|e| {
            restore();
            terminal_error(e)
        })?;
        Ok(Self { terminal })
    }

    /// Hands the terminal back (to the shell or to an editor) until `resume`.
    pub fn pause(&mut self) {
        restore();
    }

    /// Takes the terminal again after `pause` and repaints from scratch.
    pub fn resume(&mut self) -> Result<()> {
        enable_raw_mode().map_err(terminal_error)?;
        execute!(
            stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        )
        .map_err(terminal_error)?;
        self.terminal.clear().map_err(terminal_error)
    }

    /// Hands the terminal back to the shell (Ctrl+Z), stops, and takes it again on `fg`.
    pub fn suspend(&mut self) -> Result<()> {
        self.pause();
        // SAFETY: raising SIGTSTP stops the process until SIGCONT; no memory is touched.
        unsafe {
            libc::raise(libc::SIGTSTP);
        }
        self.resume()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}
