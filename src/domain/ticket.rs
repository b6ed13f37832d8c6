//! Tickets: the stored record, the list row, new-ticket input and field changes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::{Channel, Comment, Customer, Event, InvalidValue, Priority};

/// A ticket type's id made from how a sheet or a person names it: lower
/// case, words joined by `-` (`Billing inquiry` → `billing-inquiry`,
/// `退货 换货` → `退货-换货`); empty when it has no letters or digits.
pub fn type_slug(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// A category path of one to three levels, e.g. `product/defect/login`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Category(String);

impl Category {
    /// Deepest path accepted: the seed articles use three levels.
    pub const MAX_LEVELS: usize = 3;

    /// Parses `a/b/c`; each level is trimmed and must be non-empty.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let levels: Vec<&str> = text.split('/').map(str::trim).collect();
        let expected = "one to three levels like product/defect/login";
        if levels.len() > Self::MAX_LEVELS || levels.iter().any(|l| l.is_empty()) {
            return Err(InvalidValue::new("category", text, expected));
        }
        Ok(Self(levels.join("/")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The levels from the top down.
    pub fn levels(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }
}

impl TryFrom<String> for Category {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text).map_err(|e| format!("bad category \"{}\"", e.value))
    }
}

impl From<Category> for String {
    fn from(c: Category) -> Self {
        c.0
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Normalises a tag: trimmed, lower-case, inner whitespace as `-`.
pub fn normalize_tag(tag: &str) -> Option<String> {
    let t = tag.trim().trim_start_matches('#').to_lowercase();
    let t: String = t.split_whitespace().collect::<Vec<_>>().join("-");
    (!t.is_empty()).then_some(t)
}

/// A stored ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    /// The ticket number shown as `#123`.
    pub id: i64,
    pub title: String,
    pub description: String,
    /// A workflow state id.
    pub status: String,
    pub priority: Priority,
    /// Ticket type id (technical, after-sales, inquiry, … as the workflow lists them).
    #[serde(rename = "type")]
    pub kind: String,
    pub category: Option<Category>,
    pub channel: Channel,
    pub customer_id: Option<i64>,
    pub assignee: Option<String>,
    pub team: Option<String>,
    pub tags: Vec<String>,
    /// Desk-specific fields.
    pub custom: serde_json::Map<String, serde_json::Value>,
    /// The resolution note required when a ticket is resolved.
    pub resolution: Option<String>,
    /// When the customer confirmed the fix.
    pub accepted_at: Option<DateTime<Utc>>,
    /// The customer's 1–5 rating given with the acceptance.
    pub rating: Option<u8>,
    /// Root cause, prevention, how it was accepted, reopens, solving article.
    #[serde(flatten)]
    pub closure: super::Closure,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Bumped by every change; a write carrying an older version is a conflict.
    pub version: i64,
    /// The next deadline (SLA target or a date set by hand).
    pub due_at: Option<DateTime<Utc>>,
    /// When the ticket counts as at risk of missing `due_at`.
    pub risk_at: Option<DateTime<Utc>>,
}

/// What list and kanban panes show for a ticket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketRow {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub priority: Priority,
    #[serde(rename = "type")]
    pub kind: String,
    pub customer: Option<String>,
    pub assignee: Option<String>,
    pub team: Option<String>,
    pub channel: Channel,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// The customer's acceptance is recorded.
    pub accepted: bool,
    pub due_at: Option<DateTime<Utc>>,
    /// From when that deadline is at risk.
    pub risk_at: Option<DateTime<Utc>>,
    /// Its subtasks: done of total.
    #[serde(skip_serializing_if = "super::Progress::is_none")]
    pub steps: super::Progress,
}

/// A ticket with everything the detail pane shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketDetail {
    pub ticket: Ticket,
    pub customer: Option<Customer>,
    pub comments: Vec<Comment>,
    pub events: Vec<Event>,
    /// The deadline was set by hand (`--due`, the edit form), not by the SLA.
    pub due_manual: bool,
}

/// Input for a new ticket; the service fills in status, times and version.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewTicket {
    pub title: String,
    pub description: String,
    pub priority: Option<Priority>,
    pub kind: Option<String>,
    pub category: Option<Category>,
    pub channel: Option<Channel>,
    /// Customer email; found or created.
    pub customer_email: Option<String>,
    /// Existing customer id (wins over `customer_email`).
    pub customer_id: Option<i64>,
    pub assignee: Option<String>,
    pub team: Option<String>,
    pub tags: Vec<String>,
    pub custom: serde_json::Map<String, serde_json::Value>,
    /// A deadline set by hand.
    pub due: Option<DateTime<Utc>>,
}

/// When a deadline counts as at risk: the last quarter of the time between
/// `start` and `due`, at least 15 minutes before it.
pub fn risk_time(start: DateTime<Utc>, due: DateTime<Utc>) -> DateTime<Utc> {
    let quarter = (due - start) / 4;
    due - quarter.max(chrono::Duration::minutes(15))
}

/// A set of plain field edits; `None` leaves a field alone.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TicketChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub priority: Option<Priority>,
    pub kind: Option<String>,
    /// `Some(None)` clears the category.
    pub category: Option<Option<Category>>,
    pub channel: Option<Channel>,
    /// `Some(None)` clears the team.
    pub team: Option<Option<String>>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    /// Keys to set; a JSON null removes the key.
    pub custom: serde_json::Map<String, serde_json::Value>,
    /// `Some(None)` clears the deadline.
    pub due: Option<Option<DateTime<Utc>>>,
}

impl TicketChanges {
    /// True when applying these changes cannot change anything.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_accepts_one_to_three_levels() {
        assert_eq!(
            Category::parse(" product / defect /login").map(|c| c.0),
            Ok("product/defect/login".to_string())
        );
        assert!(Category::parse("物流/延迟").is_ok());
        assert!(Category::parse("a/b/c/d").is_err());
        assert!(Category::parse("a//b").is_err());
        assert!(Category::parse("").is_err());
        let c = Category::parse("a/b").expect("valid");
        assert_eq!(c.levels().collect::<Vec<_>>(), vec!["a", "b"]);
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(normalize_tag("  #Late Parcel "), Some("late-parcel".into()));
        assert_eq!(normalize_tag("退款"), Some("退款".into()));
        assert_eq!(normalize_tag("   "), None);
    }

    #[test]
    fn risk_starts_in_the_last_quarter_and_at_least_fifteen_minutes_before() {
        let start = DateTime::<Utc>::UNIX_EPOCH;
        let due = start + chrono::Duration::hours(8);
        assert_eq!(risk_time(start, due), start + chrono::Duration::hours(6));
        let soon = start + chrono::Duration::minutes(20);
        assert_eq!(risk_time(start, soon), start + chrono::Duration::minutes(5));
    }

    #[test]
    fn empty_changes_are_detected() {
        assert!(TicketChanges::default().is_empty());
        let c = TicketChanges {
            priority: Some(Priority::P1),
            ..TicketChanges::default()
        };
        assert!(!c.is_empty());
    }
}
