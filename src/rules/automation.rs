//! Automations as data: event triggers (a ticket was created, changed
//! state, was assigned, got a tag, heard from the customer) and time
//! triggers (in a state for a while), with actions that go through the
//! workflow engine like anyone's.

use chrono::Duration;
use serde::Deserialize;
use toml::Spanned;

use super::RuleError;
use crate::domain::{Label, parse_duration};
use std::collections::BTreeMap;

/// The automations embedded in the binary.
pub const DEFAULT_AUTOMATIONS: &str = include_str!("../../assets/automations.toml");

/// What sets an automation off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    Created,
    /// Moved into `to` (any state when `None`).
    StatusChanged {
        to: Option<String>,
    },
    CustomerReplied,
    Assigned,
    TagAdded {
        tag: Option<String>,
    },
    /// In `state` for `after` without any change.
    Idle {
        state: String,
        after: Duration,
    },
}

/// What it does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Then {
    /// Move through the workflow engine (with the override the automation's
    /// note gives when the move needs one).
    pub move_to: Option<String>,
    /// An internal note.
    pub note: Option<String>,
    /// A public reply to the customer.
    pub reply: Option<String>,
    /// A canned reply (by name) in the customer's language: mailed on a
    /// mail ticket, otherwise left as a note for the agent to pass on.
    pub reply_canned: Option<String>,
    /// Record the acceptance as given by silence before moving on.
    pub accept_silence: bool,
    pub add_tags: Vec<String>,
    /// Set fields.
    pub priority: Option<crate::domain::Priority>,
    pub team: Option<String>,
    /// Tell the assignee.
    pub notify: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Automation {
    pub name: String,
    /// The name per UI language, for the history ("automation: 请求验收").
    pub label: Option<Label>,
    pub when: When,
    /// Only while the ticket is in this state (event triggers).
    pub in_state: Option<String>,
    pub then: Then,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    automation: Vec<RawAutomation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAutomation {
    name: Spanned<String>,
    label: Option<BTreeMap<String, String>>,
    on: Spanned<String>,
    to: Option<String>,
    tag: Option<String>,
    #[serde(rename = "in")]
    in_state: Option<String>,
    after: Option<Spanned<String>>,
    #[serde(rename = "move")]
    move_to: Option<String>,
    note: Option<String>,
    reply: Option<String>,
    reply_canned: Option<String>,
    accept: Option<Spanned<String>>,
    #[serde(default)]
    add_tags: Vec<String>,
    priority: Option<Spanned<String>>,
    team: Option<String>,
    #[serde(default)]
    notify: bool,
}

/// Parses and checks an automation file; every problem with its line.
pub fn parse(source: &str) -> Result<Vec<Automation>, Vec<RuleError>> {
    let raw: RawFile =
        toml::from_str(source).map_err(|e| super::parse::syntax_error(source, &e))?;
    let mut problems = super::parse::Problems::new(source);
    let mut out = Vec::new();
    for a in raw.automation {
        let mut err = |span: std::ops::Range<usize>, key: &'static str, value: String| {
            problems.add(span, key, value);
        };
        let when = match a.on.get_ref().as_str() {
            "created" => Some(When::Created),
            "status_changed" => Some(When::StatusChanged { to: a.to.clone() }),
            "customer_replied" => Some(When::CustomerReplied),
            "assigned" => Some(When::Assigned),
            "tag_added" => Some(When::TagAdded { tag: a.tag.clone() }),
            "idle" => match (&a.in_state, &a.after) {
                (Some(state), Some(after)) => {
                    match parse_duration(after.get_ref()).filter(|s| *s > 0) {
                        Some(secs) => Some(When::Idle {
                            state: state.clone(),
                            after: Duration::seconds(secs),
                        }),
                        None => {
                            err(after.span(), "rules.bad_duration", after.get_ref().clone());
                            None
                        }
                    }
                }
                _ => {
                    err(a.on.span(), "rules.idle_needs", a.name.get_ref().clone());
                    None
                }
            },
            other => {
                err(a.on.span(), "rules.unknown_event", other.to_string());
                None
            }
        };
        let priority = match &a.priority {
            Some(p) => match crate::domain::Priority::parse(p.get_ref()) {
                Ok(p) => Some(p),
                Err(_) => {
                    err(p.span(), "rules.unknown_priority", p.get_ref().clone());
                    None
                }
            },
            None => None,
        };
        let accept_silence = match &a.accept {
            Some(v) if v.get_ref() == "silence" => true,
            Some(v) => {
                err(v.span(), "rules.unknown_accept", v.get_ref().clone());
                false
            }
            None => false,
        };
        let then = Then {
            move_to: a.move_to,
            note: a.note,
            reply: a.reply,
            reply_canned: a.reply_canned,
            accept_silence,
            add_tags: a.add_tags,
            priority,
            team: a.team,
            notify: a.notify,
        };
        if then == Then::default() {
            err(a.name.span(), "rules.no_action", a.name.get_ref().clone());
        }
        if let Some(when) = when {
            let in_state = match when {
                When::Idle { .. } => None,
                _ => a.in_state,
            };
            out.push(Automation {
                name: a.name.into_inner(),
                label: a.label.map(Label::new),
                when,
                in_state,
                then,
            });
        }
    }
    problems.finish(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_automations_parse() {
        let all = parse(DEFAULT_AUTOMATIONS).expect("defaults");
        assert_eq!(all.len(), 4);
        assert!(all.iter().any(|a| matches!(
            &a.when,
            When::Idle { state, after } if state == "pending_acceptance" && *after == Duration::days(7)
        )));
    }

    #[test]
    fn problems_are_named_with_their_lines() {
        let src = "[[automation]]\nname = \"a\"\non = \"sneezed\"\nmove = \"closed\"\n[[automation]]\nname = \"b\"\non = \"idle\"\nmove = \"closed\"\n[[automation]]\nname = \"c\"\non = \"created\"\n";
        let errors = parse(src).expect_err("broken");
        let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.key)).collect();
        assert_eq!(
            got,
            vec![
                (3, "rules.unknown_event"),
                (7, "rules.idle_needs"),
                (10, "rules.no_action")
            ]
        );
    }
}
