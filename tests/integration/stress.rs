//! Many processes on one desk at once: 8 processes (half through the
//! service layer, half through the real `tdesk` binary) make random
//! comments, tag edits and moves on 200 shared tickets. Every write a
//! process saw acknowledged must be in the desk afterwards, no process may
//! ever see "database is locked", each ticket's audit log must replay to its
//! state, and SQLite's and FTS5's integrity checks must pass.
//!
//! `cargo test` runs 10,000 operations in all; `TDESK_STRESS_SCALE=5`
//! multiplies that for a manual run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use tdesk::domain::{NewTicket, TicketChanges, replay_status};
use tdesk::service::{Desk, Identity, MoveOptions, SystemClock};

const TICKETS: i64 = 200;
const PROCESSES: usize = 8;
/// Operations per service-layer process and per CLI process (CLI ones each
/// start a process, so they do fewer); together 10,000.
const SERVICE_OPS: usize = 2_200;
const CLI_OPS: usize = 300;

fn scale() -> usize {
    std::env::var("TDESK_STRESS_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// A small deterministic generator (xorshift), one per process.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn open(path: &Path) -> Desk {
    Desk::create(path, &Identity::current(), Arc::new(SystemClock))
        .expect("open")
        .0
}

/// One acknowledged write, as the process that made it saw it.
fn record(log: &mut String, kind: &str, ticket: u64, token: &str) {
    log.push_str(&format!("{kind} {ticket} {token}\n"));
}

/// The body of one stress process; runs only when started by the test below.
#[test]
#[ignore = "started by concurrent_writers_lose_nothing as a child process"]
fn stress_worker() {
    let (Ok(db), Ok(index), Ok(mode)) = (
        std::env::var("TDESK_STRESS_DB"),
        std::env::var("TDESK_STRESS_INDEX"),
        std::env::var("TDESK_STRESS_MODE"),
    ) else {
        return;
    };
    let db = PathBuf::from(db);
    let index: u64 = index.parse().expect("index");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (index + 1).wrapping_mul(0x2545_F491));
    let mut log = String::new();
    let mut errors = Vec::new();
    if mode == "service" {
        let mut desk = open(&db);
        for i in 0..SERVICE_OPS * scale() {
            let t = 1 + rng.below(TICKETS as u64);
            let token = format!("w{index}n{i}");
            let id = t as i64;
            let result = match rng.below(10) {
                0..=3 => desk
                    .comment(id, &format!("Checked {token}"), rng.below(2) == 0)
                    .map(|_| "c"),
                4..=6 => {
                    let changes = TicketChanges {
                        add_tags: vec![token.clone()],
                        ..Default::default()
                    };
                    desk.edit(id, &changes, None).map(|_| "t")
                }
                _ => {
                    let status = desk.detail(id).expect("detail").ticket.status;
                    let me = desk.me().expect("me");
                    let next = desk.workflow().next_states(&status, me.role);
                    let to = next[rng.below(next.len() as u64) as usize].to_string();
                    let opts = MoveOptions {
                        note: Some(format!("Done {token}")),
                        ..Default::default()
                    };
                    desk.move_ticket(id, &to, &opts).map(|_| "m")
                }
            };
            match result {
                Ok(kind) => record(&mut log, kind, t, &token),
                Err(tdesk::Error::Refused(_)) => {}
                Err(e) => errors.push(format!("{e:?}")),
            }
        }
    } else {
        for i in 0..CLI_OPS * scale() {
            let t = 1 + rng.below(TICKETS as u64);
            let token = format!("w{index}n{i}");
            let id = t.to_string();
            let (kind, args): (&str, Vec<String>) = match rng.below(10) {
                0..=4 => (
                    "c",
                    vec![
                        "comment".into(),
                        id,
                        "--body".into(),
                        format!("Checked {token}"),
                    ],
                ),
                5..=7 => ("t", vec!["edit".into(), id, "--tag".into(), token.clone()]),
                _ => {
                    let to = ["in_progress", "waiting_customer", "resolved"][rng.below(3) as usize];
                    (
                        "m",
                        vec![
                            "move".into(),
                            id,
                            to.into(),
                            "--note".into(),
                            format!("Done {token}"),
                            "--cause".into(),
                            "other".into(),
                        ],
                    )
                }
            };
            let out = Command::new(env!("CARGO_BIN_EXE_tdesk"))
                .args(&args)
                .env("TDESK_DB", &db)
                .env("LANG", "C")
                .env("NO_COLOR", "1")
                .output()
                .expect("run tdesk");
            match out.status.code() {
                Some(0) => record(&mut log, kind, t, &token),
                // Refused by the workflow: an answer, not a failure.
                Some(4) => {}
                _ => errors.push(String::from_utf8_lossy(&out.stderr).into_owned()),
            }
        }
    }
    let dir = db.parent().expect("dir");
    std::fs::write(dir.join(format!("acked-{index}.txt")), log).expect("log");
    std::fs::write(dir.join(format!("errors-{index}.txt")), errors.join("\n")).expect("errors");
}

