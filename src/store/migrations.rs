//! Forward-only schema migrations keyed by `PRAGMA user_version`.
//!
//! Rules: never edit a migration that has shipped; add a new one. Each runs in
//! its own transaction together with the version bump, so a killed process
//! leaves the file at the old or the new version, never between.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// Version 1: the core tables. Times are UTC milliseconds since the epoch.
const V1_CORE: &str = r#"
CREATE TABLE users (
    login        TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    team         TEXT,
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL
);

CREATE TABLE customers (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT COLLATE NOCASE UNIQUE,
    phone      TEXT,
    tier       TEXT NOT NULL DEFAULT 'normal' CHECK (tier IN ('vip', 'important', 'normal')),
    country    TEXT,
    timezone   TEXT,
    language   TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE tickets (
    id                INTEGER PRIMARY KEY,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    priority          INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),
    type              TEXT NOT NULL,
    category          TEXT,
    channel           TEXT NOT NULL,
    customer_id       INTEGER REFERENCES customers(id),
    assignee          TEXT REFERENCES users(login),
    team              TEXT,
    custom            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom)),
    resolution        TEXT,
    accepted_at       INTEGER,
    rating            INTEGER CHECK (rating BETWEEN 1 AND 5),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    first_response_at INTEGER,
    resolved_at       INTEGER,
    closed_at         INTEGER,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tickets_status_updated ON tickets(status, updated_at);
CREATE INDEX tickets_updated ON tickets(updated_at);
CREATE INDEX tickets_assignee_status ON tickets(assignee, status);
CREATE INDEX tickets_priority ON tickets(priority, updated_at);
CREATE INDEX tickets_customer ON tickets(customer_id);
CREATE INDEX tickets_team ON tickets(team, status);
CREATE INDEX tickets_created ON tickets(created_at);

CREATE TABLE ticket_tags (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    PRIMARY KEY (ticket_id, tag)
) WITHOUT ROWID;
CREATE INDEX ticket_tags_tag ON ticket_tags(tag, ticket_id);

CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    internal   INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX comments_ticket ON comments(ticket_id, id);

CREATE TABLE events (
    id        INTEGER PRIMARY KEY,
    ticket_id INTEGER REFERENCES tickets(id),
    actor     TEXT NOT NULL,
    at        INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    field     TEXT,
    old       TEXT,
    new       TEXT
);
CREATE INDEX events_ticket ON events(ticket_id, id);

-- The audit log is append-only.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#;

/// Version 2: full-text search with the trigram tokenizer (Chinese without a
/// segmenter), as external-content tables kept in sync by triggers.
const V2_SEARCH: &str = r#"
CREATE VIRTUAL TABLE ticket_fts USING fts5(
    title, description, content='tickets', content_rowid='id', tokenize='trigram'
);
CREATE VIRTUAL TABLE comment_fts USING fts5(
    body, content='comments', content_rowid='id', tokenize='trigram'
);

CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO ticket_fts(ticket_fts, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
END;
CREATE TRIGGER tickets_fts_update AFTER UPDATE OF title, description ON tickets BEGIN
    INSERT INTO ticket_fts(ticket_fts, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO ticket_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
END;

CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN
    INSERT INTO comment_fts(rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN
    INSERT INTO comment_fts(comment_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER comments_fts_update AFTER UPDATE OF body ON comments BEGIN
    INSERT INTO comment_fts(comment_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO comment_fts(rowid, body) VALUES (new.id, new.body);
END;

-- Index what a version-1 desk already holds.
INSERT INTO ticket_fts(ticket_fts) VALUES ('rebuild');
INSERT INTO comment_fts(comment_fts) VALUES ('rebuild');
"#;

/// Every migration in order; index + 1 is the version it produces.
const MIGRATIONS: &[&str] = &[V1_CORE, V2_SEARCH];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`SCHEMA_VERSION`].
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// Brings the database up to `target` (tests use this to build old files).
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= current || version > target {
            continue;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now >= version {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}
