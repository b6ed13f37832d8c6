//! Overlays on top of the panes: help, filter input, menus (move, assign),
//! note prompt, comment editor, ticket form. Each takes the keys while open.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea};

use super::search::SearchPopup;
use super::{App, Pane, TicketForm};
use crate::domain::Query;
use crate::error::Error;
use crate::service::MoveOptions;
use crate::tui::action::Effect;

/// An open overlay.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Filter {
        input: TextArea<'static>,
        error: Option<String>,
    },
    Menu(Menu),
    Note {
        id: i64,
        version: i64,
        to: String,
        kind: NoteKind,
        input: TextArea<'static>,
    },
    Comment {
        id: i64,
        internal: bool,
        input: TextArea<'static>,
    },
    Form(Box<TicketForm>),
    /// The resolution record for a move that needs one.
    Resolve(Box<super::resolve::ResolveForm>),
    /// A result to read (bulk refusals, undo refusals).
    Summary {
        title: String,
        lines: Vec<String>,
        scroll: u16,
    },
    /// A customer: their tickets to open, and `e` to edit them.
    Customer {
        profile: Box<crate::service::CustomerProfile>,
        selected: usize,
        scroll: u16,
    },
    /// One line of text for a purpose.
    Prompt {
        purpose: Prompt,
        input: TextArea<'static>,
    },
    /// Every command by name, filtered as you type.
    Palette {
        input: TextArea<'static>,
        selected: usize,
    },
    /// Search as you type.
    Search(Box<SearchPopup>),
}

/// What a one-line prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    AddTag,
    RemoveTag,
    /// Triage: the category of this ticket (id, version).
    Category {
        id: i64,
        version: i64,
    },
    /// A bulk move that needs a note.
    BulkNote {
        to: String,
    },
    /// The ticket to merge ticket `src` into.
    MergeInto {
        src: i64,
    },
    /// Search the knowledge base as you type.
    KbSearch,
    /// The customer's verdict on ticket `id`: a rating and their words.
    Verdict {
        id: i64,
        version: i64,
    },
    /// A file for the reply being written on ticket `id` (`internal`: a note).
    AttachFile {
        id: i64,
        internal: bool,
    },
    /// A new step for ticket `id`: its title, `@owner` and a due date.
    AddStep {
        id: i64,
    },
    /// The number of a step of ticket `id` to mark done or open again.
    ToggleStep {
        id: i64,
    },
}

impl Prompt {
    /// Catalog key of the prompt's title.
    pub fn title_key(&self) -> &'static str {
        match self {
            Prompt::AddTag => "prompt.add_tag",
            Prompt::RemoveTag => "prompt.remove_tag",
            Prompt::Category { .. } => "prompt.category",
            Prompt::BulkNote { .. } => "prompt.bulk_note",
            Prompt::MergeInto { .. } => "prompt.merge_into",
            Prompt::AttachFile { .. } => "prompt.attach_file",
            Prompt::Verdict { .. } => "prompt.verdict",
            Prompt::KbSearch => "prompt.kb_search",
            Prompt::AddStep { .. } => "prompt.add_step",
            Prompt::ToggleStep { .. } => "prompt.toggle_step",
        }
    }
}

/// What a note prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    Resolution,
    Reason,
    /// A supervisor closing without the customer's acceptance.
    Override,
}

impl NoteKind {
    /// Catalog key of the prompt title.
    pub fn title_key(self) -> &'static str {
        match self {
            NoteKind::Resolution => "note.resolution",
            NoteKind::Reason => "note.reason",
            NoteKind::Override => "note.override",
        }
    }
}

