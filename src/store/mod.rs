//! The only module that speaks SQL. Opens the database with the pragmas tdesk
//! relies on, runs migrations, and offers typed reads ([`Reader`]) and one
//! write transaction at a time ([`Writer`], always `BEGIN IMMEDIATE`).
//!
//! Per-ticket reads run many times in one transaction (an import reads a
//! ticket's tags, events and watchers for every row) and write their key as
//! `= +?1`: with a bare `?1` SQLite marks the statement to be prepared again
//! whenever the parameter is cleared, which the statement cache does after
//! every use, so each read would re-parse its SQL.

mod backup;
mod bulk;
pub use backup::Inspection;
mod changes;
mod customers;
mod drafts;
mod events;
pub use events::NewEvent;
pub use inbox::{NewNotice, NoticeAbout};
mod filter_sql;
mod inbox;
mod interchange;
mod kb;
mod links;
pub use interchange::NewAttachment;
mod list_sql;
mod metrics;
mod milestones;
pub use metrics::FactScan;
pub use milestones::ProgressAt;
pub use time::SpentRow;
mod migrations;
mod order_sql;
mod presence;
mod rows;
mod settings;
mod stats;
mod subtasks;
mod tickets;
mod time;
mod users;
mod views;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::Path;
use std::time::Duration;

use crate::error::{Error, Result};

pub use bulk::{BulkComment, BulkEvent, BulkTicket};
pub use migrations::SCHEMA_VERSION;
pub use presence::{Presence, presence_path};
pub use tickets::{RowExtras, TicketUpdate};

/// The pinyin-initial pairs a ticket is found by: its title's and its customer's.
pub(crate) fn search_initials(title: &str, customer: Option<&str>) -> String {
    let mut pairs = crate::text::initial_pairs(title);
    if let Some(name) = customer {
        let more = crate::text::initial_pairs(name);
        if !more.is_empty() {
            if !pairs.is_empty() {
                pairs.push(' ');
            }
            pairs.push_str(&more);
        }
    }
    pairs
}

/// A customer's searchable keys kept on their tickets: name and its pinyin.
pub(crate) fn customer_keys(name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{n} {}", crate::text::pinyin_keys(n))
            .trim_end()
            .to_string(),
        None => String::new(),
    }
}

/// Registers `tdesk_contains(haystack, needle)`: case-insensitive substring
/// test with Unicode lower-casing, used to verify trigram candidates.
fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "tdesk_contains",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let hay = ctx.get_raw(0).as_str().unwrap_or("");
            let needle = ctx.get_raw(1).as_str().unwrap_or("");
            if needle.is_empty() {
                return Ok(true);
            }
            if hay.is_ascii() && needle.is_ascii() {
                let hay = hay.as_bytes();
                let n = needle.as_bytes();
                return Ok(hay.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n)));
            }
            Ok(hay.to_lowercase().contains(&needle.to_lowercase()))
        },
    )
}

/// How long a writer waits for another writer before giving up. Writes are
/// short, but on a busy two-core server eight writers and a compile can make
/// the queue longer than a few seconds; waiting is better than an agent
/// seeing "database is locked" and retyping.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// How often a waiting writer looks again. SQLite's own handler backs off
/// to 100 ms, which loses every race against a long job that takes the lock
/// again a few milliseconds after each chunk; a short fixed poll gets in.
const BUSY_POLL: Duration = Duration::from_millis(2);

/// The busy handler: wait `BUSY_POLL`, give up after `BUSY_TIMEOUT`.
/// Every so many commits a writer looks at the size of the WAL.
const WAL_CHECK_EVERY: u32 = 64;
/// Past this many frames (8 KiB pages: 32 MiB) it starts the log over.
const WAL_RESTART_FRAMES: i64 = 4096;

/// Prepared statements kept per connection (rusqlite keeps 16 by default).
const STATEMENT_CACHE: usize = 128;

fn busy_wait(attempt: i32) -> bool {
    let limit = BUSY_TIMEOUT.as_millis() / BUSY_POLL.as_millis();
    if u128::try_from(attempt).unwrap_or(0) >= limit {
        return false;
    }
    std::thread::sleep(BUSY_POLL);
    true
}

