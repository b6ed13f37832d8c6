//! Assigning, commenting, editing fields and recording the customer's acceptance.

use super::super::mail_out::Route;
use crate::domain::{
    Comment, CommentKind, EventKind, Role, Ticket, TicketChanges, User, normalize_tag,
};
use crate::error::{Error, Result};
use crate::store::{TicketUpdate, Writer};

use super::create::{require_active_user, resolve_type};
use super::{Ctx, check_body, clean_title, load, reload, save, transition};

/// Sets or clears the assignee; follows the state's `on_assign` move.
pub fn assign(
    w: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    id: i64,
    login: Option<&str>,
    expected_version: Option<i64>,
) -> Result<Ticket> {
    let ticket = load(w, ctx, id, expected_version)?;
    if ticket.assignee.as_deref() == login {
        return Ok(ticket);
    }
    may_assign(ctx.actor, ticket.assignee.as_deref(), login)?;
    write_assignee(w, ctx, &ticket, login)?;
    if login.is_some() {
        transition::follow_on_assign(w, ctx, id)?;
    }
    reload(w, id)
}

/// Agents may take an unassigned ticket (of their team: they cannot load
/// any other) and give back their own; every other assignment needs a
/// supervisor.
pub fn may_assign(actor: &User, from: Option<&str>, to: Option<&str>) -> Result<()> {
    let me = Some(actor.login.as_str());
    let own_move = (from.is_none() && to == me) || (from == me && to.is_none());
    if actor.role.at_least(Role::Supervisor) || own_move {
        Ok(())
    } else {
        Err(Error::Forbidden {
            action: "action.assign",
            needs: Role::Supervisor,
        })
    }
}

/// Sets the assignee without the `on_assign` move (used by undo, which
/// restores the state separately).
pub fn assign_plain(w: &mut Writer<'_>, ctx: &Ctx<'_>, id: i64, login: Option<&str>) -> Result<()> {
    let ticket = load(w, ctx, id, None)?;
    if ticket.assignee.as_deref() == login {
        return Ok(());
    }
    write_assignee(w, ctx, &ticket, login)
}

/// Stores a new assignee (who must be an active member) and logs it.
fn write_assignee(
    w: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    ticket: &Ticket,
    login: Option<&str>,
) -> Result<()> {
    if let Some(l) = login {
        require_active_user(w, l)?;
    }
    let update = TicketUpdate {
        assignee: Some(login.map(String::from)),
        ..TicketUpdate::default()
    };
    save(w, ctx, ticket, &update)?;
    ctx.log(
        w,
        ticket.id,
        EventKind::Assigned,
        None,
        ticket.assignee.as_deref(),
        login,
    )
}

/// Adds a public reply or an internal note (see [`add_comment`]).
pub fn comment(
    w: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    id: i64,
    body: &str,
    internal: bool,
) -> Result<Comment> {
    let kind = if internal {
        CommentKind::Note
    } else {
        CommentKind::Reply
    };
    add_comment(w, ctx, id, body, kind).map(|(c, _)| c)
}

/// Adds a comment; returns it and whether it was queued for mail. A
/// member's reply that is not mailed is the first response at once; a
/// mailed one when it goes out ([`Desk::mail_delivered`]); an automation's
/// (a satisfaction request, say) never.
pub fn add_comment(
    w: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    id: i64,
    body: &str,
    kind: CommentKind,
) -> Result<(Comment, Route)> {
    let ticket = load(w, ctx, id, None)?;
    let body = body.trim_end();
    if body.trim().is_empty() {
        return Err(Error::Empty("field.comment"));
    }
    check_body("field.comment", body)?;
    let internal = kind == CommentKind::Note;
    let cid = w.insert_comment(id, &ctx.actor.login, body, internal, ctx.now)?;
    let route = match kind {
        CommentKind::Reply => super::super::mail_out::queue_reply(w, &ticket, cid, ctx.now)?,
        CommentKind::Note | CommentKind::Given(_) => Route::NotByMail,
    };
    let mut update = TicketUpdate::default();
    // A reply that goes by mail answers when it is sent; one that cannot
    // be sent (no address) has not answered anyone.
    if !internal
        && route == Route::NotByMail
        && ticket.first_response_at.is_none()
        && counts_as_response(&ctx.actor.login)
    {
        update.first_response_at = Some(Some(ctx.now));
    }
    save(w, ctx, &ticket, &update)?;
    let event = match kind {
        CommentKind::Note => "note".to_string(),
        CommentKind::Reply => "reply".to_string(),
        CommentKind::Given(channel) => format!("reply:{}", channel.as_str()),
    };
    ctx.log(
        w,
        id,
        EventKind::Comment,
        Some(&event),
        None,
        Some(&cid.to_string()),
    )?;
    Ok((
        Comment {
            id: cid,
            ticket: id,
            author: ctx.actor.login.clone(),
            body: body.to_string(),
            internal,
            created_at: ctx.now,
        },
        route,
    ))
}