/// A pick-one menu.
#[derive(Debug, Clone)]
pub struct Menu {
    pub kind: MenuKind,
    pub items: Vec<MenuItem>,
    pub selected: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuKind {
    Move {
        id: i64,
        version: i64,
        from: String,
    },
    Assign {
        id: i64,
        version: i64,
    },
    /// Items are indexes into `App::views`; counts arrive for this generation.
    View {
        generation: u64,
    },
    /// Items are change ids.
    Undo,
    /// Items are priorities; for one ticket (id, version), or the selection.
    Priority {
        ticket: Option<(i64, i64)>,
    },
    /// Items are `notice:ticket`.
    Inbox,
    /// Items are attachment numbers of ticket `id`.
    Attachment {
        id: i64,
    },
    /// Items are canned reply names, for ticket `id`.
    Reply {
        id: i64,
    },
    /// Assign or move the selection.
    BulkAssign,
    BulkMove,
    /// Items are `slug\u{1f}lang` of articles suggested for ticket `id`.
    Article {
        id: i64,
    },
    /// Items are `yes` / `no`: move the open children of `parent` as it was.
    Children {
        parent: i64,
        to: String,
        opts: crate::service::MoveOptions,
    },
    /// Items are logins: the new owner of step `step` of ticket `ticket`.
    StepAssign {
        ticket: i64,
        step: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    /// State id or login (empty = nobody).
    pub value: String,
    pub label: String,
}

/// A text input holding `text`, cursor at the end.
pub fn text_input(text: &str) -> TextArea<'static> {
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.split('\n').map(String::from).collect()
    };
    let mut t = TextArea::new(lines);
    t.set_cursor_line_style(ratatui::style::Style::default());
    t.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    t.move_cursor(CursorMove::Bottom);
    t.move_cursor(CursorMove::End);
    t
}

/// The text of an input, lines joined with newlines.
pub fn text_of(t: &TextArea<'_>) -> String {
    t.lines().join("\n")
}

/// Ctrl+E hands long text to the user's editor.
pub fn is_editor_key(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('e') && key.modifiers.contains(KeyModifiers::CONTROL)
}

/// Ctrl+O attaches a file to the reply being written.
fn is_attach_key(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('o') && key.modifiers.contains(KeyModifiers::CONTROL)
}

fn is_submit(key: &KeyEvent) -> bool {
    let ctrl_s = key.code == KeyCode::Char('s') && key.modifiers.contains(KeyModifiers::CONTROL);
    let alt_enter = key.code == KeyCode::Enter && key.modifiers.contains(KeyModifiers::ALT);
    ctrl_s || alt_enter
}

