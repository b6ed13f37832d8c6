//! Milestones: supervisors (and admins) make them; a milestone's owner
//! changes and closes it too. Whoever may change a ticket puts it, or one
//! of its steps, into an open milestone. Every member may read the list (a
//! name and a date are not customer data); progress counts only the
//! tickets the reader may see, so a hidden ticket is never counted.

use crate::domain::{
    EventKind, MILESTONE_NAME_MAX, Milestone, MilestoneChanges, MilestoneProgress,
    MilestoneSummary, NewMilestone, Query, Role, Subtask,
};
use crate::error::{Error, Result};
use crate::store::{ProgressAt, Writer};

use super::{Desk, ops};

impl Desk {
    /// A milestone by number (`3`, `#3`) or name.
    pub fn find_milestone(&self, key: &str) -> Result<Milestone> {
        find(&self.store.reader(), key)
    }

    /// Open milestones (and closed ones with `closed`), each with its
    /// progress over the tickets the member may see.
    pub fn milestones(&self, closed: bool) -> Result<Vec<MilestoneSummary>> {
        let list = self.store.reader().milestones(closed)?;
        list.into_iter()
            .map(|m| {
                let progress = self.milestone_progress(&m)?;
                Ok(MilestoneSummary {
                    milestone: m,
                    progress,
                })
            })
            .collect()
    }

    /// How far a milestone is, over what the member may see.
    pub fn milestone_progress(&self, m: &Milestone) -> Result<MilestoneProgress> {
        let open = self.unsolved_states();
        let at = ProgressAt {
            now: self.clock.now(),
            open: &open,
        };
        self.store
            .reader()
            .milestone_progress(m, &self.visibility()?, &at)
    }

    /// The steps in milestone `m` whose tickets the member may see.
    pub fn milestone_steps(&self, m: &Milestone, limit: usize) -> Result<Vec<Subtask>> {
        self.store
            .reader()
            .milestone_steps(m.id, &self.visibility()?, limit)
    }

    /// The milestone ticket `ticket` belongs to, if the member may see it.
    pub fn ticket_milestone(&self, ticket: i64) -> Result<Option<Milestone>> {
        let reader = self.store.reader();
        self.visible_ticket(&reader, ticket)?;
        reader.ticket_milestone(ticket)
    }

    pub fn add_milestone(&mut self, mut new: NewMilestone) -> Result<Milestone> {
        self.require("action.milestones", Role::Supervisor)?;
        new.name = clean_name(&new.name)?;
        let (now, login) = (self.clock.now(), self.login.clone());
        self.store.write(|w| {
            if let Some(owner) = &new.owner {
                ops::require_active_user(w, owner)?;
            }
            if w.reader().milestone_named(&new.name)?.is_some() {
                return Err(Error::MilestoneExists(new.name.clone()));
            }
            w.insert_milestone(&new, &login, now)
        })
    }

    /// Changes a milestone's name, description, owner or date.
    pub fn edit_milestone(&mut self, key: &str, changes: MilestoneChanges) -> Result<Milestone> {
        let name = changes.name.as_deref().map(clean_name).transpose()?;
        self.change_milestone(key, |w, m| {
            if let Some(name) = name {
                if let Some(other) = w.reader().milestone_named(&name)?
                    && other.id != m.id
                {
                    return Err(Error::MilestoneExists(name));
                }
                m.name = name;
            }
            if let Some(d) = changes.description {
                m.description = d.trim().to_string();
            }
            if let Some(owner) = changes.owner {
                if let Some(login) = &owner {
                    ops::require_active_user(w, login)?;
                }
                m.owner = owner;
            }
            if let Some(due) = changes.due {
                m.due = due;
            }
            Ok(())
        })
    }

    /// Closes a milestone (or opens it again): it leaves the lists and
    /// takes no new items; what is in it stays.
    pub fn close_milestone(&mut self, key: &str, closed: bool) -> Result<Milestone> {
        let now = self.clock.now();
        self.change_milestone(key, |_, m| {
            m.closed_at = if closed {
                m.closed_at.or(Some(now))
            } else {
                None
            };
            Ok(())
        })
    }

