//! The life of one demo ticket: created, assigned, answered, resolved,
//! accepted, closed — as far as its age suggests. Every status step is
//! checked by the workflow engine, so histories are ones a person could have made.

use chrono::{DateTime, Duration, Utc};

use super::data::DemoTicket;
use super::rng::Rng;
use crate::domain::{Category, Channel, EventKind, Priority, Role, Ticket, Tier};
use crate::sla::{Policy, Stops, TicketFacts};
use crate::store::{BulkComment, BulkEvent, BulkTicket};
use crate::workflow::{MoveFacts, Workflow};

/// How far through the workflow a demo ticket gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    New,
    InProgress,
    Waiting,
    Resolved,
    Pending,
    Closed,
    Archived,
}

const STAGES: [Stage; 7] = [
    Stage::New,
    Stage::InProgress,
    Stage::Waiting,
    Stage::Resolved,
    Stage::Pending,
    Stage::Closed,
    Stage::Archived,
];

/// Older tickets are further along.
pub fn stage_for_age(rng: &mut Rng, age: Duration) -> Stage {
    let weights: [u32; 7] = if age < Duration::days(1) {
        [40, 35, 15, 10, 0, 0, 0]
    } else if age < Duration::days(5) {
        [5, 30, 20, 15, 15, 15, 0]
    } else {
        [0, 5, 5, 5, 10, 45, 30]
    };
    STAGES[rng.weighted(&weights)]
}

/// Who and what a planned ticket is about.
pub struct Cast<'a> {
    pub template: &'a DemoTicket,
    pub description: String,
    pub customer: (i64, Tier),
    pub customer_name: &'a str,
    pub agent: &'a str,
    pub team: &'a str,
    pub note: Option<&'a str>,
}

/// Builds the ticket's events step by step, with a clock that moves forward.
struct Life<'a> {
    workflow: &'a Workflow,
    now: DateTime<Utc>,
    clock: DateTime<Utc>,
    ticket: Ticket,
    events: Vec<BulkEvent>,
    comments: Vec<BulkComment>,
    /// When the customer last sent it back.
    reopened: Option<DateTime<Utc>>,
}

impl Life<'_> {
    fn tick(&mut self, rng: &mut Rng) -> DateTime<Utc> {
        self.clock = (self.clock + Duration::minutes(10 + rng.below(6 * 60) as i64)).min(self.now);
        self.clock
    }

    fn event(
        &mut self,
        actor: &str,
        kind: EventKind,
        field: Option<&str>,
        old: Option<&str>,
        new: Option<&str>,
    ) {
        self.events.push(BulkEvent {
            at: self.clock,
            actor: actor.to_string(),
            kind,
            field: field.map(String::from),
            old: old.map(String::from),
            new: new.map(String::from),
        });
        self.ticket.updated_at = self.clock;
        self.ticket.version += 1;
    }

    /// Takes a status step if the engine allows it; returns whether it did.
    fn step(&mut self, actor: &str, to: &str, note: Option<&str>) -> bool {
        let from = self.ticket.status.clone();
        let facts = MoveFacts {
            has_assignee: self.ticket.assignee.is_some(),
            accepted: self.ticket.accepted_at.is_some(),
            note,
            cause: Some(demo_cause(&self.ticket)),
            prevention: None,
            role: Role::Agent,
            override_requested: false,
            open_subtasks: 0,
            open_blockers: 0,
        };
        if self.workflow.check_move(&from, to, facts).is_err() {
            return false;
        }
        let (Some(a), Some(b)) = (self.workflow.state(&from), self.workflow.state(to)) else {
            return false;
        };
        let (was_resolved, is_resolved, is_final) = (a.is_resolved, b.is_resolved, b.is_final);
        self.ticket.status = to.to_string();
        if is_resolved && !was_resolved {
            self.ticket.resolved_at = Some(self.clock);
        }
        if is_final && self.ticket.closed_at.is_none() {
            self.ticket.closed_at = Some(self.clock);
        }
        self.event(actor, EventKind::Status, None, Some(&from), Some(to));
        true
    }

    fn comment(&mut self, actor: &str, body: &str, internal: bool) {
        self.comments.push(BulkComment {
            author: actor.to_string(),
            body: body.to_string(),
            internal,
            at: self.clock,
            event: self.events.len(),
        });
        if !internal && self.ticket.first_response_at.is_none() {
            self.ticket.first_response_at = Some(self.clock);
        }
        let kind = if internal { "note" } else { "reply" };
        self.event(actor, EventKind::Comment, Some(kind), None, None);
    }
}

