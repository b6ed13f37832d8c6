//! The single check every status change passes: is there a transition, may
//! this role take it, and do its requirements hold?

use super::definition::{Requirement, Transition, Workflow};
use crate::domain::Role;

/// What the engine needs to know about a ticket and the requested move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoveFacts<'a> {
    pub has_assignee: bool,
    pub accepted: bool,
    /// The note given with the move (resolution or reason), if any.
    pub note: Option<&'a str>,
    /// The root cause the move names (a resolution record), if any.
    pub cause: Option<&'a str>,
    /// The prevention step the move carries, if any.
    pub prevention: Option<&'a str>,
    pub role: Role,
    /// The actor asks to skip the requirements (supervisor override).
    pub override_requested: bool,
    /// Subtasks of the ticket not yet done.
    pub open_subtasks: usize,
    /// Tickets blocking it that are not solved yet.
    pub open_blockers: usize,
}

/// Why a move was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    UnknownState(String),
    /// The ticket is already in that state.
    SameState(String),
    /// No transition leads from the current state to the target.
    NoTransition {
        from: String,
        to: String,
    },
    /// The transition is limited to other roles; names the least role that may.
    RoleRequired(Role),
    /// A requirement does not hold; `override_role` names who could override.
    Missing {
        requirement: Requirement,
        override_role: Option<Role>,
    },
    /// An override was asked for but this role may not override.
    OverrideNotAllowed(Option<Role>),
    /// An override needs a reason.
    OverrideNeedsReason,
}

/// A refused move with the states that are reachable from here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveRefused {
    pub refusal: Refusal,
    /// Ids of states this actor could move the ticket to (transition exists and role allows).
    pub allowed: Vec<String>,
}

/// Where the move's note goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteUse {
    /// No note given.
    None,
    /// Stored as the ticket's resolution.
    Resolution,
    /// Stored as an internal note explaining the move.
    Reason,
}

/// An accepted move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoveDecision {
    /// Requirements were skipped by a supervisor override.
    pub overridden: bool,
    pub note_use: NoteUse,
}

fn has_text(note: Option<&str>) -> bool {
    note.is_some_and(|n| !n.trim().is_empty())
}

fn least_role(roles: &[Role]) -> Option<Role> {
    roles.iter().copied().min()
}

impl Workflow {
    fn transition(&self, from: &str, to: &str) -> Option<&Transition> {
        self.transitions
            .iter()
            .find(|t| t.from == from && t.to == to)
    }

    /// Whether `role` may take transition `t` at all.
    fn role_may(t: &Transition, role: Role) -> bool {
        t.roles.is_empty() || t.roles.iter().any(|r| role.at_least(*r))
    }

    /// States `role` can move a ticket in `from` to, in display order, ignoring requirements.
    pub fn next_states(&self, from: &str, role: Role) -> Vec<&str> {
        self.states
            .iter()
            .filter(|s| {
                self.transition(from, &s.id)
                    .is_some_and(|t| Self::role_may(t, role))
            })
            .map(|s| s.id.as_str())
            .collect()
    }

    /// The requirements of the transition `from → to`, if it exists.
    pub fn requirements(&self, from: &str, to: &str) -> Option<&[Requirement]> {
        self.transition(from, to).map(|t| t.requires.as_slice())
    }

    /// Checks a move; every status change in tdesk goes through here.
    pub fn check_move(
        &self,
        from: &str,
        to: &str,
        facts: MoveFacts,
    ) -> Result<MoveDecision, MoveRefused> {
        let refuse = |refusal| MoveRefused {
            refusal,
            allowed: self
                .next_states(from, facts.role)
                .into_iter()
                .map(String::from)
                .collect(),
        };
        if self.state(to).is_none() {
            return Err(refuse(Refusal::UnknownState(to.to_string())));
        }
        if from == to {
            return Err(refuse(Refusal::SameState(to.to_string())));
        }
        let Some(t) = self.transition(from, to) else {
            return Err(refuse(Refusal::NoTransition {
                from: from.to_string(),
                to: to.to_string(),
            }));
        };
        if !Self::role_may(t, facts.role) {
            return Err(refuse(Refusal::RoleRequired(
                least_role(&t.roles).unwrap_or(Role::Admin),
            )));
        }
        let missing = t.requires.iter().find(|req| match req {
            Requirement::Assignee => !facts.has_assignee,
            Requirement::Resolution | Requirement::Reason => !has_text(facts.note),
            Requirement::Acceptance => !facts.accepted,
            Requirement::Cause => !has_text(facts.cause),
            Requirement::Prevention => !has_text(facts.prevention),
            Requirement::SubtasksDone => facts.open_subtasks > 0,
            Requirement::BlockersDone => facts.open_blockers > 0,
        });
        // An override is for a step that lacks something; asked for on a
        // move that needs none, the move is simply taken.
        if let Some(req) = missing {
            if !facts.override_requested {
                return Err(refuse(Refusal::Missing {
                    requirement: *req,
                    override_role: least_role(&t.override_roles),
                }));
            }
            if !t.override_roles.iter().any(|r| facts.role.at_least(*r)) {
                return Err(refuse(Refusal::OverrideNotAllowed(least_role(
                    &t.override_roles,
                ))));
            }
            if !has_text(facts.note) {
                return Err(refuse(Refusal::OverrideNeedsReason));
            }
            return Ok(MoveDecision {
                overridden: true,
                note_use: NoteUse::Reason,
            });
        }
        let note_use = if t.requires.contains(&Requirement::Resolution) {
            NoteUse::Resolution
        } else if has_text(facts.note) {
            NoteUse::Reason
        } else {
            NoteUse::None
        };
        Ok(MoveDecision {
            overridden: false,
            note_use,
        })
    }
}

impl Workflow {
    /// Whether a move `from → to` may be taken back (undo): only when the
    /// workflow has that move, so the ticket returns to a state it reached
    /// legitimately. The refusal lists nothing; undo is not a forward move.
    pub fn check_revert(&self, current: &str, previous: &str) -> Result<(), MoveRefused> {
        if self.transition(previous, current).is_some() {
            Ok(())
        } else {
            Err(MoveRefused {
                refusal: Refusal::NoTransition {
                    from: previous.to_string(),
                    to: current.to_string(),
                },
                allowed: Vec::new(),
            })
        }
    }
}

#[cfg(test)]
mod tests;
