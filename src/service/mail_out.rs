//! Mail out: a public reply on a ticket that came by mail (or any e-mail
//! ticket once the desk has a sender address) is queued in the same
//! transaction as the reply, with its own Message-ID, so nothing is lost
//! when the mail command is missing or fails. Sending (crate::mailer)
//! takes letters from here and reports back; failures stay on the queue
//! row, visible on the ticket, and are retried after 1 min, doubling to 1 h.

use crate::domain::ChangeKind;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::domain::{OutgoingMail, Role, Ticket};
use crate::error::{Error, Result};
use crate::store::Writer;

use super::Desk;

/// The desk setting with the From address.
pub const FROM_SETTING: &str = "mail.from";
/// The desk setting with the sending command (heeded on a private desk only).
pub const COMMAND_SETTING: &str = "mail.command";
/// The desk setting naming the member whose account sends the desk's mail.
pub const SENDER_SETTING: &str = "mail.sender";

/// Retries wait this long after the first failure, doubling…
const FIRST_RETRY_MINUTES: i64 = 1;
/// …up to this.
const LAST_RETRY_MINUTES: i64 = 60;

/// The desk's mail settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MailSettings {
    pub from: Option<String>,
    /// The command kept in the desk; `None` for members other than admins,
    /// as it may hold credentials. Heeded only when `private`.
    pub command: Option<String>,
    /// Whose account sends: the member named, or on a private desk its owner.
    pub sender: Option<String>,
    /// Only this account can write the desk (a personal desk), so a command
    /// kept in it may be run; on a team desk it never is.
    pub private: bool,
    pub attachment_limit: u64,
    /// Unsent messages, and how many of them failed at least once.
    pub waiting: i64,
    pub failing: i64,
}

/// One message ready for the mail command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub id: i64,
    pub ticket: i64,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub date: DateTime<Utc>,
    /// Files sent with the reply.
    pub files: Vec<LetterFile>,
    /// Why the letter cannot go out as it is (a file missing from the desk
    /// directory); it is then recorded as failed, not sent without it.
    pub problem: Option<String>,
}

/// A file a letter carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterFile {
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// The domain part of a From setting ("Shop <s@shop.example>" → shop.example).
fn domain_of(from: &str) -> Option<&str> {
    let at = from.rfind('@')?;
    let d = from[at + 1..].trim_end_matches(['>', ' ']);
    (!d.is_empty()).then_some(d)
}

/// An address a header can carry as it is: one @, no spaces or controls.
pub fn plain_address(text: &str) -> bool {
    text.matches('@').count() == 1
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, ',' | '<' | '>' | ';'))
}

/// Queues comment `comment` of `ticket` for the customer, when the ticket
/// talks by mail — whatever the desk's mail set-up: a reply written before
/// mail is set up waits in the queue and goes out once it is, instead of
/// silently never. Called in the reply's own transaction; true when queued.
pub(super) fn queue_reply(
    w: &mut Writer<'_>,
    ticket: &Ticket,
    comment: i64,
    now: DateTime<Utc>,
) -> Result<Route> {
    let by_mail =
        w.reader().has_mail(ticket.id)? || ticket.channel == crate::domain::Channel::Email;
    if !by_mail {
        return Ok(Route::NotByMail);
    }
    let Some(customer) = ticket.customer_id else {
        return Ok(Route::NoAddress);
    };
    let address = match w.reader().customer(customer)?.and_then(|c| c.email) {
        Some(a) => Some(a),
        None => w
            .reader()
            .customer_extras(customer)?
            .0
            .into_iter()
            .find(|(k, _)| k == "email")
            .map(|(_, v)| v),
    };
    let Some(to) = address.filter(|a| plain_address(a)) else {
        return Ok(Route::NoAddress);
    };
    let from = w.reader().setting(FROM_SETTING)?;
    let domain = from
        .as_deref()
        .and_then(domain_of)
        .unwrap_or("tdesk.invalid");
    let message_id = format!(
        "tdesk.{}.{}.{}@{}",
        ticket.id,
        comment,
        now.timestamp_millis(),
        domain
    );
    w.queue_mail(ticket.id, comment, &message_id, &to, now)?;
    w.record_message(&message_id, ticket.id, Some(comment), true, now)?;
    Ok(Route::Queued)
}

/// Where a public reply goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Route {
    /// Not by mail: the ticket came another way.
    NotByMail,
    /// Into the mail queue.
    Queued,
    /// By mail, but the customer has no address to send it to.
    NoAddress,
}

/// Whether the desk can send mail at all: a From address, and an account
/// that sends (a named sender, or a personal desk's owner).
pub(super) fn mail_ready(r: &crate::store::Reader<'_>, private: bool) -> Result<bool> {
    Ok(r.setting(FROM_SETTING)?.is_some() && (private || r.setting(SENDER_SETTING)?.is_some()))
}