impl App {
    pub(super) fn overlay_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return self.close_overlay();
        }
        let Some(overlay) = self.overlay.take() else {
            return Vec::new();
        };
        let (keep, effects) = match overlay {
            Overlay::Help { scroll } => self.help_key(scroll, key),
            Overlay::Filter { input, error } => self.filter_key(input, error, key),
            Overlay::Menu(menu) => self.menu_key(menu, key),
            Overlay::Note {
                id,
                version,
                to,
                kind,
                input,
            } => self.note_key(id, version, to, kind, input, key),
            Overlay::Comment {
                id,
                internal,
                input,
            } => self.comment_key(id, internal, input, key),
            Overlay::Form(form) => self.form_key(form, key),
            Overlay::Resolve(form) => self.resolve_key(form, key),
            Overlay::Summary {
                title,
                lines,
                scroll,
            } => match key.code {
                KeyCode::Char('j') | KeyCode::Down => (
                    Some(Overlay::Summary {
                        title,
                        lines,
                        scroll: scroll.saturating_add(1),
                    }),
                    Vec::new(),
                ),
                KeyCode::Char('k') | KeyCode::Up => (
                    Some(Overlay::Summary {
                        title,
                        lines,
                        scroll: scroll.saturating_sub(1),
                    }),
                    Vec::new(),
                ),
                _ => (None, Vec::new()),
            },
            Overlay::Customer {
                profile,
                selected,
                scroll,
            } => self.customer_key(profile, selected, scroll, key),
            Overlay::Prompt { purpose, input } => self.prompt_key(purpose, input, key),
            Overlay::Palette { input, selected } => self.palette_key(input, selected, key),
            Overlay::Search(popup) => self.search_key(popup, key),
        };
        if self.overlay.is_none() {
            self.overlay = keep;
        }
        effects
    }

    /// Closes the overlay, keeping an unsent comment as a draft (here and
    /// in the desk, so quitting does not lose it).
    fn close_overlay(&mut self) -> Vec<Effect> {
        let Some(Overlay::Comment {
            id,
            internal,
            input,
        }) = self.overlay.take()
        else {
            return Vec::new();
        };
        let text = text_of(&input);
        if text.trim().is_empty() {
            self.drafts.remove(&(id, internal));
        } else {
            self.drafts.insert((id, internal), text.clone());
        }
        vec![Effect::SaveDraft {
            id,
            internal,
            body: text,
        }]
    }

    fn help_key(&mut self, scroll: u16, key: KeyEvent) -> (Option<Overlay>, Vec<Effect>) {
        let scroll = match key.code {
            KeyCode::Char('j') | KeyCode::Down => scroll.saturating_add(1),
            KeyCode::Char('k') | KeyCode::Up => scroll.saturating_sub(1),
            KeyCode::PageDown => scroll.saturating_add(10),
            KeyCode::PageUp => scroll.saturating_sub(10),
            _ => return (None, Vec::new()),
        };
        (Some(Overlay::Help { scroll }), Vec::new())
    }

    fn filter_key(
        &mut self,
        mut input: TextArea<'static>,
        error: Option<String>,
        key: KeyEvent,
    ) -> (Option<Overlay>, Vec<Effect>) {
        match key.code {
            KeyCode::Esc => (None, Vec::new()),
            KeyCode::Enter => {
                let text = text_of(&input);
                match Query::parse(&text) {
                    Ok(query) => {
                        // The overlay closes when the list loads; a bad value keeps it open.
                        let effects = self.set_filter(text, query);
                        self.filter_answer = Some(self.list.generation);
                        (Some(Overlay::Filter { input, error: None }), effects)
                    }
                    Err(e) => {
                        let err = Error::Query {
                            input: text,
                            error: e,
                        };
                        let msg = err.message(&self.cat);
                        (
                            Some(Overlay::Filter {
                                input,
                                error: Some(msg),
                            }),
                            Vec::new(),
                        )
                    }
                }
            }
            _ => {
                input.input(key);
                (Some(Overlay::Filter { input, error }), Vec::new())
            }
        }
    }

    /// Filters the list and the board with a parsed query.
    pub(super) fn set_filter(&mut self, text: String, query: Query) -> Vec<Effect> {
        // Search results read best newest first.
        if query.has_text() && self.list.sort == crate::domain::SortKey::Updated {
            self.list.sort = crate::domain::SortKey::Number;
            self.list.dir = crate::domain::SortDir::Desc;
        }
        self.filter.text = text;
        self.filter.query = query;
        self.board.row = 0;
        let mut effects = self.load_list();
        effects.push(self.load_board());
        effects
    }

    /// Filters with typed text; one that does not parse is reported.
    pub(super) fn filter_with(&mut self, text: String) -> Vec<Effect> {
        match Query::parse(&text) {
            Ok(query) => {
                if self.pane == Pane::Detail || self.pane == Pane::Triage {
                    self.pane = Pane::List;
                }
                self.set_filter(text, query)
            }
            Err(error) => {
                let message = Error::Query { input: text, error }.message(&self.cat);
                self.status = Some(super::Status {
                    text: message.lines().next().unwrap_or_default().to_string(),
                    error: true,
                });
                Vec::new()
            }
        }
    }

    fn note_key(
        &mut self,
        id: i64,
        version: i64,
        to: String,
        kind: NoteKind,
        mut input: TextArea<'static>,
        key: KeyEvent,
    ) -> (Option<Overlay>, Vec<Effect>) {
        match key.code {
            KeyCode::Esc => (None, Vec::new()),
            KeyCode::Enter => {
                let note = text_of(&input);
                if note.trim().is_empty() {
                    self.error("status.note_required");
                    return (
                        Some(Overlay::Note {
                            id,
                            version,
                            to,
                            kind,
                            input,
                        }),
                        Vec::new(),
                    );
                }
                let opts = MoveOptions {
                    note: Some(note),
                    override_requirements: kind == NoteKind::Override,
                    expected_version: Some(version),
                    ..MoveOptions::default()
                };
                let keep = Overlay::Note {
                    id,
                    version,
                    to: to.clone(),
                    kind,
                    input,
                };
                (Some(keep), vec![Effect::Move { id, to, opts }])
            }
            _ => {
                input.input(key);
                (
                    Some(Overlay::Note {
                        id,
                        version,
                        to,
                        kind,
                        input,
                    }),
                    Vec::new(),
                )
            }
        }
    }

    fn comment_key(
        &mut self,
        id: i64,
        internal: bool,
        mut input: TextArea<'static>,
        key: KeyEvent,
    ) -> (Option<Overlay>, Vec<Effect>) {
        if key.code == KeyCode::Esc {
            self.overlay = Some(Overlay::Comment {
                id,
                internal,
                input,
            });
            return (None, self.close_overlay());
        }
        if key.code == KeyCode::Tab {
            return (
                Some(Overlay::Comment {
                    id,
                    internal: !internal,
                    input,
                }),
                Vec::new(),
            );
        }
        if is_attach_key(&key) {
            // The draft waits in `drafts` while the path is typed.
            self.drafts.insert((id, internal), text_of(&input));
            let prompt = Overlay::Prompt {
                purpose: Prompt::AttachFile { id, internal },
                input: text_input(""),
            };
            return (Some(prompt), Vec::new());
        }
        if is_editor_key(&key) {
            let text = text_of(&input);
            let keep = Overlay::Comment {
                id,
                internal,
                input,
            };
            return (Some(keep), vec![Effect::Editor { text }]);
        }
        if is_submit(&key) {
            let body = text_of(&input);
            if body.trim().is_empty() {
                self.error("status.comment_empty");
                return (
                    Some(Overlay::Comment {
                        id,
                        internal,
                        input,
                    }),
                    Vec::new(),
                );
            }
            self.drafts.insert((id, internal), body.clone());
            let files = self.reply_files.get(&id).cloned().unwrap_or_default();
            let keep = Overlay::Comment {
                id,
                internal,
                input,
            };
            let send = Effect::Comment {
                id,
                body,
                internal,
                files,
            };
            return (Some(keep), vec![send]);
        }
        input.input(key);
        (
            Some(Overlay::Comment {
                id,
                internal,
                input,
            }),
            Vec::new(),
        )
    }

    /// Text saved in the editor replaces the text it was opened on.
    pub(super) fn editor_done(&mut self, text: &str) -> Vec<Effect> {
        if self.kb.editing.is_some() && self.overlay.is_none() {
            return self.article_edited(text);
        }
        match &mut self.overlay {
            Some(Overlay::Comment { input, .. }) => *input = text_input(text),
            Some(Overlay::Form(form)) => form.replace_long_text(text),
            Some(Overlay::Customer { .. }) => return self.customer_edited(text),
            _ => {}
        }
        Vec::new()
    }

    /// Pasted text goes into the focused text input.
    pub(super) fn paste(&mut self, text: &str) -> Vec<Effect> {
        if matches!(self.overlay, Some(Overlay::Search(_)))
            && let Some(Overlay::Search(mut popup)) = self.overlay.take()
        {
            let effects = self.search_paste(&mut popup, text);
            self.overlay = Some(Overlay::Search(popup));
            return effects;
        }
        match &mut self.overlay {
            Some(Overlay::Filter { input, .. })
            | Some(Overlay::Note { input, .. })
            | Some(Overlay::Prompt { input, .. })
            | Some(Overlay::Palette { input, .. }) => paste_into(input, text, false),
            Some(Overlay::Resolve(form)) => match form.focus {
                super::resolve::ResolveField::Summary => paste_into(&mut form.summary, text, false),
                super::resolve::ResolveField::Prevention => {
                    paste_into(&mut form.prevention, text, false)
                }
                super::resolve::ResolveField::Cause => {}
            },
            Some(Overlay::Comment { input, .. }) => paste_into(input, text, true),
            Some(Overlay::Form(form)) => form.paste(text),
            _ => {}
        }
        Vec::new()
    }
}

/// Inserts pasted text; single-line inputs get it flattened to one line.
pub fn paste_into(input: &mut TextArea<'static>, text: &str, multiline: bool) {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if multiline {
        input.insert_str(text);
    } else {
        input.insert_str(text.replace('\n', " "));
    }
}
