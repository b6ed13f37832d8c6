//! E-mail in: a new message becomes a ticket; an answer (by In-Reply-To /
//! References, or `[#123]` in the subject from the ticket's own customer)
//! becomes a public comment by the customer, which the "customer replied"
//! automation takes from waiting_customer back to in_progress and which
//! tells the assignee. An answer to a closed ticket opens a follow-up.
//! Each message is one transaction, acting as `automation:mail` (mail is
//! the desk's job, not one member's, so it reaches every team's tickets).

use crate::domain::ChangeKind;
use crate::domain::{Channel, EventKind, NewTicket};
use crate::error::Result;
use crate::interchange::mail::MailIn;
use crate::store::{NewAttachment, TicketUpdate, Writer};

use super::super::{Desk, automate, ops, routing};
use super::{CustomerKey, resolve_customer};

/// What importing one message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailOutcome {
    /// A new ticket; `new_customer` when its sender was not known.
    Created { ticket: i64, new_customer: bool },
    /// A comment on an open ticket.
    Reply { ticket: i64, new_customer: bool },
    /// Seen before (same Message-ID): nothing written.
    Duplicate,
}

/// What recording a bounce did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BounceOutcome {
    /// The letter (on its ticket) is marked as come back, its author told.
    Recorded { ticket: i64, letter: i64 },
    /// It names no letter of this desk: left alone, no ticket made.
    Unknown,
}

impl MailOutcome {
    /// Whether the message's sender became a new customer.
    pub fn new_customer(self) -> bool {
        match self {
            MailOutcome::Created { new_customer, .. } | MailOutcome::Reply { new_customer, .. } => {
                new_customer
            }
            MailOutcome::Duplicate => false,
        }
    }
}

/// A file ready to record: name, type, size, hash.
struct Stored {
    name: String,
    mime: String,
    size: u64,
    hash: String,
}

impl Desk {
    /// What importing `msg` would do, writing nothing (for `--dry-run`).
    pub fn plan_mail(&self, msg: &MailIn) -> Result<MailOutcome> {
        self.require_import()?;
        let reader = self.store.reader();
        if reader.ticket_of_message(&msg.message_id)?.is_some() {
            return Ok(MailOutcome::Duplicate);
        }
        let new_customer = reader
            .customer_by_handle("email", &msg.from_address)?
            .is_none()
            && reader.customer_by_email(&msg.from_address)?.is_none();
        Ok(match self.thread_of(msg)?.0 {
            Some(ticket) => MailOutcome::Reply {
                ticket,
                new_customer,
            },
            None => MailOutcome::Created {
                ticket: 0,
                new_customer,
            },
        })
    }