impl Desk {
    pub fn mail_settings(&self) -> Result<MailSettings> {
        let r = self.store.reader();
        let me = self.me()?;
        let admin = me.role == Role::Admin;
        // The backlog counts letters of tickets the member may see only.
        let (waiting, failing) = if me.scope() == crate::domain::Scope::All {
            r.mail_backlog()?
        } else {
            let mine: Vec<OutgoingMail> = r
                .mail_unsent(10_000)?
                .into_iter()
                // Waiting to go: not sent, not withdrawn (a bounce was sent).
                .filter(|m| {
                    m.sent_at.is_none()
                        && !m.error.as_deref().is_some_and(crate::domain::is_withdrawn)
                })
                .filter(|m| self.visible_ticket(&r, m.ticket).is_ok())
                .collect();
            let failing = mine.iter().filter(|m| m.attempts > 0).count();
            (mine.len() as i64, failing as i64)
        };
        Ok(MailSettings {
            from: r.setting(FROM_SETTING)?,
            command: r.setting(COMMAND_SETTING)?.filter(|_| admin),
            sender: self.mail_sender()?,
            private: self.is_private(),
            attachment_limit: self.attachment_limit()?,
            waiting,
            failing,
        })
    }

    /// Whether the desk can send mail at all (see [`mail_ready`]): when it
    /// cannot, queued replies say so wherever they are shown.
    pub fn mail_ready(&self) -> Result<bool> {
        mail_ready(&self.store.reader(), self.is_private())
    }

    /// Whether only this account can write the desk's data (see
    /// [`crate::deskdir::only_mine`]); an in-memory desk is.
    pub fn is_private(&self) -> bool {
        self.path().is_none_or(crate::deskdir::only_mine)
    }

    /// The login whose account sends the desk's mail: the member an admin
    /// named, or on a private desk its owner; `None` on a team desk with
    /// nobody named.
    pub fn mail_sender(&self) -> Result<Option<String>> {
        let named = self.store.reader().setting(SENDER_SETTING)?;
        Ok(named.or_else(|| self.is_private().then(|| self.login.clone())))
    }

    /// Fails unless this account is the desk's mail sender. Sending runs a
    /// program as the account that sends, with every team's letters, so it
    /// is one account's job (its cron), never whichever member has a TUI open.
    pub fn require_mail_sender(&self) -> Result<()> {
        match self.mail_sender()? {
            Some(login) if login == self.login => Ok(()),
            sender => Err(Error::NotMailSender(sender)),
        }
    }

    /// The command kept in the desk, when it may be run: on a private desk only.
    pub fn desk_mail_command(&self) -> Result<Option<String>> {
        if !self.is_private() {
            return Ok(None);
        }
        self.store.reader().setting(COMMAND_SETTING)
    }

    /// Sets the From address and/or the command (admins). An empty value
    /// clears it. A team desk keeps no command: any member of its group
    /// could change what another member's account then runs.
    pub fn set_mail(&mut self, from: Option<&str>, command: Option<&str>) -> Result<()> {
        self.require("action.mail_settings", Role::Admin)?;
        if command.is_some_and(|c| !c.trim().is_empty()) && !self.is_private() {
            return Err(Error::MailCommandNotInDesk);
        }
        if let Some(f) = from.map(str::trim).filter(|f| !f.is_empty())
            && (domain_of(f).is_none() || f.contains(['\r', '\n']))
        {
            return Err(Error::Invalid(crate::domain::InvalidValue::new(
                "from",
                f,
                "Shop Support <support@shop.example>",
            )));
        }
        self.store.write(|w| {
            for (key, value) in [(FROM_SETTING, from), (COMMAND_SETTING, command)] {
                match value.map(str::trim) {
                    None => {}
                    Some("") => w.delete_setting(key)?,
                    Some(v) => w.set_setting(key, v)?,
                }
            }
            Ok(())
        })
    }

    /// Names the member whose account sends the desk's mail (admins); an
    /// empty login clears it.
    pub fn set_mail_sender(&mut self, login: &str) -> Result<()> {
        self.require("action.mail_settings", Role::Admin)?;
        let login = login.trim();
        self.store.write(|w| {
            if login.is_empty() {
                return w.delete_setting(SENDER_SETTING);
            }
            super::ops::require_active_user(w, login)?;
            w.set_setting(SENDER_SETTING, login)
        })
    }

    /// Letters due now (at most `limit`), composed from their tickets: for
    /// the desk's mail sender only.
    pub fn mail_due(&self, limit: usize) -> Result<Vec<Letter>> {
        self.require_mail_sender()?;
        let r = self.store.reader();
        let from = r.setting(FROM_SETTING)?.ok_or(Error::MailNotConfigured)?;
        let mut letters = Vec::new();
        for m in r.mail_due(self.clock.now(), limit)? {
            let Some(ticket) = r.ticket(m.ticket)? else {
                continue;
            };
            let body = r.comment_body(m.comment)?.unwrap_or_default();
            let thread = r.message_ids(m.ticket)?;
            let references: Vec<String> = thread
                .iter()
                .map(|(id, _)| id.clone())
                .filter(|id| *id != m.message_id)
                .collect();
            let in_reply_to = thread
                .iter()
                .rev()
                .find(|(id, outgoing)| !outgoing && *id != m.message_id)
                .map(|(id, _)| id.clone());
            let (files, problem) = self.letter_files(m.ticket, m.comment)?;
            let title = format!("[#{}] {}", ticket.id, ticket.title);
            letters.push(Letter {
                id: m.id,
                ticket: m.ticket,
                from: from.clone(),
                to: m.recipient,
                subject: if in_reply_to.is_some() {
                    format!("Re: {title}")
                } else {
                    title
                },
                body,
                message_id: m.message_id,
                in_reply_to,
                references,
                date: self.clock.now(),
                files,
                problem,
            });
        }
        Ok(letters)
    }

