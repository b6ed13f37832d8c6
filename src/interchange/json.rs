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
    /// A step, time entry or link of a ticket that the desk would refuse
    /// from a person: the ticket and a catalog key saying what.
    Work { ticket: i64, key: &'static str },
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
        check_work(t)?;
    }
    check_link_loops(&doc.tickets)?;
    Ok(doc)
}

/// Longest step note or time note read back.
const NOTE_MAX: usize = 10_000;

/// Steps and time as the desk takes them from a person: a step has a
/// title of at most 200 characters; time runs forward, between 1970 and
/// 9999; notes are not megabytes. A link never joins a ticket to itself.
fn check_work(t: &ExportedTicket) -> Result<(), JsonError> {
    let bad = |key| {
        Err(JsonError::Work {
            ticket: t.ticket.id,
            key,
        })
    };
    for s in &t.subtasks {
        let title = s.title.trim();
        if title.is_empty() || title.chars().count() > crate::domain::SUBTASK_TITLE_MAX {
            return bad("import.json_step_title");
        }
        if s.note.chars().count() > NOTE_MAX {
            return bad("import.json_note");
        }
        if s.assignee.as_deref().is_some_and(|a| !plausible_login(a)) {
            return bad("import.json_step_owner");
        }
    }
    let sane =
        |d: chrono::DateTime<chrono::Utc>| (1970..=9999).contains(&chrono::Datelike::year(&d));
    for e in &t.time {
        let backwards = e.stopped.is_some_and(|s| s < e.started);
        if !sane(e.started) || e.stopped.is_some_and(|s| !sane(s)) || backwards {
            return bad("import.json_time");
        }
        if e.note.chars().count() > NOTE_MAX {
            return bad("import.json_note");
        }
        if !plausible_login(&e.login) {
            return bad("import.json_time");
        }
    }
    if t.links.iter().any(|l| l.id == t.ticket.id) {
        return bad("import.json_link_loop");
    }
    Ok(())
}

/// A login as `user add` would take one: short, no spaces or controls.
fn plausible_login(login: &str) -> bool {
    !login.is_empty()
        && login.chars().count() <= 64
        && login
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !crate::text::is_bidi_control(c))
}

/// No chain of `blocks`, `parent-of` or `duplicate-of` links in the file
/// may lead back to where it started (the desk refuses such a link from a
/// person: a ticket blocking itself could never be solved).
fn check_link_loops(tickets: &[ExportedTicket]) -> Result<(), JsonError> {
    use crate::domain::LinkKind;
    use std::collections::{HashMap, HashSet};
    for kind in [LinkKind::Blocks, LinkKind::Parent, LinkKind::Duplicate] {
        let mut next: HashMap<i64, Vec<i64>> = HashMap::new();
        for t in tickets {
            for l in t.links.iter().filter(|l| l.kind == kind) {
                let (from, to) = if l.outgoing {
                    (t.ticket.id, l.id)
                } else {
                    (l.id, t.ticket.id)
                };
                next.entry(from).or_default().push(to);
            }
        }
        // Depth-first with three colours; iterative, so a long chain is fine.
        let mut done: HashSet<i64> = HashSet::new();
        for &start in next.keys() {
            if done.contains(&start) {
                continue;
            }
            let mut on_path: HashSet<i64> = HashSet::new();
            let mut stack: Vec<(i64, usize)> = vec![(start, 0)];
            on_path.insert(start);
            while let Some((node, i)) = stack.pop() {
                let children = next.get(&node).map_or(&[][..], Vec::as_slice);
                if let Some(&child) = children.get(i) {
                    stack.push((node, i + 1));
                    if on_path.contains(&child) {
                        return Err(JsonError::Work {
                            ticket: child,
                            key: "import.json_link_loop",
                        });
                    }
                    if !done.contains(&child) {
                        on_path.insert(child);
                        stack.push((child, 0));
                    }
                } else {
                    on_path.remove(&node);
                    done.insert(node);
                }
            }
        }
    }
    Ok(())
}

/// Whether the start of a file names the format (whatever its spacing),
/// so a file of the right kind with a wrong value gets serde's message.
fn looks_like_tdesk(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(400)];
    let packed: String = String::from_utf8_lossy(head)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    packed.contains("\"format\":\"tdesk\"")
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