    /// Imports one message read from `raw`.
    pub fn import_mail(&mut self, msg: &MailIn, raw: &[u8]) -> Result<MailOutcome> {
        self.require_import()?;
        if self
            .store
            .reader()
            .ticket_of_message(&msg.message_id)?
            .is_some()
        {
            return Ok(MailOutcome::Duplicate);
        }
        let (target, stranger_to) = self.thread_of(msg)?;
        // Bytes go to disk before the transaction: a failed write leaves an
        // unreferenced file (harmless, stored by hash), never a record
        // without its file.
        let limit = self.attachment_limit()?;
        let mut files = Vec::new();
        let mut dropped = Vec::new();
        let original = ("original.eml", "message/rfc822", raw);
        let parts = msg
            .attachments
            .iter()
            .map(|a| (a.name.as_str(), a.mime.as_str(), a.bytes.as_slice()));
        for (name, mime, bytes) in std::iter::once(original).chain(parts) {
            if bytes.len() as u64 > limit {
                dropped.push(format!("{name} ({} bytes)", bytes.len()));
                continue;
            }
            files.push(Stored {
                name: name.to_string(),
                mime: mime.to_string(),
                size: bytes.len() as u64,
                hash: self.store_blob(bytes)?,
            });
        }
        let rules = self.rules.clone();
        let detail = format!("{} {}", msg.from_address, msg.message_id);
        self.write_as(ChangeKind::Mail, &detail, |w, ctx| {
            let robot = automate::robot("mail");
            let ctx = ops::Ctx {
                workflow: ctx.workflow,
                actor: &robot,
                now: ctx.now,
                change: ctx.change,
            };
            // Another process may have taken this message meanwhile.
            if w.reader().ticket_of_message(&msg.message_id)?.is_some() {
                return Ok(MailOutcome::Duplicate);
            }
            let resolved = resolve_customer(
                w,
                &CustomerKey {
                    name: msg.from_name.as_deref(),
                    email: Some(&msg.from_address),
                    phone: None,
                    buyer: msg
                        .marketplace
                        .map(|m| format!("{m}:{}", local_part(&msg.from_address))),
                    language: msg.cjk.then_some("zh-CN"),
                },
                ctx.now,
            )?;
            let customer = resolved.map(|(id, _)| id);
            let new_customer = resolved.is_some_and(|(_, created)| created);
            if let Some(cid) = customer {
                for o in &msg.orders {
                    w.add_order(cid, o)?;
                }
            }
            let text = with_dropped(&msg.text, &dropped);
            let (ticket, comment, outcome) = match target {
                Some(id) => {
                    let cid = customer_message(w, &ctx, id, &msg.from_address, &text)?;
                    verdict_in_reply(w, &ctx, id, &msg.text)?;
                    (
                        id,
                        Some(cid),
                        MailOutcome::Reply {
                            ticket: id,
                            new_customer,
                        },
                    )
                }
                None => {
                    let id = new_ticket(w, &ctx, msg, &text, customer)?;
                    if let Some(other) = stranger_to {
                        // Kept apart, and said so: a third party's words are
                        // never filed as that ticket's customer's.
                        let note = format!(
                            "This message answers #{other}, but came from {} — not that ticket's customer — so it is a ticket of its own.",
                            msg.from_address
                        );
                        ops::comment(w, &ctx, id, &note, true)?;
                    }
                    routing::route_new(w, ctx.workflow, &rules, id, ctx.now, ctx.change)?;
                    (
                        id,
                        None,
                        MailOutcome::Created {
                            ticket: id,
                            new_customer,
                        },
                    )
                }
            };
            w.record_message(&msg.message_id, ticket, comment, false, ctx.now)?;
            for f in &files {
                w.insert_attachment(&NewAttachment {
                    ticket,
                    comment,
                    name: &f.name,
                    mime: &f.mime,
                    size: f.size,
                    sha256: &f.hash,
                    at: ctx.now,
                })?;
            }
            Ok(outcome)
        })
    }

    /// The open ticket a message answers, if any, and — when it answers
    /// one but its sender is not that ticket's customer — that ticket, so
    /// the message becomes a ticket of its own instead of the customer's
    /// words. Without this, anyone who saw a Message-ID (a CC, a forward)
    /// could write into a customer's ticket as the customer.
    fn thread_of(&self, msg: &MailIn) -> Result<(Option<i64>, Option<i64>)> {
        let reader = self.store.reader();
        let sender = match reader.customer_by_handle("email", &msg.from_address)? {
            Some(id) => Some(id),
            None => reader.customer_by_email(&msg.from_address)?.map(|c| c.id),
        };
        let mut found = None;
        for parent in &msg.parents {
            if let Some(id) = reader.ticket_of_message(parent)? {
                found = Some(id);
                break;
            }
        }
        if found.is_none()
            && let Some(id) = msg.ticket_ref
            && let Some(t) = reader.ticket(id)?
            && t.customer_id.is_some()
            && t.customer_id == sender
        {
            // `[#123]` alone is easy to type: only the ticket's own customer
            // (any of their addresses) may add to it this way.
            found = Some(id);
        }
        let Some(id) = found else {
            return Ok((None, None));
        };
        // A ticket the importing member may not see is a missing one to
        // them: answering it must neither write into it nor tell it exists.
        let Ok(t) = self.visible_ticket(&reader, id) else {
            return Ok((None, None));
        };
        if t.customer_id.is_some() && t.customer_id != sender {
            return Ok((None, Some(id)));
        }
        // An answer to a closed ticket starts a new one.
        let closed = self.workflow.state(&t.status).is_some_and(|s| s.is_final);
        Ok(((!closed).then_some(id), None))
    }
}

fn local_part(address: &str) -> &str {
    address.split('@').next().unwrap_or(address)
}

/// The text with a line per attachment too big to keep.
fn with_dropped(text: &str, dropped: &[String]) -> String {
    let mut out = text.to_string();
    for d in dropped {
        let line = format!("\n[✗ {d}]");
        // Within the body limit whatever the mail holds.
        if out.len() + line.len() > ops::BODY_MAX_BYTES {
            break;
        }
        out.push_str(&line);
    }
    out
}