/// An open desk database.
pub struct Store {
    conn: Connection,
    /// The database file; `None` for in-memory desks.
    path: Option<std::path::PathBuf>,
    /// How it was opened.
    mode: OpenMode,
    /// Transactions committed on this connection (for bounding the WAL).
    writes: u32,
}

/// Whether opening a desk file may start a new desk in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The desk must be there already (every desk named by path, every
    /// team desk): nothing is created, an empty file is an error.
    Existing,
    /// A new desk may be started (`tdesk init`, a first personal desk).
    Create,
}

/// Whether a database holds nothing at all (a new or truncated file).
fn is_blank(conn: &Connection) -> Result<bool> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    Ok(version == 0 && objects == 0)
}

/// Stops a connection's running statement (which then fails with
/// [`crate::Error::Interrupted`]); a no-op when none is running.
pub struct Interrupter(rusqlite::InterruptHandle);

impl Interrupter {
    pub fn interrupt(&self) {
        self.0.interrupt();
    }
}

/// Read access, either on the plain connection or inside a write transaction.
pub struct Reader<'c> {
    conn: &'c Connection,
}

/// One open `BEGIN IMMEDIATE` transaction; commits when the closure passed to
/// [`Store::write`] returns `Ok`, rolls back otherwise.
pub struct Writer<'c> {
    tx: rusqlite::Transaction<'c>,
    /// The last event number handed out in this transaction, written back
    /// to `counters` once at commit. Bumping the counter row per event made
    /// SQLite open a statement savepoint per event, and FTS5 flushes its
    /// pending index on every savepoint: imports wrote thousands of tiny
    /// index segments.
    last_event: Option<i64>,
    /// Tickets whose SLA columns were written complete in this transaction,
    /// and the last event number at that moment (see
    /// [`Writer::note_deadlines_current`]).
    deadlines_current: Option<(i64, std::collections::HashSet<i64>)>,
}

/// Turns off SQLite's global memory statistics, which take one
/// process-wide mutex around every allocation: with the search index of a
/// bulk load built on a second thread, that lock was contended on every row.
/// tdesk never reads those statistics.
fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: `sqlite3_config` is only allowed before SQLite initialises;
        // this runs before this process opens its first connection, and a
        // late call is refused with SQLITE_MISUSE without side effects.
        unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                std::ffi::c_int::from(0u8),
            )
        };
    });
}

