//! SLA clocks of real tickets: the desk's policy (its own or the embedded
//! default), each ticket's two clocks from its history, and the deadline
//! stored on the ticket — the running clock's due and at-risk times — kept
//! fresh after every change so lists, `sla:` queries and `tdesk status`
//! read it from an index instead of computing clocks.

use chrono::{DateTime, Utc};

use crate::domain::{EventKind, Ticket};
use crate::error::{Error, Result};
use crate::sla::{ClockInput, ClockState, Outcome, Policy, Stops, TicketFacts, evaluate};
use crate::store::{Reader, Writer};

use super::Desk;

/// Settings key holding a desk's own SLA policy.
const SLA_SETTING: &str = "sla";

/// Both clocks of a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaClocks {
    pub response: ClockState,
    pub resolve: ClockState,
    /// The calendar the clocks follow (`round-the-clock`, a team's hours).
    pub calendar: String,
    /// Its name per UI language, where the policy gives one.
    pub calendar_label: Option<crate::domain::Label>,
    /// What each stopped clock came to (response, resolution), for reports.
    pub outcomes: [Option<Outcome>; 2],
}

/// `tdesk status`: what needs attention, for the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct StatusSummary {
    pub breached: i64,
    pub at_risk: i64,
    pub mine: i64,
}

pub(super) fn load_policy(r: &Reader<'_>) -> Result<Policy> {
    match r.setting(SLA_SETTING)? {
        Some(source) => Policy::parse(&source).map_err(|errors| Error::Sla {
            file: SLA_SETTING.into(),
            errors,
        }),
        None => Ok(Policy::default_policy()),
    }
}

/// The clocks of `ticket` at `now`.
pub(super) fn clocks(
    r: &Reader<'_>,
    policy: &Policy,
    ticket: &Ticket,
    now: DateTime<Utc>,
) -> Result<SlaClocks> {
    let tier = match ticket.customer_id {
        Some(id) => r.customer(id)?.map(|c| c.tier),
        None => None,
    };
    let pauses = ticket_pauses(r, ticket.id)?;
    Ok(clocks_from(policy, ticket, tier, &pauses, now))
}

/// The clocks of `ticket` at `now`, given its customer's tier and the
/// stretches it waited on the customer.
pub(super) fn clocks_from(
    policy: &Policy,
    ticket: &Ticket,
    tier: Option<crate::domain::Tier>,
    pauses: &[crate::sla::Pause],
    now: DateTime<Utc>,
) -> SlaClocks {
    let facts = TicketFacts {
        priority: ticket.priority,
        tier,
        kind: &ticket.kind,
        channel: ticket.channel,
        team: ticket.team.as_deref(),
        tags: &ticket.tags,
    };
    let targets = policy.targets_for(&facts);
    let (calendar_name, calendar) = policy.calendar_of(&facts);
    let clock = |target, stopped| {
        evaluate(
            &calendar,
            &ClockInput {
                start: ticket.created_at,
                target,
                stopped,
                pauses,
                risk_fraction: policy.at_risk,
            },
            now,
        )
    };
    let (response_outcome, resolve_outcome) =
        crate::sla::outcomes(policy, &facts, stops_of(ticket), pauses);
    SlaClocks {
        calendar_label: policy.calendar_labels.get(&calendar_name).cloned(),
        calendar: calendar_name,
        // A ticket solved or closed without a reply the desk recorded (one
        // imported as solved, one closed as a duplicate) owes no first
        // response any more: its clock stops there too, or it would stay
        // breached and be escalated for ever.
        response: clock(
            targets.response,
            ticket
                .first_response_at
                .or(ticket.resolved_at)
                .or(ticket.closed_at),
        ),
        // A closed ticket's resolution clock stops at its close at the latest.
        resolve: clock(targets.resolve, ticket.resolved_at.or(ticket.closed_at)),
        outcomes: [response_outcome, resolve_outcome],
    }
}

/// When a ticket's clocks started and stopped.
fn stops_of(ticket: &Ticket) -> Stops {
    Stops {
        created: ticket.created_at,
        first_response: ticket.first_response_at,
        resolved: ticket.resolved_at.or(ticket.closed_at),
    }
}

/// The stretches a ticket waited on the customer, from its history.
fn ticket_pauses(r: &Reader<'_>, id: i64) -> Result<Vec<crate::sla::Pause>> {
    let events = r.events(id)?;
    Ok(crate::sla::pauses(
        events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Status | EventKind::Created))
            .map(|e| (e.at, e.new.as_deref().unwrap_or(""))),
    ))
}

