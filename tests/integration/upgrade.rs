//! Every schema version so far has a small fixture database, checked in
//! (tests/fixtures/schema/vN.db): a version-1 desk with a member, a ticket
//! and a reply, migrated by the migrations as they were up to N. Each
//! upgrades to the current version, ends with exactly the schema of a
//! fresh desk, and keeps its data. `TDESK_WRITE_FIXTURES=1 cargo test
//! --test integration schema_fixtures` writes them again (only ever
//! needed for a new version: old migrations never change).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tdesk::service::{Desk, Identity, SystemClock};
use tdesk::store::{SCHEMA_VERSION, Store};

fn who() -> Identity {
    Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema")
}

/// A version-1 desk with data, migrated to `version`.
fn build(path: &Path, version: i64) {
    Store::create_at_version(path, 1).expect("v1");
    Store::execute_raw(
        path,
        "INSERT INTO users (login, display_name, role, created_at) VALUES ('alice', 'Alice', 'admin', 0);
         INSERT INTO tickets (title, description, status, priority, type, channel, created_at, updated_at)
         VALUES ('包裹在海关滞留 Parcel held at customs', 'Since Monday', 'new', 1, 'after-sales', 'email', 0, 0);
         INSERT INTO comments (ticket_id, author, body, internal, created_at)
         VALUES (1, 'alice', 'Customs invoice sent', 0, 0);
         PRAGMA journal_mode = DELETE;",
    )
    .expect("data");
    Store::create_at_version(path, version).expect("migrate");
    Store::execute_raw(path, "VACUUM").expect("compact");
}

/// Every object of a database but SQLite's statistics, by name.
fn schema(path: &Path) -> Vec<(String, String, Option<String>)> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let mut stmt = conn
        .prepare(
            "SELECT type, name, sql FROM sqlite_schema \
             WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name",
        )
        .expect("schema");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("read")
}

#[test]
fn schema_fixtures_exist_for_every_older_version() {
    let write = std::env::var_os("TDESK_WRITE_FIXTURES").is_some();
    for version in 1..SCHEMA_VERSION {
        let file = fixtures().join(format!("v{version}.db"));
        if write {
            std::fs::create_dir_all(fixtures()).expect("dir");
            let _ = std::fs::remove_file(&file);
            build(&file, version);
        }
        assert!(file.exists(), "{} is missing", file.display());
    }
}

#[test]
fn every_older_desk_upgrades_to_the_schema_of_a_fresh_one_and_keeps_its_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = dir.path().join("fresh.db");
    drop(Desk::create(&fresh, &who(), Arc::new(SystemClock)).expect("fresh"));
    let want = schema(&fresh);
    for version in 1..SCHEMA_VERSION {
        let copy = dir.path().join(format!("v{version}.db"));
        std::fs::copy(fixtures().join(format!("v{version}.db")), &copy).expect("copy");
        let opened = Desk::open(&copy, &who(), Arc::new(SystemClock));
        assert!(opened.is_ok(), "v{version} does not open");
        let Ok((desk, _)) = opened else { return };
        assert_eq!(
            desk.health().expect("health"),
            ("ok".to_string(), SCHEMA_VERSION),
            "v{version}"
        );
        let d = desk.detail(1).expect("the ticket");
        assert!(
            d.ticket.title.contains("Parcel held at customs"),
            "v{version}"
        );
        assert_eq!(d.comments.len(), 1, "v{version}");
        let hits = desk
            .search(&desk.parse_query("海关滞留").expect("query"), 5)
            .expect("search");
        assert_eq!(hits.len(), 1, "v{version}: searchable");
        drop(desk);
        let got = schema(&copy);
        let missing: Vec<_> = want.iter().filter(|o| !got.contains(o)).collect();
        let extra: Vec<_> = got.iter().filter(|o| !want.contains(o)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "v{version}: missing {missing:#?}\nextra {extra:#?}"
        );
    }
}

#[test]
fn an_older_build_refuses_a_newer_desk_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("newer.db");
    drop(Desk::create(&path, &who(), Arc::new(SystemClock)).expect("create"));
    Store::execute_raw(
        &path,
        &format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1),
    )
    .expect("newer");
    let before = std::fs::read(&path).expect("bytes");
    let opened = Desk::open(&path, &who(), Arc::new(SystemClock));
    assert!(
        matches!(opened, Err(tdesk::Error::NewerSchema { .. })),
        "refused as newer"
    );
    assert_eq!(std::fs::read(&path).expect("bytes"), before, "not written");
}
