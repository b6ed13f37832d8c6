//! One-line prompts: tags, a category, a note for a bulk move.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui_textarea::TextArea;

use super::App;
use super::overlay::{Overlay, Prompt, text_of};
use crate::tui::action::Effect;

impl App {
    pub(super) fn prompt_key(
        &mut self,
        purpose: Prompt,
        mut input: TextArea<'static>,
        key: KeyEvent,
    ) -> (Option<Overlay>, Vec<Effect>) {
        if let Prompt::AttachFile { id, internal } = purpose
            && matches!(key.code, KeyCode::Esc | KeyCode::Enter)
        {
            let path = text_of(&input).trim().to_string();
            if key.code == KeyCode::Enter && !path.is_empty() {
                self.toggle_reply_file(id, path);
            }
            // Back to the reply, as it was.
            self.open_reply(id, "", internal);
            return (self.overlay.take(), Vec::new());
        }
        if purpose == Prompt::KbSearch {
            return match key.code {
                KeyCode::Esc => (None, self.kb_search_typed(String::new())),
                KeyCode::Enter => (None, Vec::new()),
                _ => {
                    input.input(key);
                    let effects = self.kb_search_typed(text_of(&input));
                    (Some(Overlay::Prompt { purpose, input }), effects)
                }
            };
        }
        if let Prompt::Verdict { id, version } = purpose
            && key.code == KeyCode::Enter
        {
            // Empty is a plain acceptance (a supervisor's, or refused); an
            // entry with no rating and no yes or no is asked for again.
            let Some((v, words)) = crate::interchange::verdict::parse_entered(&text_of(&input))
            else {
                self.error("status.verdict_unclear");
                return (Some(Overlay::Prompt { purpose, input }), Vec::new());
            };
            let verdict = crate::service::VerdictInput {
                rating: v.rating,
                satisfied: v.satisfied,
                words,
            };
            let effect = Effect::Accept {
                id,
                version,
                verdict: Box::new(verdict),
            };
            return (None, vec![effect]);
        }
        match key.code {
            KeyCode::Esc => (None, Vec::new()),
            KeyCode::Enter => {
                let text = text_of(&input).trim().to_string();
                if text.is_empty() {
                    return (None, Vec::new());
                }
                let single = self.selected().map(|s| (s.id, s.version));
                let effects = match (&purpose, self.selection.is_empty(), single) {
                    (Prompt::AddTag, false, _) => {
                        self.bulk(crate::service::BulkAction::AddTag(text))
                    }
                    (Prompt::RemoveTag, false, _) => {
                        self.bulk(crate::service::BulkAction::RemoveTag(text))
                    }
                    (Prompt::AddTag, true, Some((id, v))) => {
                        vec![self.edit_effect(id, v, |c| c.add_tags = vec![text])]
                    }
                    (Prompt::RemoveTag, true, Some((id, v))) => {
                        vec![self.edit_effect(id, v, |c| c.remove_tags = vec![text])]
                    }
                    (Prompt::Category { id, version }, _, _) => {
                        match crate::domain::Category::parse(&text) {
                            Ok(cat) => vec![
                                self.edit_effect(*id, *version, |c| c.category = Some(Some(cat))),
                            ],
                            Err(e) => {
                                self.status = Some(super::Status {
                                    text: crate::error::Error::Invalid(e).message(&self.cat),
                                    error: true,
                                });
                                return (Some(Overlay::Prompt { purpose, input }), Vec::new());
                            }
                        }
                    }
                    (Prompt::MergeInto { src }, _, _) => {
                        match text.trim_start_matches('#').parse::<i64>() {
                            Ok(dst) => vec![Effect::Merge { src: *src, dst }],
                            Err(_) => {
                                self.status = Some(super::Status {
                                    text: self.cat.f("prompt.not_a_number", &[("text", &text)]),
                                    error: true,
                                });
                                return (Some(Overlay::Prompt { purpose, input }), Vec::new());
                            }
                        }
                    }
                    (Prompt::AddStep { id }, _, _) => match self.parse_step(&text) {
                        Some(step) => vec![Effect::AddStep { id: *id, step }],
                        None => {
                            self.error("status.step_unclear");
                            return (Some(Overlay::Prompt { purpose, input }), Vec::new());
                        }
                    },
                    (Prompt::ToggleStep { id }, _, _) => {
                        match text.trim_start_matches('#').parse::<i64>() {
                            Ok(position) => vec![Effect::ToggleStep { id: *id, position }],
                            Err(_) => {
                                self.status = Some(super::Status {
                                    text: self.cat.f("prompt.not_a_number", &[("text", &text)]),
                                    error: true,
                                });
                                return (Some(Overlay::Prompt { purpose, input }), Vec::new());
                            }
                        }
                    }
                    (Prompt::BulkNote { to }, _, _) => {
                        self.bulk(crate::service::BulkAction::Move {
                            to: to.clone(),
                            note: Some(text),
                        })
                    }
                    _ => Vec::new(),
                };
                (None, effects)
            }
            _ => {
                input.input(key);
                (Some(Overlay::Prompt { purpose, input }), Vec::new())
            }
        }
    }

    /// A step as typed: words, `@owner` and, last, a due date such as `2d`,
    /// `tomorrow` or `2026-12-01`. `None` without a title.
    fn parse_step(&self, text: &str) -> Option<crate::domain::NewSubtask> {
        let mut words: Vec<&str> = text.split_whitespace().collect();
        let mut step = crate::domain::NewSubtask::default();
        if let Some(last) = words.last() {
            match crate::domain::parse_deadline(last, self.now, &self.tz) {
                Some(due) => {
                    step.due = Some(due);
                    words.pop();
                }
                // `2026-02-30` is a date gone wrong, not part of the title.
                None if last.starts_with(|c: char| c.is_ascii_digit())
                    && last.contains('-')
                    && last.chars().all(|c| c.is_ascii_digit() || c == '-') =>
                {
                    return None;
                }
                None => {}
            }
        }
        let (owners, title): (Vec<&str>, Vec<&str>) = words
            .into_iter()
            .partition(|w| w.len() > 1 && w.starts_with('@'));
        step.assignee = owners.last().map(|o| o.trim_start_matches('@').to_string());
        step.title = title.join(" ");
        (!step.title.is_empty()).then_some(step)
    }

    /// Adds a file to ticket `id`'s reply, or takes it off when it is there.
    fn toggle_reply_file(&mut self, id: i64, path: String) {
        let files = self.reply_files.entry(id).or_default();
        match files.iter().position(|f| *f == path) {
            Some(i) => {
                files.remove(i);
            }
            None => files.push(path),
        }
    }

    /// An edit of one ticket at `version`, built by `change`.
    pub(super) fn edit_effect(
        &self,
        id: i64,
        version: i64,
        change: impl FnOnce(&mut crate::domain::TicketChanges),
    ) -> Effect {
        let mut changes = crate::domain::TicketChanges::default();
        change(&mut changes);
        Effect::Edit {
            id,
            changes: Box::new(changes),
            version,
        }
    }
}
