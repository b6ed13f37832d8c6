//! Import and export formats, one file each: CSV with column maps, tdesk's
//! own JSON, and e-mail. Every parser is pure over bytes (no desk, no
//! files), so each can be fuzzed; the service turns what they read into
//! tickets through the same operations a person uses.

pub mod csv;
pub mod json;
pub mod kb;
pub mod mail;
pub mod mapping;
pub mod survey;
pub mod verdict;

use crate::error::Error;

/// One problem an import found: at a line (CSV), a ticket's place in the
/// file (JSON), a message's place in a mailbox, or 0 for the file itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub at: usize,
    pub issue: Issue,
}

/// What was wrong there.
#[derive(Debug, Clone, PartialEq)]
pub enum Issue {
    Csv(csv::CsvErrorKind),
    Map(mapping::MapMessage),
    Json(json::JsonError),
    Mail(mail::MailError),
    /// The desk refused the value (unknown state, inactive assignee, …).
    Desk(Box<Error>),
    /// A problem in one file (or mailbox message) of several.
    File(String, Box<Issue>),
}

impl Problem {
    pub fn new(at: usize, issue: Issue) -> Self {
        Self { at, issue }
    }

    pub fn desk(at: usize, error: Error) -> Self {
        Self::new(at, Issue::Desk(Box::new(error)))
    }
}