/// The stored form of both clocks' outcomes: business seconds of each
/// stopped clock and the lateness bits (1: response, 2: resolution).
pub(crate) fn stored_outcomes(outcomes: &[Option<Outcome>; 2]) -> (Option<i64>, Option<i64>, i64) {
    let secs = |o: &Option<Outcome>| o.map(|o| o.spent.num_seconds());
    let late = outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| if o.is_some_and(|o| o.late) { 1 << i } else { 0 })
        .sum();
    (secs(&outcomes[0]), secs(&outcomes[1]), late)
}

/// The deadline to store: the first clock still running (or breached).
pub(super) fn deadline(c: &SlaClocks) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    for state in [c.response, c.resolve] {
        match state {
            ClockState::Running { due, risk } => return (Some(due), Some(risk)),
            ClockState::Breached { due } => return (Some(due), Some(due)),
            ClockState::Paused { .. } => return (None, None),
            ClockState::Met | ClockState::MetLate | ClockState::Never => {}
        }
    }
    (None, None)
}

/// Recomputes the stored deadline of each ticket in `ids`.
pub(super) fn refresh_deadlines(
    w: &mut Writer<'_>,
    policy: &Policy,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<()> {
    for &id in ids {
        let Some(ticket) = w.reader().ticket(id)? else {
            continue;
        };
        let c = clocks(&w.reader(), policy, &ticket, now)?;
        let (due, risk) = deadline(&c);
        if (due, risk) != (ticket.due_at, ticket.risk_at) {
            w.set_deadline(id, due, risk)?;
        }
        let (response, resolve, late) = stored_outcomes(&c.outcomes);
        w.set_clock_outcomes(id, response, resolve, late)?;
    }
    Ok(())
}

impl Desk {
    /// The active SLA policy (the desk's own or the embedded default).
    pub fn sla_policy(&self) -> &Policy {
        &self.sla
    }

    /// Both SLA clocks of a ticket the member may see, now.
    pub fn sla_clocks(&self, id: i64) -> Result<SlaClocks> {
        let reader = self.store.reader();
        let ticket = self.visible_ticket(&reader, id)?;
        clocks(&reader, &self.sla, &ticket, self.clock.now())
    }

    /// Validates and installs an SLA policy for this desk (admin only) and
    /// recomputes the deadlines of open tickets under it.
    pub fn set_sla(&mut self, source: &str, file: &str) -> Result<()> {
        self.require("action.sla_set", crate::domain::Role::Admin)?;
        let policy = Policy::parse(source).map_err(|errors| Error::Sla {
            file: file.to_string(),
            errors,
        })?;
        self.store.write(|w| w.set_setting(SLA_SETTING, source))?;
        self.sla = policy;
        self.recompute_deadlines()?;
        Ok(())
    }

    /// Recomputes the stored deadline of every open ticket (after a policy
    /// change or a bulk load), a few hundred per transaction so others keep
    /// writing; returns how many were looked at.
    pub fn recompute_deadlines(&mut self) -> Result<usize> {
        let open =
            self.resolve(crate::domain::Query::parse("status:open").map_err(|error| {
                Error::Query {
                    input: "status:open".into(),
                    error,
                }
            })?)?;
        let ids = self.store.reader().ids(&open)?;
        self.refresh_in_chunks(&ids)
    }

    /// Refreshes the deadlines and clock outcomes of `ids`, a few hundred
    /// per transaction so others keep writing.
    fn refresh_in_chunks(&mut self, ids: &[i64]) -> Result<usize> {
        let now = self.clock.now();
        let policy = &self.sla;
        for chunk in ids.chunks(500) {
            self.store
                .write(|w| refresh_deadlines(w, policy, chunk, now))?;
        }
        Ok(ids.len())
    }

    /// Works out the deadlines and clock outcomes of every ticket again
    /// (admin only), a few hundred per transaction so others keep writing:
    /// what reports read, for a desk from before they were stored.
    pub fn recompute_sla(&mut self) -> Result<usize> {
        self.require("action.sla_set", crate::domain::Role::Admin)?;
        let ids = self.store.reader().ids(&crate::domain::Query::default())?;
        self.refresh_in_chunks(&ids)
    }

    /// The policy's source text as the desk uses it.
    pub fn sla_source(&self) -> Result<String> {
        Ok(self
            .store
            .reader()
            .setting(SLA_SETTING)?
            .unwrap_or_else(|| crate::sla::DEFAULT_POLICY.to_string()))
    }

    /// Breached and at-risk open tickets the member may see, and their own
    /// open ones: one indexed count each.
    pub fn status_summary(&self) -> Result<StatusSummary> {
        let count = |text: &str| -> Result<i64> { self.count(&self.parse_query(text)?) };
        Ok(StatusSummary {
            breached: count("sla:breached")?,
            at_risk: count("sla:at-risk")?,
            mine: count("status:open assignee:me")?,
        })
    }
}
