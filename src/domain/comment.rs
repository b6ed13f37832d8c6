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
