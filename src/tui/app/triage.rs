//! Triage mode (`t`): one ticket at a time with its full text, single keys
//! to take, assign, prioritise, type, categorise, mark as spam or skip; the
//! next ticket appears at once.

use super::overlay::{Overlay, Prompt, text_input};
use super::{App, Pane};
use crate::domain::Priority;
use crate::tui::action::{Command, Effect, Job};

impl App {
    /// Enters triage at the list's cursor. Triage is for what is still to
    /// do: a filter that says nothing about the state is narrowed to open
    /// tickets (shown in the filter, so it can be changed).
    pub(super) fn start_triage(&mut self) -> Vec<Effect> {
        // An empty desk has nothing to narrow down to.
        if self.list.total == Some(0) && self.filter.text.is_empty() {
            self.error("status.triage_empty");
            return Vec::new();
        }
        if !self.filter.query.names_status() {
            let text = format!("status:open {}", self.filter.text)
                .trim()
                .to_string();
            if let Ok(query) = crate::domain::Query::parse(&text) {
                if self.pane != Pane::Triage {
                    self.prev_pane = self.pane;
                }
                self.pane = Pane::Triage;
                let mut effects = self.set_filter(text, query);
                effects.extend(self.triage_load());
                return effects;
            }
        }
        if self.list.is_empty() {
            self.error("status.triage_empty");
            return Vec::new();
        }
        if self.pane != Pane::Triage {
            self.prev_pane = self.pane;
        }
        self.pane = Pane::Triage;
        self.triage_load()
    }

    /// Moves on to the next ticket after one is dealt with (taken, spam),
    /// without waiting for the write: the queue keeps its pace.
    fn triage_next(&mut self) -> Vec<Effect> {
        let last = self.list.len().saturating_sub(1);
        self.list.selected = (self.list.selected + 1).min(last);
        self.clamp();
        self.triage_load()
    }

    /// How many tickets are left from the cursor on.
    pub fn triage_left(&self) -> Option<i64> {
        self.list
            .total
            .map(|t| t - i64::try_from(self.list.selected).unwrap_or(0))
    }

    fn triage_load(&mut self) -> Vec<Effect> {
        let mut effects = self.ensure_window();
        if let Some(id) = self.list.selected_row().map(|r| r.id) {
            self.detail.scroll = 0;
            effects.push(Effect::Background(Job::View(id)));
        }
        effects
    }

    /// A triage key; `None` when the command is not a triage one.
    pub(super) fn triage(&mut self, cmd: Command) -> Option<Vec<Effect>> {
        let current = self.list.selected_row().map(|r| (r.id, r.version));
        let priority = |p| Some(p);
        let set_priority = match cmd {
            Command::Priority0 => priority(Priority::P0),
            Command::Priority1 => priority(Priority::P1),
            Command::Priority2 => priority(Priority::P2),
            Command::Priority3 => priority(Priority::P3),
            _ => None,
        };
        let Some((id, version)) = current else {
            return matches!(cmd, Command::Skip | Command::Previous | Command::Take).then(Vec::new);
        };
        if let Some(p) = set_priority {
            return Some(vec![
                self.edit_effect(id, version, |c| c.priority = Some(p)),
            ]);
        }
        Some(match cmd {
            Command::Take => {
                let mut effects = vec![Effect::Assign {
                    id,
                    login: Some(self.me.login.clone()),
                    version,
                }];
                effects.extend(self.triage_next());
                effects
            }
            Command::CycleType => {
                let current_kind = self
                    .list
                    .selected_row()
                    .map(|r| r.kind.clone())
                    .unwrap_or_default();
                let types = self.workflow.types();
                let i = types
                    .iter()
                    .position(|t| t.id == current_kind)
                    .map(|i| (i + 1) % types.len().max(1));
                match i.and_then(|i| types.get(i)) {
                    Some(t) => {
                        let kind = t.id.clone();
                        vec![self.edit_effect(id, version, |c| c.kind = Some(kind))]
                    }
                    None => Vec::new(),
                }
            }
            Command::SetCategory => {
                self.overlay = Some(Overlay::Prompt {
                    purpose: Prompt::Category { id, version },
                    input: text_input(""),
                });
                Vec::new()
            }
            // One change, so one undo takes the tag and the move back. A
            // ticket the workflow cannot close from here stays, said so,
            // rather than being skipped as if it were done.
            Command::Spam => {
                let status = self
                    .list
                    .selected_row()
                    .map(|r| r.status.clone())
                    .unwrap_or_default();
                let closes = self
                    .workflow
                    .states()
                    .iter()
                    .find(|s| s.is_final)
                    .is_some_and(|end| {
                        self.workflow
                            .transitions()
                            .iter()
                            .any(|t| t.from == status && t.to == end.id)
                    });
                if !closes {
                    let state = crate::present::state_label(&self.workflow, &self.cat, &status);
                    let text = self
                        .cat
                        .f("status.spam_not_here", &[("id", &id), ("state", &state)]);
                    self.error_text(text);
                    return Some(Vec::new());
                }
                let mut effects = vec![Effect::Spam { id, version }];
                effects.extend(self.triage_next());
                effects
            }
            Command::Skip => self.triage_next(),
            Command::Previous => {
                self.list.selected = self.list.selected.saturating_sub(1);
                self.clamp();
                self.triage_load()
            }
            _ => return None,
        })
    }
}
