//! A message on a ticket: a public reply to the customer or an internal note.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One entry of a ticket's conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub ticket: i64,
    pub author: String,
    pub body: String,
    /// Internal notes are never shown to the customer.
    pub internal: bool,
    pub created_at: DateTime<Utc>,
}

/// What a comment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// An internal note: never mailed, never a response.
    Note,
    /// A public reply: mailed to the customer when the ticket talks by
    /// mail (then it counts as the first response once it is sent).
    Reply,
    /// A public reply the member gave on another channel (a call, a chat):
    /// recorded, not mailed, and a response at once.
    Given(super::Channel),
}

/// What became of a public reply on its way to the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailFate {
    /// Not a reply that goes by mail (a note, a phone ticket, given elsewhere).
    NotByMail,
    /// Queued; the desk's sender sends it.
    Queued,
    /// Queued, but the desk cannot send mail yet (no From address, or no
    /// account that sends): it goes out once mail is set up.
    WaitingForSetUp,
    /// A reply on a ticket that goes by mail, but the customer has no
    /// e-mail address to send it to: not sent, and no response yet.
    NoAddress,
}
