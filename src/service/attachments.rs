//! Attachments: bytes stored once under their SHA-256 in the desk
//! directory (`attachments/ab/abcdef…`), written beside their place and
//! renamed in, so a killed process never leaves half a file where a whole
//! one is expected; the records live in the database. A size limit
//! (`tdesk mail set --attachment-limit`) keeps one huge file from filling
//! the disk.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
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

/// Files named by a member to send with a reply, read whole: (file name,
/// bytes). A file that cannot be read stops the reply with its path.
pub fn read_files(paths: &[PathBuf]) -> Result<Vec<(String, Vec<u8>)>> {
    paths
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "file".into());
            Ok((name, bytes))
        })
        .collect()
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

    /// Stores `bytes` under their hash (once); returns the hash.
    pub(super) fn store_blob(&self, bytes: &[u8]) -> Result<String> {
        let hash = hex(&Sha256::digest(bytes));
        let Some(root) = self.attachments_dir() else {
            // An in-memory desk (tests) keeps the record only.
            return Ok(hash);
        };
        let dir = root.join(&hash[..2]);
        let path = dir.join(&hash);
        if path.exists() {
            return Ok(hash);
        }
        // New directories get their parent's mode: group-writable (and
        // setgid) on a shared desk, private on a personal one.
        let desk_dir = root.parent().unwrap_or(Path::new("."));
        let mode = std::fs::metadata(desk_dir)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o700);
        for d in [&root, &dir] {
            if !d.exists() {
                std::fs::create_dir_all(d).map_err(|e| io_error(d, e))?;
                let _ = std::fs::set_permissions(d, std::fs::Permissions::from_mode(mode));
            }
        }
        let tmp = dir.join(format!(".{hash}.{}.part", std::process::id()));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            let file_mode = if mode & 0o070 != 0 { 0o640 } else { 0o600 };
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(file_mode))?;
            std::fs::rename(&tmp, &path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io_error(&path, e));
        }
        Ok(hash)
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

    /// Where the bytes of `hash` live, if the desk is on disk.
    pub(super) fn blob_path(&self, hash: &str) -> Option<PathBuf> {
        let root = self.attachments_dir()?;
        Some(root.join(&hash[..2.min(hash.len())]).join(hash))
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

    /// An attachment and where its bytes are, if the member may see its ticket.
    pub fn attachment_file(&self, id: i64) -> Result<(Attachment, PathBuf)> {
        let reader = self.store.reader();
        let a = reader
            .attachment(id)?
            .ok_or(Error::AttachmentNotFound(id))?;
        self.visible_ticket(&reader, a.ticket)
            .map_err(|_| Error::AttachmentNotFound(id))?;
        let path = self
            .blob_path(&a.sha256)
            .ok_or(Error::AttachmentNotFound(id))?;
        if !path.exists() {
            return Err(Error::Io {
                path: path.display().to_string(),
                message: "missing".into(),
            });
        }
        Ok((a, path))
    }

    /// An attachment to hand to the system's opener: refused when it could
    /// run a program (by its name or its first bytes — a customer's file is
    /// data, whatever its mail said it was).
    pub fn attachment_to_open(&self, id: i64) -> Result<(Attachment, PathBuf)> {
        let (a, path) = self.attachment_file(id)?;
        let mut head = [0u8; 16];
        let read = std::fs::File::open(&path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .map_err(|e| io_error(&path, e))?;
        if crate::domain::runs_when_opened(&a.name, &head[..read]) {
            return Err(Error::UnsafeToOpen { id, name: a.name });
        }
        Ok((a, path))
    }

    /// Sets the largest attachment kept (admins only).
    pub fn set_attachment_limit(&mut self, bytes: u64) -> Result<()> {
        self.require("action.mail_settings", Role::Admin)?;
        self.store
            .write(|w| w.set_setting(LIMIT_SETTING, &bytes.to_string()))
    }
}
