//! Automations at work. Event triggers run in the transaction of the change
//! that set them off, after it; time triggers run with the escalation sweep.
//! Every action goes through the same operations a person uses (moves
//! through the workflow engine), is recorded as `automation:<name>`, and a
//! failed action is rolled back alone without touching the change. A loop
//! guard lets each automation act once per ticket per chain, and follows
//! automations setting off automations at most a few waves deep.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::domain::{EventKind, NoticeKind, Role, TicketChanges, User};
use crate::error::{Error, Result};
use crate::rules::automation::{self, Automation, When};
use crate::store::{NewNotice, Reader, Writer};
use crate::workflow::Workflow;

use super::{Desk, MoveOptions, ops};

/// Settings key holding a desk's own automations.
const AUTOMATIONS_SETTING: &str = "automations";
/// Automations setting off automations: at most this many waves.
const MAX_WAVES: usize = 4;

pub(super) fn load_automations(r: &Reader<'_>) -> Result<Vec<Automation>> {
    let source = r
        .setting(AUTOMATIONS_SETTING)?
        .unwrap_or_else(|| automation::DEFAULT_AUTOMATIONS.to_string());
    automation::parse(&source).map_err(|errors| Error::Rules {
        file: AUTOMATIONS_SETTING.into(),
        errors,
    })
}

/// The member automation `name` acts as: `automation:<name>`, with the
/// rights to move tickets as the workflow allows an admin.
pub(super) fn robot(name: &str) -> User {
    User {
        login: format!("{}{name}", crate::domain::AUTOMATION_PREFIX),
        display_name: name.to_string(),
        role: Role::Admin,
        team: None,
        active: true,
        level: crate::domain::Level::default(),
    }
}

use crate::domain::CUSTOMER_MESSAGE;

/// Does `a`'s event trigger match this event?
fn triggered(a: &Automation, e: &crate::domain::Event) -> bool {
    match &a.when {
        When::Created => e.kind == EventKind::Created,
        When::StatusChanged { to } => {
            // A state copied in by an import is history, not a move.
            e.kind == EventKind::Status
                && e.field.as_deref() != Some("import")
                && to.as_deref().is_none_or(|t| e.new.as_deref() == Some(t))
        }
        When::Assigned => {
            e.kind == EventKind::Assigned && e.new.as_deref().is_some_and(|n| !n.is_empty())
        }
        When::TagAdded { tag } => {
            e.kind == EventKind::Field
                && e.field.as_deref() == Some("tag")
                && e.new.is_some()
                && tag.as_deref().is_none_or(|t| e.new.as_deref() == Some(t))
        }
        When::CustomerReplied => {
            e.kind == EventKind::Comment && e.field.as_deref() == Some(CUSTOMER_MESSAGE)
        }
        When::Idle { .. } => false,
    }
}

/// Runs one automation on a ticket inside a savepoint: all of it, or none.
fn act(
    w: &mut Writer<'_>,
    workflow: &Workflow,
    a: &Automation,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    // Refused by the workflow, or anything else: this automation did
    // nothing; the change that set it off stands.
    Ok(w.savepoint(|w| act_inner(w, workflow, a, id, now)).is_ok())
}

fn act_inner(
    w: &mut Writer<'_>,
    workflow: &Workflow,
    a: &Automation,
    id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let actor = robot(&a.name);
    let ctx = ops::Ctx {
        workflow,
        actor: &actor,
        now,
        change: None,
    };
    let t = &a.then;
    if let Some(reply) = &t.reply {
        ops::comment(w, &ctx, id, reply, false)?;
    }
    if let Some(name) = &t.reply_canned {
        ask_customer(w, &ctx, id, name)?;
    }
    if t.accept_silence {
        ops::verdict::write_acceptance(w, &ctx, id, None, crate::domain::AcceptedBy::Silence)?;
    }
    if let Some(to) = &t.move_to {
        let from = w.reader().ticket(id)?.map(|t| t.status).unwrap_or_default();
        // A move that needs something (acceptance, a note) is made as an
        // override whose reason is the automation's note, or its name.
        let needs = workflow
            .requirements(&from, to)
            .is_some_and(|r| !r.is_empty());
        let opts = MoveOptions {
            note: t.note.clone().or_else(|| needs.then(|| a.name.clone())),
            override_requirements: needs,
            ..MoveOptions::default()
        };
        ops::transition(w, &ctx, id, to, &opts)?;
    } else if let Some(note) = &t.note {
        ops::comment(w, &ctx, id, note, true)?;
    }
    if !t.add_tags.is_empty() || t.priority.is_some() || t.team.is_some() {
        let changes = TicketChanges {
            add_tags: t.add_tags.clone(),
            priority: t.priority,
            team: t.team.clone().map(Some),
            ..TicketChanges::default()
        };
        ops::edit(w, &ctx, id, &changes, None)?;
    }
    if t.notify
        && let Some(assignee) = w.reader().ticket(id)?.and_then(|t| t.assignee)
    {
        w.add_notice(&NewNotice {
            login: &assignee,
            ticket: Some(id),
            kind: NoticeKind::Escalated,
            actor: &actor.login,
            at: now,
            change: None,
            detail: Some(&a.name),
        })?;
    }
    Ok(())
}

