//! Typed links between tickets: one blocks another, one is a duplicate of
//! another, two are related, a problem ticket is the parent of its
//! incident tickets. Stored one way; each side reads it its own way.

use serde::{Deserialize, Serialize};

/// How two tickets are linked, stored from `from` to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// `from` must be solved before `to`.
    Blocks,
    /// `from` is a duplicate of `to`.
    Duplicate,
    /// Two tickets about the same thing (no direction).
    Related,
    /// `from` is the problem; `to` one of its incidents.
    Parent,
}

impl LinkKind {
    pub const ALL: [LinkKind; 4] = [
        LinkKind::Blocks,
        LinkKind::Duplicate,
        LinkKind::Related,
        LinkKind::Parent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Blocks => "blocks",
            LinkKind::Duplicate => "duplicate",
            LinkKind::Related => "related",
            LinkKind::Parent => "parent",
        }
    }

    pub fn parse_stored(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// A kind as a member names it from the first ticket's side, and
    /// whether the link runs the other way (`blocked-by` is `blocks` from
    /// the second ticket to the first).
    pub fn parse_named(text: &str) -> Option<(Self, bool)> {
        let t = text.trim().to_lowercase().replace(['_', ' '], "-");
        Some(match t.as_str() {
            "blocks" => (LinkKind::Blocks, false),
            "blocked-by" => (LinkKind::Blocks, true),
            "duplicate" | "duplicate-of" => (LinkKind::Duplicate, false),
            "duplicated-by" | "has-duplicate" => (LinkKind::Duplicate, true),
            "related" | "relates" | "related-to" => (LinkKind::Related, false),
            "parent" | "parent-of" => (LinkKind::Parent, false),
            "child" | "child-of" => (LinkKind::Parent, true),
            _ => return None,
        })
    }

    /// What the link is called from one side: `from`'s (`outgoing`) or `to`'s.
    pub fn side(self, outgoing: bool) -> &'static str {
        match (self, outgoing) {
            (LinkKind::Blocks, true) => "blocks",
            (LinkKind::Blocks, false) => "blocked_by",
            (LinkKind::Duplicate, true) => "duplicate_of",
            (LinkKind::Duplicate, false) => "duplicated_by",
            (LinkKind::Related, _) => "related",
            (LinkKind::Parent, true) => "parent_of",
            (LinkKind::Parent, false) => "child_of",
        }
    }
}

/// The names `tdesk link --as` takes.
pub const LINK_NAMES: &str =
    "blocks, blocked-by, duplicate-of, duplicated-by, related, parent-of, child-of";

/// One link as a ticket sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedTicket {
    pub kind: LinkKind,
    /// True when this ticket is the link's `from`.
    pub outgoing: bool,
    pub id: i64,
    pub title: String,
    pub status: String,
}

/// A ticket's links: those the member may see, and how many lead to
/// tickets they may not (never their numbers or titles).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Links {
    pub shown: Vec<LinkedTicket>,
    pub hidden: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_to_a_kind_and_a_direction_and_reads_back_from_both_sides() {
        for name in LINK_NAMES.split(", ") {
            let (kind, reversed) = LinkKind::parse_named(name).expect(name);
            assert_eq!(kind.side(!reversed).replace('_', "-"), name);
        }
        assert_eq!(
            LinkKind::parse_named("Blocked by"),
            Some((LinkKind::Blocks, true))
        );
        assert_eq!(LinkKind::parse_named("depends"), None);
        for k in LinkKind::ALL {
            assert_eq!(LinkKind::parse_stored(k.as_str()), Some(k));
        }
    }
}
