//! `tdesk import json`: a tdesk export read back — every ticket with its
//! number (when free), state, times, tags and custom fields, every comment
//! with its author and time, every history event, every customer with
//! handles, orders and notes, every step (done or open) and stretch of time
//! spent, and the links between the tickets it brings. History is copied,
//! not replayed: no automation, routing or notice reacts to it. Admins only.

use std::collections::HashMap;

use crate::domain::{EventKind, LinkKind, NewCustomer, NewSubtask, Role, User};
use crate::error::Result;
use crate::interchange::json::{Document, ExportedCustomer, ExportedTicket};
use crate::store::{NewAttachment, NewEvent, Writer};

use super::super::Desk;
use super::{CHUNK, ImportOptions, ImportReport, Progress};

impl Desk {
    /// Restores an export. Tickets already here (same external id, or the
    /// same number created at the same time with the same title) are left
    /// alone; a number taken by another ticket gets the next free one.
    pub fn import_document(
        &mut self,
        doc: Document,
        opts: ImportOptions,
        progress: Progress<'_>,
    ) -> Result<ImportReport> {
        self.require("action.import_json", Role::Admin)?;
        let now = self.clock.now();
        let mut report = ImportReport::default();
        let mut fresh = Vec::new();
        {
            let reader = self.store.reader();
            for t in doc.tickets {
                let known = match &t.external_id {
                    Some(x) => reader.ticket_by_external(x)?.is_some(),
                    None => reader.ticket(t.ticket.id)?.is_some_and(|here| {
                        here.created_at == t.ticket.created_at && here.title == t.ticket.title
                    }),
                };
                if known {
                    report.unchanged += 1;
                } else {
                    fresh.push(t);
                }
            }
        }
        // A state this desk's workflow does not have would leave a ticket
        // stuck with no way out.
        if let Some(t) = fresh
            .iter()
            .find(|t| self.workflow.state(&t.ticket.status).is_none())
        {
            return Err(crate::error::Error::Invalid(
                crate::domain::InvalidValue::new(
                    "status",
                    &t.ticket.status,
                    self.workflow
                        .states()
                        .iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ));
        }
        if opts.dry_run {
            report.planned = fresh
                .iter()
                .map(|t| (t.ticket.id as usize, t.ticket.title.clone()))
                .collect();
            return Ok(report);
        }
        // Customers first: the whole list, then any a ticket carries alone.
        let mut customers: Vec<ExportedCustomer> = doc.customers;
        for t in &fresh {
            if let Some(c) = &t.customer
                && !customers.iter().any(|x| x.customer.id == c.id)
            {
                customers.push(ExportedCustomer {
                    customer: c.clone(),
                    handles: Vec::new(),
                    orders: Vec::new(),
                    notes: String::new(),
                });
            }
        }
        let mut ids: HashMap<i64, i64> = HashMap::new();
        for chunk in customers.chunks(CHUNK) {
            let made = self.store.write(|w| {
                let mut made = Vec::new();
                for c in chunk {
                    made.push((c.customer.id, restore_customer(w, c, now)?));
                }
                Ok(made)
            })?;
            for (old, (new, created)) in made {
                ids.insert(old, new);
                report.customers += usize::from(created);
            }
        }
        let total = fresh.len();
        // Links join two tickets: written once both have their numbers
        // here, from the side that stored them.
        let mut links: Vec<(i64, LinkKind, i64)> = Vec::new();
        let mut numbers: HashMap<i64, i64> = HashMap::new();
        let mut rest = fresh.into_iter();
        loop {
            let chunk: Vec<ExportedTicket> = rest.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            for t in &chunk {
                links.extend(
                    t.links
                        .iter()
                        .filter(|l| l.outgoing)
                        .map(|l| (t.ticket.id, l.kind, l.id)),
                );
            }
            let made = self.store.write(|w| {
                let mut made = Vec::new();
                for t in chunk {
                    let old = t.ticket.id;
                    made.push((old, restore_ticket(w, t, &ids, now)?));
                }
                Ok(made)
            })?;
            for (old, new) in made {
                numbers.insert(old, new);
                report.created.push(new);
            }
            progress(report.created.len(), total);
        }
        let by = self.login.clone();
        self.store.write(|w| {
            for (from, kind, to) in &links {
                if let (Some(a), Some(b)) = (numbers.get(from), numbers.get(to)) {
                    w.insert_link(*a, *b, *kind, &by, now)?;
                }
            }
            Ok(())
        })?;
        Ok(report)
    }
}

/// The customer for `c`: one that shares an address or handle, else a new
/// one with everything `c` has. The bool says whether it was created.
fn restore_customer(
    w: &mut Writer<'_>,
    c: &ExportedCustomer,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(i64, bool)> {
    let mut found = None;
    for (kind, value) in &c.handles {
        if let Some(id) = w.reader().customer_by_handle(kind, value)? {
            found = Some(id);
            break;
        }
    }
    if found.is_none()
        && let Some(e) = &c.customer.email
    {
        found = w.reader().customer_by_email(e)?.map(|x| x.id);
    }
    let (id, created) = match found {
        Some(id) => (id, false),
        None => {
            let x = &c.customer;
            let new = NewCustomer {
                name: x.name.clone(),
                email: x.email.clone(),
                phone: x.phone.clone(),
                tier: x.tier,
                country: x.country.clone(),
                timezone: x.timezone.clone(),
                language: x.language.clone(),
            };
            // Its number too when free, so a restore into an empty desk
            // is the same desk.
            let keep = w.reader().customer(x.id)?.is_none().then_some(x.id);
            (w.insert_customer_as(&new, now, keep)?, true)
        }
    };
    for (kind, value) in &c.handles {
        w.add_handle(id, kind, value)?;
    }
    for o in &c.orders {
        w.add_order(id, o)?;
    }
    if created && !c.notes.is_empty() {
        w.set_customer_notes(id, &c.notes)?;
    }
    Ok((id, created))
}

/// Someone of the old desk: kept as an inactive member, so the history
/// and the owners read true; an admin may bring them back (`user add`).
fn keep_member(
    w: &mut Writer<'_>,
    login: &str,
    team: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    if w.reader().user(login)?.is_some() {
        return Ok(());
    }
    w.insert_user(
        &User {
            login: login.to_string(),
            display_name: login.to_string(),
            role: Role::Agent,
            team: team.map(String::from),
            active: false,
            level: crate::domain::Level::default(),
        },
        now,
    )
}

/// Writes one ticket with its conversation, history, files and mail ids.
fn restore_ticket(
    w: &mut Writer<'_>,
    t: ExportedTicket,
    customers: &HashMap<i64, i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64> {
    let mut ticket = t.ticket;
    ticket.customer_id = ticket
        .customer_id
        .and_then(|old| customers.get(&old).copied());
    if let Some(login) = &ticket.assignee {
        keep_member(w, login, ticket.team.as_deref(), now)?;
    }
    for login in t.subtasks.iter().filter_map(|s| s.assignee.as_deref()) {
        keep_member(w, login, None, now)?;
    }
    let number = (w.reader().ticket(ticket.id)?.is_none()).then_some(ticket.id);
    let id = w.insert_ticket_as(&ticket, number)?;
    if let Some(x) = &t.external_id {
        w.set_external_id(id, x)?;
    }
    let mut comment_ids: HashMap<String, String> = HashMap::new();
    for c in &t.comments {
        let new = w.insert_comment(id, &c.author, &c.body, c.internal, c.created_at)?;
        comment_ids.insert(c.id.to_string(), new.to_string());
    }
    for e in &t.events {
        // A comment event points at its comment, which has a new number.
        let new = match (e.kind, &e.new) {
            (EventKind::Comment, Some(old)) => comment_ids.get(old).cloned().or(e.new.clone()),
            _ => e.new.clone(),
        };
        w.append_event(&NewEvent {
            ticket: Some(id),
            actor: &e.actor,
            at: e.at,
            kind: e.kind,
            field: e.field.as_deref(),
            old: e.old.as_deref(),
            new: new.as_deref(),
            change: None,
        })?;
    }
    for a in &t.attachments {
        let comment = a
            .comment
            .and_then(|c| comment_ids.get(&c.to_string()))
            .and_then(|c| c.parse().ok());
        w.insert_attachment(&NewAttachment {
            ticket: id,
            comment,
            name: &a.name,
            mime: &a.mime,
            size: a.size,
            sha256: &a.sha256,
            at: a.created_at,
        })?;
    }
    for m in &t.messages {
        w.record_message(m, id, None, false, ticket.created_at)?;
    }
    let mut steps: HashMap<i64, i64> = HashMap::new();
    for s in &t.subtasks {
        let new = NewSubtask {
            title: s.title.clone(),
            assignee: s.assignee.clone(),
            due: s.due,
            note: Some(s.note.clone()),
        };
        let mut made = w.insert_subtask(id, &new, s.created_at)?;
        if s.done_at.is_some() {
            made.done_at = s.done_at;
            made.done_by = s.done_by.clone();
            w.update_subtask(&made)?;
        }
        steps.insert(s.id, made.id);
    }
    for e in &t.time {
        let step = e.step.and_then(|s| steps.get(&s).copied());
        // One running timer per member: one already running here wins and
        // the imported one is left out (stopping it now would invent time).
        if e.stopped.is_none() && w.reader().running_timer(&e.login)?.is_some() {
            continue;
        }
        w.insert_time(id, step, &e.login, e.started, e.stopped, &e.note)?;
    }
    Ok(id)
}