impl Store {
    /// Opens the database at `path` and migrates it. Its files are checked
    /// first (no link or special file among them). [`OpenMode::Existing`]
    /// never makes a desk: a missing file fails, and an empty one is
    /// [`Error::EmptyDesk`] before anything is written to it.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Self> {
        Self::open_checked(path, mode).map_err(|e| match e {
            // SQLite only says it cannot open the file (its WAL index).
            Error::Database(_) | Error::Io { .. }
                if crate::deskdir::read_only_fs(&crate::deskdir::desk_dir(path)) =>
            {
                Error::ReadOnlyDesk
            }
            other => other,
        })
    }

    fn open_checked(path: &Path, mode: OpenMode) -> Result<Self> {
        crate::deskdir::check_desk_files(path)?;
        let conn = Self::connect(path, mode)?;
        if mode == OpenMode::Existing && is_blank(&conn)? {
            return Err(Error::EmptyDesk(path.display().to_string()));
        }
        let mut store = Self::setup(conn, true)?;
        store.path = Some(path.to_path_buf());
        store.mode = mode;
        // A team desk's directory is the desk's alone (sticky, group-shared).
        let team = path
            .parent()
            .and_then(|d| std::fs::metadata(d).ok())
            .is_some_and(|m| {
                std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o1000 != 0
            });
        crate::userfile::protect_desk(path, team);
        if team {
            // Many people's promises on one server: every commit reaches
            // the disk before it is acknowledged, a power cut included.
            store.conn.pragma_update(None, "synchronous", "FULL")?;
        }
        Ok(store)
    }

    fn connect(path: &Path, mode: OpenMode) -> Result<Connection> {
        configure_sqlite();
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if mode == OpenMode::Create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        // Before the first read: a reader can meet another connection's
        // recovery or checkpoint and must wait, not fail.
        conn.busy_handler(Some(busy_wait))?;
        Ok(conn)
    }

    /// Replaces the connection with a fresh one to the same file, dropping
    /// every per-connection cache (prepared statements, FTS5 structures).
    fn reconnect(&mut self) -> Result<()> {
        if let Some(path) = self.path.clone() {
            let fresh = Self::setup(Self::connect(&path, OpenMode::Existing)?, true)?;
            self.conn = fresh.conn;
        }
        Ok(())
    }

    /// Another connection to the same desk file, for reading beside this
    /// one on a second thread; `None` for an in-memory desk.
    pub fn second(&self) -> Result<Option<Store>> {
        match &self.path {
            Some(path) => {
                let mut other = Self::setup(Self::connect(path, OpenMode::Existing)?, true)?;
                other.path = Some(path.clone());
                other.mode = self.mode;
                Ok(Some(other))
            }
            None => Ok(None),
        }
    }

    /// Creates a database file migrated only up to `version`: how older
    /// tdesk releases left it. For migration tests and tools.
    pub fn create_at_version(path: &Path, version: i64) -> Result<()> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        register_functions(&conn)?;
        migrations::migrate_to(&mut conn, version)
    }

    /// Runs raw SQL on a database file, outside any desk rules. Only for
    /// tests that must fake what an older release or a broken tool wrote.
    pub fn execute_raw(path: &Path, sql: &str) -> Result<()> {
        Connection::open(path)?.execute_batch(sql)?;
        Ok(())
    }

    /// A private in-memory desk, for tests and dry runs.
    pub fn open_in_memory() -> Result<Self> {
        configure_sqlite();
        Self::setup(Connection::open_in_memory()?, false)
    }

    fn setup(mut conn: Connection, wal: bool) -> Result<Self> {
        // Two connections of one process setting up the same old desk at
        // once (journal mode, then the upgrade) could both run an upgrade
        // step, or meet SQLite's lock without its busy handler ("database
        // is locked"), under load: one set-up per process at a time. Other
        // processes are kept apart by the write lock each step takes.
        static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _turn = ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        conn.busy_handler(Some(busy_wait))?;
        // A writing transaction (an import chunk, its automations, deadlines
        // and notices) runs a few dozen distinct statements per row: keep
        // them all prepared rather than re-parse them row after row.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Takes effect only on a new, empty database: larger pages make bulk
        // loads and the search index cheaper.
        conn.pragma_update(None, "page_size", 8192)?;
        register_functions(&conn)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        if wal {
            let mode: String =
                conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Database(format!(
                    "journal_mode is {mode}, expected wal"
                )));
            }
            // WAL + NORMAL is durable across application crashes; only a power
            // cut can lose the last transactions, never corrupt the file.
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            // A log started over is trimmed to this size (64 MiB).
            conn.pragma_update(None, "journal_size_limit", 64_i64 << 20)?;
        }
        // Temporary files stay in memory: each statement that fires the
        // search triggers keeps a statement journal of the pages it touches
        // (an import row: ~150 KiB), which would otherwise be written to a
        // temporary file row after row; and in enforced team mode a file
        // would be created where the member says (TMPDIR), owned by them.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let mut store = Self {
            conn,
            path: None,
            mode: OpenMode::Create,
            writes: 0,
        };
        migrations::migrate(&mut store.conn)?;
        stats::refresh_if_stale(&store.conn)?;
        Ok(store)
    }

    /// How the desk was opened.
    pub fn mode(&self) -> OpenMode {
        self.mode
    }

    /// Read access on the plain connection.
    pub fn reader(&self) -> Reader<'_> {
        Reader { conn: &self.conn }
    }

    /// A handle that stops this connection's running statement from another thread.
    pub fn interrupter(&self) -> Interrupter {
        Interrupter(self.conn.get_interrupt_handle())
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        let value = {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            if backup::restore_started(&tx)?.is_some() {
                return Err(Error::RestoreUnderWay);
            }
            let mut writer = Writer {
                tx,
                last_event: None,
                deadlines_current: None,
            };
            let value = f(&mut writer)?;
            writer.save_event_counter()?;
            writer.tx.commit()?;
            value
        };
        self.writes = self.writes.wrapping_add(1);
        if self.path.is_some() && self.writes.is_multiple_of(WAL_CHECK_EVERY) {
            self.bound_wal();
        }
        Ok(value)
    }

    /// Keeps the write-ahead log from growing without bound. SQLite's own
    /// checkpoints copy pages back but can only start the log over when no
    /// reader is inside it, which busy readers (six members' screens) may
    /// never allow; past [`WAL_RESTART_FRAMES`] this waits a moment for the
    /// readers to move to the newest snapshot, so the next write starts the
    /// log from its beginning (and `journal_size_limit` trims the file).
    /// Best effort: a busy desk is tried again later.
    fn bound_wal(&self) {
        let frames: Option<i64> = self
            .conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
            .ok();
        if frames.is_some_and(|f| f > WAL_RESTART_FRAMES) {
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(RESTART)", [], |_| Ok(()));
        }
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// FTS5's check that the search indexes match the tickets they index.
    pub fn check_search_index(&self) -> Result<()> {
        self.conn.execute_batch(
            "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1);
             INSERT INTO initials_fts(initials_fts, rank) VALUES ('integrity-check', 1);",
        )?;
        Ok(())
    }

    /// Rebuilds both search indexes from the tickets they index.
    pub fn rebuild_search_index(&mut self) -> Result<()> {
        self.write(|w| {
            w.tx.execute_batch(
                "INSERT INTO search_fts(search_fts) VALUES ('rebuild');
                 INSERT INTO initials_fts(initials_fts) VALUES ('rebuild');",
            )?;
            Ok(())
        })
    }

    /// A number that changes whenever another connection commits to the
    /// database (SQLite's `data_version`): cheap enough to ask twice a second
    /// all day to notice other agents' changes.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// The journal mode (`wal` for every desk tdesk opened).
    pub fn journal_mode(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?)
    }

    /// SQLite's own consistency check; `ok` when healthy.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

