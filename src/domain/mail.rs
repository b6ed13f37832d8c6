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

/// Would opening this file run a program? By its name (launchers, scripts,
/// installers) or its first bytes (a shebang, ELF, Windows executables,
/// desktop launchers), whatever the mail claimed its type to be.
pub fn runs_when_opened(name: &str, head: &[u8]) -> bool {
    const RISKY: [&str; 24] = [
        "desktop", "sh", "bash", "zsh", "csh", "run", "bin", "appimage", "exe", "com", "bat",
        "cmd", "scr", "msi", "ps1", "vbs", "js", "jse", "wsf", "jar", "app", "command", "py", "pl",
    ];
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let risky_name = ext.as_deref().is_some_and(|e| RISKY.contains(&e));
    let risky_bytes = head.starts_with(b"#!")
        || head.starts_with(b"\x7fELF")
        || head.starts_with(b"MZ")
        || head.starts_with(b"[Desktop Entry]");
    risky_name || risky_bytes
}

/// The comment event field of a message from the customer.
pub const CUSTOMER_MESSAGE: &str = "customer";

/// Is this comment author a customer (an address) rather than a member (a login)?
pub fn is_customer_author(author: &str) -> bool {
    author.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launchers_scripts_and_executables_are_not_opened() {
        assert!(runs_when_opened("invoice.pdf.desktop", b"%PDF"));
        assert!(runs_when_opened("label.pdf", b"[Desktop Entry]\nExec=sh"));
        assert!(runs_when_opened("photo.png", b"\x7fELF\x02"));
        assert!(runs_when_opened("Setup.EXE", b""));
        assert!(!runs_when_opened("label.pdf", b"%PDF-1.4"));
        assert!(!runs_when_opened("照片.png", b"\x89PNG"));
    }

    #[test]
    fn media_types_follow_the_extension_in_any_case() {
        assert_eq!(mime_for("label.PDF"), "application/pdf");
        assert_eq!(mime_for("照片.jpeg"), "image/jpeg");
        assert_eq!(mime_for("no-extension"), "application/octet-stream");
        assert_eq!(mime_for("archive.tar.gz"), "application/octet-stream");
    }
}
