//! Imports: rows from spreadsheets and other helpdesks, tdesk's own
//! exports, and e-mail. Each checks everything before it writes (a file
//! with a bad row writes nothing, unless the caller skips bad rows), never
//! creates a ticket twice (external ids, Message-IDs), and writes in chunks
//! so other members keep working during a 100,000-row import.

mod mail;
mod restore;
mod rows;
mod table;

use serde::Serialize;

use crate::domain::{NewCustomer, Role};
use crate::error::Result;
use crate::interchange::Problem;
use crate::store::Writer;

use super::Desk;
pub use mail::{BounceOutcome, MailOutcome};
pub use table::{CsvInput, csv_map};

/// Rows (or tickets, or messages) per transaction.
pub const CHUNK: usize = 1000;

/// How to import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Check and report; write nothing.
    pub dry_run: bool,
    /// Import the good rows and report the bad ones, instead of nothing.
    pub skip_bad: bool,
    /// Add ticket types the desk lacks to its list (admins) instead of
    /// refusing their rows.
    pub add_types: bool,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// Tickets created (numbers; in a dry run, none).
    pub created: Vec<i64>,
    /// Replies added to existing tickets (mail).
    pub replies: Vec<i64>,
    /// Rows or messages already imported before: left alone.
    pub unchanged: usize,
    /// Ticket types added to the desk (in a dry run: that would be).
    pub types_added: Vec<String>,
    /// What a dry run would create: (line, title).
    pub planned: Vec<(usize, String)>,
    /// Problems left out (with `skip_bad`), each with where and why.
    #[serde(skip)]
    pub skipped: Vec<Problem>,
    /// Customers created.
    pub customers: usize,
    /// Tickets whose letter came back (bounces recorded; no ticket made).
    pub bounced: Vec<i64>,
    /// Bounces that named no letter of this desk (left alone).
    pub bounces_unknown: usize,
    /// Columns of a spreadsheet the map left out (a map file can take
    /// them: `--print-map`).
    pub columns_left_out: Vec<String>,
}

/// Called after each chunk with (done, total).
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

impl Desk {
    /// Imports need a supervisor: they create many tickets at once.
    pub(super) fn require_import(&self) -> Result<()> {
        self.require("action.import", Role::Supervisor).map(|_| ())
    }
}

/// Who the customer of an imported row or message is: by e-mail address,
/// then phone, then exact name; created when nobody matches.
pub(super) struct CustomerKey<'a> {
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    /// A marketplace buyer id (`amazon:x7k2…`).
    pub buyer: Option<String>,
    /// The language a new customer is taken to write in.
    pub language: Option<&'a str>,
}

/// Finds or creates the customer; `None` when the row names nobody.
/// The bool says whether one was created.
pub(super) fn resolve_customer(
    w: &mut Writer<'_>,
    key: &CustomerKey<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<(i64, bool)>> {
    let email = key.email.map(str::trim).filter(|e| e.contains('@'));
    let phone = key.phone.map(str::trim).filter(|p| !p.is_empty());
    let name = key.name.map(str::trim).filter(|n| !n.is_empty());
    if let Some(e) = email {
        if let Some(id) = w.reader().customer_by_handle("email", e)? {
            return Ok(Some((id, false)));
        }
        if let Some(c) = w.reader().customer_by_email(e)? {
            return Ok(Some((c.id, false)));
        }
    }
    if let Some(p) = phone
        && let Some(id) = w.reader().customer_by_handle("phone", p)?
    {
        return Ok(Some((id, false)));
    }
    if let Some(b) = &key.buyer
        && let Some(id) = w.reader().customer_by_handle("buyer", b)?
    {
        return Ok(Some((id, false)));
    }
    if email.is_none()
        && phone.is_none()
        && let Some(n) = name
        && let Some(id) = w.reader().customer_by_name(n)?
    {
        return Ok(Some((id, false)));
    }
    let Some(display) = name.map(String::from).or_else(|| {
        email
            .map(|e| NewCustomer::from_email(e).name)
            .or_else(|| phone.map(String::from))
    }) else {
        return Ok(None);
    };
    let new = NewCustomer {
        name: display,
        email: email.map(String::from),
        phone: phone.map(String::from),
        language: key.language.map(String::from),
        ..NewCustomer::default()
    };
    // The customer's address and number become their handles as they are
    // inserted.
    let id = w.insert_customer(&new, now)?;
    if let Some(b) = &key.buyer {
        w.add_handle(id, "buyer", b)?;
    }
    Ok(Some((id, true)))
}
