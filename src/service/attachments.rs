//! Attachments: bytes stored once under their SHA-256 in the desk
//! directory (`attachments/ab/abcdef…`), written beside their place and
//! renamed in, so a killed process never leaves half a file where a whole
//! one is expected; the records live in the database. A size limit
//! (`tdesk mail set --attachment-limit`) keeps one huge file from filling
//! the disk.

use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::domain::{Attachment, Role};
use crate::error::{Error, Result};
use crate::interchange::mail::hex;
use crate::store::NewAttachment;

use super::{Desk, ops};

/// The desk setting with the largest attachment kept, in bytes.
pub const LIMIT_SETTING: &str = "attachments.max_bytes";
/// The limit when none is set: 25 MiB, what common mail services accept.
pub const DEFAULT_LIMIT: u64 = 25 << 20;

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

impl Desk {
    /// The largest attachment the desk keeps, in bytes.
    pub fn attachment_limit(&self) -> Result<u64> {
        Ok(self
            .store
            .reader()
            .setting(LIMIT_SETTING)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_LIMIT))
    }

    /// Where the desk keeps attachment bytes (beside its database).
    pub fn attachments_dir(&self) -> Option<PathBuf> {
        let db = self.path()?;
        Some(db.parent().unwrap_or(Path::new(".")).join("attachments"))
    }

    /// Stores `bytes` under their hash (once); returns the hash. Written to
    /// a new file beside its place and renamed in; nothing is followed
    /// through a link, and the directories get no rights for others.
    pub(super) fn store_blob(&self, bytes: &[u8]) -> Result<String> {
        let hash = hex(&Sha256::digest(bytes));
        let Some(root) = self.attachments_dir() else {
            // An in-memory desk (tests) keeps the record only.
            return Ok(hash);
        };
        let dir = root.join(&hash[..2]);
        let path = dir.join(&hash);
        if std::fs::symlink_metadata(&path).is_ok() {
            return Ok(hash);
        }
        let desk_dir = root.parent().unwrap_or(Path::new("."));
        for d in [&root, &dir] {
            make_store_dir(d, crate::deskdir::subdir_mode(desk_dir))?;
        }
        let tmp = dir.join(format!(".{hash}.{}.part", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let written = (|| {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .custom_flags(libc::O_NOFOLLOW)
                .mode(crate::deskdir::file_mode(desk_dir))
                .open(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            match std::fs::rename(&tmp, &path) {
                // Stored meanwhile by someone else (the sticky bit keeps
                // their file theirs): the same bytes, by their hash.
                Err(_) if std::fs::symlink_metadata(&path).is_ok() => Ok(()),
                other => other,
            }
        })();
        let _ = std::fs::remove_file(&tmp);
        written.map_err(|e| io_error(&path, e))?;
        Ok(hash)
    }

    /// The bytes stored under `hash`: only a plain file, never through a
    /// link, and only for a well-formed hash (a record from an import names
    /// its own, which must not reach outside the store).
    pub(super) fn read_blob(&self, hash: &str, id: i64) -> Result<Vec<u8>> {
        let path = self.blob_path(hash).ok_or(Error::AttachmentNotFound(id))?;
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(&path)
            .map_err(|e| io_error(&path, e))?;
        let meta = file.metadata().map_err(|e| io_error(&path, e))?;
        if !meta.file_type().is_file() {
            return Err(Error::UnsafeDeskFile(path.display().to_string()));
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| io_error(&path, e))?;
        Ok(bytes)
    }

    /// Refuses a file over the desk's attachment limit.
    fn check_attachment_size(&self, bytes: &[u8]) -> Result<()> {
        let limit = self.attachment_limit()?;
        if bytes.len() as u64 > limit {
            return Err(Error::TooLong {
                field: "field.attachment",
                max: limit as usize,
            });
        }
        Ok(())
    }

    /// Where the bytes of `hash` live, if the desk is on disk and `hash`
    /// is a SHA-256 in lower-case hex.
    pub(super) fn blob_path(&self, hash: &str) -> Option<PathBuf> {
        if !crate::domain::is_sha256(hash) {
            return None;
        }
        let root = self.attachments_dir()?;
        Some(root.join(&hash[..2]).join(hash))
    }

    /// A public reply or an internal note with files: the files are kept
    /// with the comment, and a reply that goes out by mail carries them.
    /// Stored before the transaction, so a refused comment leaves at most
    /// unreferenced bytes, never a record without its file.
    pub fn comment_with_files(
        &mut self,
        id: i64,
        body: &str,
        internal: bool,
        files: &[(String, Vec<u8>)],
    ) -> Result<crate::domain::Comment> {
        let mut stored = Vec::new();
        for (name, bytes) in files {
            self.check_attachment_size(bytes)?;
            let name = crate::interchange::mail::safe_file_name(name);
            let mime = crate::domain::mime_for(&name).to_string();
            stored.push((name, mime, bytes.len() as u64, self.store_blob(bytes)?));
        }
        self.write_as("comment", &format!("#{id}"), |w, ctx| {
            let c = ops::comment(w, ctx, id, body, internal)?;
            for (name, mime, size, hash) in &stored {
                w.insert_attachment(&NewAttachment {
                    ticket: id,
                    comment: Some(c.id),
                    name,
                    mime,
                    size: *size,
                    sha256: hash,
                    at: ctx.now,
                })?;
            }
            Ok(c)
        })
    }

    /// Attaches a file to a ticket the member may see.
    pub fn attach(&mut self, ticket: i64, name: &str, mime: &str, bytes: &[u8]) -> Result<i64> {
        self.detail(ticket)?;
        self.check_attachment_size(bytes)?;
        let hash = self.store_blob(bytes)?;
        let name = crate::interchange::mail::safe_file_name(name);
        let mime = mime.to_string();
        let size = bytes.len() as u64;
        self.write_as("attach", &format!("#{ticket} {name}"), |w, ctx| {
            ops::load(w, ctx, ticket, None)?;
            let id = w.insert_attachment(&NewAttachment {
                ticket,
                comment: None,
                name: &name,
                mime: &mime,
                size,
                sha256: &hash,
                at: ctx.now,
            })?;
            ctx.log(
                w,
                ticket,
                crate::domain::EventKind::Field,
                Some("attachment"),
                None,
                Some(&name),
            )?;
            Ok(id)
        })
    }

    /// A ticket's attachments, if the member may see the ticket.
    pub fn attachments(&self, ticket: i64) -> Result<Vec<Attachment>> {
        let reader = self.store.reader();
        self.visible_ticket(&reader, ticket)?;
        reader.attachments(ticket)
    }

    /// An attachment and its bytes, if the member may see its ticket.
    pub fn attachment_content(&self, id: i64) -> Result<(Attachment, Vec<u8>)> {
        let reader = self.store.reader();
        let a = reader
            .attachment(id)?
            .ok_or(Error::AttachmentNotFound(id))?;
        self.visible_ticket(&reader, a.ticket)
            .map_err(|_| Error::AttachmentNotFound(id))?;
        let bytes = self.read_blob(&a.sha256, id)?;
        Ok((a, bytes))
    }

    /// An attachment to hand to the system's opener: refused when it could
    /// run a program (by its name or its first bytes — a customer's file is
    /// data, whatever its mail said it was).
    pub fn attachment_to_open(&self, id: i64) -> Result<(Attachment, Vec<u8>)> {
        let (a, bytes) = self.attachment_content(id)?;
        if crate::domain::runs_when_opened(&a.name, &bytes[..bytes.len().min(16)]) {
            return Err(Error::UnsafeToOpen { id, name: a.name });
        }
        Ok((a, bytes))
    }

    /// Sets the largest attachment kept (admins only).
    pub fn set_attachment_limit(&mut self, bytes: u64) -> Result<()> {
        self.require("action.mail_settings", Role::Admin)?;
        self.store
            .write(|w| w.set_setting(LIMIT_SETTING, &bytes.to_string()))
    }
}

/// Makes a directory of the attachment store with `mode` (after the umask
/// it may lack the group bits, so they are set again), unless it is there
/// as a real directory; a link or file in its place is refused.
fn make_store_dir(dir: &Path, mode: u32) -> Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_dir() => return Ok(()),
        Ok(_) => return Err(Error::UnsafeDeskFile(dir.display().to_string())),
        Err(_) => {}
    }
    match std::fs::DirBuilder::new().mode(mode).create(dir) {
        Ok(()) => {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode));
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => make_store_dir_exists(dir),
        Err(e) => Err(io_error(dir, e)),
    }
}

/// Another process made it first: fine if it is a directory.
fn make_store_dir_exists(dir: &Path) -> Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_dir() => Ok(()),
        _ => Err(Error::UnsafeDeskFile(dir.display().to_string())),
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::is_sha256;

    #[test]
    fn only_well_formed_hashes_name_a_stored_file() {
        let good = "a".repeat(64);
        assert!(is_sha256(&good));
        for bad in [
            "/etc/passwd",
            "../../../../etc/passwd",
            &"A".repeat(64),
            &"a".repeat(63),
            &format!("{}/", "a".repeat(63)),
            "",
        ] {
            assert!(!is_sha256(bad), "{bad}");
        }
    }
}