/// Whether a reply by `author` answers the customer for the SLA: a member's
/// does; an automation's (a satisfaction request) does not, nor does a
/// customer's own message.
pub fn counts_as_response(author: &str) -> bool {
    !crate::domain::is_automation(author) && !crate::domain::is_customer_author(author)
}

/// Applies plain field edits, logging one event per changed field.
/// Unchanged values are skipped; no change at all leaves the version alone.
pub fn edit(
    w: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    id: i64,
    changes: &TicketChanges,
    expected_version: Option<i64>,
) -> Result<Ticket> {
    let ticket = load(w, ctx, id, expected_version)?;
    let mut update = TicketUpdate::default();
    let mut events: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    let mut note = |field: &str, old: Option<String>, new: Option<String>| {
        events.push((field.to_string(), old, new));
    };
    if let Some(title) = &changes.title {
        let title = clean_title(title)?;
        if title != ticket.title {
            note("title", Some(ticket.title.clone()), Some(title.clone()));
            update.title = Some(title);
        }
    }
    if let Some(desc) = &changes.description {
        check_body("field.description", desc)?;
        let desc = desc.trim_end().to_string();
        if desc != ticket.description {
            note(
                "description",
                Some(ticket.description.clone()),
                Some(desc.clone()),
            );
            update.description = Some(desc);
        }
    }
    if let Some(p) = changes.priority.filter(|p| *p != ticket.priority) {
        note(
            "priority",
            Some(ticket.priority.to_string()),
            Some(p.to_string()),
        );
        update.priority = Some(p);
    }
    if let Some(kind) = &changes.kind {
        let kind = resolve_type(ctx.workflow, kind)?;
        if kind != ticket.kind {
            note("type", Some(ticket.kind.clone()), Some(kind.clone()));
            update.kind = Some(kind);
        }
    }
    if let Some(cat) = changes.category.as_ref().filter(|c| **c != ticket.category) {
        let show = |c: &Option<crate::domain::Category>| c.as_ref().map(|c| c.to_string());
        note("category", show(&ticket.category), show(cat));
        update.category = Some(cat.clone());
    }
    if let Some(ch) = changes.channel.filter(|c| *c != ticket.channel) {
        note(
            "channel",
            Some(ticket.channel.to_string()),
            Some(ch.to_string()),
        );
        update.channel = Some(ch);
    }
    if let Some(team) = &changes.team {
        let team = team
            .as_ref()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        if team != ticket.team {
            note("team", ticket.team.clone(), team.clone());
            update.team = Some(team);
        }
    }
    if !changes.custom.is_empty() {
        let mut custom = ticket.custom.clone();
        for (key, value) in &changes.custom {
            let old = custom.get(key).map(|v| v.to_string());
            if value.is_null() {
                custom.remove(key);
            } else {
                custom.insert(key.clone(), value.clone());
            }
            let new = custom.get(key).map(|v| v.to_string());
            if old != new {
                note(&format!("custom.{key}"), old, new);
            }
        }
        if custom != ticket.custom {
            update.custom = Some(custom);
        }
    }
    if let Some(due) = changes.due.filter(|d| *d != ticket.due_at) {
        let show = |d: Option<chrono::DateTime<chrono::Utc>>| d.map(|d| d.to_rfc3339());
        note("due", show(ticket.due_at), show(due));
        update.due_at = Some(due);
        update.risk_at = Some(due.map(|d| crate::domain::risk_time(ctx.now, d)));
    }
    let mut tag_events = Vec::new();
    for tag in changes.add_tags.iter().filter_map(|t| normalize_tag(t)) {
        if w.add_tag(id, &tag)? {
            tag_events.push((None, Some(tag)));
        }
    }
    for tag in changes.remove_tags.iter().filter_map(|t| normalize_tag(t)) {
        if w.remove_tag(id, &tag)? {
            tag_events.push((Some(tag), None));
        }
    }
    if events.is_empty() && tag_events.is_empty() {
        return Ok(ticket);
    }
    save(w, ctx, &ticket, &update)?;
    if let Some(due) = changes.due {
        // A deadline set by hand stays; clearing it hands it back to the SLA.
        w.set_due_manual(id, due.is_some())?;
    }
    for (field, old, new) in &events {
        ctx.log(
            w,
            id,
            EventKind::Field,
            Some(field),
            old.as_deref(),
            new.as_deref(),
        )?;
    }
    for (old, new) in &tag_events {
        ctx.log(
            w,
            id,
            EventKind::Field,
            Some("tag"),
            old.as_deref(),
            new.as_deref(),
        )?;
    }
    reload(w, id)
}