impl Writer<'_> {
    /// Reads inside this transaction.
    pub fn reader(&self) -> Reader<'_> {
        Reader { conn: &self.tx }
    }
}

/// Tools for tests that check how SQLite runs the desk's queries.
#[cfg(test)]
impl Store {
    /// From now on, every statement this connection runs is recorded.
    pub(crate) fn record_statements(&mut self) -> std::sync::Arc<std::sync::Mutex<Vec<String>>> {
        use rusqlite::trace::{TraceEvent, TraceEventCodes};
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = seen.clone();
        let _ = self.conn.trace_v2(
            TraceEventCodes::SQLITE_TRACE_STMT,
            Some(move |e: TraceEvent<'_>| {
                if let TraceEvent::Stmt(stmt, _) = e
                    && let Ok(mut all) = sink.lock()
                {
                    all.push(stmt.sql().into_owned());
                }
            }),
        );
        seen
    }

    /// Makes the planner believe the desk holds `tickets` tickets (with
    /// comments, events and the rest in proportion), as `ANALYZE` would
    /// report for a desk that size: plans are then those of a big desk.
    pub(crate) fn pretend_size(&mut self, tickets: i64) -> Result<()> {
        self.conn.execute_batch("ANALYZE")?;
        self.conn.execute(
            "UPDATE sqlite_stat1 SET stat = ?1 || substr(stat, instr(stat, ' ')) \
             WHERE tbl IN ('tickets', 'comments', 'events', 'attachments', 'outbox', \
                           'mail_messages', 'notifications', 'ticket_tags')",
            [tickets * 3],
        )?;
        self.conn.execute_batch("ANALYZE sqlite_schema")?;
        Ok(())
    }

    /// SQLite's plan for `sql`, one line per step.
    pub(crate) fn plan(&self, sql: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        // Parameters only pick values, not the plan's shape: NULL will do.
        for i in 1..=stmt.parameter_count() {
            stmt.raw_bind_parameter(i, rusqlite::types::Null)?;
        }
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(r.get::<_, String>(3)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