    /// Takes a due letter for this process to send, for `lease`; false when
    /// another sender (a second terminal, cron) has it.
    pub fn claim_mail(&mut self, id: i64, lease: std::time::Duration) -> Result<bool> {
        let now = self.clock.now();
        let until = now + Duration::from_std(lease).unwrap_or(Duration::minutes(5));
        self.store.write(|w| w.claim_mail(id, now, until))
    }

    /// The files of reply `comment`, read from the desk directory.
    fn letter_files(&self, ticket: i64, comment: i64) -> Result<(Vec<LetterFile>, Option<String>)> {
        let mut files = Vec::new();
        for a in self.store.reader().attachments(ticket)? {
            if a.comment != Some(comment) {
                continue;
            }
            match self.read_blob(&a.sha256, a.id).ok() {
                Some(bytes) => files.push(LetterFile {
                    name: a.name,
                    mime: a.mime,
                    bytes,
                }),
                None => {
                    let problem = format!("attachment {} is missing from the desk directory", a.id);
                    return Ok((Vec::new(), Some(problem)));
                }
            }
        }
        Ok((files, None))
    }

    /// Records that letter `id` went out. A reply counts as the ticket's
    /// first response when the customer got it, not when it was written.
    pub fn mail_delivered(&mut self, id: i64) -> Result<()> {
        self.write_as(ChangeKind::MailSent, &id.to_string(), |w, ctx| {
            w.mail_sent(id, ctx.now)?;
            let Some(letter) = w.reader().outgoing_mail(id)? else {
                return Ok(());
            };
            let ticket = super::ops::reload(w, letter.ticket)?;
            let by_member = w
                .reader()
                .comment_author(letter.comment)?
                .is_some_and(|a| super::ops::counts_as_response(&a));
            if ticket.first_response_at.is_none() && by_member {
                let update = crate::store::TicketUpdate {
                    first_response_at: Some(Some(ctx.now)),
                    ..Default::default()
                };
                super::ops::save(w, ctx, &ticket, &update)?;
            }
            Ok(())
        })
    }

    /// Records a failed try; the next one waits longer.
    pub fn mail_undelivered(&mut self, id: i64, error: &str) -> Result<()> {
        let now = self.clock.now();
        self.store.write(|w| {
            let attempts = w
                .reader()
                .outgoing_mail(id)?
                .map_or(0, |m| m.attempts)
                .clamp(0, 10);
            let wait = (FIRST_RETRY_MINUTES << attempts).min(LAST_RETRY_MINUTES);
            let error: String = error.chars().take(500).collect();
            w.mail_failed(id, &error, now + Duration::minutes(wait))
        })
    }

    /// Outgoing mail of a ticket the member may see, or every unsent letter
    /// of tickets they may see (supervisors and admins).
    pub fn mail_queue(&self, ticket: Option<i64>) -> Result<Vec<OutgoingMail>> {
        let r = self.store.reader();
        match ticket {
            Some(id) => {
                self.visible_ticket(&r, id)?;
                r.ticket_mail(id)
            }
            None => {
                self.require("action.mail_queue", Role::Supervisor)?;
                let mut letters = r.mail_unsent(1000)?;
                letters.retain(|m| self.visible_ticket(&r, m.ticket).is_ok());
                Ok(letters)
            }
        }
    }

    /// Tries an unsent letter again at the next send. A letter of a ticket
    /// the member may not see answers exactly like one that does not exist.
    pub fn retry_mail(&mut self, id: i64) -> Result<bool> {
        let r = self.store.reader();
        let m = r.outgoing_mail(id)?.ok_or(Error::LetterNotFound(id))?;
        self.visible_ticket(&r, m.ticket)
            .map_err(|_| Error::LetterNotFound(id))?;
        let now = self.clock.now();
        self.store.write(|w| w.mail_retry(id, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_settings_give_their_domain() {
        assert_eq!(domain_of("Shop <s@shop.example>"), Some("shop.example"));
        assert_eq!(domain_of("s@x.cn"), Some("x.cn"));
        assert_eq!(domain_of("nobody"), None);
    }

    #[test]
    fn only_plain_addresses_reach_a_header() {
        assert!(plain_address("lena@example.de"));
        assert!(!plain_address("a@b.c\r\nBcc: x@y.z"));
        assert!(!plain_address("a@b.c, x@y.z"));
        assert!(!plain_address("no-at"));
    }
}
