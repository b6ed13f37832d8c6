//! Loading many tickets at once (demo desks, large imports): one transaction,
//! secondary indexes and search triggers dropped for the load and rebuilt
//! after it, inside the same transaction — a killed load leaves nothing.

mod side_index;

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::Store;
use super::rows::to_ms;
use crate::domain::{Category, EventKind, Ticket};
use crate::error::Result;
use side_index::SearchRow;

/// An event of a bulk-loaded ticket.
#[derive(Debug, Clone)]
pub struct BulkEvent {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: EventKind,
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A comment of a bulk-loaded ticket.
#[derive(Debug, Clone)]
pub struct BulkComment {
    pub author: String,
    pub body: String,
    pub internal: bool,
    pub at: DateTime<Utc>,
    /// The index in the ticket's events of the event that records this comment.
    pub event: usize,
}

/// A ticket with its history and search keys, ready to be stored as is.
#[derive(Debug, Clone)]
pub struct BulkTicket {
    pub ticket: Ticket,
    pub events: Vec<BulkEvent>,
    pub comments: Vec<BulkComment>,
    /// What its SLA clocks came to: business seconds to the first response
    /// and to the resolution, and the lateness bits (as `set_clock_outcomes`).
    pub clock_outcomes: (Option<i64>, Option<i64>, i64),
    /// When it was last reopened.
    pub reopened_at: Option<DateTime<Utc>>,
    title_pinyin: String,
    search_initials: String,
    customer_keys: String,
    comment_text: String,
}

impl BulkTicket {
    /// Prepares a ticket for loading; the search keys are computed here, so a
    /// producer thread can do that work while the loader writes.
    pub fn new(
        ticket: Ticket,
        events: Vec<BulkEvent>,
        comments: Vec<BulkComment>,
        customer: Option<&str>,
    ) -> Self {
        let title_pinyin = crate::text::pinyin_keys(&ticket.title);
        let search_initials = super::search_initials(&ticket.title, customer);
        let customer_keys = super::customer_keys(customer);
        let mut comment_text = String::new();
        for c in &comments {
            comment_text.push(' ');
            comment_text.push_str(&c.body);
        }
        Self {
            ticket,
            events,
            comments,
            clock_outcomes: (None, None, 0),
            reopened_at: None,
            title_pinyin,
            search_initials,
            customer_keys,
            comment_text,
        }
    }
}

/// Indexes that slow a bulk insert: rebuilt once at the end instead. (The
/// search triggers stay; the `bulk_load` counter switches them off, because
/// dropping and recreating them in the transaction left FTS5 with a stale
/// view of its own index.)
fn deferred_objects(tx: &rusqlite::Transaction<'_>) -> Result<Vec<(String, String, String)>> {
    let mut stmt = tx.prepare(
        "SELECT type, name, sql FROM sqlite_master \
         WHERE sql IS NOT NULL AND tbl_name IN ('tickets', 'comments', 'events', 'ticket_tags') \
         AND type = 'index'",
    )?;
    let objects = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(objects)
}

impl Store {
    /// Stores every ticket from `tickets` in one transaction and returns how many.
    /// Uses a rollback journal during the load when no one else has the desk
    /// open (new pages then need no journal), and WAL again afterwards.
    pub fn bulk_load(&mut self, tickets: impl Iterator<Item = BulkTicket>) -> Result<usize> {
        let mode: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))
            .unwrap_or_else(|_| "wal".into());
        // A big page cache for the load only (256 MiB); restored afterwards.
        self.conn.pragma_update(None, "cache_size", -262_144)?;
        let result = self.bulk_insert(tickets);
        self.conn.pragma_update(None, "cache_size", -2000)?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))?;
        }
        // The search index pages were written behind FTS5's back; a fresh
        // connection makes sure nothing cached here still describes the old ones.
        self.reconnect()?;
        result
    }

    fn bulk_insert(&mut self, tickets: impl Iterator<Item = BulkTicket>) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // On an empty desk on disk the search index is built on the second core;
        // otherwise (tickets already there, or a private in-memory desk that
        // cannot be reopened afterwards) it is rebuilt from the table.
        let empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM tickets)", [], |r| {
            r.get(0)
        })?;
        let empty = empty && self.path.is_some();
        tx.execute("UPDATE counters SET value = 1 WHERE name = 'bulk_load'", [])?;
        let deferred = deferred_objects(&tx)?;
        for (kind, name, _) in &deferred {
            tx.execute_batch(&format!("DROP {kind} {name}"))?;
        }
        let (count, side) = std::thread::scope(|scope| -> Result<_> {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<SearchRow>>(8);
            let builder = empty.then(|| scope.spawn(move || side_index::build(receiver)));
            let sender = builder.as_ref().map(|_| sender);
            let count = insert_rows(&tx, tickets, sender)?;
            // Indexes are built while the search index is still being finished.
            for (_, _, sql) in &deferred {
                tx.execute_batch(sql)?;
            }
            let side = match builder {
                Some(handle) => Some(handle.join().map_err(|_| {
                    crate::Error::Database("the search index builder stopped".into())
                })??),
                None => None,
            };
            Ok((count, side))
        })?;
        match side {
            Some(index) => index.copy_into(&tx)?,
            None => tx.execute_batch("INSERT INTO search_fts(search_fts) VALUES ('rebuild');")?,
        }
        tx.execute_batch(
            "INSERT INTO initials_fts(initials_fts) VALUES ('rebuild');
             UPDATE counters SET value = 0 WHERE name = 'bulk_load';",
        )?;
        tx.commit()?;
        // Fresh statistics so the planner picks the right index at any size.
        super::stats::analyze(&self.conn)?;
        Ok(count)
    }
}

