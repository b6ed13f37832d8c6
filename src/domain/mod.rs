//! Pure domain types: tickets, priorities, channels, customers, users, comments,
//! audit events and list filters. No IO, no clock reads, no SQL.

mod access;
mod change;
mod channel;
mod closure;
mod comment;
mod customer;
mod event;
mod kb;
mod label;
mod link;
mod mail;
mod milestone;
mod notification;
mod priority;
mod query;
mod subtask;
mod ticket;
mod time_entry;
mod user;
mod view;
mod when;
mod work;

pub use access::Scope;
pub use change::{ChangeKind, ChangeRecord};
pub use channel::Channel;
pub use closure::{AcceptedBy, Closure, Decision, Level, REOPENS_TO_SUPERVISOR, decide};
pub use comment::{Comment, CommentKind, MailFate};
pub use customer::{Customer, NewCustomer, Tier, handle_key};
pub use event::{Event, EventKind, replay_status};
pub use kb::{Article, Visibility, article_slug, same_language};
pub use label::Label;
pub use link::{LINK_NAMES, LinkKind, LinkedTicket, Links};
pub use mail::{
    Attachment, BOUNCED, CUSTOMER_MESSAGE, OutgoingMail, WITHDRAWN, is_bounced, is_customer_author,
    is_sha256, is_withdrawn, mime_for, runs_when_opened,
};
pub use milestone::{
    AT_RISK_WITHIN, MILESTONE_NAME_MAX, Milestone, MilestoneChanges, MilestoneProgress,
    MilestoneSummary, NewMilestone,
};
pub use notification::{NoticeKind, Notification, mentions};
pub use priority::Priority;
pub use query::{Clause, Field, ListRequest, ParseError, Query, SortDir, SortKey};
pub use subtask::{NewSubtask, Progress, SUBTASK_TITLE_MAX, Subtask, SubtaskChanges};
pub use ticket::{
    Category, NewTicket, Ticket, TicketChanges, TicketDetail, TicketRow, normalize_tag, risk_time,
    type_slug,
};
pub use time_entry::{TimeEntry, minutes_text};
pub use user::{AUTOMATION_PREFIX, Role, User, is_automation};
pub use view::{Column, GroupBy, View};
pub use when::{Cmp, Day, TIME_HINT, TimeSpec, parse_deadline, parse_duration};
pub use work::{TimelineExtras, WorkItem, by_due};

/// A value that could not be parsed from user input; carries the field and the bad text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidValue {
    /// Which field was being parsed (catalog key suffix, e.g. `priority`).
    pub field: &'static str,
    /// The text the user gave.
    pub value: String,
    /// What is accepted, shown as a hint.
    pub expected: String,
}

impl InvalidValue {
    pub(crate) fn new(field: &'static str, value: &str, expected: impl Into<String>) -> Self {
        Self {
            field,
            value: value.to_string(),
            expected: expected.into(),
        }
    }
}
