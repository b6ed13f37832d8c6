//! What lands in a member's inbox, and who a comment mentions.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Why a member is told about a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// The ticket was assigned to them.
    Assigned,
    /// A comment named them with `@login`.
    Mention,
    /// The customer wrote on a ticket assigned to them.
    CustomerReply,
    /// A ticket they watch changed.
    Watched,
    /// An SLA escalation step fired on a ticket; `detail` names the step.
    Escalated,
    /// The customer rated a ticket badly and it was reopened (to the
    /// team's supervisor and the member who takes it over).
    Unhappy,
    /// A letter they wrote came back undelivered; `detail` says why.
    Bounced,
    /// A step (subtask) of a ticket was given to them; `detail` names it.
    Step,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 8] = [
        NoticeKind::Assigned,
        NoticeKind::Mention,
        NoticeKind::CustomerReply,
        NoticeKind::Watched,
        NoticeKind::Escalated,
        NoticeKind::Unhappy,
        NoticeKind::Bounced,
        NoticeKind::Step,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Assigned => "assigned",
            NoticeKind::Mention => "mention",
            NoticeKind::CustomerReply => "customer_reply",
            NoticeKind::Watched => "watched",
            NoticeKind::Escalated => "escalated",
            NoticeKind::Unhappy => "unhappy",
            NoticeKind::Bounced => "bounced",
            NoticeKind::Step => "step",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Which of two reasons for the same change wins (one notice each).
    pub fn rank(self) -> u8 {
        match self {
            NoticeKind::Assigned => 0,
            NoticeKind::Mention => 1,
            NoticeKind::CustomerReply => 2,
            NoticeKind::Watched => 3,
            NoticeKind::Escalated
            | NoticeKind::Unhappy
            | NoticeKind::Bounced
            | NoticeKind::Step => 0,
        }
    }
}

/// One entry of an inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub id: i64,
    pub ticket: Option<i64>,
    pub kind: NoticeKind,
    /// Who did what caused it.
    pub actor: String,
    pub at: DateTime<Utc>,
    /// What happened, briefly (untrusted text: sanitise when shown).
    pub detail: Option<String>,
    pub read: bool,
}

/// The logins a text mentions as `@login`: an `@` at the start or after a
/// character that cannot end a login (so `bob@example.com` is not a
/// mention), then letters, digits, `.`, `_` or `-`; a trailing `.`
/// or `-` is punctuation. Each login once, in order.
pub fn mentions(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let is_login = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    for (i, &c) in chars.iter().enumerate() {
        // `buyer@example.com` is an address; `请@li.na` (Chinese runs
        // straight into the name) is a mention.
        if c != '@' || (i > 0 && is_login(chars[i - 1])) {
            continue;
        }
        let login: String = chars[i + 1..]
            .iter()
            .take_while(|&&c| is_login(c))
            .collect();
        let login = login.trim_end_matches(['.', '-']).to_string();
        if !login.is_empty() && !out.contains(&login) {
            out.push(login);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mentions_are_logins_after_an_at_sign_not_email_addresses() {
        assert_eq!(
            mentions("@li.na please check, cc @zhang.wei. Buyer wrote from buyer@example.com"),
            vec!["li.na", "zhang.wei"]
        );
        assert_eq!(mentions("(@ann) and @ann again"), vec!["ann"]);
        assert!(mentions("@ alone, 邮件@客户").is_empty());
        assert_eq!(mentions("请@li.na处理"), vec!["li.na"]);
    }

    proptest! {
        #[test]
        fn any_text_gives_clean_logins(text in "\\PC{0,80}") {
            for login in mentions(&text) {
                prop_assert!(!login.is_empty());
                prop_assert!(login.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')));
                prop_assert!(!login.ends_with('.'));
            }
        }
    }
}
