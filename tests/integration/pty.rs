//! The real binary on a pseudo-terminal: what it sends when nobody types.

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Scratch;

/// A pseudo-terminal of `cols`×`rows`: (master, slave).
fn pty(cols: u16, rows: u16) -> (OwnedFd, OwnedFd) {
    let mut master = 0;
    let mut slave = 0;
    let size = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors into the integers we pass and
    // reads the window size; no name buffer, no termios.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: both descriptors were just opened and are owned by nobody else.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

/// Bytes readable from `master` within `window` (non-blocking reads).
fn bytes_within(master: &std::fs::File, window: Duration) -> usize {
    let mut total = 0;
    let mut buf = [0u8; 65536];
    let end = Instant::now() + window;
    while Instant::now() < end {
        let mut reader = master;
        match reader.read(&mut buf) {
            Ok(n) if n > 0 => total += n,
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    total
}

#[test]
fn an_idle_desk_sends_nothing_to_the_terminal() {
    let s = Scratch::with_desk();
    let out = s.tdesk(&["demo", "--tickets", "30"]);
    assert!(out.status.success());
    for (cols, rows) in [(80, 24), (200, 60)] {
        let (master, slave) = pty(cols, rows);
        let flags = unsafe { libc::fcntl(std::os::fd::AsRawFd::as_raw_fd(&master), libc::F_GETFL) };
        // SAFETY: sets O_NONBLOCK on a descriptor we own.
        unsafe {
            libc::fcntl(
                std::os::fd::AsRawFd::as_raw_fd(&master),
                libc::F_SETFL,
                flags | libc::O_NONBLOCK,
            )
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_tdesk"))
            .env_clear()
            .env("HOME", s.dir.path())
            .env("XDG_CONFIG_HOME", s.dir.path().join("config"))
            .env("XDG_DATA_HOME", s.dir.path().join("data"))
            .env("TDESK_DB", s.db())
            .env("TERM", "xterm-256color")
            .env("LANG", "C.UTF-8")
            .env("TZ", "UTC")
            .stdin(Stdio::from(slave.try_clone().expect("slave")))
            .stdout(Stdio::from(slave.try_clone().expect("slave")))
            .stderr(Stdio::from(slave))
            .spawn()
            .expect("tdesk");
        let master = std::fs::File::from(master);
        // It draws its first frames, the workers answer, the list settles.
        let first = bytes_within(&master, Duration::from_millis(2500));
        assert!(
            first > 1000,
            "{cols}x{rows}: the desk was drawn ({first} bytes)"
        );
        let idle = bytes_within(&master, Duration::from_millis(2000));
        // Another agent's write that changes nothing on this screen (a
        // saved view): the desk reloads, and still sends nothing.
        let saved = s.tdesk(&["view", "save", &format!("quiet {cols}"), "status:open"]);
        assert!(saved.status.success());
        let after_write = bytes_within(&master, Duration::from_millis(2000));
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            idle, 0,
            "{cols}x{rows}: an idle desk wrote {idle} bytes in 2 s"
        );
        assert_eq!(
            after_write, 0,
            "{cols}x{rows}: a write that changes nothing on screen sent {after_write} bytes"
        );
    }
}
