//! Who is looking at which ticket right now: heartbeat rows in a small
//! database of their own next to the desk (`desk.db-presence`). Kept apart
//! so a heartbeat every few seconds from every open TUI does not count as a
//! change to the desk, which would make every other TUI reload.
//! Rows expire: a reader only counts beats newer than its cut-off, so a
//! killed TUI disappears by itself.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::rows::to_ms;
use crate::error::{Error, Result};

/// The heartbeat database.
pub struct Presence {
    conn: Connection,
}

/// The presence file of the desk at `db`.
pub fn presence_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-presence");
    PathBuf::from(name)
}

impl Presence {
    /// Opens (creating with the desk file's mode and group, so every member
    /// of a team desk can write it) the presence file of the desk at `db`.
    pub fn open(db: &Path) -> Result<Self> {
        let path = presence_path(db);
        // Never through a link a member planted in the desk's directory:
        // made new, or opened as the plain file it must be, and given the
        // desk file's mode and group by descriptor.
        let desk = std::fs::metadata(db).map_err(|e| io(db, e))?;
        let mode = desk.mode() & 0o666;
        let file = crate::deskdir::open_plain(&path, true, mode)?;
        let meta = file.metadata().map_err(|e| io(&path, e))?;
        if meta.uid() == effective_uid() {
            // Best effort: the group is inherited in a setgid directory anyway.
            let _ = std::os::unix::fs::fchown(&file, None, Some(desk.gid()));
            file.set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(|e| io(&path, e))?;
        }
        drop(file);
        let conn = Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(2))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS presence (
                 login TEXT NOT NULL,
                 ticket_id INTEGER NOT NULL,
                 editing INTEGER NOT NULL,
                 seen_at INTEGER NOT NULL,
                 PRIMARY KEY (login, ticket_id)
             ) WITHOUT ROWID;",
        )?;
        Ok(Self { conn })
    }

    /// `login` is on `ticket` (or on none) now, typing into it when `editing`.
    pub fn beat(
        &mut self,
        login: &str,
        ticket: Option<i64>,
        editing: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM presence WHERE login = ?1", [login])?;
        if let Some(id) = ticket {
            tx.execute(
                "INSERT INTO presence (login, ticket_id, editing, seen_at) VALUES (?1, ?2, ?3, ?4)",
                params![login, id, editing, to_ms(now)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Everyone but `me` on `ticket` with a beat at or after `since`:
    /// (login, editing), by login.
    pub fn others(
        &self,
        ticket: i64,
        me: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<(String, bool)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT login, editing FROM presence \
             WHERE ticket_id = ?1 AND login <> ?2 AND seen_at >= ?3 ORDER BY login",
        )?;
        let rows = stmt
            .query_map(params![ticket, me, to_ms(since)], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

/// This process's effective uid.
fn effective_uid() -> libc::uid_t {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() }
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn beats_show_others_until_they_expire_or_move_on() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("desk.db");
        std::fs::write(&db, b"").expect("desk file");
        let t0 = Utc
            .with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
            .single()
            .expect("t0");
        let mut ann = Presence::open(&db).expect("open");
        let mut bob = Presence::open(&db).expect("open again");
        ann.beat("ann", Some(7), false, t0).expect("beat");
        bob.beat("bob", Some(7), true, t0).expect("beat");
        assert_eq!(
            ann.others(7, "ann", t0).expect("others"),
            vec![("bob".to_string(), true)]
        );
        // Bob moves on; Ann's beat goes stale.
        bob.beat("bob", Some(8), false, t0).expect("beat");
        assert!(ann.others(7, "ann", t0).expect("others").is_empty());
        let later = t0 + chrono::Duration::seconds(30);
        assert!(bob.others(7, "bob", later).expect("others").is_empty());
        assert_eq!(bob.others(7, "bob", t0).expect("others").len(), 1);
    }
}