/// A reply to the satisfaction request: when the ticket awaits the
/// customer's acceptance and the top of the message gives a rating or a
/// yes/no, that is their verdict (the message itself is the evidence).
fn verdict_in_reply(w: &mut Writer<'_>, ctx: &ops::Ctx<'_>, id: i64, text: &str) -> Result<()> {
    let ticket = ops::reload(w, id)?;
    if ops::verdict::awaiting_acceptance(ctx.workflow, &ticket).is_err() {
        return Ok(());
    }
    let Some(v) = crate::interchange::verdict::parse_verdict(text) else {
        return Ok(());
    };
    let input = ops::verdict::VerdictInput {
        rating: v.rating,
        satisfied: v.satisfied,
        words: None,
    };
    ops::verdict::record(w, ctx, id, &input, ops::verdict::VerdictSource::Mail, None)?;
    Ok(())
}

/// A public comment by the customer: no first response (that is ours to
/// give), recorded as a customer message for automations and notices.
pub(crate) fn customer_message(
    w: &mut Writer<'_>,
    ctx: &ops::Ctx<'_>,
    id: i64,
    from: &str,
    body: &str,
) -> Result<i64> {
    let ticket = ops::reload(w, id)?;
    let body = if body.trim().is_empty() {
        "…"
    } else {
        body.trim_end()
    };
    ops::check_body("field.comment", body)?;
    let cid = w.insert_comment(id, from, body, false, ctx.now)?;
    ops::save(w, ctx, &ticket, &TicketUpdate::default())?;
    ctx.log(
        w,
        id,
        EventKind::Comment,
        Some(crate::domain::CUSTOMER_MESSAGE),
        None,
        Some(&cid.to_string()),
    )?;
    Ok(cid)
}

fn new_ticket(
    w: &mut Writer<'_>,
    ctx: &ops::Ctx<'_>,
    msg: &MailIn,
    text: &str,
    customer: Option<i64>,
) -> Result<i64> {
    let title = if msg.subject.trim().is_empty() {
        text.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("…")
            .chars()
            .take(80)
            .collect()
    } else {
        msg.subject.chars().take(ops::TITLE_MAX_CHARS).collect()
    };
    let mut custom = serde_json::Map::new();
    if !msg.orders.is_empty() {
        custom.insert("orders".into(), msg.orders.join(" ").into());
    }
    if let Some(m) = msg.marketplace {
        custom.insert("marketplace".into(), m.into());
    }
    let new = NewTicket {
        title,
        description: text.to_string(),
        channel: Some(if msg.marketplace.is_some() {
            Channel::Marketplace
        } else {
            Channel::Email
        }),
        customer_id: customer,
        custom,
        ..NewTicket::default()
    };
    ops::create(w, ctx, new)
}

impl Desk {
    /// Records a bounce on the letter it reports: the letter is marked as
    /// come back undelivered (with the receiving server's reason; it is
    /// never sent again), its ticket's history says so, and the member who
    /// wrote it is told. No ticket is made from a bounce; one naming no
    /// letter of this desk is left alone. Recording it twice changes nothing.
    pub fn record_bounce(
        &mut self,
        bounce: &crate::interchange::mail::Bounce,
    ) -> Result<BounceOutcome> {
        self.require_import()?;
        let reader = self.store.reader();
        let Some(letter) = reader.letter_with_message_id(&bounce.refers_to)? else {
            return Ok(BounceOutcome::Unknown);
        };
        let recorded = BounceOutcome::Recorded {
            ticket: letter.ticket,
            letter: letter.id,
        };
        if letter
            .error
            .as_deref()
            .is_some_and(crate::domain::is_bounced)
        {
            return Ok(recorded);
        }
        let author = reader
            .comments(letter.ticket)?
            .into_iter()
            .find(|c| c.id == letter.comment)
            .map(|c| c.author)
            .filter(|a| !crate::domain::is_customer_author(a) && !a.starts_with("automation:"));
        let error = format!("{}{}", crate::domain::BOUNCED, bounce.reason);
        let recipient = bounce.recipient.clone().unwrap_or(letter.recipient.clone());
        let me = self.me()?;
        let now = self.clock.now();
        let number = letter.id.to_string();
        self.store.write(|w| {
            w.mark_bounced(letter.id, &error)?;
            w.append_event(&crate::store::NewEvent {
                ticket: Some(letter.ticket),
                actor: &me.login,
                at: now,
                kind: EventKind::Bounced,
                field: Some(&recipient),
                old: Some(&number),
                new: Some(&bounce.reason),
                change: None,
            })?;
            if let Some(login) = author.as_deref() {
                w.add_notice(&crate::store::NewNotice {
                    login,
                    ticket: Some(letter.ticket),
                    kind: crate::domain::NoticeKind::Bounced,
                    actor: &me.login,
                    at: now,
                    change: None,
                    detail: Some(&bounce.reason),
                })?;
            }
            Ok(())
        })?;
        Ok(recorded)
    }
}
