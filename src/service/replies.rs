//! Canned replies of this desk (a setting, else the built-in file), and
//! one filled in for a ticket: its customer's language, name and order,
//! the member's name.

use std::collections::BTreeMap;

use crate::domain::Role;
use crate::error::{Error, Result};
use crate::rules::canned::{self, Canned};

use super::Desk;

/// The desk setting holding an installed reply file.
pub const REPLIES_SETTING: &str = "replies";

impl Desk {
    /// The reply file in use (TOML).
    pub fn replies_source(&self) -> Result<String> {
        Ok(self
            .store
            .reader()
            .setting(REPLIES_SETTING)?
            .unwrap_or_else(|| canned::DEFAULT_REPLIES.to_string()))
    }

    /// The canned replies in use.
    pub fn canned_replies(&self) -> Result<Vec<Canned>> {
        canned::parse(&self.replies_source()?).map_err(|errors| Error::Replies {
            file: REPLIES_SETTING.into(),
            errors,
        })
    }

    /// Checks and installs a reply file (admins); returns how many replies it has.
    pub fn set_replies(&mut self, source: &str, file: &str) -> Result<usize> {
        self.require("action.rules_set", Role::Admin)?;
        let replies = canned::parse(source).map_err(|errors| Error::Replies {
            file: file.to_string(),
            errors,
        })?;
        self.store
            .write(|w| w.set_setting(REPLIES_SETTING, source))?;
        Ok(replies.len())
    }

    /// Reply `name` filled in for ticket `id`, in its customer's language.
    pub fn fill_reply(&self, name: &str, id: i64) -> Result<String> {
        let replies = self.canned_replies()?;
        let reply = replies
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| Error::UnknownValue {
                field: "reply",
                value: name.to_string(),
                known: replies
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        let (values, language) = self.reply_values(id)?;
        Ok(canned::fill(reply.text_for(language.as_deref()), &values))
    }

    /// Every canned reply filled in for ticket `id`: (name, text), the
    /// ticket and its customer read once.
    pub fn filled_replies(&self, id: i64) -> Result<Vec<(String, String)>> {
        let (values, language) = self.reply_values(id)?;
        Ok(self
            .canned_replies()?
            .into_iter()
            .map(|r| {
                let text = canned::fill(r.text_for(language.as_deref()), &values);
                (r.name, text)
            })
            .collect())
    }

    /// The variables' values for ticket `id`, and its customer's language.
    fn reply_values(&self, id: i64) -> Result<(BTreeMap<&'static str, String>, Option<String>)> {
        let detail = self.detail(id)?;
        let me = self.me()?;
        let customer = detail.customer.as_ref();
        let name = customer.map(|c| c.name.clone()).unwrap_or_default();
        let first = name.split_whitespace().next().unwrap_or(&name).to_string();
        let order = detail
            .ticket
            .custom
            .get("orders")
            .and_then(|v| v.as_str())
            .and_then(|o| o.split_whitespace().next())
            .map(String::from)
            .or_else(|| {
                // The customer's last order — unless some of their tickets
                // are hidden from the member (it may come from those).
                let c = customer?;
                if self.customer_withheld(c.id).unwrap_or(true) {
                    return None;
                }
                self.store
                    .reader()
                    .customer_extras(c.id)
                    .ok()?
                    .1
                    .last()
                    .cloned()
            })
            .unwrap_or_default();
        let values: BTreeMap<&'static str, String> = [
            ("customer.name", name.clone()), // template variable
            ("customer.first_name", first),  // template variable
            (
                "customer.email", // template variable
                customer.and_then(|c| c.email.clone()).unwrap_or_default(),
            ),
            ("ticket.number", id.to_string()),
            ("ticket.title", detail.ticket.title.clone()),
            ("agent.name", me.display_name.clone()),
            ("agent.login", me.login.clone()),
            ("order", order),
        ]
        .into();
        let language = customer.and_then(|c| c.language.clone());
        Ok((values, language))
    }
}

/// Canned reply `name` filled in for `ticket` inside a write (an
/// automation's satisfaction request): the customer's language, their name,
/// the ticket, and the assignee as the agent. `None` when the desk has no
/// reply by that name.
pub(super) fn filled_in_write(
    reader: &crate::store::Reader<'_>,
    name: &str,
    ticket: &crate::domain::Ticket,
) -> Result<Option<(String, Option<String>)>> {
    let source = reader
        .setting(REPLIES_SETTING)?
        .unwrap_or_else(|| canned::DEFAULT_REPLIES.to_string());
    let Ok(replies) = canned::parse(&source) else {
        return Ok(None);
    };
    let Some(reply) = replies.iter().find(|r| r.name.eq_ignore_ascii_case(name)) else {
        return Ok(None);
    };
    let customer = match ticket.customer_id {
        Some(id) => reader.customer(id)?,
        None => None,
    };
    let agent = match &ticket.assignee {
        Some(login) => reader.user(login)?,
        None => None,
    };
    let name = customer
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let first = name.split_whitespace().next().unwrap_or(&name).to_string();
    let values: BTreeMap<&'static str, String> = [
        ("customer.name", name.clone()), // template variable
        ("customer.first_name", first),  // template variable
        (
            "customer.email", // template variable
            customer
                .as_ref()
                .and_then(|c| c.email.clone())
                .unwrap_or_default(),
        ),
        ("ticket.number", ticket.id.to_string()),
        ("ticket.title", ticket.title.clone()),
        (
            "agent.name", // template variable
            agent
                .as_ref()
                .map(|a| a.display_name.clone())
                .unwrap_or_default(),
        ),
        (
            "agent.login", // template variable
            agent.map(|a| a.login).unwrap_or_default(),
        ),
    ]
    .into();
    let language = customer.and_then(|c| c.language);
    let text = canned::fill(reply.text_for(language.as_deref()), &values);
    Ok(Some((text, language)))
}
