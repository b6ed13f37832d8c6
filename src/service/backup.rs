//! Backups and restores (admins): the database through SQLite's online
//! backup API while others keep writing, checked before it takes its name;
//! the attachments beside it, stored by content so each is copied once
//! over all backups in a folder; old backups rotated; a restore that
//! checks the backup first, refuses a newer schema and keeps the desk it
//! replaces.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::domain::Role;
use crate::error::{Error, Result};
use crate::interchange::mail::hex;
use crate::privilege::as_member_for;
use crate::store::{SCHEMA_VERSION, Store};
use crate::userfile::{self, Overwrite};

use super::Desk;

/// Backups `tdesk backup DIR` makes are named `tdesk-<UTC time>.db`.
const PREFIX: &str = "tdesk-";
const SUFFIX: &str = ".db";
/// Where attachments go, beside the backup file.
const ATTACHMENTS: &str = "attachments";

/// What a backup did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupOutcome {
    pub file: PathBuf,
    pub tickets: i64,
    /// Attachments copied now, and already there from an earlier backup.
    pub copied: usize,
    pub present: usize,
    /// Attachments the desk's own store had lost (not copied).
    pub missing: usize,
    /// Older backups removed by `--keep`.
    pub removed: Vec<PathBuf>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RestoreOutcome {
    pub tickets: i64,
    /// The desk as it was before, kept beside it.
    pub kept: PathBuf,
    /// Attachments brought back into the desk's store.
    pub attachments: usize,
    /// Attachments the backup's folder did not have.
    pub missing: usize,
}

fn stamp(now: chrono::DateTime<chrono::Utc>) -> String {
    now.format("%Y%m%d-%H%M%S-%3f").to_string()
}

fn damaged(path: &Path, what: String) -> Error {
    Error::BackupDamaged {
        path: path.display().to_string(),
        problem: what,
    }
}

impl Desk {
    /// Backs the desk up to `target`: a new file, or a folder to put
    /// `tdesk-<time>.db` in (then `keep` keeps that many of them).
    pub fn backup(&self, target: &Path, keep: Option<usize>) -> Result<BackupOutcome> {
        self.require("action.backup", Role::Admin)?;
        let into_folder = userfile::is_dir(target);
        let (file, folder) = if into_folder {
            let name = format!("{PREFIX}{}{SUFFIX}", stamp(self.clock.now()));
            (target.join(name), target.to_path_buf())
        } else {
            let folder = match target.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            (target.to_path_buf(), folder)
        };
        if keep.is_some() && !into_folder {
            return Err(Error::KeepNeedsFolder(target.display().to_string()));
        }
        userfile::refuse_desk_target(&file)?;
        if userfile::exists(&file) {
            return Err(Error::FileExists(file.display().to_string()));
        }
        // A name nobody can guess, made here first, empty and the admin's
        // alone (0600), so no one reads the copy while it grows nor hands
        // tdesk a file of theirs to write it into.
        // The copy grows in a folder of the admin's alone (0700, made new
        // under a name nobody can guess), so nobody reads it meanwhile nor
        // puts a file beside it (a journal SQLite would roll into it).
        let nanos = self.clock.now().timestamp_nanos_opt().unwrap_or(0);
        let mut work = file.clone().into_os_string();
        work.push(format!(".{}-{nanos:x}.part", std::process::id()));
        let work = PathBuf::from(work);
        userfile::create_private_dir(&work)?;
        let part = work.join("desk.db");
        let made = userfile::create_empty_private(&part)
            .and_then(|()| as_member_for(|| self.store.backup_into(&part, None)))
            .and_then(|()| as_member_for(|| Store::inspect(&part)))
            .and_then(|check| {
                if check.integrity != "ok" || check.schema != SCHEMA_VERSION {
                    let problem = format!("{} (schema {})", check.integrity, check.schema);
                    return Err(damaged(&file, problem));
                }
                userfile::rename_new(&part, &file).map(|()| check)
            });
        userfile::remove_dir_all(&work);
        let check = made?;
        let (copied, present, missing) = self.copy_attachments_out(&folder.join(ATTACHMENTS))?;
        let removed = match keep {
            Some(keep) => rotate(&folder, keep, &file)?,
            None => Vec::new(),
        };
        Ok(BackupOutcome {
            file,
            tickets: check.tickets,
            copied,
            present,
            missing,
            removed,
        })
    }

    /// Copies every stored attachment into `store` (as `ab/<hash>`) unless
    /// it is there already.
    fn copy_attachments_out(&self, store: &Path) -> Result<(usize, usize, usize)> {
        let (mut copied, mut present, mut missing) = (0, 0, 0);
        let hashes = self.store.attachment_hashes()?;
        if !hashes.is_empty() {
            // A link planted in its place is refused, never written through.
            userfile::create_private_dir_all(store)?;
        }
        for hash in hashes {
            if !crate::domain::is_sha256(&hash) {
                continue;
            }
            let dest = store.join(&hash[..2]).join(&hash);
            if userfile::exists(&dest) {
                present += 1;
                continue;
            }
            // A file gone from the desk's store is counted, not fatal.
            let Ok(bytes) = self.read_blob(&hash, 0) else {
                missing += 1;
                continue;
            };
            userfile::create_private_dir_all(&store.join(&hash[..2]))?;
            userfile::write(&dest, &bytes, Overwrite::Never)?;
            copied += 1;
        }
        Ok((copied, present, missing))
    }