/// Runs the event automations a change set off (its events after `after`).
pub(super) fn on_change(
    w: &mut Writer<'_>,
    workflow: &Workflow,
    autos: &[Automation],
    change: i64,
    after: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    if autos.is_empty() {
        return Ok(());
    }
    let mut wave: Vec<crate::domain::Event> = w.reader().change_events_after(change, after)?;
    wave.reverse();
    let mut fired: HashSet<(String, i64)> = HashSet::new();
    for _ in 0..MAX_WAVES {
        let mark = w.last_event_id()?;
        let mut acted_on: Vec<i64> = Vec::new();
        for e in &wave {
            let Some(id) = e.ticket else { continue };
            for a in autos.iter().filter(|a| triggered(a, e)) {
                if fired.contains(&(a.name.clone(), id)) {
                    continue;
                }
                let state = w.reader().ticket(id)?.map(|t| t.status);
                if a.in_state
                    .as_deref()
                    .is_some_and(|s| state.as_deref() != Some(s))
                {
                    continue;
                }
                fired.insert((a.name.clone(), id));
                if act(w, workflow, a, id, now)? && !acted_on.contains(&id) {
                    acted_on.push(id);
                }
            }
        }
        if acted_on.is_empty() {
            break;
        }
        // The next wave: what the automations just did.
        wave.clear();
        for id in acted_on {
            wave.extend(w.reader().events(id)?.into_iter().filter(|e| e.id > mark));
        }
    }
    Ok(())
}

impl Desk {
    /// Runs the time automations that are due (idle in a state long
    /// enough); each fires once per stretch of idleness. Returns how many acted.
    pub(super) fn run_idle_automations(&mut self) -> Result<usize> {
        let now = self.clock.now();
        let mut done = 0;
        for a in self.automations.clone() {
            let When::Idle { state, after } = &a.when else {
                continue;
            };
            let minutes = after.num_minutes().max(1);
            let q = self.parse_query(&format!("status:{state} updated:>{minutes}m"))?;
            let ids = self.store.reader().ids(&q)?;
            let workflow = &self.workflow;
            let policy = &self.sla;
            for id in ids {
                let Some(t) = self.store.reader().ticket(id)? else {
                    continue;
                };
                let key = format!("auto:{}@{}", a.name, t.updated_at.timestamp_millis());
                let took = self.store.write(|w| {
                    if !w.claim_escalation(id, &key, now)? {
                        return Ok(false);
                    }
                    let acted = act(w, workflow, &a, id, now)?;
                    super::sla::refresh_deadlines(w, policy, &[id], now)?;
                    Ok(acted)
                })?;
                if took {
                    done += 1;
                }
            }
        }
        Ok(done)
    }

    /// Validates and installs automations (admin only).
    pub fn set_automations(&mut self, source: &str, file: &str) -> Result<()> {
        self.require("action.rules_set", Role::Admin)?;
        let autos = automation::parse(source).map_err(|errors| Error::Rules {
            file: file.to_string(),
            errors,
        })?;
        self.store
            .write(|w| w.set_setting(AUTOMATIONS_SETTING, source))?;
        self.automations = autos;
        Ok(())
    }

    /// The automations' source as the desk uses it.
    pub fn automations_source(&self) -> Result<String> {
        Ok(self
            .store
            .reader()
            .setting(AUTOMATIONS_SETTING)?
            .unwrap_or_else(|| automation::DEFAULT_AUTOMATIONS.to_string()))
    }
}

/// Sends canned reply `name` in the customer's language. A ticket that
/// does not talk by mail gets it as a note for the assignee to pass on
/// (a call, the marketplace chat): a reply there would be recorded as
/// given when nobody gave it.
fn ask_customer(w: &mut Writer<'_>, ctx: &ops::Ctx<'_>, id: i64, name: &str) -> Result<()> {
    let ticket = ops::reload(w, id)?;
    let Some((text, language)) = super::replies::filled_in_write(&w.reader(), name, &ticket)?
    else {
        return Ok(());
    };
    let by_mail = w.reader().has_mail(id)? || ticket.channel == crate::domain::Channel::Email;
    if by_mail {
        ops::comment(w, ctx, id, &text, false)?;
    } else {
        // The heading in the customer's language, like the text under it.
        let chinese = language.is_some_and(|l| l.to_ascii_lowercase().starts_with("zh"));
        let heading = if chinese { ASK_BY_HAND_ZH } else { ASK_BY_HAND };
        let note = format!("{heading}\n\n{text}");
        ops::comment(w, ctx, id, &note, true)?;
    }
    Ok(())
}

/// Heads the note that carries a satisfaction request to pass on by hand.
pub const ASK_BY_HAND: &str = "Ask the customer (this ticket does not go by mail):";
/// The same for a Chinese-speaking customer.
pub const ASK_BY_HAND_ZH: &str = "请通过原渠道询问客户(此工单不经邮件往来):";
