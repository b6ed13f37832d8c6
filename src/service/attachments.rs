//! Attachments: bytes stored once under their SHA-256 in the desk
//! directory (`attachments/ab/abcdef…`), written beside their place and
//! renamed in, so a killed process never leaves half a file where a whole
//! one is expected; the records live in the database. A size limit
//! (`tdesk mail set --attachment-limit`) keeps one huge file from filling
//! the disk.

use crate::domain::ChangeKind;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::mail_out::Route;
use crate::domain::{Attachment, Channel, CommentKind, MailFate, Role};
use crate::error::{Error, Result};
use crate::interchange::mail::hex;
use crate::store::NewAttachment;

use super::{Desk, ops};

/// The desk setting with the largest attachment kept, in bytes.
pub const LIMIT_SETTING: &str = "attachments.max_bytes";
/// The limit when none is set: 25 MiB, what common mail services accept.
pub const DEFAULT_LIMIT: u64 = 25 << 20;

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

    /// Stores `bytes` under their hash (once); returns the hash. Written to
    /// a new file beside its place and renamed in. Every step below the
    /// desk directory is opened relative to the one above it without
    /// following links, so no link a member planted or swapped in (for a
    /// file or a whole directory) is ever written through; the directories
    /// get no rights for others.
    pub(super) fn store_blob(&self, bytes: &[u8]) -> Result<String> {
        let hash = hex(&Sha256::digest(bytes));
        let Some(fan) = self.blob_dir(&hash, true)? else {
            // An in-memory desk (tests) keeps the record only.
            return Ok(hash);
        };
        if fan.has(&hash) {
            return Ok(hash);
        }
        let desk_dir = self.desk_dir().unwrap_or_else(|| PathBuf::from("."));
        let tmp = format!(".{hash}.{}.part", std::process::id());
        fan.remove(&tmp);
        let placed = fan
            .write_new(&tmp, bytes, crate::deskdir::file_mode(&desk_dir))
            .and_then(|()| match fan.rename(&tmp, &hash) {
                // Stored meanwhile by someone else (the sticky bit keeps
                // their file theirs): the same bytes, by their hash.
                Err(_) if fan.has(&hash) => Ok(()),
                other => other,
            });
        fan.remove(&tmp);
        placed?;
        Ok(hash)
    }

    /// The store's directory for `hash` (`attachments/ab`), opened step by
    /// step without following links; made when `create`. `None` for an
    /// in-memory desk.
    fn blob_dir(&self, hash: &str, create: bool) -> Result<Option<crate::deskdir::DirHandle>> {
        let Some(desk_dir) = self.desk_dir() else {
            return Ok(None);
        };
        let mode = crate::deskdir::subdir_mode(&desk_dir);
        let root = crate::deskdir::DirHandle::open(&desk_dir)?.subdir(
            crate::deskdir::ATTACHMENTS_DIR,
            mode,
            create,
        )?;
        Ok(Some(root.subdir(&hash[..2], mode, create)?))
    }

    /// The directory the desk's database is in.
    fn desk_dir(&self) -> Option<PathBuf> {
        self.path().map(crate::deskdir::desk_dir)
    }

    /// The bytes stored under `hash`: only a plain file, never through a
    /// link at any step, and only for a well-formed hash (a record from an
    /// import names its own, which must not reach outside the store).
    pub(super) fn read_blob(&self, hash: &str, id: i64) -> Result<Vec<u8>> {
        if !crate::domain::is_sha256(hash) {
            return Err(Error::AttachmentNotFound(id));
        }
        let Some(fan) = self.blob_dir(hash, false)? else {
            return Err(Error::AttachmentNotFound(id));
        };
        let bytes = fan.read_file(hash)?;
        // A stored file is named by its content: anything else in its place
        // (changed on disk, by hand or by accident) is not handed out.
        if hex(&Sha256::digest(&bytes)) != hash {
            return Err(Error::AttachmentDamaged(id));
        }
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
        let kind = if internal {
            CommentKind::Note
        } else {
            CommentKind::Reply
        };
        self.post(id, body, kind, files).map(|(c, _)| c)
    }

    /// Posts a comment of `kind` with files; returns it and what became of
    /// it on its way to the customer (queued, or waiting for mail to be set
    /// up — the member is told, the letter kept).
    pub fn post(
        &mut self,
        id: i64,
        body: &str,
        kind: CommentKind,
        files: &[(String, Vec<u8>)],
    ) -> Result<(crate::domain::Comment, MailFate)> {
        // "Given on another channel" is for what tdesk cannot send: a reply
        // by mail is a plain reply, and an import is no channel one answers on.
        if let CommentKind::Given(channel @ (Channel::Email | Channel::Import)) = kind {
            return Err(Error::Invalid(crate::domain::InvalidValue::new(
                "channel",
                channel.as_str(),
                "phone, chat, social, marketplace, web or other (a reply by e-mail is a plain reply)",
            )));
        }
        // A canned reply with a variable nobody filled in is never sent.
        let gaps = crate::rules::canned::gaps(body);
        if kind != CommentKind::Note && !gaps.is_empty() {
            return Err(Error::ReplyHasGaps(gaps));
        }
        let mut stored = Vec::new();
        for (name, bytes) in files {
            self.check_attachment_size(bytes)?;
            let name = crate::interchange::mail::safe_file_name(name);
            let mime = crate::domain::mime_for(&name).to_string();
            stored.push((name, mime, bytes.len() as u64, self.store_blob(bytes)?));
        }
        let private = self.is_private();
        self.write_as(ChangeKind::Comment, &format!("#{id}"), |w, ctx| {
            let (c, route) = ops::add_comment(w, ctx, id, body, kind)?;
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
            let fate = match route {
                Route::NotByMail => MailFate::NotByMail,
                Route::NoAddress => MailFate::NoAddress,
                Route::Queued if super::mail_out::mail_ready(&w.reader(), private)? => {
                    MailFate::Queued
                }
                Route::Queued => MailFate::WaitingForSetUp,
            };
            Ok((c, fate))
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
        self.write_as(
            ChangeKind::Attach,
            &format!("#{ticket} {name}"),
            |w, ctx| {
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
            },
        )
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
        let head = &bytes[..bytes.len().min(4096)];
        // The name as stored and as the copy will be called: both must pass.
        let copy_name = crate::interchange::mail::safe_file_name(&a.name);
        if crate::domain::runs_when_opened(&a.name, head)
            || crate::domain::runs_when_opened(&copy_name, head)
        {
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
