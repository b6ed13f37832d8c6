//! The notify hook: a command from the member's config, run once per
//! notification with one JSON object on standard input, so a team can pipe
//! notices to mail, a chat webhook or anything else. A hook that fails or
//! hangs is recorded on the notice and tried again later (see
//! [`Desk::hook_failed`]); it never blocks the TUI, which runs it on a
//! worker thread.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::domain::Notification;
use crate::error::Result;
use crate::i18n::Catalog;
use crate::present::notice_text;
use crate::service::Desk;

/// Longest a hook may run for one notice.
const HOOK_TIMEOUT: Duration = Duration::from_secs(10);
/// Notices handed over per run.
const BATCH: usize = 50;

/// What one delivery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
}

/// The JSON a hook reads.
#[derive(Serialize)]
struct Payload<'a> {
    #[serde(flatten)]
    notice: &'a Notification,
    login: &'a str,
    /// The notice as one line in the member's language.
    text: String,
}

/// Hands the member's pending notices to `command`, one run each.
pub fn deliver(desk: &mut Desk, command: &str, cat: &Catalog) -> Result<Delivery> {
    let mut done = Delivery::default();
    let login = desk.login().to_string();
    for n in desk.pending_hooks(BATCH)? {
        let payload = Payload {
            notice: &n,
            login: &login,
            text: notice_text(cat, &n),
        };
        let json = serde_json::to_string(&payload).unwrap_or_default();
        match run_piped(command, format!("{json}\n").as_bytes(), HOOK_TIMEOUT) {
            Ok(()) => {
                desk.hook_delivered(n.id)?;
                done.sent += 1;
            }
            Err(e) => {
                desk.hook_failed(n.id, &e)?;
                done.failed += 1;
            }
        }
    }
    Ok(done)
}

/// Runs `sh -c command` with `input` on stdin (in the member's own group
/// in enforced mode); the first line of its error output (or its exit
/// status) when it fails or outlasts `timeout`.
pub(crate) fn run_piped(
    command: &str,
    input: &[u8],
    timeout: Duration,
) -> std::result::Result<(), String> {
    // By absolute path: the caller's PATH does not pick the shell.
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    crate::privilege::drop_group_for(&mut cmd);
    let mut child = cmd.spawn().map_err(|e| e.to_string())?;
    if let Some(mut stdin) = child.stdin.take() {
        // Written on a thread: a command that never reads must not block
        // us past the timeout. One that does not read is not a failure.
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let started = Instant::now();
    loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) if status.success() => return Ok(()),
            Some(status) => {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut err);
                }
                let first = err.lines().next().unwrap_or("").trim().to_string();
                return Err(if first.is_empty() {
                    status.to_string()
                } else {
                    first
                });
            }
            None if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("no answer in {} s", timeout.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// Opens a copy of a file (`name`, `bytes`) with `xdg-open` (or `open` on
/// macOS), in the member's own group, detached: its output never reaches
/// the terminal, and a thread reaps it so an open TUI collects no zombies.
/// The copy is the member's own (see [`crate::userfile::private_copy`]),
/// so the program can read it without the desk's rights and can change
/// nothing in the desk.
pub fn open_with_system(name: &str, bytes: &[u8]) -> Result<()> {
    let path = crate::userfile::private_copy(name, bytes)?;
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut cmd = Command::new(opener);
    cmd.arg(&path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    crate::privilege::drop_group_for(&mut cmd);
    let mut child = cmd.spawn().map_err(|e| crate::Error::Io {
        path: opener.into(),
        message: e.to_string(),
    })?;
    std::thread::spawn(move || child.wait());
    Ok(())
}
