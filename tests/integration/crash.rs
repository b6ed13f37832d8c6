//! A writer killed at any moment loses nothing it acknowledged and leaves
//! nothing half done. A child process (this test binary, re-run as
//! `crash::writer_child`) makes changes through the service and prints an
//! acknowledgement only after each commit; the parent SIGKILLs it at a
//! pseudo-random moment, then checks the desk: SQLite's integrity check,
//! every acknowledged ticket present with its reply, every ticket's state
//! the one its history ends in, and the search index finding each title.
//! 40 cycles by default; `TDESK_CRASH_CYCLES=N` for more.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use tdesk::domain::{EventKind, NewTicket, Query};
use tdesk::service::{Desk, Identity, MoveOptions, SystemClock};

fn who() -> Identity {
    Identity {
        login: "root".into(),
        display_name: "root".into(),
    }
}

/// The child: writes until killed. Does nothing unless asked to.
#[test]
fn writer_child() {
    let Some(path) = std::env::var_os("TDESK_CRASH_CHILD") else {
        return;
    };
    let (mut desk, _) = Desk::open(Path::new(&path), &who(), Arc::new(SystemClock)).expect("open");
    let seed = std::process::id();
    for n in 0.. {
        let title = format!("crash-{seed}-{n}");
        let id = desk
            .create_ticket(NewTicket {
                title: title.clone(),
                assignee: Some("root".into()),
                ..Default::default()
            })
            .expect("create");
        println!("created {id} {title}");
        desk.comment(id, &format!("reply to {title}"), false)
            .expect("reply");
        println!("replied {id}");
        let _ = desk.move_ticket(id, "waiting_customer", &MoveOptions::default());
    }
}

/// A small deterministic generator, so a failing cycle can be replayed.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn a_writer_killed_at_any_moment_loses_nothing_it_acknowledged() {
    let cycles: usize = std::env::var("TDESK_CRASH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    drop(Desk::create(&path, &who(), Arc::new(SystemClock)).expect("create"));
    let exe = std::env::current_exe().expect("test binary");
    let mut created: Vec<(i64, String)> = Vec::new();
    let mut replied: Vec<i64> = Vec::new();
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    for cycle in 0..cycles {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash::writer_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("TDESK_CRASH_CHILD", &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("child");
        let out = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            BufReader::new(out)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        });
        let wait = 30 + next(&mut rng) % 250;
        std::thread::sleep(std::time::Duration::from_millis(wait));
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        for line in reader.join().expect("reader") {
            let mut words = line.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some("created"), Some(id), Some(title)) => {
                    created.push((id.parse().expect("id"), title.to_string()));
                }
                (Some("replied"), Some(id), None) => replied.push(id.parse().expect("id")),
                _ => {}
            }
        }
        check(&path, &created, &replied, cycle);
    }
    assert!(
        created.len() > cycles,
        "the children wrote: {}",
        created.len()
    );
}

fn check(path: &Path, created: &[(i64, String)], replied: &[i64], cycle: usize) {
    let (desk, _) = Desk::open(path, &who(), Arc::new(SystemClock)).expect("reopen");
    let (integrity, _) = desk.health().expect("health");
    assert_eq!(integrity, "ok", "cycle {cycle}");
    for (id, title) in created {
        let found = desk.detail(*id);
        assert!(found.is_ok(), "cycle {cycle}: acknowledged #{id} lost");
        let Ok(d) = found else { return };
        assert_eq!(&d.ticket.title, title, "cycle {cycle}");
        // No half-applied change: the state is where the history ends.
        let last = d
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Status | EventKind::Created))
            .filter_map(|e| e.new.clone())
            .next_back();
        assert_eq!(
            last.as_deref(),
            Some(d.ticket.status.as_str()),
            "cycle {cycle} #{id}"
        );
        if replied.contains(id) {
            assert!(
                d.comments.iter().any(|c| c.body.starts_with("reply to")),
                "cycle {cycle}: acknowledged reply on #{id} lost"
            );
        }
    }
    // The search index agrees with the tickets.
    if let Some((id, title)) = created.last() {
        let query = Query::parse(title).expect("query");
        let hits = desk.search(&query, 5).expect("search");
        assert!(
            hits.iter().any(|h| h.row.id == *id),
            "cycle {cycle}: search misses #{id}"
        );
    }
}
