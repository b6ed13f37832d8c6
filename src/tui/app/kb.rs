//! The knowledge-base pane: articles by category, searched as you type,
//! read in place (Markdown made readable), written and changed in the
//! member's editor; and, from a ticket, the suggested articles put into a
//! reply, or a new article drafted from its resolution.

use super::overlay::{Menu, MenuItem, MenuKind, Overlay, Prompt, text_input};
use super::{App, Pane};
use crate::interchange::kb::write_article;
use crate::service::KbHit;
use crate::tui::action::{Command, Effect, Job};

/// What the pane holds.
#[derive(Debug, Clone, Default)]
pub struct KbState {
    /// The articles the search matches (all of them when it is empty).
    pub hits: Vec<KbHit>,
    pub query: String,
    pub selected: usize,
    pub offset: usize,
    /// The cursor is in the article (j/k scroll it) rather than the list.
    pub reading: bool,
    pub scroll: u16,
    pub generation: u64,
    pub loaded: bool,
    /// An article is open in the editor: save what comes back changed.
    pub editing: Option<ArticleEdit>,
    /// The search changed: the next answer starts at its top.
    pub fresh: bool,
    /// Articles put into replies being written, by ticket: recorded as
    /// what solved the ticket once the reply is sent.
    pub used: std::collections::HashMap<i64, String>,
}

/// An article in the member's editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleEdit {
    /// The article being changed; `None` for a new one.
    pub slug: Option<String>,
    /// The text the editor started with.
    pub original: String,
}

impl KbState {
    pub fn current(&self) -> Option<&KbHit> {
        self.hits.get(self.selected)
    }
}

impl App {
    /// Opens the pane and asks for its articles.
    pub(super) fn show_kb(&mut self) -> Vec<Effect> {
        if self.pane != Pane::Kb {
            self.prev_pane = self.pane;
        }
        self.pane = Pane::Kb;
        self.load_kb()
    }

    pub(super) fn load_kb(&mut self) -> Vec<Effect> {
        self.kb.generation += 1;
        vec![Effect::Background(Job::Kb {
            generation: self.kb.generation,
            text: self.kb.query.clone(),
        })]
    }

    pub(super) fn kb_loaded(&mut self, generation: u64, hits: Vec<KbHit>) {
        if generation != self.kb.generation {
            return;
        }
        let fresh = std::mem::take(&mut self.kb.fresh);
        let keep = self
            .kb
            .current()
            .map(|h| (h.article.slug.clone(), h.article.lang.clone()))
            .filter(|_| !fresh);
        // Each article once: in the interface's language when it is written
        // in it, else in the language it has.
        let lang = self.cat.lang().code();
        let mine: std::collections::HashSet<String> = hits
            .iter()
            .filter(|h| crate::domain::same_language(&h.article.lang, lang))
            .map(|h| h.article.slug.clone())
            .collect();
        self.kb.hits = hits
            .into_iter()
            .filter(|h| {
                crate::domain::same_language(&h.article.lang, lang)
                    || !mine.contains(&h.article.slug)
            })
            .collect();
        self.kb.loaded = true;
        self.kb.selected = keep
            .and_then(|(s, l)| {
                self.kb
                    .hits
                    .iter()
                    .position(|h| h.article.slug == s && h.article.lang == l)
            })
            .unwrap_or(0);
        self.kb.scroll = 0;
    }

    /// Keys of the pane; `None` leaves the command to the rest of the app.
    pub(super) fn kb_command(&mut self, cmd: Command) -> Option<Vec<Effect>> {
        let n = self.kb.hits.len();
        let page = usize::from(self.size.1.saturating_sub(6).max(1));
        let moved = |sel: usize| match cmd {
            Command::Up => Some(sel.saturating_sub(1)),
            Command::Down => Some((sel + 1).min(n.saturating_sub(1))),
            Command::PageUp => Some(sel.saturating_sub(page)),
            Command::PageDown => Some((sel + page).min(n.saturating_sub(1))),
            Command::Top => Some(0),
            Command::Bottom => Some(n.saturating_sub(1)),
            _ => None,
        };
        if self.kb.reading {
            let s = self.kb.scroll;
            let scrolled = match cmd {
                Command::Up => Some(s.saturating_sub(1)),
                Command::Down => Some(s.saturating_add(1)),
                Command::PageUp => Some(s.saturating_sub(page as u16)),
                Command::PageDown => Some(s.saturating_add(page as u16)),
                Command::Top => Some(0),
                _ => None,
            };
            if let Some(s) = scrolled {
                self.kb.scroll = s.min(crate::tui::view::kb::max_scroll(self, self.size));
                return Some(Vec::new());
            }
            if matches!(cmd, Command::Back | Command::Open | Command::Left) {
                self.kb.reading = false;
                return Some(Vec::new());
            }
        } else if let Some(sel) = moved(self.kb.selected) {
            if sel != self.kb.selected {
                self.kb.scroll = 0;
            }
            self.kb.selected = sel;
            // Rows under the header, the footer and the list's borders.
            let rows = usize::from(self.size.1.saturating_sub(4)).max(1);
            self.kb.offset = crate::tui::layout::scroll_to(self.kb.offset, sel, rows);
            return Some(Vec::new());
        }
        match cmd {
            Command::Open | Command::Right if self.kb.current().is_some() => {
                self.kb.reading = true;
                Some(Vec::new())
            }
            Command::Filter | Command::Search => {
                let mut input = text_input(&self.kb.query);
                input.set_placeholder_text(self.cat.t("kb.search_placeholder"));
                self.overlay = Some(Overlay::Prompt {
                    purpose: Prompt::KbSearch,
                    input,
                });
                Some(Vec::new())
            }
            Command::Edit => Some(self.edit_article()),
            Command::NewTicket | Command::DraftArticle => Some(vec![self.draft_effect(None)]),
            Command::Refresh => Some(self.load_kb()),
            Command::Back | Command::Quit => {
                let back = if self.prev_pane == Pane::Kb {
                    Pane::List
                } else {
                    self.prev_pane
                };
                Some(self.show(back))
            }
            // Ticket commands mean nothing here.
            Command::Move
            | Command::MovePrev
            | Command::MoveNext
            | Command::Assign
            | Command::Accept
            | Command::Comment
            | Command::Reply
            | Command::CannedReply
            | Command::InsertArticle => Some(Vec::new()),
            _ => None,
        }
    }