/// Plans a ticket created at `created` and carried to `stage`.
pub fn plan(
    workflow: &Workflow,
    policy: &Policy,
    rng: &mut Rng,
    now: DateTime<Utc>,
    created: DateTime<Utc>,
    stage: Stage,
    cast: Cast<'_>,
) -> BulkTicket {
    let tpl = cast.template;
    let mut priority = Priority::parse(&tpl.priority).unwrap_or(Priority::P2);
    if cast.customer.1 == Tier::Vip {
        priority = priority.raised();
    }
    let ticket = Ticket {
        id: 0,
        title: tpl.title.clone(),
        description: cast.description,
        status: workflow.initial().id.clone(),
        priority,
        kind: tpl.kind.clone(),
        category: Category::parse(&tpl.category).ok(),
        channel: Channel::parse(&tpl.channel).unwrap_or(Channel::Other),
        customer_id: Some(cast.customer.0),
        assignee: None,
        team: Some(cast.team.to_string()),
        tags: tpl.tags.clone(),
        custom: Default::default(),
        resolution: None,
        accepted_at: None,
        rating: None,
        closure: Default::default(),
        created_at: created,
        updated_at: created,
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        version: 0,
        due_at: None,
        risk_at: None,
    };
    let mut life = Life {
        workflow,
        now,
        clock: created,
        ticket,
        events: Vec::new(),
        comments: Vec::new(),
        reopened: None,
    };
    let agent = cast.agent;
    let initial = life.ticket.status.clone();
    life.event(agent, EventKind::Created, None, None, Some(&initial));
    if stage > Stage::New {
        life.tick(rng);
        life.ticket.assignee = Some(agent.to_string());
        life.event(agent, EventKind::Assigned, None, None, Some(agent));
        let target = workflow.state(&initial).and_then(|s| s.on_assign.clone());
        if let Some(target) = target {
            life.step(agent, &target, None);
        }
        if let Some(n) = cast.note.filter(|_| rng.below(2) == 0) {
            life.tick(rng);
            life.comment(agent, n, true);
        }
        if stage >= Stage::Waiting || rng.below(2) == 0 {
            life.tick(rng);
            life.comment(agent, &tpl.answer, false);
        }
        // Mostly content customers, some not: 40 % fives down to 4 % ones.
        let rating = match rng.below(100) {
            0..4 => 1,
            4..10 => 2,
            10..25 => 3,
            25..60 => 4,
            _ => 5,
        };
        walk(&mut life, rng, agent, stage, tpl, rating);
    }
    life.ticket.version = life.ticket.version.max(1);
    let outcomes = clock_outcomes(policy, &life, cast.customer.1);
    let reopened = life.reopened;
    let mut bulk = BulkTicket::new(
        life.ticket,
        life.events,
        life.comments,
        Some(cast.customer_name),
    );
    bulk.clock_outcomes = outcomes;
    bulk.reopened_at = reopened;
    bulk
}

/// What the planned ticket's SLA clocks came to, as the desk stores it.
fn clock_outcomes(policy: &Policy, life: &Life<'_>, tier: Tier) -> (Option<i64>, Option<i64>, i64) {
    let t = &life.ticket;
    let facts = TicketFacts {
        priority: t.priority,
        tier: Some(tier),
        kind: &t.kind,
        channel: t.channel,
        team: t.team.as_deref(),
        tags: &t.tags,
    };
    let pauses = crate::sla::pauses(
        life.events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Status | EventKind::Created))
            .map(|e| (e.at, e.new.as_deref().unwrap_or(""))),
    );
    let stops = Stops {
        created: t.created_at,
        first_response: t.first_response_at,
        resolved: t.resolved_at.or(t.closed_at),
    };
    let (response, resolve) = crate::sla::outcomes(policy, &facts, stops, &pauses);
    super::super::sla::stored_outcomes(&[response, resolve])
}

