//! A recorded user action: what undo works with.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// What kind of user action a change records; stored by [`ChangeKind::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Create,
    Move,
    Spam,
    Assign,
    Edit,
    Accept,
    Comment,
    Attach,
    Merge,
    MergeCustomers,
    Mail,
    MailSent,
    Import,
    Bulk,
    Undo,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 15] = [
        ChangeKind::Create,
        ChangeKind::Move,
        ChangeKind::Spam,
        ChangeKind::Assign,
        ChangeKind::Edit,
        ChangeKind::Accept,
        ChangeKind::Comment,
        ChangeKind::Attach,
        ChangeKind::Merge,
        ChangeKind::MergeCustomers,
        ChangeKind::Mail,
        ChangeKind::MailSent,
        ChangeKind::Import,
        ChangeKind::Bulk,
        ChangeKind::Undo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Create => "create",
            ChangeKind::Move => "move",
            ChangeKind::Spam => "spam",
            ChangeKind::Assign => "assign",
            ChangeKind::Edit => "edit",
            ChangeKind::Accept => "accept",
            ChangeKind::Comment => "comment",
            ChangeKind::Attach => "attach",
            ChangeKind::Merge => "merge",
            ChangeKind::MergeCustomers => "merge_customers",
            ChangeKind::Mail => "mail",
            ChangeKind::MailSent => "mail_sent",
            ChangeKind::Import => "import",
            ChangeKind::Bulk => "bulk",
            ChangeKind::Undo => "undo",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One recorded user action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeRecord {
    pub id: i64,
    pub actor: String,
    pub at: DateTime<Utc>,
    /// A [`ChangeKind`] as stored (kept as text: a desk may hold kinds of other versions).
    pub kind: String,
    pub detail: String,
    /// The change this one undid.
    pub undoes: Option<i64>,
    /// The change that undid this one.
    pub undone_by: Option<i64>,
    /// How many tickets it touched.
    pub tickets: i64,
}

#[cfg(test)]
mod tests {
    use super::ChangeKind;

    #[test]
    fn every_change_kind_reads_back_from_its_stored_name() {
        for kind in ChangeKind::ALL {
            assert_eq!(ChangeKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ChangeKind::parse("teleport"), None);
    }
}