/// Public comments written by members of the desk: its replies (the reply
/// trigger is off during a bulk load).
fn replies(tx: &rusqlite::Transaction<'_>, comments: &[BulkComment]) -> Result<i64> {
    let mut stmt = tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM users WHERE login = ?1)")?;
    let mut count = 0;
    for c in comments.iter().filter(|c| !c.internal) {
        if stmt.query_row([&c.author], |r| r.get::<_, bool>(0))? {
            count += 1;
        }
    }
    Ok(count)
}

/// Rows handed to the search index builder at a time.
const SEARCH_BATCH: usize = 256;

/// Inserts tickets, tags, comments and events; sends each ticket's search
/// text to `search` when a side index is being built.
fn insert_rows(
    tx: &rusqlite::Transaction<'_>,
    tickets: impl Iterator<Item = BulkTicket>,
    search: Option<std::sync::mpsc::SyncSender<Vec<SearchRow>>>,
) -> Result<usize> {
    let mut ticket_stmt = tx.prepare(
        "INSERT INTO tickets (title, description, status, priority, type, category, channel, \
         customer_id, assignee, team, custom, resolution, accepted_at, rating, created_at, \
         updated_at, first_response_at, resolved_at, closed_at, version, due_at, risk_at, title_pinyin, \
         search_initials, customer_keys, comment_text, cause, prevention, accepted_by, \
         response_secs, resolve_secs, sla_late, replies, reopens, reopened_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, '{}', ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
         ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)",
    )?;
    let mut tag_stmt =
        tx.prepare("INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) VALUES (?1, ?2)")?;
    let mut event_id: i64 =
        tx.query_row("SELECT value FROM counters WHERE name = 'event'", [], |r| {
            r.get(0)
        })?;
    let mut event_stmt = tx.prepare(
        "INSERT INTO events (ticket_id, id, actor, at, kind, field, old, new) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut comment_stmt = tx.prepare(
        "INSERT INTO comments (ticket_id, author, body, internal, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut count = 0;
    let mut batch = Vec::with_capacity(SEARCH_BATCH);
    for b in tickets {
        let t = &b.ticket;
        ticket_stmt.execute(params![
            t.title,
            t.description,
            t.status,
            t.priority.rank(),
            t.kind,
            t.category.as_ref().map(Category::as_str),
            t.channel.as_str(),
            t.customer_id,
            t.assignee,
            t.team,
            t.resolution,
            t.accepted_at.map(to_ms),
            t.rating,
            to_ms(t.created_at),
            to_ms(t.updated_at),
            t.first_response_at.map(to_ms),
            t.resolved_at.map(to_ms),
            t.closed_at.map(to_ms),
            t.version,
            t.due_at.map(to_ms),
            t.risk_at.map(to_ms),
            b.title_pinyin,
            b.search_initials,
            b.customer_keys,
            b.comment_text,
            t.closure.cause,
            t.closure.prevention,
            t.closure.accepted_by.map(crate::domain::AcceptedBy::as_str),
            b.clock_outcomes.0,
            b.clock_outcomes.1,
            b.clock_outcomes.2,
            replies(tx, &b.comments)?,
            t.closure.reopens,
            b.reopened_at.map(to_ms),
        ])?;
        let id = tx.last_insert_rowid();
        for tag in &t.tags {
            tag_stmt.execute(params![id, tag])?;
        }
        let mut comment_ids = Vec::with_capacity(b.comments.len());
        for c in &b.comments {
            comment_stmt.execute(params![id, c.author, c.body, c.internal, to_ms(c.at)])?;
            comment_ids.push((c.event, tx.last_insert_rowid()));
        }
        for (i, e) in b.events.iter().enumerate() {
            let new = match comment_ids.iter().find(|(event, _)| *event == i) {
                Some((_, cid)) => Some(cid.to_string()),
                None => e.new.clone(),
            };
            event_id += 1;
            event_stmt.execute(params![
                id,
                event_id,
                e.actor,
                to_ms(e.at),
                e.kind.as_str(),
                e.field,
                e.old,
                new
            ])?;
        }
        count += 1;
        if let Some(sender) = &search {
            let BulkTicket {
                ticket,
                title_pinyin,
                customer_keys,
                comment_text,
                ..
            } = b;
            batch.push(SearchRow {
                id,
                columns: [
                    ticket.title,
                    ticket.description,
                    title_pinyin,
                    customer_keys,
                    comment_text,
                ],
            });
            // A failed send means the builder stopped; its error surfaces when joined.
            if batch.len() == SEARCH_BATCH
                && sender
                    .send(std::mem::replace(
                        &mut batch,
                        Vec::with_capacity(SEARCH_BATCH),
                    ))
                    .is_err()
            {
                break;
            }
        }
    }
    if let Some(sender) = search {
        let _ = sender.send(batch);
    }
    tx.execute(
        "UPDATE counters SET value = ?1 WHERE name = 'event'",
        [event_id],
    )?;
    Ok(count)
}