#[test]
fn concurrent_writers_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("desk.db");
    {
        let mut desk = open(&db);
        let me = desk.login().to_string();
        for i in 0..TICKETS {
            desk.create_ticket(NewTicket {
                title: format!("Shared ticket {i}"),
                assignee: Some(me.clone()),
                ..Default::default()
            })
            .expect("ticket");
        }
    }
    let status_events = |desk: &Desk, id: i64| -> usize {
        let events = desk.history(id).expect("history");
        events
            .iter()
            // Automations (resolved → pending acceptance) move tickets too.
            .filter(|e| {
                e.kind == tdesk::domain::EventKind::Status && !e.actor.starts_with("automation:")
            })
            .count()
    };
    let baseline: HashMap<i64, usize> = {
        let desk = open(&db);
        (1..=TICKETS)
            .map(|id| (id, status_events(&desk, id)))
            .collect()
    };
    let exe = std::env::current_exe().expect("test binary");
    let started = std::time::Instant::now();
    let children: Vec<_> = (0..PROCESSES)
        .map(|i| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "stress::stress_worker",
                    "--ignored",
                    "--nocapture",
                ])
                .env("TDESK_STRESS_DB", &db)
                .env("TDESK_STRESS_INDEX", i.to_string())
                .env(
                    "TDESK_STRESS_MODE",
                    if i % 2 == 0 { "service" } else { "cli" },
                )
                .spawn()
                .expect("spawn worker")
        })
        .collect();
    for mut child in children {
        assert!(child.wait().expect("wait").success(), "a worker failed");
    }
    let elapsed = started.elapsed();
    let mut errors = String::new();
    let mut acked: Vec<(String, i64, String)> = Vec::new();
    for i in 0..PROCESSES {
        errors +=
            &std::fs::read_to_string(dir.path().join(format!("errors-{i}.txt"))).expect("errors");
        let log = std::fs::read_to_string(dir.path().join(format!("acked-{i}.txt"))).expect("log");
        for line in log.lines() {
            let mut parts = line.split(' ');
            let (Some(kind), Some(t), Some(token)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            acked.push((kind.into(), t.parse().expect("number"), token.into()));
        }
    }
    assert!(errors.trim().is_empty(), "workers saw errors:\n{errors}");
    let attempted = scale() * (PROCESSES / 2) * (SERVICE_OPS + CLI_OPS);
    assert!(attempted >= 10_000);
    assert!(
        acked.len() * 2 > attempted,
        "most operations should be accepted: {} of {attempted}",
        acked.len()
    );
    // Every acknowledged write is there.
    let desk = open(&db);
    let mut details = HashMap::new();
    for id in 1..=TICKETS {
        details.insert(id, desk.detail(id).expect("detail"));
    }
    let mut missing = Vec::new();
    for (kind, id, token) in &acked {
        let d = &details[id];
        let present = match kind.as_str() {
            "c" => d
                .comments
                .iter()
                .any(|c| c.body.ends_with(&format!(" {token}"))),
            "t" => d.ticket.tags.iter().any(|t| t == token),
            // Moves are counted per ticket below.
            _ => true,
        };
        if !present {
            missing.push(format!("{kind} #{id} {token}"));
        }
    }
    // Each acknowledged move is exactly one status event: none lost, none doubled.
    let mut moves: HashMap<i64, usize> = HashMap::new();
    for (kind, id, _) in &acked {
        if kind == "m" {
            *moves.entry(*id).or_default() += 1;
        }
    }
    let mut miscounted = Vec::new();
    for id in 1..=TICKETS {
        let want = baseline[&id] + moves.get(&id).copied().unwrap_or(0);
        let got = status_events(&desk, id);
        if got != want {
            miscounted.push(format!("#{id}: {got} status events, {want} acknowledged"));
        }
    }
    // And each ticket's log replays to its state.
    let mut replay = Vec::new();
    for (id, d) in &details {
        if replay_status(&d.events).as_deref() != Some(d.ticket.status.as_str()) {
            replay.push(*id);
        }
    }
    let (integrity, _) = desk.health().expect("health");
    desk.check_search_index().expect("search index intact");
    eprintln!(
        "stress: {attempted} operations by {PROCESSES} processes, {} acknowledged, in {:.1} s",
        acked.len(),
        elapsed.as_secs_f64()
    );
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    assert!(
        miscounted.is_empty(),
        "moves lost or doubled: {miscounted:?}"
    );
    assert!(replay.is_empty(), "history does not replay for {replay:?}");
    assert_eq!(integrity, "ok");
}
