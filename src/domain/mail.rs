//! Mail and files around a ticket: attachments and replies waiting to go out.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A file kept with a ticket; its bytes live in the desk directory under
/// their SHA-256, so the same file sent twice is stored once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    pub ticket: i64,
    /// The comment (message) it came with, if any.
    pub comment: Option<i64>,
    pub name: String,
    pub mime: String,
    pub size: u64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

/// A SHA-256 as the attachment store names it: 64 lower-case hex digits.
/// Only such a hash may become a path in the store.
pub fn is_sha256(hash: &str) -> bool {
    hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A public reply queued for the mail command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutgoingMail {
    pub id: i64,
    pub ticket: i64,
    pub comment: i64,
    pub message_id: String,
    pub recipient: String,
    pub attempts: i64,
    pub next_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// Why the last try failed.
    pub error: Option<String>,
}

/// The media type of a file by its name's extension (what mail programs
/// need to show it); `application/octet-stream` when unknown.
pub fn mime_for(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("txt") => "text/plain",
        Some("csv") => "text/csv",
        Some("html" | "htm") => "text/html",
        Some("zip") => "application/zip",
        Some("eml") => "message/rfc822",
        Some("doc") => "application/msword",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xls") => "application/vnd.ms-excel",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// Would opening this file possibly run a program? A file is handed to
/// the system's opener only when its name says it is a document or a
/// picture tdesk recognises AND its first bytes say the same: the opener
/// (`xdg-open`) decides by content when it can, so a launcher named
/// `invoice.pdf`, or one without an extension, or text that turns out to
/// be a desktop entry, must never reach it. Anything else is saved and
/// checked by hand.
pub fn runs_when_opened(name: &str, head: &[u8]) -> bool {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let starts = |magic: &[u8]| head.starts_with(magic);
    let recognised = match ext.as_str() {
        "pdf" => starts(b"%PDF-"),
        "png" => starts(b"\x89PNG\r\n\x1a\n"),
        "jpg" | "jpeg" => starts(b"\xff\xd8\xff"),
        "gif" => starts(b"GIF87a") || starts(b"GIF89a"),
        "webp" => starts(b"RIFF") && head.get(8..12) == Some(b"WEBP"),
        "bmp" => starts(b"BM"),
        // Office files are zip archives; their macros stay off by default.
        "docx" | "xlsx" | "pptx" | "odt" | "ods" | "odp" => starts(b"PK\x03\x04"),
        "txt" | "csv" | "log" | "md" => plain_text(head),
        _ => false,
    };
    !recognised
}

/// Text a viewer shows as text: no NUL, no shebang, and nothing a desktop
/// would take for a launcher anywhere in it (KDE's start with a comment).
fn plain_text(head: &[u8]) -> bool {
    let launcher = |needle: &[u8]| {
        head.windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    !head.contains(&0)
        && !head.starts_with(b"#!")
        && !launcher(b"[Desktop Entry]")
        && !launcher(b"[KDE Desktop Entry]")
}

/// The comment event field of a message from the customer.
pub const CUSTOMER_MESSAGE: &str = "customer";

/// Is this comment author a customer (an address) rather than a member (a login)?
pub fn is_customer_author(author: &str) -> bool {
    author.contains('@')
}

/// Why an unsent letter is held back when its ticket was reopened (a
/// satisfaction request that no longer holds).
pub const WITHDRAWN: &str = "withdrawn: the ticket was reopened";

/// How a letter that came back undelivered is marked (then the reason).
pub const BOUNCED: &str = "bounced: ";

/// Whether a letter's error says it came back undelivered.
pub fn is_bounced(error: &str) -> bool {
    error.starts_with(BOUNCED)
}

/// Whether a letter's error says it was withdrawn rather than failed.
pub fn is_withdrawn(error: &str) -> bool {
    error == WITHDRAWN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_recognised_documents_and_pictures_are_opened() {
        // Launchers, scripts and executables, whatever they are called.
        assert!(runs_when_opened("invoice.pdf.desktop", b"%PDF-1.4"));
        assert!(runs_when_opened("label.pdf", b"[Desktop Entry]\nExec=sh"));
        assert!(runs_when_opened("photo.png", b"\x7fELF\x02"));
        assert!(runs_when_opened("Setup.EXE", b"MZ"));
        assert!(runs_when_opened(
            "noext",
            b"# KDE Config File\n[Desktop Entry]\nExec=x"
        ));
        assert!(runs_when_opened(
            "notes.txt",
            b"# KDE Config File\n[Desktop Entry]\nExec=x"
        ));
        assert!(runs_when_opened("run.txt", b"#!/bin/sh\nrm -rf ~"));
        assert!(runs_when_opened("unknown.xyz", b"hello"));
        assert!(runs_when_opened("fake.jpg", b"%PDF-1.4"));
        // The real thing opens.
        assert!(!runs_when_opened("label.pdf", b"%PDF-1.4"));
        assert!(!runs_when_opened("照片.png", b"\x89PNG\r\n\x1a\n...."));
        assert!(!runs_when_opened("Photo.JPG", b"\xff\xd8\xff\xe0"));
        assert!(!runs_when_opened(
            "notes.txt",
            "退款说明\nthanks".as_bytes()
        ));
        assert!(!runs_when_opened("order.xlsx", b"PK\x03\x04rest"));
    }

    #[test]
    fn media_types_follow_the_extension_in_any_case() {
        assert_eq!(mime_for("label.PDF"), "application/pdf");
        assert_eq!(mime_for("照片.jpeg"), "image/jpeg");
        assert_eq!(mime_for("no-extension"), "application/octet-stream");
        assert_eq!(mime_for("archive.tar.gz"), "application/octet-stream");
    }
}