    /// The search prompt: every key narrows the list at once.
    pub(super) fn kb_search_typed(&mut self, text: String) -> Vec<Effect> {
        self.kb.query = text;
        self.kb.reading = false;
        self.kb.fresh = true;
        self.load_kb()
    }

    fn edit_article(&mut self) -> Vec<Effect> {
        let Some((text, slug)) = self
            .kb
            .current()
            .map(|h| (write_article(&h.article), h.article.slug.clone()))
        else {
            return Vec::new();
        };
        self.kb.editing = Some(ArticleEdit {
            slug: Some(slug),
            original: text.clone(),
        });
        vec![Effect::Editor { text }]
    }

    /// A click on the list picks that article; on the picked one, reads it.
    pub(super) fn kb_click(&mut self, row: u16) -> Vec<Effect> {
        // The list's first row is under its border.
        let index = self.kb.offset + usize::from(row.saturating_sub(1));
        if index < self.kb.hits.len() {
            if index == self.kb.selected {
                self.kb.reading = true;
            }
            self.kb.selected = index;
        }
        Vec::new()
    }

    /// A drafted article goes to the editor; what is saved is stored.
    pub(super) fn article_drafted(&mut self, text: String) -> Vec<Effect> {
        self.kb.editing = Some(ArticleEdit {
            slug: None,
            original: text.clone(),
        });
        vec![Effect::Editor { text }]
    }

    /// The editor returned an article: store it, unless it came back empty.
    pub(super) fn article_edited(&mut self, text: &str) -> Vec<Effect> {
        let Some(edit) = self.kb.editing.take() else {
            return Vec::new();
        };
        let slug = edit.slug;
        if text.trim().is_empty() || text.trim() == edit.original.trim() {
            self.info("kb.not_saved", &[]);
            return Vec::new();
        }
        vec![Effect::PutArticle {
            text: text.to_string(),
            slug,
        }]
    }

    pub(super) fn article_saved(&mut self, slug: &str, lang: &str) -> Vec<Effect> {
        self.info("kb.saved", &[("id", &slug), ("lang", &lang)]);
        if self.pane == Pane::Kb {
            return self.load_kb();
        }
        Vec::new()
    }

    /// `I` on a ticket: pick one of its suggested articles for the reply.
    pub(super) fn open_article_menu(&mut self) -> Vec<Effect> {
        let Some(sel) = self.selected() else {
            return Vec::new();
        };
        let hits = match &self.detail.suggestions {
            Some((id, hits)) if *id == sel.id && !hits.is_empty() => hits.clone(),
            _ => {
                self.error("kb.no_suggestions");
                return Vec::new();
            }
        };
        let items = hits
            .iter()
            .map(|h| MenuItem {
                value: format!("{}\u{1f}{}", h.article.slug, h.article.lang),
                label: format!(
                    "{} · {}",
                    h.article.title,
                    self.cat
                        .t(&format!("visibility.{}", h.article.visibility.as_str()))
                ),
            })
            .collect();
        self.overlay = Some(Overlay::Menu(Menu {
            kind: MenuKind::Article { id: sel.id },
            items,
            selected: 0,
        }));
        Vec::new()
    }

    /// The picked article goes into a reply (a shareable one as text; an
    /// internal one only by name, into a note), and the ticket records it.
    pub(super) fn insert_article(&mut self, id: i64, value: &str) -> Vec<Effect> {
        let Some((slug, lang)) = value.split_once('\u{1f}') else {
            return Vec::new();
        };
        let hit = self.detail.suggestions.as_ref().and_then(|(_, hits)| {
            hits.iter()
                .find(|h| h.article.slug == slug && h.article.lang == lang)
                .cloned()
        });
        let Some(hit) = hit else {
            return Vec::new();
        };
        let a = &hit.article;
        let shareable = a.visibility == crate::domain::Visibility::Shareable;
        let text = if shareable {
            let body = crate::present::markdown::for_customers(&a.body);
            crate::present::markdown::render(&body, 72)
                .into_iter()
                .map(|l| l.text)
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            self.cat.f(
                "kb.internal_reference",
                &[("title", &a.title), ("id", &a.slug)],
            )
        };
        self.open_reply(id, &text, !shareable);
        self.kb.used.insert(id, a.slug.clone());
        Vec::new()
    }

    /// A new article in the interface's language, or one drafted from a
    /// ticket in the language the ticket is written in.
    fn draft_effect(&self, from: Option<i64>) -> Effect {
        Effect::DraftArticle {
            from,
            lang: from.is_none().then(|| self.cat.lang().code().to_string()),
        }
    }

    /// `K` on a ticket: a new article drafted from it, in the editor.
    pub(super) fn draft_from_ticket(&mut self) -> Vec<Effect> {
        match self.selected() {
            Some(sel) => vec![self.draft_effect(Some(sel.id))],
            None => Vec::new(),
        }
    }
}
