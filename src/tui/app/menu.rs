//! Keys in pick-one menus: move, assign, views, undo, priority, bulk.

use crossterm::event::{KeyCode, KeyEvent};

use super::overlay::{Menu, MenuKind, Overlay, Prompt, text_input};
use super::{App, Selected};
use crate::tui::action::Effect;

impl App {
    pub(super) fn menu_key(
        &mut self,
        mut menu: Menu,
        key: KeyEvent,
    ) -> (Option<Overlay>, Vec<Effect>) {
        let n = menu.items.len();
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return (None, Vec::new()),
            KeyCode::Char('j') | KeyCode::Down => {
                menu.selected = (menu.selected + 1).min(n.saturating_sub(1))
            }
            KeyCode::Char('k') | KeyCode::Up => menu.selected = menu.selected.saturating_sub(1),
            KeyCode::Home | KeyCode::Char('g') => menu.selected = 0,
            KeyCode::End | KeyCode::Char('G') => menu.selected = n.saturating_sub(1),
            KeyCode::Enter => {
                let Some(item) = menu.items.get(menu.selected).cloned() else {
                    return (None, Vec::new());
                };
                return match menu.kind {
                    MenuKind::Assign { id, version } => {
                        let login = Some(item.value).filter(|v| !v.is_empty());
                        (None, vec![Effect::Assign { id, login, version }])
                    }
                    MenuKind::StepAssign { ticket, step } => {
                        let login = Some(item.value).filter(|v| !v.is_empty());
                        let changes = crate::domain::SubtaskChanges {
                            assignee: Some(login),
                            ..Default::default()
                        };
                        (
                            None,
                            vec![Effect::EditStep {
                                ticket,
                                step,
                                changes,
                            }],
                        )
                    }
                    MenuKind::Children { parent, to, opts } => {
                        let effects = if item.value == "yes" {
                            vec![Effect::MoveChildren { parent, to, opts }]
                        } else {
                            Vec::new()
                        };
                        (None, effects)
                    }
                    MenuKind::Inbox => (None, self.open_notice(&item.value)),
                    MenuKind::Attachment { .. } => (
                        None,
                        item.value
                            .parse::<i64>()
                            .map(|a| vec![Effect::OpenAttachment(a)])
                            .unwrap_or_default(),
                    ),
                    MenuKind::Article { id } => (None, self.insert_article(id, &item.value)),
                    MenuKind::Reply { id } => (
                        None,
                        vec![Effect::FillReply {
                            id,
                            name: item.value,
                        }],
                    ),
                    MenuKind::Undo => (
                        None,
                        item.value
                            .parse::<i64>()
                            .map(|c| vec![Effect::Undo(Some(c))])
                            .unwrap_or_default(),
                    ),
                    MenuKind::Priority { ticket } => {
                        let Ok(p) = crate::domain::Priority::parse(&item.value) else {
                            return (None, Vec::new());
                        };
                        match ticket {
                            Some((id, version)) => (
                                None,
                                vec![self.edit_effect(id, version, |c| c.priority = Some(p))],
                            ),
                            None => (None, self.bulk(crate::service::BulkAction::Priority(p))),
                        }
                    }
                    MenuKind::BulkAssign => {
                        let login = Some(item.value).filter(|v| !v.is_empty());
                        (None, self.bulk(crate::service::BulkAction::Assign(login)))
                    }
                    MenuKind::BulkMove => {
                        // A resolution record is one ticket's: never one for many.
                        let needs_record = self.workflow.transitions().iter().any(|t| {
                            t.to == item.value
                                && t.requires.iter().any(|r| {
                                    matches!(
                                        r,
                                        crate::workflow::Requirement::Cause
                                            | crate::workflow::Requirement::Prevention
                                    )
                                })
                        });
                        if needs_record {
                            self.error("status.bulk_resolution");
                            return (None, Vec::new());
                        }
                        if self.bulk_move_needs_note(&item.value) {
                            let prompt = Overlay::Prompt {
                                purpose: Prompt::BulkNote { to: item.value },
                                input: text_input(""),
                            };
                            return (Some(prompt), Vec::new());
                        }
                        (
                            None,
                            self.bulk(crate::service::BulkAction::Move {
                                to: item.value,
                                note: None,
                            }),
                        )
                    }
                    MenuKind::View { .. } => {
                        let effects = item
                            .value
                            .parse::<usize>()
                            .ok()
                            .map(|i| self.apply_view(i))
                            .unwrap_or_default();
                        (None, effects)
                    }
                    MenuKind::Move { id, version, from } => {
                        let accepted = self
                            .selected()
                            .filter(|s| s.id == id)
                            .is_some_and(|s| s.accepted);
                        let sel = Selected {
                            id,
                            status: from,
                            version,
                            accepted,
                        };
                        (None, self.request_move(&sel, &item.value))
                    }
                };
            }
            _ => {}
        }
        (Some(Overlay::Menu(menu)), Vec::new())
    }
}
