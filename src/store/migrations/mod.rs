//! Forward-only schema migrations keyed by `PRAGMA user_version`.
//!
//! Rules: never edit a migration that has shipped; add a new one. Each runs in
//! its own transaction together with the version bump, so a killed process
//! leaves the file at the old or the new version, never between.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

mod closure;
mod metrics;
mod work;
use closure::V18_CLOSURE;
use metrics::V19_METRICS;
use work::{V20_SUBTASKS, V21_MILESTONES};

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

/// Version 3: scale and triage. Due times for SLA and manual deadlines, change
/// groups for undo, saved views, and a search index shaped for a million
/// tickets: one trigram row per ticket over its title, description, pinyin,
/// customer and comments (`detail=none` keeps it small and quick to build;
/// matches are verified against the text), plus pinyin-initial pairs for
/// two-letter queries. Comment text and customer keys are kept on the ticket
/// row so the index can be an external-content table rebuilt in one pass.
const V3_TRIAGE: &str = r#"
ALTER TABLE tickets ADD COLUMN due_at INTEGER;
ALTER TABLE tickets ADD COLUMN risk_at INTEGER;
ALTER TABLE tickets ADD COLUMN title_pinyin TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN customer_keys TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN comment_text TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN search_initials TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN name_pinyin TEXT NOT NULL DEFAULT '';

-- One row per user action; its events carry its id, so it can be undone.
CREATE TABLE changes (
    id        INTEGER PRIMARY KEY,
    actor     TEXT NOT NULL,
    at        INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '',
    undoes    INTEGER REFERENCES changes(id),
    undone_by INTEGER REFERENCES changes(id)
);
CREATE INDEX changes_actor ON changes(actor, id);

-- The audit log clustered by ticket: a ticket's history is one range read,
-- and appending needs no second index. Desk-level events use ticket 0.
CREATE TABLE events_v3 (
    ticket_id INTEGER NOT NULL,
    id        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    at        INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    field     TEXT,
    old       TEXT,
    new       TEXT,
    change_id INTEGER REFERENCES changes(id),
    PRIMARY KEY (ticket_id, id)
) WITHOUT ROWID;
INSERT INTO events_v3 (ticket_id, id, actor, at, kind, field, old, new)
SELECT coalesce(ticket_id, 0), id, actor, at, kind, field, old, new FROM events;
DROP TABLE events;
ALTER TABLE events_v3 RENAME TO events;
CREATE INDEX events_change ON events(change_id) WHERE change_id IS NOT NULL;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Monotonic numbers (event ids) that need no index to find the next one.
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO counters (name, value) SELECT 'event', coalesce(max(id), 0) FROM events;
-- 1 while a bulk load writes search columns and the index itself.
INSERT INTO counters (name, value) VALUES ('bulk_load', 0);

CREATE TABLE views (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    owner      TEXT,
    query      TEXT NOT NULL,
    sort       TEXT NOT NULL,
    dir        TEXT NOT NULL,
    columns    TEXT NOT NULL,
    group_by   TEXT,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX views_name ON views(coalesce(owner, ''), name);

-- Lists scan the sort index and filter low-cardinality fields (status,
-- priority) as they go; these indexes serve the selective ones.
DROP INDEX tickets_assignee_status;
DROP INDEX tickets_team;
DROP INDEX tickets_customer;
DROP INDEX tickets_status_updated;
DROP INDEX tickets_priority;
CREATE INDEX tickets_status_board ON tickets(status, priority, updated_at);
CREATE INDEX tickets_assignee_updated ON tickets(assignee, updated_at);
CREATE INDEX tickets_customer_updated ON tickets(customer_id, updated_at);
CREATE INDEX tickets_due ON tickets(due_at) WHERE due_at IS NOT NULL;

DROP TRIGGER tickets_fts_insert;
DROP TRIGGER tickets_fts_delete;
DROP TRIGGER tickets_fts_update;
DROP TRIGGER comments_fts_insert;
DROP TRIGGER comments_fts_delete;
DROP TRIGGER comments_fts_update;
DROP TABLE ticket_fts;
DROP TABLE comment_fts;

CREATE VIRTUAL TABLE search_fts USING fts5(
    title, description, title_pinyin, customer_keys, comment_text,
    content='tickets', content_rowid='id', tokenize='trigram', detail=none, columnsize=0
);
CREATE VIRTUAL TABLE initials_fts USING fts5(
    search_initials, content='tickets', content_rowid='id', tokenize='unicode61', detail=none, columnsize=0
);

"#;

/// Triggers keeping the search index in step with tickets and comments;
/// created after the backfill, whose updates must not reach the new index
/// row by row (it is rebuilt in one pass instead).
const SEARCH_TRIGGERS: &str = r#"
CREATE TRIGGER search_ticket_insert AFTER INSERT ON tickets
WHEN (SELECT value FROM counters WHERE name = 'bulk_load') = 0 BEGIN
    INSERT INTO search_fts(rowid, title, description, title_pinyin, customer_keys, comment_text)
    VALUES (new.id, new.title, new.description, new.title_pinyin, new.customer_keys, new.comment_text);
    INSERT INTO initials_fts(rowid, search_initials) VALUES (new.id, new.search_initials);
END;
CREATE TRIGGER search_ticket_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, description, title_pinyin, customer_keys, comment_text)
    VALUES ('delete', old.id, old.title, old.description, old.title_pinyin, old.customer_keys, old.comment_text);
    INSERT INTO initials_fts(initials_fts, rowid, search_initials) VALUES ('delete', old.id, old.search_initials);
