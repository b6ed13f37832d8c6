//! A recorded user action: what undo works with.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// One recorded user action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeRecord {
    pub id: i64,
    pub actor: String,
    pub at: DateTime<Utc>,
    /// `create`, `move`, `assign`, `comment`, `edit`, `accept`, `bulk`, `undo`.
    pub kind: String,
    pub detail: String,
    /// The change this one undid.
    pub undoes: Option<i64>,
    /// The change that undid this one.
    pub undone_by: Option<i64>,
    /// How many tickets it touched.
    pub tickets: i64,
}
