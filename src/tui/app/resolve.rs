//! The resolution dialog: a move into a state that needs the resolution
//! record asks for its summary, its root cause (from the desk's list) and
//! an optional prevention step, then moves through the engine.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::App;
use super::overlay::{Overlay, text_input, text_of};
use crate::service::MoveOptions;
use crate::tui::action::Effect;

/// Which part of the dialog takes the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolveField {
    Summary,
    Cause,
    Prevention,
}

/// The dialog's state.
#[derive(Debug, Clone)]
pub struct ResolveForm {
    pub id: i64,
    pub version: i64,
    pub to: String,
    pub summary: TextArea<'static>,
    /// Index into the workflow's causes; none picked yet.
    pub cause: Option<usize>,
    pub prevention: TextArea<'static>,
    pub focus: ResolveField,
}

impl ResolveForm {
    pub fn new(id: i64, version: i64, to: &str) -> Self {
        Self {
            id,
            version,
            to: to.to_string(),
            summary: text_input(""),
            cause: None,
            prevention: text_input(""),
            focus: ResolveField::Summary,
        }
    }
}

impl App {
    pub(super) fn open_resolve(&mut self, id: i64, version: i64, to: &str) {
        self.overlay = Some(Overlay::Resolve(Box::new(ResolveForm::new(
            id, version, to,
        ))));
    }

    pub(super) fn resolve_key(
        &mut self,
        mut form: Box<ResolveForm>,
        key: KeyEvent,
    ) -> (Option<Overlay>, Vec<Effect>) {
        let causes = self.workflow.causes().len();
        let back = key.modifiers.contains(KeyModifiers::SHIFT) || key.code == KeyCode::BackTab;
        match key.code {
            KeyCode::Esc => return (None, Vec::new()),
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Down | KeyCode::Up => {
                let up = back || key.code == KeyCode::Up;
                form.focus = match (form.focus, up) {
                    (ResolveField::Summary, false) | (ResolveField::Prevention, true) => {
                        ResolveField::Cause
                    }
                    (ResolveField::Cause, false) | (ResolveField::Summary, true) => {
                        ResolveField::Prevention
                    }
                    (ResolveField::Prevention, false) | (ResolveField::Cause, true) => {
                        ResolveField::Summary
                    }
                };
            }
            KeyCode::Left | KeyCode::Right if form.focus == ResolveField::Cause && causes > 0 => {
                form.cause = Some(match (form.cause, key.code) {
                    (None, KeyCode::Left) => causes - 1,
                    (None, _) => 0,
                    (Some(i), KeyCode::Left) => (i + causes - 1) % causes,
                    (Some(i), _) => (i + 1) % causes,
                });
            }
            KeyCode::Enter => return self.submit_resolve(form),
            _ => match form.focus {
                ResolveField::Summary => {
                    form.summary.input(key);
                }
                ResolveField::Prevention => {
                    form.prevention.input(key);
                }
                ResolveField::Cause => {}
            },
        }
        (Some(Overlay::Resolve(form)), Vec::new())
    }

    /// Moves with the record, or says what is missing and keeps the dialog.
    fn submit_resolve(&mut self, mut form: Box<ResolveForm>) -> (Option<Overlay>, Vec<Effect>) {
        let summary = text_of(&form.summary).trim().to_string();
        let needs = self
            .workflow
            .requirements(&self.selected_status(form.id), &form.to)
            .unwrap_or(&[])
            .to_vec();
        let cause = form
            .cause
            .and_then(|i| self.workflow.causes().get(i))
            .map(|c| c.id.clone());
        let prevention = text_of(&form.prevention).trim().to_string();
        use crate::workflow::Requirement;
        let missing = if summary.is_empty() {
            Some(("status.summary_required", ResolveField::Summary))
        } else if cause.is_none() && needs.contains(&Requirement::Cause) {
            Some(("status.cause_required", ResolveField::Cause))
        } else if prevention.is_empty() && needs.contains(&Requirement::Prevention) {
            Some(("status.prevention_required", ResolveField::Prevention))
        } else {
            None
        };
        if let Some((key, field)) = missing {
            self.error(key);
            form.focus = field;
            return (Some(Overlay::Resolve(form)), Vec::new());
        }
        let opts = MoveOptions {
            note: Some(summary),
            cause,
            prevention: Some(prevention).filter(|p| !p.is_empty()),
            expected_version: Some(form.version),
            ..MoveOptions::default()
        };
        let effect = Effect::Move {
            id: form.id,
            to: form.to.clone(),
            opts,
        };
        // Kept open until the move is saved (a refusal keeps what was typed).
        (Some(Overlay::Resolve(form)), vec![effect])
    }

    /// The state of ticket `id` as the screen knows it.
    fn selected_status(&self, id: i64) -> String {
        self.selected()
            .filter(|s| s.id == id)
            .map(|s| s.status)
            .unwrap_or_default()
    }
}