END;
CREATE TRIGGER search_ticket_update
AFTER UPDATE OF title, description, title_pinyin, customer_keys, comment_text, search_initials ON tickets BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, description, title_pinyin, customer_keys, comment_text)
    VALUES ('delete', old.id, old.title, old.description, old.title_pinyin, old.customer_keys, old.comment_text);
    INSERT INTO search_fts(rowid, title, description, title_pinyin, customer_keys, comment_text)
    VALUES (new.id, new.title, new.description, new.title_pinyin, new.customer_keys, new.comment_text);
    INSERT INTO initials_fts(initials_fts, rowid, search_initials) VALUES ('delete', old.id, old.search_initials);
    INSERT INTO initials_fts(rowid, search_initials) VALUES (new.id, new.search_initials);
END;
-- A comment's text joins its ticket's searchable text.
CREATE TRIGGER search_comment_insert AFTER INSERT ON comments
WHEN (SELECT value FROM counters WHERE name = 'bulk_load') = 0 BEGIN
    UPDATE tickets SET comment_text = comment_text || ' ' || new.body WHERE id = new.ticket_id;
END;
CREATE TRIGGER search_comment_delete AFTER DELETE ON comments BEGIN
    UPDATE tickets
    SET comment_text = coalesce((SELECT group_concat(body, ' ') FROM comments WHERE ticket_id = old.ticket_id), '')
    WHERE id = old.ticket_id;
END;
"#;

/// Indexes that deliver a list in its order, so a page is read, not sorted:
/// one state by last update, any priority order (most urgent first, longest
/// waiting first within a priority), a person's queue by priority, and
/// deadlines at risk.
const V4_ORDER: &str = r#"
CREATE INDEX tickets_status_updated ON tickets(status, updated_at);
CREATE INDEX tickets_priority_updated ON tickets(priority, updated_at);
CREATE INDEX tickets_assignee_board ON tickets(assignee, priority, updated_at);
CREATE INDEX tickets_risk ON tickets(risk_at) WHERE risk_at IS NOT NULL;
"#;

/// Watching tickets, and each member's inbox: what happened that concerns
/// them, read or not, and whether their notify hook has had it.
const V5_INBOX: &str = r#"
CREATE TABLE watches (
    login TEXT NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    PRIMARY KEY (login, ticket_id)
) WITHOUT ROWID;
CREATE INDEX watches_ticket ON watches(ticket_id);
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    at INTEGER NOT NULL,
    change_id INTEGER,
    detail TEXT,
    read_at INTEGER,
    hook_done_at INTEGER,
    hook_attempts INTEGER NOT NULL DEFAULT 0,
    hook_next_at INTEGER,
    hook_error TEXT
);
CREATE INDEX notifications_inbox ON notifications(login, read_at, id);
CREATE INDEX notifications_hook ON notifications(login, hook_done_at) WHERE hook_done_at IS NULL;
"#;

/// A deadline set by hand is kept; any other is the SLA clocks' and is
/// recomputed with every change of the ticket.
const V6_SLA: &str = r#"
ALTER TABLE tickets ADD COLUMN due_manual INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET due_manual = 1 WHERE due_at IS NOT NULL;
"#;