    fn change_milestone(
        &mut self,
        key: &str,
        f: impl FnOnce(&mut Writer<'_>, &mut Milestone) -> Result<()>,
    ) -> Result<Milestone> {
        let me = self.me()?;
        self.store.write(|w| {
            let mut m = find(&w.reader(), key)?;
            let owner = m.owner.as_deref() == Some(me.login.as_str());
            if !owner && !me.role.at_least(Role::Supervisor) {
                return Err(Error::Forbidden {
                    action: "action.milestones",
                    needs: Role::Supervisor,
                });
            }
            f(w, &mut m)?;
            w.update_milestone(&m)?;
            Ok(m)
        })
    }

    /// Puts tickets and steps into milestone `key`, or (with `None`) takes
    /// them out of theirs. Each change is in its ticket's history. Returns
    /// how many changed.
    pub fn place_in_milestone(
        &mut self,
        key: Option<&str>,
        tickets: &[i64],
        steps: &[i64],
    ) -> Result<usize> {
        if tickets.is_empty() && steps.is_empty() {
            return Err(Error::Invalid(crate::domain::InvalidValue::new(
                "ticket",
                "",
                "at least one ticket number or --step",
            )));
        }
        let target = key.map(|k| self.find_milestone(k)).transpose()?;
        if let Some(m) = target.as_ref().filter(|m| m.is_closed()) {
            return Err(Error::MilestoneClosed(m.name.clone()));
        }
        let id = target.as_ref().map(|m| m.id);
        let after = target.as_ref().map(|m| m.name.clone());
        self.write_outside_undo(|w, ctx| {
            let mut changed = 0;
            let name_of = |w: &Writer<'_>, id: Option<i64>| -> Result<Option<String>> {
                Ok(match id {
                    Some(id) => w.reader().milestone(id)?.map(|m| m.name),
                    None => None,
                })
            };
            for &ticket in tickets {
                ops::load(w, ctx, ticket, None)?;
                let before = w.set_ticket_milestone(ticket, id)?;
                if before != id {
                    let before = name_of(w, before)?;
                    ctx.log(
                        w,
                        ticket,
                        EventKind::Field,
                        Some("milestone"),
                        before.as_deref(),
                        after.as_deref(),
                    )?;
                    changed += 1;
                }
            }
            for &step in steps {
                let s = super::subtasks::changeable_step(w, ctx, step)?;
                let before = w.set_step_milestone(step, id)?;
                if before != id {
                    let label = |name: Option<String>| {
                        name.map(|n| format!("{} {}: {n}", s.position, s.title))
                    };
                    let before = label(name_of(w, before)?);
                    ctx.log(
                        w,
                        s.ticket,
                        EventKind::Field,
                        Some("milestone"),
                        before.as_deref(),
                        label(after.clone()).as_deref(),
                    )?;
                    changed += 1;
                }
            }
            Ok(changed)
        })
    }

    /// The member's own visibility as a query (no other clause).
    fn visibility(&self) -> Result<Query> {
        Ok(Query {
            clauses: self.me()?.scope().clause().into_iter().collect(),
        })
    }

    /// States in which a ticket still needs work: not solved, not final.
    pub(super) fn unsolved_states(&self) -> Vec<&str> {
        self.workflow
            .states()
            .iter()
            .filter(|s| !s.is_final && !s.is_resolved)
            .map(|s| s.id.as_str())
            .collect()
    }
}

fn find(reader: &crate::store::Reader<'_>, key: &str) -> Result<Milestone> {
    let key = key.trim();
    let digits = key.strip_prefix('#').unwrap_or(key);
    let number = (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits.parse::<i64>().ok())
        .flatten();
    let by_number = number.map(|id| reader.milestone(id)).transpose()?.flatten();
    match by_number {
        Some(m) => Ok(m),
        None => reader
            .milestone_named(key)?
            .ok_or_else(|| Error::MilestoneNotFound(key.to_string())),
    }
}

/// A milestone's name, on one line and short — and never one the
/// `milestone:` query or a command would read as something else: a number
/// (`3`, `#3`), `none`, or a name with `|` (which separates values).
fn clean_name(name: &str) -> Result<String> {
    let name = ops::clean_title_within(name, MILESTONE_NAME_MAX).map_err(|e| match e {
        Error::Empty(_) => Error::Empty("field.milestone"),
        other => other,
    })?;
    // A letter (of any script) makes a name; `+5`, `3.5` and `１２` are not.
    let lettered = name.chars().any(char::is_alphabetic);
    if !lettered || name.eq_ignore_ascii_case("none") || name.contains(['|', '"']) {
        return Err(Error::Invalid(crate::domain::InvalidValue::new(
            "milestone",
            &name,
            "a name with a letter, not `none`, without `|` or `\"`",
        )));
    }
    Ok(name)
}
