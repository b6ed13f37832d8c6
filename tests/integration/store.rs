//! The store on real files: migrations of old files, two writers, FTS.

use chrono::{TimeZone, Utc};
use std::sync::Arc;

use tdesk::domain::{ListRequest, NewTicket, SortDir, SortKey, TicketChanges};
use tdesk::service::{Clock, Desk, FixedClock, Identity};
use tdesk::store::{SCHEMA_VERSION, Store};

fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
            .single()
            .expect("valid"),
    ))
}

fn who(login: &str) -> Identity {
    Identity {
        login: login.into(),
        display_name: login.into(),
    }
}

/// A desk file as version 1 left it, holding what `sql` inserts.
fn v1_desk(path: &std::path::Path, sql: &str) -> tdesk::Result<()> {
    Store::create_at_version(path, 1)?;
    Store::execute_raw(path, sql)
}

#[test]
fn a_version_one_desk_is_migrated_and_its_tickets_become_searchable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    v1_desk(
        &path,
        "INSERT INTO users (login, display_name, role, created_at) VALUES ('alice', 'Alice', 'admin', 0);
         INSERT INTO tickets (title, description, status, priority, type, channel, created_at, updated_at)
         VALUES ('包裹在海关滞留两周', '清关中', 'new', 1, 'after-sales', 'email', 0, 0);
         INSERT INTO comments (ticket_id, author, body, internal, created_at) VALUES (1, 'alice', 'customs invoice sent', 0, 0);",
    )
    .expect("old data");
    let (desk, _) = Desk::open(&path, &who("alice"), clock()).expect("open migrates");
    let (check, version) = desk.health().expect("health");
    assert_eq!((check.as_str(), version), ("ok", SCHEMA_VERSION));
    for q in ["海关滞留", "invoice", "清关"] {
        let req = ListRequest {
            query: desk.parse_query(q).expect("query"),
            sort: SortKey::Number,
            dir: SortDir::Asc,
            limit: 10,
            offset: 0,
            group: None,
            backwards: false,
        };
        let ids: Vec<i64> = desk
            .list(&req)
            .expect("list")
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, [1], "query {q}");
    }
}

#[test]
fn two_writers_on_one_file_conflict_instead_of_overwriting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    let (mut a, _) = Desk::create(&path, &who("alice"), clock()).expect("alice");
    a.add_user("bob", None, tdesk::domain::Role::Agent, None)
        .expect("bob");
    let (mut b, _) = Desk::open(&path, &who("bob"), clock()).expect("bob opens");
    let id = a
        .create_ticket(NewTicket {
            title: "Colour differs".into(),
            ..Default::default()
        })
        .expect("create");
    let seen = a.detail(id).expect("read").ticket.version;
    b.edit(
        id,
        &TicketChanges {
            title: Some("Colour differs from photos".into()),
            ..Default::default()
        },
        Some(seen),
    )
    .expect("bob first");
    let err = a
        .edit(
            id,
            &TicketChanges {
                title: Some("Alice's title".into()),
                ..Default::default()
            },
            Some(seen),
        )
        .expect_err("alice conflicts");
    assert_eq!(err.exit_code(), 5);
    assert_eq!(
        a.detail(id).expect("read").ticket.title,
        "Colour differs from photos"
    );
}

#[test]
fn wal_mode_and_foreign_keys_are_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    drop(Desk::create(&path, &who("alice"), clock()).expect("open"));
    let conn = rusqlite::Connection::open(&path).expect("raw");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, SCHEMA_VERSION);
}

#[test]
fn a_bulk_loaded_desk_on_disk_has_an_exact_search_index_and_stays_writable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    let (mut desk, _) = Desk::create(&path, &who("alice"), clock()).expect("open");
    desk.load_demo(300, 11).expect("demo");
    // The index built on the side and copied in equals what a rebuild gives.
    desk.check_search_index().expect("FTS5 integrity check");
    // Writes right after the load go through the same connection's caches.
    desk.comment(7, "客户补充说明:单号 ZX-4471", false)
        .expect("comment after load");
    let id = desk
        .create_ticket(NewTicket {
            title: "After the load".into(),
            ..Default::default()
        })
        .expect("create");
    desk.check_search_index().expect("still exact after writes");
    let count = |q: &str| {
        desk.parse_query(q)
            .and_then(|q| desk.count(&q))
            .expect("count")
    };
    assert_eq!(count("ZX-4471"), 1);
    assert_eq!(count("\"After the load\""), 1);
    assert!(count("customs") > 0);
    assert_eq!(desk.detail(id).expect("detail").ticket.id, 301);
}

/// Two members opening an old desk at the same moment: each migration is
/// applied once (the second waits for the first's lock and finds it done),
/// both open it, and what was in it is still there — its one member's
/// reply counted once by the backfill reports read.
#[test]
fn two_processes_migrating_at_once_apply_each_step_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    v1_desk(
        &path,
        "INSERT INTO users (login, display_name, role, created_at) VALUES ('alice', 'Alice', 'admin', 0);
         INSERT INTO users (login, display_name, role, created_at) VALUES ('bob', 'Bob', 'agent', 0);
         INSERT INTO tickets (title, description, status, priority, type, channel, created_at, updated_at)
         VALUES ('Parcel late', '', 'new', 1, 'after-sales', 'email', 0, 0);
         INSERT INTO comments (ticket_id, author, body, internal, created_at) VALUES (1, 'alice', 'On it', 0, 0);",
    )
    .expect("old data");
    let openers: Vec<_> = ["alice", "bob"]
        .into_iter()
        .map(|login| {
            let path = path.clone();
            std::thread::spawn(move || Desk::open(&path, &who(login), clock()).map(|_| ()))
        })
        .collect();
    for o in openers {
        o.join().expect("thread").expect("opened");
    }
    let (desk, _) = Desk::open(&path, &who("alice"), clock()).expect("open");
    assert_eq!(
        desk.health().expect("health"),
        ("ok".to_string(), SCHEMA_VERSION)
    );
    assert_eq!(desk.detail(1).expect("kept").ticket.title, "Parcel late");
    // The one public reply by a member was counted once by the backfill.
    let period = tdesk::metrics::Period::parse_range(
        "1970-01-01",
        None,
        chrono::Utc::now().timestamp_millis(),
        chrono::FixedOffset::east_opt(0).expect("utc"),
    )
    .expect("period");
    let (_, rows) = desk.report_tickets(period).expect("rows");
    assert_eq!(rows.iter().map(|r| r.replies).collect::<Vec<_>>(), [1]);
}