/// Escalation steps already taken: one row per ticket and step, so a step
/// fires once however many processes evaluate at the same moment.
const V7_ESCALATIONS: &str = r#"
CREATE TABLE escalations (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    fired_at INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, step)
) WITHOUT ROWID;
"#;

/// When a routing rule last gave each agent a ticket (round-robin order).
const V8_ROUTING: &str = r#"
CREATE TABLE routed (
    login TEXT PRIMARY KEY,
    at INTEGER NOT NULL
) WITHOUT ROWID;
"#;

/// An agent's open tickets counted from an index (least-loaded routing).
const V9_LOAD: &str = r#"
CREATE INDEX tickets_assignee_status ON tickets(assignee, status);
"#;

/// What routing knows of an agent: languages spoken, and working hours in
/// their own time zone.
const V10_PROFILES: &str = r#"
CREATE TABLE agent_profiles (
    login TEXT PRIMARY KEY,
    languages TEXT NOT NULL DEFAULT '',
    timezone TEXT,
    shift TEXT
) WITHOUT ROWID;
"#;

/// Customer 360: every way a customer reaches the seller (e-mail addresses,
/// phone, marketplace buyer id, social handle), their order references and
/// free notes.
const V11_CUSTOMERS: &str = r#"
ALTER TABLE customers ADD COLUMN notes TEXT NOT NULL DEFAULT '';
CREATE TABLE customer_handles (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE INDEX customer_handles_customer ON customer_handles(customer_id);
CREATE TABLE customer_orders (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    order_ref TEXT NOT NULL,
    PRIMARY KEY (customer_id, order_ref)
) WITHOUT ROWID;
INSERT OR IGNORE INTO customer_handles (customer_id, kind, value)
    SELECT id, 'email', email FROM customers WHERE email IS NOT NULL;
INSERT OR IGNORE INTO customer_handles (customer_id, kind, value)
    SELECT id, 'phone', phone FROM customers WHERE phone IS NOT NULL;
"#;

/// Interchange: where a ticket came from (an import's external id), every
/// mail message seen or sent (threading and idempotence), attachments kept
/// by content hash in the desk directory, and the outgoing mail queue.
const V12_INTERCHANGE: &str = r#"
ALTER TABLE tickets ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX tickets_external ON tickets(external_id) WHERE external_id IS NOT NULL;
CREATE TABLE mail_messages (
    message_id TEXT PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    comment_id INTEGER,
    outgoing INTEGER NOT NULL,
    at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX mail_messages_ticket ON mail_messages(ticket_id);
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    comment_id INTEGER,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX attachments_ticket ON attachments(ticket_id, id);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    comment_id INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    sent_at INTEGER,
    error TEXT
);
CREATE INDEX outbox_pending ON outbox(sent_at, next_at);
CREATE INDEX outbox_ticket ON outbox(ticket_id);
"#;

/// Fills pinyin and search keys for what a version-2 desk holds, then builds the index.
fn backfill_search(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let customers: Vec<(i64, String)> = tx
        .prepare("SELECT id, name FROM customers")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE customers SET name_pinyin = ?2 WHERE id = ?1")?;
    for (id, name) in &customers {
        update.execute(rusqlite::params![id, crate::text::pinyin_keys(name)])?;
    }
    let tickets: Vec<(i64, String, Option<String>)> = tx
        .prepare("SELECT t.id, t.title, cu.name FROM tickets t LEFT JOIN customers cu ON cu.id = t.customer_id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare(
        "UPDATE tickets SET title_pinyin = ?2, search_initials = ?3, customer_keys = ?4, \
         comment_text = coalesce((SELECT group_concat(body, ' ') FROM comments WHERE ticket_id = ?1), '') \
         WHERE id = ?1",
    )?;
    for (id, title, customer) in &tickets {
        let initials = super::search_initials(title, customer.as_deref());
        let keys = super::customer_keys(customer.as_deref());
        update.execute(rusqlite::params![
            id,
            crate::text::pinyin_keys(title),
            initials,
            keys
        ])?;
    }
    tx.execute_batch(
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild');
         INSERT INTO initials_fts(initials_fts) VALUES ('rebuild');",
    )?;
    tx.execute_batch(SEARCH_TRIGGERS)
}

/// A change's events in number order: a long change (an import of 100,000
/// rows) reads back only each chunk's events, `id > mark`, as one range.
/// Keyed by `change_id` alone the index ran in the table's (ticket, id)
/// order, so every chunk scanned all of the change's events.
const V13_CHANGE_EVENTS: &str = r#"
DROP INDEX events_change;
CREATE INDEX events_change ON events(change_id, id) WHERE change_id IS NOT NULL;
"#;

/// Unsent replies, kept per member and ticket: quitting (or a dropped SSH
/// connection) never throws typed text away.
const V14_DRAFTS: &str = r#"
CREATE TABLE drafts (
    login TEXT NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (login, ticket_id)
) WITHOUT ROWID;
"#;

/// A note's draft and a reply's are kept apart: a private note must never
/// come back as text for the customer. Drafts of before are taken as notes
/// (the safe side).
const V16_DRAFT_KINDS: &str = r#"
CREATE TABLE drafts_by_kind (
    login TEXT NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    internal INTEGER NOT NULL,
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (login, ticket_id, internal)
) WITHOUT ROWID;
INSERT INTO drafts_by_kind (login, ticket_id, internal, body, updated_at)
    SELECT login, ticket_id, 1, body, updated_at FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_by_kind RENAME TO drafts;
"#;

/// One step of a migration: SQL, or Rust for what SQL cannot compute.
enum Step {
    Sql(&'static str),
    Code(fn(&rusqlite::Transaction<'_>) -> rusqlite::Result<()>),
}

/// V15: phone handles by their digits (see [`crate::domain::handle_key`]),
/// so a number written with spaces finds its customer. Two customers whose
/// numbers are the same once normalised keep theirs as they were.
fn normalise_phones(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let phones: Vec<String> = tx
        .prepare("SELECT value FROM customer_handles WHERE kind = 'phone'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare(
        "UPDATE OR IGNORE customer_handles SET value = ?2 WHERE kind = 'phone' AND value = ?1",
    )?;
    for old in phones {
        let new = crate::domain::handle_key("phone", &old);
        if new != old {
            update.execute(rusqlite::params![old, new])?;
        }
    }
    Ok(())
}

/// V17: customers made by bulk loads (the demo) had their address and
/// number only on the customer row, so a handle lookup missed them.
fn backfill_handles(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let rows: Vec<(i64, Option<String>, Option<String>)> = tx
        .prepare(
            "SELECT id, email, phone FROM customers WHERE email IS NOT NULL OR phone IS NOT NULL",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut add = tx.prepare(
        "INSERT OR IGNORE INTO customer_handles (customer_id, kind, value) VALUES (?1, ?2, ?3)",
    )?;
    for (id, email, phone) in rows {
        for (kind, value) in [("email", email), ("phone", phone)] {
            if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
                add.execute(rusqlite::params![
                    id,
                    kind,
                    crate::domain::handle_key(kind, &v)
                ])?;
            }
        }
    }
    Ok(())
}

/// Every migration in order; index + 1 is the version it produces.
const MIGRATIONS: &[&[Step]] = &[
    &[Step::Sql(V1_CORE)],
    &[Step::Sql(V2_SEARCH)],
    &[Step::Sql(V3_TRIAGE), Step::Code(backfill_search)],
    &[Step::Sql(V4_ORDER)],
    &[Step::Sql(V5_INBOX)],
    &[Step::Sql(V6_SLA)],
    &[Step::Sql(V7_ESCALATIONS)],
    &[Step::Sql(V8_ROUTING)],
    &[Step::Sql(V9_LOAD)],
    &[Step::Sql(V10_PROFILES)],
    &[Step::Sql(V11_CUSTOMERS)],
    &[Step::Sql(V12_INTERCHANGE)],
    &[Step::Sql(V13_CHANGE_EVENTS)],
    &[Step::Sql(V14_DRAFTS)],
    &[Step::Code(normalise_phones)],
    &[Step::Sql(V16_DRAFT_KINDS)],
    &[Step::Code(backfill_handles)],
    &[Step::Sql(V18_CLOSURE)],
    &[Step::Sql(V19_METRICS)],
    &[Step::Sql(V20_SUBTASKS)],
    &[Step::Sql(V21_MILESTONES)],
];

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
    for (index, steps) in MIGRATIONS.iter().enumerate() {
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
        for step in *steps {
            match step {
                Step::Sql(sql) => tx.execute_batch(sql)?,
                Step::Code(f) => f(&tx)?,
            }
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}
