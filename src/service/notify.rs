//! Inboxes: after every change, who must hear of it — the new assignee,
//! members `@mentioned` in a comment, watchers of the ticket — one notice
//! per member and change, never to the one who made it, and only to members
//! who may see the ticket (a notice must not leak a ticket to someone the
//! list would hide it from). Plus watching and reading the inbox.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::domain::{Event, EventKind, NoticeKind, Notification, User, mentions};
use crate::error::Result;
use crate::store::{NewNotice, NoticeAbout, Writer};

use super::Desk;
use crate::domain::ChangeKind;

/// Longest excerpt of a comment kept in a notice, in characters.
const EXCERPT_CHARS: usize = 140;

/// Writes the notices a change of kind `summary` (`move`, `bulk`, …) calls
/// for, in its own transaction, from its `events` and the tickets they
/// `touched`.
pub(super) fn notify_change(
    w: &mut Writer<'_>,
    actor: &User,
    change: i64,
    events: &[Event],
    touched: &[i64],
    summary: ChangeKind,
    now: DateTime<Utc>,
) -> Result<()> {
    // (login, ticket) → (reason, detail); the strongest reason wins.
    let mut notices: BTreeMap<(String, i64), (NoticeKind, Option<String>)> = BTreeMap::new();
    let mut add = |login: &str, ticket: i64, kind: NoticeKind, detail: Option<String>| {
        if login == actor.login {
            return;
        }
        let key = (login.to_string(), ticket);
        match notices.get(&key) {
            Some((held, _)) if held.rank() <= kind.rank() => {}
            _ => {
                notices.insert(key, (kind, detail));
            }
        }
    };
    for e in events {
        let Some(ticket) = e.ticket else { continue };
        match e.kind {
            EventKind::Assigned => {
                if let Some(to) = e.new.as_deref().filter(|t| !t.is_empty()) {
                    add(to, ticket, NoticeKind::Assigned, None);
                }
            }
            EventKind::Comment => {
                let body = match e.new.as_deref().and_then(|id| id.parse().ok()) {
                    Some(id) => w.reader().comment_body(id)?,
                    None => None,
                };
                let from_customer = e.field.as_deref() == Some(crate::domain::CUSTOMER_MESSAGE);
                if let Some(body) = body {
                    let excerpt: String = body.chars().take(EXCERPT_CHARS).collect();
                    if from_customer {
                        // The assignee hears of it; a customer's "@name"
                        // is not a mention of staff.
                        if let Some(to) = w.reader().ticket(ticket)?.and_then(|t| t.assignee) {
                            add(&to, ticket, NoticeKind::CustomerReply, Some(excerpt));
                        }
                        continue;
                    }
                    for login in mentions(&body) {
                        add(&login, ticket, NoticeKind::Mention, Some(excerpt.clone()));
                    }
                }
            }
            _ => {}
        }
    }
    for &ticket in touched {
        for login in w.reader().watchers(ticket)? {
            add(
                &login,
                ticket,
                NoticeKind::Watched,
                Some(summary.as_str().to_string()),
            );
        }
    }
    for ((login, ticket), (kind, detail)) in notices {
        let reader = w.reader();
        let (Some(user), Some(t)) = (reader.user(&login)?, reader.ticket(ticket)?) else {
            continue;
        };
        if !user.active
            || !user
                .scope()
                .allows(t.assignee.as_deref(), t.team.as_deref())
        {
            continue;
        }
        w.add_notice(&NewNotice {
            login: &login,
            ticket: Some(ticket),
            kind,
            actor: &actor.login,
            at: now,
            change: Some(change),
            detail: detail.as_deref(),
        })?;
    }
    Ok(())
}

impl Desk {
    /// Starts or stops watching a ticket the member may see.
    pub fn watch(&mut self, ticket: i64, on: bool) -> Result<()> {
        self.visible_ticket(&self.store.reader(), ticket)?;
        let login = self.login.clone();
        self.store.write(|w| w.set_watch(&login, ticket, on))
    }

    pub fn is_watching(&self, ticket: i64) -> Result<bool> {
        self.store.reader().is_watching(&self.login, ticket)
    }