fn walk(
    life: &mut Life<'_>,
    rng: &mut Rng,
    agent: &str,
    stage: Stage,
    tpl: &DemoTicket,
    rating: u8,
) {
    if stage == Stage::Waiting {
        life.tick(rng);
        life.step(agent, "waiting_customer", None);
        return;
    }
    if stage < Stage::Resolved {
        return;
    }
    life.tick(rng);
    if !life.step(agent, "resolved", Some(&tpl.resolution)) {
        return;
    }
    life.ticket.resolution = Some(tpl.resolution.clone());
    life.event(
        agent,
        EventKind::Field,
        Some("resolution"),
        None,
        Some(&tpl.resolution),
    );
    let cause = demo_cause(&life.ticket);
    life.event(agent, EventKind::Field, Some("cause"), None, Some(cause));
    life.ticket.closure.cause = Some(cause.to_string());
    if stage < Stage::Pending {
        return;
    }
    life.tick(rng);
    if !life.step(agent, "pending_acceptance", None) || stage < Stage::Closed {
        return;
    }
    // About one customer in twelve says it is not fixed: reopened, answered
    // again and resolved a second time.
    let mut rating = rating;
    if rng.below(12) == 0 {
        life.tick(rng);
        if life.step(agent, "in_progress", Some(follow_up(tpl))) {
            life.ticket.closure.reopens += 1;
            life.reopened = Some(life.clock);
            life.ticket.resolved_at = None;
            life.tick(rng);
            life.comment(agent, follow_up(tpl), false);
            life.tick(rng);
            if !life.step(agent, "resolved", Some(&tpl.resolution))
                || !life.step(agent, "pending_acceptance", None)
            {
                return;
            }
            rating = rating.min(3);
        }
    }
    life.tick(rng);
    life.ticket.accepted_at = Some(life.clock);
    // One in seven never answers: accepted by silence, without a rating.
    if rng.below(7) == 0 {
        life.ticket.closure.accepted_by = Some(crate::domain::AcceptedBy::Silence);
        life.event(
            "automation:close unanswered",
            EventKind::Accepted,
            Some("silence"),
            None,
            None,
        );
    } else {
        life.ticket.rating = Some(rating);
        life.ticket.closure.accepted_by = Some(crate::domain::AcceptedBy::Customer);
        life.event(
            agent,
            EventKind::Accepted,
            Some("rating"),
            None,
            Some(&rating.to_string()),
        );
    }
    if !life.step(agent, "closed", None) || stage < Stage::Archived {
        return;
    }
    life.tick(rng);
    life.step(agent, "archived", None);
}

/// A second answer, after the customer came back.
fn follow_up(tpl: &DemoTicket) -> &'static str {
    if tpl.lang == "zh" {
        "已重新处理，请再确认一下问题是否解决。"
    } else {
        "We looked at it again: please check whether it works for you now."
    }
}

/// The root cause a demo ticket's resolution names, read from its category
/// (the default workflow's `[[cause]]` ids).
fn demo_cause(ticket: &Ticket) -> &'static str {
    let category = ticket.category.as_ref().map_or("", |c| c.as_str());
    match category.split('/').collect::<Vec<_>>().as_slice() {
        ["logistics", ..] | ["product", "damaged"] => "logistics",
        ["payment", ..] => "payment",
        ["product", "defect", ..] => "product-defect",
        ["product", "sizing" | "quality"] => "description-mismatch",
        ["order", ..] | ["account", ..] => "platform",
        ["service", ..] => "customer-misunderstanding",
        _ => "other",
    }
}