    /// SQLite's checks of a database file, opened read-only (for `doctor`
    /// before it opens a desk for writing).
    pub fn inspect_file(path: &Path) -> Result<crate::store::Inspection> {
        Store::inspect(path)
    }

    /// Checks a backup as `restore` would, without touching the desk.
    pub fn inspect_backup(&self, file: &Path) -> Result<crate::store::Inspection> {
        self.require("action.restore", Role::Admin)?;
        // Only a plain file: SQLite would wait forever on a fifo.
        if !userfile::is_plain_file(file) {
            return Err(Error::NotAFile(file.display().to_string()));
        }
        let check = as_member_for(|| Store::inspect(file))?;
        if check.integrity != "ok" {
            return Err(damaged(file, check.integrity));
        }
        if check.schema > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                found: check.schema,
                supported: SCHEMA_VERSION,
            });
        }
        // Any SQLite file is sound; only a desk with an admin is a backup.
        if check.schema == 0 || check.admins == 0 || !check.complete {
            return Err(Error::NotADeskBackup(file.display().to_string()));
        }
        Ok(check)
    }

    /// Takes writes again after a restore that was stopped before it ended
    /// (admin only): the desk is then as it was or as the backup, whole;
    /// false when no restore was under way.
    pub fn end_restore(&mut self) -> Result<bool> {
        self.require("action.end_restore", crate::domain::Role::Admin)?;
        self.store.end_restore()
    }

    /// Replaces the desk with the backup `file`, after checking it: it must
    /// pass SQLite's integrity check and be of this build's schema or an
    /// older one (migrated after). The desk as it was is kept beside it as
    /// `desk.db-before-restore-<time>`; attachments come back from the
    /// backup's folder.
    pub fn restore(&mut self, file: &Path) -> Result<RestoreOutcome> {
        let check = self.inspect_backup(file)?;
        let Some(db) = self.path.clone() else {
            return Err(Error::Database(
                "an in-memory desk has nothing to restore into".into(),
            ));
        };
        let now = self.clock.now();
        // A name no member can guess, so none can be planted in its way.
        let kept = crate::deskdir::sibling(
            &db,
            &format!(
                "{}{}-{}-{:x}",
                crate::deskdir::BEFORE_RESTORE,
                stamp(now),
                std::process::id(),
                now.timestamp_nanos_opt().unwrap_or(0) & 0xFFFF_FFFF
            ),
        );
        let mode = crate::deskdir::desk_file_mode(&db);
        self.store.restore_keeping(file, &kept, mode)?;
        self.store.reopen()?;
        let folder = file.parent().map(|p| p.join(ATTACHMENTS));
        let (attachments, missing) = match folder {
            Some(store) => self.copy_attachments_in(&store)?,
            None => (0, 0),
        };
        Ok(RestoreOutcome {
            tickets: check.tickets,
            kept,
            attachments,
            missing,
        })
    }

    /// Brings back every attachment the restored desk names that its store
    /// lacks, from a backup folder's store, checked against its hash.
    fn copy_attachments_in(&self, store: &Path) -> Result<(usize, usize)> {
        let (mut brought, mut missing) = (0, 0);
        // No file larger than the desk takes as an attachment.
        let limit = self.attachment_limit()?;
        for hash in self.store.attachment_hashes()? {
            if !crate::domain::is_sha256(&hash) || self.read_blob(&hash, 0).is_ok() {
                continue;
            }
            let source = store.join(&hash[..2]).join(&hash);
            match userfile::read(&source, limit) {
                Ok(bytes) if hex(&Sha256::digest(&bytes)) == hash => {
                    self.store_blob(&bytes)?;
                    brought += 1;
                }
                _ => missing += 1,
            }
        }
        Ok((brought, missing))
    }
}

/// Whether `name` is one `tdesk backup DIR` gives: `tdesk-YYYYMMDD-HHMMSS-mmm.db`.
fn is_backup_name(name: &str) -> bool {
    let Some(stamp) = name
        .strip_prefix(PREFIX)
        .and_then(|n| n.strip_suffix(SUFFIX))
    else {
        return false;
    };
    let shape = "dddddddd-dddddd-ddd";
    stamp.len() == shape.len()
        && stamp.chars().zip(shape.chars()).all(|(c, s)| match s {
            'd' => c.is_ascii_digit(),
            _ => c == s,
        })
}

/// Removes all but the newest `keep` backups `tdesk backup` made in
/// `folder` — only the member's own plain files named as it names them,
/// never `just_made`.
fn rotate(folder: &Path, keep: usize, just_made: &Path) -> Result<Vec<PathBuf>> {
    let mut ours: Vec<PathBuf> = userfile::own_plain_files(folder)?
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_backup_name)
                && p.file_name() != just_made.file_name()
        })
        .collect();
    // Their names sort by time; the one just made is the newest of all.
    ours.sort();
    let old = ours.len().saturating_sub(keep.max(1) - 1);
    let removed: Vec<PathBuf> = ours.drain(..old).collect();
    for p in &removed {
        userfile::remove(p);
    }
    Ok(removed)
}