    /// The member's notifications, newest first (only unread with `unread`).
    /// Notices about tickets the member may no longer see are left out.
    pub fn inbox(&self, unread: bool, limit: usize) -> Result<Vec<Notification>> {
        let scope = self.me()?.scope();
        let reader = self.store.reader();
        let mut out = Vec::new();
        for n in reader.inbox(&self.login, unread, limit)? {
            if notice_visible(&reader, &self.login, &scope, &n)? {
                out.push(n);
            }
        }
        Ok(out)
    }

    /// Unread notices about what the member may see now: a notice about a
    /// ticket that has since left their sight is not counted (the count
    /// would tell that it exists and moves).
    pub fn unread_count(&self) -> Result<i64> {
        let scope = self.me()?.scope();
        let rows = self.store.reader().unread_tickets(&self.login)?;
        let visible = rows.iter().filter(|about| match about {
            NoticeAbout::Nothing => true,
            NoticeAbout::Gone => false,
            NoticeAbout::Ticket {
                assignee,
                team,
                own_step,
            } => *own_step || scope.allows(assignee.as_deref(), team.as_deref()),
        });
        Ok(visible.count() as i64)
    }

    /// Notices the member's notify hook has not had yet and may try now,
    /// about what the member may see now. Those about a ticket that has
    /// left their sight are withheld for good (marked handled without
    /// running the hook), so they never reach it and never block the queue.
    pub fn pending_hooks(&mut self, limit: usize) -> Result<Vec<Notification>> {
        let scope = self.me()?.scope();
        let now = self.clock.now();
        loop {
            let batch = self.store.reader().hook_pending(&self.login, now, limit)?;
            let full = batch.len() == limit;
            let mut visible = Vec::new();
            let mut withheld = Vec::new();
            {
                let reader = self.store.reader();
                for n in batch {
                    if notice_visible(&reader, &self.login, &scope, &n)? {
                        visible.push(n);
                    } else {
                        withheld.push(n.id);
                    }
                }
            }
            if !withheld.is_empty() {
                self.store.write(|w| {
                    for id in &withheld {
                        w.hook_done(*id, now)?;
                    }
                    Ok(())
                })?;
            }
            if !visible.is_empty() || !full || withheld.is_empty() {
                return Ok(visible);
            }
        }
    }

    /// Records a notice as handed to the hook.
    pub fn hook_delivered(&mut self, id: i64) -> Result<()> {
        let now = self.clock.now();
        self.store.write(|w| w.hook_done(id, now))
    }

    /// Records a failed hook run; it is tried again later, waiting longer
    /// after each failure (1 minute, doubling, at most an hour).
    pub fn hook_failed(&mut self, id: i64, error: &str) -> Result<()> {
        let now = self.clock.now();
        self.store.write(|w| {
            let (attempts, _) = w.reader().hook_state(id)?;
            let minutes = 1i64 << attempts.clamp(0, 6);
            let retry = now + chrono::Duration::minutes(minutes.min(60));
            w.hook_failed(id, error, retry)
        })
    }

    /// Marks notifications read (the given ones, or all); returns how many.
    pub fn mark_read(&mut self, ids: Option<&[i64]>) -> Result<usize> {
        self.me()?;
        let login = self.login.clone();
        let now = self.clock.now();
        self.store.write(|w| w.mark_read(&login, ids, now))
    }
}

/// Whether a notice is about something the member may see now.
/// A step given to the member stays visible while they own a step of its
/// ticket, whoever's the ticket is.
fn notice_visible(
    reader: &crate::store::Reader<'_>,
    login: &str,
    scope: &crate::domain::Scope,
    n: &Notification,
) -> Result<bool> {
    Ok(match n.ticket {
        Some(id) => match reader.ticket(id)? {
            Some(t) if scope.allows(t.assignee.as_deref(), t.team.as_deref()) => true,
            Some(_) => {
                n.kind == crate::domain::NoticeKind::Step && reader.owns_step_of(login, id)?
            }
            None => false,
        },
        None => true,
    })
}
