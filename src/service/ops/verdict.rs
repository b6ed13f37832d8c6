//! The customer's verdict on a fix, and what it does: a good one with
//! acceptance closes the ticket; a bad one reopens it, hands it to a senior
//! member of its team (to the supervisor after three reopens) and tells the
//! supervisor; anything else is recorded. Acceptance recorded by a member
//! needs the customer's words (given now, or a message since the fix) or a
//! supervisor; the audit log says which.

use crate::domain::{
    AcceptedBy, CUSTOMER_MESSAGE, Decision, EventKind, InvalidValue, Level, NoticeKind,
    REOPENS_TO_SUPERVISOR, Role, Ticket, User, decide,
};
use crate::error::{Error, Result};
use crate::store::{NewNotice, TicketUpdate, Writer};
use crate::workflow::{MoveFacts, Workflow};

use super::{Ctx, MoveOptions, check_body, load, reload, save, transition};

/// Where a verdict came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictSource {
    /// The customer's own mail reply to the satisfaction request.
    Mail,
    /// A member entered it (a call, a chat, the marketplace's messages).
    Agent,
    /// A survey export imported in bulk.
    Survey,
}

impl VerdictSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mail => "mail",
            Self::Agent => "agent",
            Self::Survey => "survey",
        }
    }
}

/// What the customer said, as entered or read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerdictInput {
    pub rating: Option<u8>,
    pub satisfied: Option<bool>,
    /// The customer's own words, when a member enters them.
    pub words: Option<String>,
}

/// What a verdict did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerdictOutcome {
    /// Accepted and moved to a final state.
    Closed { state: String },
    /// Accepted; no transition to a final state from here.
    Accepted,
    /// Recorded (a 3, say); the ticket waits for the agent.
    Recorded,
    /// Reopened and handed to `assignee` (a senior member, or the
    /// supervisor after three reopens).
    Reopened {
        state: String,
        assignee: Option<String>,
        to_supervisor: bool,
        /// How often the ticket has been reopened now.
        reopens: u32,
    },
}

/// Records a verdict on ticket `id` and acts on it.
pub fn record(
    w: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    id: i64,
    input: &VerdictInput,
    source: VerdictSource,
    expected_version: Option<i64>,
) -> Result<VerdictOutcome> {
    let ticket = load(w, ctx, id, expected_version)?;
    awaiting_acceptance(ctx.workflow, &ticket)?;
    if ticket.accepted_at.is_some() {
        return Err(Error::AlreadyAccepted(id));
    }
    check_rating(input.rating)?;
    // Words are words: a zero-width space or an escape is not the
    // customer saying anything.
    let words = input
        .words
        .as_deref()
        .map(str::trim)
        .filter(|w| w.chars().any(char::is_alphanumeric));
    let decision = decide(input.rating, input.satisfied);
    // A member's "the customer is happy" without the customer's words is
    // refused before anything is written: no verdict, no rating.
    let accepted_by = match (decision, source) {
        (Decision::Accept, VerdictSource::Agent) => Some(
            evidence(w, ctx, &ticket, words.is_some())?.ok_or(Error::Forbidden {
                action: "action.accept_without_words",
                needs: Role::Supervisor,
            })?,
        ),
        (Decision::Accept, _) => Some(AcceptedBy::Customer),
        _ => None,
    };
    let mut words_note = None;
    if let Some(text) = words {
        check_body("field.comment", text)?;
        let cid = w.insert_comment(id, &ctx.actor.login, text, true, ctx.now)?;
        ctx.log(
            w,
            id,
            EventKind::Comment,
            Some("note"),
            None,
            Some(&cid.to_string()),
        )?;
        words_note = Some(cid.to_string());
    }
    let ticket = reload(w, id)?;
    if input.rating.is_some() {
        let update = TicketUpdate {
            rating: Some(input.rating),
            ..TicketUpdate::default()
        };
        save(w, ctx, &ticket, &update)?;
    }
    let said = match input.satisfied {
        Some(true) => " yes",
        Some(false) => " no",
        None => "",
    };
    let shown = format!(
        "{}{said}",
        input.rating.map_or("-".into(), |r| r.to_string())
    );
    ctx.log(
        w,
        id,
        EventKind::Verdict,
        Some(source.as_str()),
        // The note holding the customer's words, so a report can quote them.
        words_note.as_deref(),
        Some(&shown),
    )?;
    match (decision, accepted_by) {
        (Decision::Accept, Some(by)) => accept_and_close(w, ctx, id, input.rating, by),
        (Decision::Reopen, _) => reopen(w, ctx, id, input.rating, words),
        _ => Ok(VerdictOutcome::Recorded),
    }
}

