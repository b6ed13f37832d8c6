//! tdesk's own interchange format: what `tdesk export json` writes and
//! `tdesk import json` reads. Version 2 adds external ids, attachment
//! records, mail thread ids and whole customers (handles, orders, notes);
//! version 1 files still read.

use serde::{Deserialize, Serialize};

use crate::domain::{
    Attachment, Comment, Customer, Event, LinkedTicket, Subtask, Ticket, TimeEntry,
};

/// The format name in every file.
pub const FORMAT: &str = "tdesk";
/// The version this build writes.
pub const VERSION: u32 = 2;

/// One ticket with everything that belongs to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedTicket {
    pub ticket: Ticket,
    pub customer: Option<Customer>,
    pub comments: Vec<Comment>,
    pub events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// Message-IDs of the ticket's mail (in and out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
    /// Its steps, its links to tickets the exporter may see, and the time
    /// spent on it (`import json` restores them; links between tickets of
    /// the same file).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subtasks: Vec<Subtask>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkedTicket>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub time: Vec<TimeEntry>,
}

/// A customer with every handle, order and note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedCustomer {
    #[serde(flatten)]
    pub customer: Customer,
    #[serde(default)]
    pub handles: Vec<(String, String)>,
    #[serde(default)]
    pub orders: Vec<String>,
    #[serde(default)]
    pub notes: String,
}

/// A whole file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Document {
    pub format: String,
    pub version: u32,
    pub tickets: Vec<ExportedTicket>,
    #[serde(default)]
    pub customers: Vec<ExportedCustomer>,
}

/// Why a file is not a tdesk export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON, or JSON of another shape; serde's message with line and column.
    Syntax { line: usize, message: String },
    /// JSON, but not `"format": "tdesk"`.
    NotTdesk,
    /// A newer version than this build reads.
    Version(u32),
    /// An attachment record whose hash is not a SHA-256 (ticket, file name).
    Attachment { ticket: i64, name: String },
}

/// Reads a whole export.
pub fn parse(bytes: &[u8]) -> Result<Document, JsonError> {
    let doc: Document = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_data() && !looks_like_tdesk(bytes) {
            return JsonError::NotTdesk;
        }
        JsonError::Syntax {
            line: e.line(),
            message: e.to_string(),
        }
    })?;
    if doc.format != FORMAT {
        return Err(JsonError::NotTdesk);
    }
    if doc.version > VERSION {
        return Err(JsonError::Version(doc.version));
    }
    // A record names a file in the store by its hash and is saved under its
    // name: neither may point anywhere else (`../../x`, `/etc/passwd`).
    let mut doc = doc;
    for t in &mut doc.tickets {
        for a in &mut t.attachments {
            if !crate::domain::is_sha256(&a.sha256) {
                return Err(JsonError::Attachment {
                    ticket: t.ticket.id,
                    name: super::mail::safe_file_name(&a.name),
                });
            }
            a.name = super::mail::safe_file_name(&a.name);
        }
    }
    Ok(doc)
}

fn looks_like_tdesk(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(200)];
    String::from_utf8_lossy(head).contains("\"format\":\"tdesk\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_json_and_newer_versions_are_told_apart() {
        assert_eq!(parse(b"{\"a\":1}"), Err(JsonError::NotTdesk));
        assert_eq!(
            parse(b"{\"format\":\"tdesk\",\"version\":9,\"tickets\":[]}"),
            Err(JsonError::Version(9))
        );
        assert!(matches!(
            parse(b"{\"format\":\"tdesk\",\"version\":2,\"tickets\":[\n{"),
            Err(JsonError::Syntax { line: 2, .. })
        ));
        let empty = parse(b"{\"format\":\"tdesk\",\"version\":1,\"tickets\":[]}").expect("v1");
        assert!(empty.tickets.is_empty() && empty.customers.is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_parse_or_fail_cleanly(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = parse(&bytes);
        }
    }
}
