//! Copies of a whole desk database through SQLite's online backup API:
//! never a file copy of a live database. A backup is taken in one step,
//! inside one read snapshot, so writers carry on and the copy is exactly
//! the desk as of one committed transaction; a restore writes a backup
//! into the live database the same way, under its write lock, so every
//! other connection sees the restored desk at its next transaction.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::Store;

/// Set while a restore runs; writes are refused meanwhile.
pub(super) const RESTORING: &str = "restore_under_way";
/// A restore flag older than this was left by a restore that was killed.
pub(super) const RESTORE_STALE_MS: i64 = 10 * 60 * 1000;

/// When the restore under way began (milliseconds since 1970), if one is:
/// a flag from the future or from long ago was left by no restore now.
pub(super) fn restore_started(conn: &Connection) -> Result<Option<i64>> {
    let flag: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([RESTORING], |r| r.get(0))
        .optional()?;
    Ok(flag
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|at| (0..RESTORE_STALE_MS).contains(&(now_ms() - at))))
}

impl Store {
    /// When a restore still under way (or stopped before it ended) began,
    /// and when writes are taken again by themselves.
    pub fn restore_under_way(&self) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>> {
        Ok(restore_started(&self.conn)?.map(|at| {
            (
                super::rows::from_ms(at),
                super::rows::from_ms(at + RESTORE_STALE_MS),
            )
        }))
    }

    /// Takes writes again after a restore that was stopped before it ended
    /// (the desk is then either as it was or as the backup, never a mix).
    pub fn end_restore(&self) -> Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM settings WHERE key = ?1", [RESTORING])?
            == 1)
    }
}

pub(super) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
use crate::error::{Error, Result};

/// What a database file holds, by SQLite's own checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// `ok`, or the first problem `integrity_check` found.
    pub integrity: String,
    pub schema: i64,
    pub tickets: i64,
    /// Active admins: a desk without one could not be used after a restore.
    pub admins: i64,
    /// It has every table a desk is made of (not a look-alike).
    pub complete: bool,
}

fn copy_all(from: &Connection, to: &mut Connection) -> Result<()> {
    let backup = Backup::new(from, to)?;
    // Every page in one step: one snapshot of the source, never restarted
    // by another connection's write.
    match backup.step(-1)? {
        StepResult::Done => Ok(()),
        other => Err(Error::Database(format!("backup stopped: {other:?}"))),
    }
}

impl Store {
    /// Writes the whole desk into the new database file `dest` (which must
    /// not exist). The file is created with the caller's rights, and given
    /// `mode` when one is named.
    pub fn backup_into(&self, dest: &Path, mode: Option<u32>) -> Result<()> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut out = Connection::open_with_flags(dest, flags).map_err(|e| Error::Io {
            path: dest.display().to_string(),
            message: e.to_string(),
        })?;
        // No journal beside a copy being made: a copy cut short is thrown
        // away, never rolled back.
        out.pragma_update(None, "journal_mode", "OFF")?;
        copy_all(&self.conn, &mut out)?;
        // A backup is one file: no WAL beside it.
        out.pragma_update(None, "journal_mode", "DELETE")?;
        drop(out);
        if let Some(mode) = mode {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dest, std::fs::Permissions::from_mode(mode)).map_err(|e| {
                Error::Io {
                    path: dest.display().to_string(),
                    message: e.to_string(),
                }
            })?;
        }
        Ok(())
    }

    /// Opens a database file read-only and checks it: integrity, schema
    /// version, how many tickets. Never writes to it.
    pub fn inspect(path: &Path) -> Result<Inspection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| Error::Database(e.to_string()))?;
        // One line: the first problem SQLite names (not its header).
        let integrity = integrity
            .lines()
            .find(|l| !l.starts_with("***"))
            .unwrap_or(&integrity)
            .to_string();
        let complete = conn
            .query_row(
                "SELECT count(*) = 6 FROM sqlite_schema WHERE type = 'table' AND name IN \
                 ('tickets', 'users', 'comments', 'events', 'settings', 'customers')",
                [],
                |r| r.get(0),
            )
            .unwrap_or(false);
        let schema: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let tickets: i64 = conn
            .query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))
            .unwrap_or(0);
        let admins: i64 = conn
            .query_row(
                "SELECT count(*) FROM users WHERE role = 'admin' AND active",
                [],
                |r| r.get(0),
            )
            .or_else(|_| {
                // Before members could be made inactive (version 1).
                conn.query_row("SELECT count(*) FROM users WHERE role = 'admin'", [], |r| {
                    r.get(0)
                })
            })
            .unwrap_or(0);
        Ok(Inspection {
            integrity,
            schema,
            tickets,
            admins,
            complete,
        })
    }

    /// Keeps the desk as it is in `kept` (given `kept_mode`) and replaces it
    /// with `src`. From before the copy is kept until the restore is done,
    /// every other write is refused ("a restore is under way") instead of
    /// acknowledged, so a change anyone was told was saved is in one desk
    /// or the other, never lost between them.
    pub fn restore_keeping(&mut self, src: &Path, kept: &Path, kept_mode: u32) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
            rusqlite::params![RESTORING, now_ms().to_string()],
        )?;
        let result = self
            .keep_copy(kept, kept_mode)
            .and_then(|()| {
                let copy = Connection::open(kept).map_err(|e| Error::Io {
                    path: kept.display().to_string(),
                    message: e.to_string(),
                })?;
                copy.execute("DELETE FROM settings WHERE key = ?1", [RESTORING])?;
                Ok(())
            })
            .and_then(|()| {
                crate::privilege::as_member_for(|| {
                    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                    let from = Connection::open_with_flags(src, flags).map_err(|e| Error::Io {
                        path: src.display().to_string(),
                        message: e.to_string(),
                    })?;
                    copy_all(&from, &mut self.conn)
                })
            });
        // Whatever happened, writes are taken again.
        let _ = self
            .conn
            .execute("DELETE FROM settings WHERE key = ?1", [RESTORING]);
        result
    }

    /// Writes the desk to `kept` by way of a new folder only this account
    /// can enter (nothing planted beside the copy, nothing written into a
    /// file someone else made), then gives it its name without replacing
    /// anything.
    fn keep_copy(&self, kept: &Path, mode: u32) -> Result<()> {
        use std::os::unix::fs::DirBuilderExt;
        let io = |path: &Path, e: std::io::Error| Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let mut work = kept.as_os_str().to_owned();
        work.push(".part");
        let work = std::path::PathBuf::from(work);
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&work)
            .map_err(|e| io(&work, e))?;
        let inside = work.join("desk.db");
        let made = self
            .backup_into(&inside, Some(mode))
            .and_then(|()| std::fs::hard_link(&inside, kept).map_err(|e| io(kept, e)));
        let _ = std::fs::remove_dir_all(&work);
        made
    }

    /// After a restore: a fresh connection (nothing cached of the desk
    /// before) that brings the restored database to this build's schema.
    pub fn reopen(&mut self) -> Result<()> {
        self.reconnect()?;
        if self.path.is_none() {
            super::migrations::migrate(&mut self.conn)?;
        }
        Ok(())
    }

    /// The content hashes of every stored attachment.
    pub fn attachment_hashes(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT sha256 FROM attachments ORDER BY 1")?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