/// Only a ticket in a resolved state that is not final awaits a verdict.
pub fn awaiting_acceptance(wf: &Workflow, ticket: &Ticket) -> Result<()> {
    match wf.state(&ticket.status) {
        Some(s) if s.is_resolved && !s.is_final => Ok(()),
        _ => Err(Error::NotAwaitingAcceptance(ticket.id)),
    }
}

fn check_rating(rating: Option<u8>) -> Result<()> {
    match rating {
        Some(r) if !(1..=5).contains(&r) => Err(Error::Invalid(InvalidValue {
            field: "rating",
            value: r.to_string(),
            expected: "1..5".into(),
        })),
        _ => Ok(()),
    }
}

/// How a member's acceptance counts: the customer's words given now or a
/// message from them since the fix make it the customer's; without them
/// only a supervisor may record it.
pub fn evidence(
    w: &Writer<'_>,
    ctx: &Ctx<'_>,
    ticket: &Ticket,
    words_given: bool,
) -> Result<Option<AcceptedBy>> {
    if words_given || customer_wrote_since_fix(w, ticket)? {
        return Ok(Some(AcceptedBy::Customer));
    }
    Ok(ctx
        .actor
        .role
        .at_least(Role::Supervisor)
        .then_some(AcceptedBy::Supervisor))
}

fn customer_wrote_since_fix(w: &Writer<'_>, ticket: &Ticket) -> Result<bool> {
    let since = ticket.resolved_at.unwrap_or(ticket.created_at);
    Ok(w.reader()
        .events(ticket.id)?
        .iter()
        .any(|e| e.at >= since && e.field.as_deref() == Some(CUSTOMER_MESSAGE)))
}

/// Records the acceptance (no state change).
pub fn write_acceptance(
    w: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    id: i64,
    rating: Option<u8>,
    by: AcceptedBy,
) -> Result<Ticket> {
    let ticket = reload(w, id)?;
    let update = TicketUpdate {
        accepted_at: Some(Some(ctx.now)),
        rating: Some(rating.or(ticket.rating)),
        accepted_by: Some(Some(by)),
        ..TicketUpdate::default()
    };
    save(w, ctx, &ticket, &update)?;
    if let Some(slug) = &ticket.closure.solved_by {
        w.article_helped(slug, id)?;
    }
    let shown = rating.map(|r| r.to_string());
    ctx.log(
        w,
        id,
        EventKind::Accepted,
        Some(by.as_str()),
        None,
        shown.as_deref(),
    )?;
    reload(w, id)
}

fn accept_and_close(
    w: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    id: i64,
    rating: Option<u8>,
    by: AcceptedBy,
) -> Result<VerdictOutcome> {
    let ticket = reload(w, id)?;
    let path = closing_path(ctx.workflow, &ticket, ctx.actor);
    // The history reads in order: on to Pending acceptance, accepted, closed.
    let Some((last, before)) = path.split_last() else {
        write_acceptance(w, ctx, id, rating, by)?;
        return Ok(VerdictOutcome::Accepted);
    };
    for to in before {
        transition(w, ctx, id, to, &MoveOptions::default())?;
    }
    write_acceptance(w, ctx, id, rating, by)?;
    transition(w, ctx, id, last, &MoveOptions::default())?;
    Ok(VerdictOutcome::Closed {
        state: last.clone(),
    })
}

/// The steps to a final state an accepted ticket may take from here: one
/// (pending acceptance → closed), or two through a resolved state that
/// is not final (resolved → pending acceptance → closed, for a ticket
/// whose verdict came before the request moved it); none when there is
/// no such way.
fn closing_path(wf: &Workflow, ticket: &Ticket, actor: &User) -> Vec<String> {
    let facts = MoveFacts {
        has_assignee: ticket.assignee.is_some(),
        accepted: true,
        note: None,
        cause: None,
        prevention: None,
        role: actor.role,
        override_requested: false,
        // Checked again with the ticket's own steps when each move is taken.
        open_subtasks: 0,
        open_blockers: 0,
    };
    let may = |from: &str, to: &str| wf.check_move(from, to, facts).is_ok();
    let final_from = |from: &str| {
        wf.next_states(from, actor.role)
            .into_iter()
            .filter(|s| wf.state(s).is_some_and(|st| st.is_final))
            .find(|s| may(from, s))
            .map(String::from)
    };
    if let Some(to) = final_from(&ticket.status) {
        return vec![to];
    }
    wf.next_states(&ticket.status, actor.role)
        .into_iter()
        .filter(|s| wf.state(s).is_some_and(|st| st.is_resolved && !st.is_final))
        .filter(|mid| may(&ticket.status, mid))
        .find_map(|mid| final_from(mid).map(|to| vec![mid.to_string(), to]))
        .unwrap_or_default()
}

