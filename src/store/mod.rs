//! The only module that speaks SQL. Opens the database with the pragmas tdesk
//! relies on, runs migrations, and offers typed reads ([`Reader`]) and one
//! write transaction at a time ([`Writer`], always `BEGIN IMMEDIATE`).

mod customers;
mod events;
pub use events::NewEvent;
mod filter_sql;
mod migrations;
mod rows;
mod settings;
mod tickets;
mod users;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::Path;
use std::time::Duration;

use crate::error::{Error, Result};

pub use migrations::SCHEMA_VERSION;
pub use tickets::TicketUpdate;

/// How long a writer waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open desk database.
pub struct Store {
    conn: Connection,
}

/// Read access, either on the plain connection or inside a write transaction.
pub struct Reader<'c> {
    conn: &'c Connection,
}

/// One open `BEGIN IMMEDIATE` transaction; commits when the closure passed to
/// [`Store::write`] returns `Ok`, rolls back otherwise.
pub struct Writer<'c> {
    tx: rusqlite::Transaction<'c>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::Io {
                path: dir.display().to_string(),
                message: e.to_string(),
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::setup(conn, true)
    }

    /// Opens an existing database without creating it.
    pub fn open_existing(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Err(Error::Io {
                path: path.display().to_string(),
                message: "no such file".into(),
            });
        }
        Self::open(path)
    }

    /// Creates a database file migrated only up to `version`: how older
    /// tdesk releases left it. For migration tests and tools.
    pub fn create_at_version(path: &Path, version: i64) -> Result<()> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
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
        Self::setup(Connection::open_in_memory()?, false)
    }

    fn setup(conn: Connection, wal: bool) -> Result<Self> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
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
        }
        let mut store = Self { conn };
        migrations::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// Read access on the plain connection.
    pub fn reader(&self) -> Reader<'_> {
        Reader { conn: &self.conn }
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut writer = Writer { tx };
        let value = f(&mut writer)?;
        writer.tx.commit()?;
        Ok(value)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
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

#[cfg(test)]
mod tests;
