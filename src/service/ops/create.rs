//! Creating a ticket.

use crate::domain::{Channel, EventKind, NewCustomer, NewTicket, Priority, Ticket, normalize_tag};
use crate::error::{Error, Result};
use crate::store::Writer;
use crate::workflow::Workflow;

use super::{Ctx, check_body, clean_title, transition};

/// Validates `new`, stores it in the workflow's initial state, logs it, and
/// applies the initial state's `on_assign` move when it has an assignee.
pub fn create(w: &mut Writer<'_>, ctx: &Ctx<'_>, new: NewTicket) -> Result<i64> {
    let ticket = new_ticket(w, ctx, new)?;
    let id = w.insert_ticket(&ticket)?;
    if ticket.due_at.is_some() {
        w.set_due_manual(id, true)?;
    }
    ctx.log(w, id, EventKind::Created, None, None, Some(&ticket.status))?;
    if let Some(login) = &ticket.assignee {
        ctx.log(w, id, EventKind::Assigned, None, None, Some(login))?;
        transition::follow_on_assign(w, ctx, id)?;
    }
    Ok(id)
}

/// Checks `new` and makes the ticket it describes, in the workflow's
/// initial state, without storing it (its `id` is 0).
pub fn new_ticket(w: &mut Writer<'_>, ctx: &Ctx<'_>, new: NewTicket) -> Result<Ticket> {
    let title = clean_title(&new.title)?;
    check_body("field.description", &new.description)?;
    let kind = match new.kind {
        Some(k) => resolve_type(ctx.workflow, &k)?,
        None => ctx
            .workflow
            .types()
            .first()
            .map(|t| t.id.clone())
            .unwrap_or_default(),
    };
    let customer_id = match (new.customer_id, new.customer_email.as_deref()) {
        (Some(id), _) => Some(id),
        (None, Some(email)) if !email.trim().is_empty() => {
            Some(find_or_create_customer(w, ctx, email)?)
        }
        _ => None,
    };
    if let Some(login) = &new.assignee {
        super::may_assign(ctx.actor, None, Some(login))?;
        require_active_user(w, login)?;
    }
    // A new ticket without a team joins its author's, so an agent still
    // sees it when it is unassigned and a supervisor can act on it at once.
    let team = new
        .team
        .filter(|t| !t.trim().is_empty())
        .or_else(|| ctx.actor.team.clone());
    let mut tags: Vec<String> = new.tags.iter().filter_map(|t| normalize_tag(t)).collect();
    tags.sort();
    tags.dedup();
    let ticket = Ticket {
        id: 0,
        title,
        description: new.description.trim_end().to_string(),
        status: ctx.workflow.initial().id.clone(),
        priority: new.priority.unwrap_or(Priority::P2),
        kind,
        category: new.category,
        channel: new.channel.unwrap_or(Channel::Other),
        customer_id,
        assignee: new.assignee,
        team,
        tags,
        custom: new.custom,
        resolution: None,
        accepted_at: None,
        rating: None,
        closure: Default::default(),
        created_at: ctx.now,
        updated_at: ctx.now,
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        version: 1,
        due_at: new.due,
        risk_at: new.due.map(|d| crate::domain::risk_time(ctx.now, d)),
    };
    Ok(ticket)
}

/// Accepts a type id, its label in any language, or a spelling that makes
/// its id (`Billing Inquiry!` is `billing-inquiry`).
pub fn resolve_type(workflow: &Workflow, text: &str) -> Result<String> {
    let t = text.trim();
    let slug = crate::domain::type_slug(t);
    workflow
        .types()
        .iter()
        .find(|ty| ty.id.eq_ignore_ascii_case(t) || ty.label.matches(t))
        .or_else(|| {
            workflow
                .types()
                .iter()
                .find(|ty| !slug.is_empty() && ty.id == slug)
        })
        .map(|ty| ty.id.clone())
        .ok_or_else(|| Error::UnknownValue {
            field: "type",
            value: t.to_string(),
            known: known_list(workflow.types().iter().map(|ty| ty.id.as_str())),
        })
}

/// Names for an "unknown value" message: the first 20, and how many more.
pub fn known_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    const SHOWN: usize = 20;
    let names: Vec<&str> = names.collect();
    let mut text = names
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(", … (+{})", names.len() - SHOWN));
    }
    text
}

/// Fails with `UserNotFound` unless `login` is an active member.
pub fn require_active_user(w: &Writer<'_>, login: &str) -> Result<()> {
    match w.reader().user(login)? {
        Some(u) if u.active => Ok(()),
        _ => Err(Error::UserNotFound(login.to_string())),
    }
}

fn find_or_create_customer(w: &mut Writer<'_>, ctx: &Ctx<'_>, email: &str) -> Result<i64> {
    // Any of a customer's addresses finds them, not only the first.
    if let Some(id) = w.reader().customer_by_handle("email", email)? {
        return Ok(id);
    }
    if let Some(c) = w.reader().customer_by_email(email)? {
        return Ok(c.id);
    }
    if !email.contains('@') {
        return Err(Error::Invalid(crate::domain::InvalidValue {
            field: "email",
            value: email.to_string(),
            expected: "name@example.com".into(),
        }));
    }
    let id = w.insert_customer(&NewCustomer::from_email(email), ctx.now)?;
    w.add_handle(id, "email", email)?;
    Ok(id)
}