/// The open state a reopen goes to: the first non-resolved state reachable.
fn reopen_state(wf: &Workflow, ticket: &Ticket) -> Option<String> {
    wf.next_states(&ticket.status, Role::Admin)
        .into_iter()
        .find(|s| wf.state(s).is_some_and(|st| !st.is_resolved))
        .map(String::from)
}

fn reopen(
    w: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    id: i64,
    rating: Option<u8>,
    words: Option<&str>,
) -> Result<VerdictOutcome> {
    let ticket = reload(w, id)?;
    let Some(to) = reopen_state(ctx.workflow, &ticket) else {
        return Ok(VerdictOutcome::Recorded);
    };
    let rated = rating.map_or_else(String::new, |r| format!(" ({r}/5)"));
    let reason = match words {
        Some(text) => format!("The customer is not satisfied{rated}: {text}"),
        None => format!("The customer is not satisfied{rated}."),
    };
    // The reopen and the hand-over are the desk's rule, not the member's
    // own rights: taken by the verdict automation, in the same change.
    let robot = super::super::automate::robot("verdict");
    let rctx = Ctx {
        workflow: ctx.workflow,
        actor: &robot,
        now: ctx.now,
        change: ctx.change,
    };
    let opts = MoveOptions {
        note: Some(reason.chars().take(2000).collect()),
        ..MoveOptions::default()
    };
    let moved = transition(w, &rctx, id, &to, &opts)?;
    let to_supervisor = moved.closure.reopens >= REOPENS_TO_SUPERVISOR;
    // A ticket of no team stays with the team of who recorded the verdict.
    let team = moved.team.clone().or_else(|| ctx.actor.team.clone());
    let members = w.reader().users()?;
    let senior = senior(&members, team.as_deref(), moved.assignee.as_deref());
    // Still no team: the supervisor of the senior's, so the one told is
    // the one who leads whoever takes it.
    let team = team.or_else(|| {
        let login = senior.as_deref()?;
        members.iter().find(|u| u.login == login)?.team.clone()
    });
    let supervisor = pick(&members, team.as_deref(), |u| {
        u.role.at_least(Role::Supervisor) && !u.role.at_least(Role::Admin)
    })
    .or_else(|| {
        pick(&members, team.as_deref(), |u| {
            u.role.at_least(Role::Supervisor)
        })
    });
    let next = if to_supervisor {
        supervisor.clone()
    } else {
        senior
    };
    if let Some(login) = next.as_deref()
        && moved.assignee.as_deref() != Some(login)
    {
        super::assign(w, &rctx, id, Some(login), None)?;
    }
    let detail = rating.map_or_else(|| "✗".to_string(), |r| format!("{r}/5"));
    let mut told = Vec::new();
    for login in supervisor.iter().chain(next.iter()) {
        if told.contains(login) {
            continue;
        }
        w.add_notice(&NewNotice {
            login,
            ticket: Some(id),
            kind: NoticeKind::Unhappy,
            actor: &robot.login,
            at: ctx.now,
            change: ctx.change,
            detail: Some(&detail),
        })?;
        told.push(login.clone());
    }
    let ticket = reload(w, id)?;
    Ok(VerdictOutcome::Reopened {
        state: ticket.status,
        assignee: ticket.assignee,
        to_supervisor,
        reopens: ticket.closure.reopens,
    })
}

/// The first active member of `team` (any team when it has none) that
/// `want` accepts, by login.
fn pick(members: &[User], team: Option<&str>, want: impl Fn(&User) -> bool) -> Option<String> {
    members
        .iter()
        .filter(|u| u.active && (team.is_none() || u.team.as_deref() == team))
        .filter(|u| want(u))
        .map(|u| u.login.clone())
        .min()
}

/// A senior member of the team other than the one who had it; the one who
/// had it when they are the only senior; none when the team has no senior.
fn senior(members: &[User], team: Option<&str>, current: Option<&str>) -> Option<String> {
    pick(members, team, |u| {
        u.level == Level::Senior && Some(u.login.as_str()) != current
    })
    .or_else(|| pick(members, team, |u| u.level == Level::Senior))
}
