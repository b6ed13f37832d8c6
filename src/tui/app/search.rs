//! The search popup (`f`): the first page of matches follows what you type.
//! Every change sends the query to the worker under a new generation; an
//! answer to an older one is dropped (and a still-running older query is
//! interrupted by the worker), so typing never waits on a query.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::overlay::{Overlay, paste_into, text_input, text_of};
use super::{App, Pane};
use crate::domain::Query;
use crate::error::Error;
use crate::service::SearchHit;
use crate::tui::action::{Effect, Job};

/// Matches shown in the popup (newest first); the filter shows them all.
pub const SEARCH_LIMIT: usize = 50;

/// Where the popup's query stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SearchState {
    /// Nothing typed yet.
    Empty,
    /// A query is out; the hits shown (if any) answer an older one.
    Waiting,
    /// The hits answer what is typed.
    Ready,
    /// What is typed does not parse or cannot run; the message says why.
    Invalid(String),
}

/// The search popup's state.
#[derive(Debug, Clone)]
pub struct SearchPopup {
    pub input: TextArea<'static>,
    pub hits: Vec<SearchHit>,
    pub selected: usize,
    pub state: SearchState,
    /// The terms the shown hits matched, for highlighting.
    pub terms: Vec<String>,
    /// The newest query sent and the terms it will answer.
    generation: u64,
    pending_terms: Vec<String>,
}

impl App {
    pub(super) fn open_search(&mut self) -> Vec<Effect> {
        let mut input = text_input("");
        input.set_placeholder_text(self.cat.t("search.placeholder"));
        self.overlay = Some(Overlay::Search(Box::new(SearchPopup {
            input,
            hits: Vec::new(),
            selected: 0,
            state: SearchState::Empty,
            terms: Vec::new(),
            generation: 0,
            pending_terms: Vec::new(),
        })));
        Vec::new()
    }

    /// The typed text changed: send a new query, or say why it cannot run.
    fn search_changed(&mut self, popup: &mut SearchPopup) -> Vec<Effect> {
        let text = text_of(&popup.input);
        if text.trim().is_empty() {
            popup.hits.clear();
            popup.terms.clear();
            popup.state = SearchState::Empty;
            return Vec::new();
        }
        match Query::parse(&text) {
            Ok(query) => {
                self.searches += 1;
                popup.generation = self.searches;
                popup.pending_terms = query.text_terms();
                popup.state = SearchState::Waiting;
                vec![Effect::Background(Job::Search {
                    generation: popup.generation,
                    query,
                })]
            }
            Err(error) => {
                // Any answer still out is for text that is gone.
                popup.generation = 0;
                let message = Error::Query { input: text, error }.message(&self.cat);
                popup.state = SearchState::Invalid(message);
                Vec::new()
            }
        }
    }

    pub(super) fn search_key(
        &mut self,
        mut popup: Box<SearchPopup>,
        key: KeyEvent,
    ) -> (Option<Overlay>, Vec<Effect>) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let last = popup.hits.len().saturating_sub(1);
        let page = usize::from(self.size.1 / 2).max(1);
        match key.code {
            KeyCode::Esc => return (None, Vec::new()),
            KeyCode::Enter => return (None, self.open_hit(&popup)),
            KeyCode::Tab => return (None, self.filter_with(text_of(&popup.input))),
            KeyCode::Down => popup.selected = (popup.selected + 1).min(last),
            KeyCode::Char('n') if ctrl => popup.selected = (popup.selected + 1).min(last),
            KeyCode::Up => popup.selected = popup.selected.saturating_sub(1),
            KeyCode::Char('p') if ctrl => popup.selected = popup.selected.saturating_sub(1),
            KeyCode::PageDown => popup.selected = (popup.selected + page).min(last),
            KeyCode::PageUp => popup.selected = popup.selected.saturating_sub(page),
            _ => {
                let before = text_of(&popup.input);
                popup.input.input(key);
                if text_of(&popup.input) != before {
                    let effects = self.search_changed(&mut popup);
                    return (Some(Overlay::Search(popup)), effects);
                }
            }
        }
        (Some(Overlay::Search(popup)), Vec::new())
    }

    /// Pasted text goes into the search field and searches.
    pub(super) fn search_paste(&mut self, popup: &mut SearchPopup, text: &str) -> Vec<Effect> {
        paste_into(&mut popup.input, text, false);
        self.search_changed(popup)
    }

    /// Opens the chosen hit in the detail pane.
    fn open_hit(&mut self, popup: &SearchPopup) -> Vec<Effect> {
        let Some(hit) = popup.hits.get(popup.selected) else {
            return Vec::new();
        };
        if self.pane != Pane::Detail {
            self.prev_pane = self.pane;
        }
        self.pane = Pane::Detail;
        if self.detail_id() != Some(hit.row.id) {
            self.detail.scroll = 0;
        }
        vec![Effect::Background(Job::View(hit.row.id))]
    }

    /// Results for the popup; an answer to anything but its newest query is dropped.
    pub(super) fn search_loaded(&mut self, generation: u64, result: Result<Vec<SearchHit>, Error>) {
        let Some(Overlay::Search(popup)) = &mut self.overlay else {
            return;
        };
        if generation != popup.generation {
            return;
        }
        match result {
            Ok(hits) => {
                popup.hits = hits;
                popup.selected = 0;
                popup.terms = std::mem::take(&mut popup.pending_terms);
                popup.state = SearchState::Ready;
            }
            Err(e) => popup.state = SearchState::Invalid(e.message(&self.cat)),
        }
    }
}
