//! The knowledge base: articles drafted from solved tickets or written from
//! scratch, searched like tickets (Chinese, pinyin, words), suggested for a
//! ticket in its customer's language, and kept in git as Markdown files.
//! Any member reads and writes articles; removing one takes a supervisor.

use std::collections::HashMap;

use super::Desk;
use crate::domain::{Article, Category, Ticket, Visibility, article_slug, same_language};
use crate::error::{Error, Result};
use crate::interchange::kb::{file_name, write_article};
use crate::text::relevance::{Corpus, query, terms};

/// Suggestions shown for a ticket.
pub const SUGGESTIONS: usize = 3;

/// An article found by a search or suggested for a ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct KbHit {
    pub article: Article,
    pub score: f64,
}

/// A ticket's text as the suggester reads it.
#[derive(Debug, Clone, Default)]
pub struct TicketText<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub category: Option<&'a str>,
    /// The customer's language, when known.
    pub language: Option<&'a str>,
}

impl TicketText<'_> {
    /// The language to suggest in: the customer's, else Chinese for a
    /// ticket written in Chinese, else English.
    fn language(&self) -> &str {
        match self.language.filter(|l| !l.trim().is_empty()) {
            Some(l) => l,
            None => written_in(&format!("{} {}", self.title, self.description)),
        }
    }
}

/// The articles in `lang`, else in English, else none.
fn in_language<'a>(articles: &'a [Article], lang: &str) -> Vec<&'a Article> {
    let pick = |l: &str| -> Vec<&Article> {
        articles
            .iter()
            .filter(|a| same_language(&a.lang, l))
            .collect()
    };
    let found = pick(lang);
    if found.is_empty() { pick("en") } else { found }
}

/// The `limit` articles that best answer a ticket: words and character
/// pairs its title and description share with each article (title and tags
/// count more than the body), lifted when the article is filed under the
/// ticket's category (most) or the same top-level category.
pub fn rank(articles: &[Article], ticket: &TicketText<'_>, limit: usize) -> Vec<KbHit> {
    let candidates = in_language(articles, ticket.language());
    let mut corpus = Corpus::default();
    for a in &candidates {
        let category = a.category.as_ref().map_or("", |c| c.as_str());
        let tags = a.tags.join(" ");
        corpus.add(&[
            (a.title.as_str(), 3.0),
            (&tags, 2.0),
            (&category.replace(['/', '-'], " "), 2.0),
            (a.body.as_str(), 1.0),
        ]);
    }
    let q = query(&[(ticket.title, 2.0), (ticket.description, 1.0)]);
    let scores: Vec<f64> = (0..corpus.len()).map(|i| corpus.score(i, &q)).collect();
    let best = scores.iter().copied().fold(0.0, f64::max).max(1.0);
    // A ticket titled like an article is most likely about it.
    let asked: std::collections::HashSet<String> = terms(ticket.title).into_iter().collect();
    let title_share = |a: &Article| {
        let have: std::collections::HashSet<String> = terms(&a.title).into_iter().collect();
        asked.intersection(&have).count() as f64 / asked.len().max(1) as f64
    };
    let top = |c: &str| c.split('/').next().unwrap_or(c).to_string();
    let mut hits: Vec<KbHit> = candidates
        .iter()
        .zip(scores)
        .map(|(a, score)| {
            let lift = match (ticket.category, a.category.as_ref()) {
                (Some(t), Some(c)) if t == c.as_str() => 0.6 * best,
                (Some(t), Some(c)) if top(t) == top(c.as_str()) => 0.15 * best,
                _ => 0.0,
            };
            let titled = if score > 0.0 {
                0.5 * best * title_share(a)
            } else {
                0.0
            };
            KbHit {
                article: (*a).clone(),
                score: score + lift + titled,
            }
        })
        .filter(|h| h.score > 0.0)
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    hits.truncate(limit);
    hits
}

/// The language a text is written in, as far as articles go: Chinese when
/// it has Chinese characters, else English.
pub fn written_in(text: &str) -> &'static str {
    if text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        "zh-CN"
    } else {
        "en"
    }
}

/// Whether every term of a search appears in the article: its title, body,
/// category, tags or (for a pinyin term) its title's pinyin.
fn matches(a: &Article, terms: &[String]) -> bool {
    let hay = format!(
        "{} {} {} {} {} {}",
        a.title,
        a.body,
        a.category.as_ref().map_or("", |c| c.as_str()),
        a.tags.join(" "),
        crate::text::pinyin_keys(&a.title),
        crate::text::pinyin_keys(&a.body)
    )
    .to_lowercase();
    terms.iter().all(|t| hay.contains(t.as_str()))
}

impl Desk {
    /// Every article, or those under `category` and in `lang`.
    pub fn kb_list(&self, category: Option<&str>, lang: Option<&str>) -> Result<Vec<Article>> {
        self.me()?;
        let under = |a: &Article| {
            category.is_none_or(|c| {
                a.category
                    .as_ref()
                    .is_some_and(|ac| ac.as_str() == c || ac.as_str().starts_with(&format!("{c}/")))
            })
        };
        let mut list: Vec<Article> = self
            .store
            .reader()
            .kb_articles()?
            .into_iter()
            .filter(|a| under(a) && lang.is_none_or(|l| same_language(&a.lang, l)))
            .collect();
        let helped = self.helped_counts()?;
        for a in &mut list {
            a.helpful = helped.get(&a.slug).copied().unwrap_or(0);
        }
        Ok(list)
    }

    /// Per article, the accepted tickets it solved that this member may see
    /// (a hidden ticket counts for nothing, as if it were not there).
    fn helped_counts(&self) -> Result<HashMap<String, i64>> {
        let scope = self.me()?.scope();
        let mut counts = HashMap::new();
        for (slug, assignee, team) in self.store.reader().kb_helped()? {
            if scope.allows(assignee.as_deref(), team.as_deref()) {
                *counts.entry(slug).or_insert(0) += 1;
            }
        }
        Ok(counts)
    }

    /// One article in `lang` (or its first language), with the tickets it
    /// is linked to that this member may see.
    pub fn kb_article(&self, slug: &str, lang: Option<&str>) -> Result<Article> {
        self.me()?;
        let reader = self.store.reader();
        let langs = reader.kb_languages(slug)?;
        let pick = lang
            .and_then(|l| langs.iter().find(|x| same_language(x, l)))
            .or_else(|| langs.iter().find(|x| same_language(x, "en")))
            .or(langs.first())
            .ok_or_else(|| Error::ArticleNotFound(slug.to_string()))?;
        let mut a = reader
            .kb_article(slug, pick)?
            .ok_or_else(|| Error::ArticleNotFound(slug.to_string()))?;
        a.tickets
            .retain(|id| self.visible_ticket(&reader, *id).is_ok());
        a.helpful = self.helped_counts()?.get(slug).copied().unwrap_or(0);
        Ok(a)
    }

    /// Articles where every word of `text` appears (Chinese, pinyin and
    /// words as in ticket search), best first.
    pub fn kb_search(&self, text: &str, lang: Option<&str>) -> Result<Vec<KbHit>> {
        let terms: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        let articles: Vec<Article> = self
            .kb_list(None, lang)?
            .into_iter()
            .filter(|a| matches(a, &terms))
            .collect();
        if terms.is_empty() {
            return Ok(articles
                .into_iter()
                .map(|article| KbHit {
                    article,
                    score: 0.0,
                })
                .collect());
        }
        let mut corpus = Corpus::default();
        for a in &articles {
            corpus.add(&[(a.title.as_str(), 3.0), (a.body.as_str(), 1.0)]);
        }
        let q = query(&[(text, 1.0)]);
        // An article whose title (or its pinyin) has every term comes
        // first: pinyin and short Chinese terms give BM25 nothing to weigh.
        let in_title = |a: &Article| {
            let t = format!("{} {}", a.title, crate::text::pinyin_keys(&a.title)).to_lowercase();
            terms.iter().all(|term| t.contains(term.as_str()))
        };
        let mut hits: Vec<KbHit> = articles
            .into_iter()
            .enumerate()
            .map(|(i, article)| KbHit {
                score: corpus.score(i, &q) + if in_title(&article) { 10.0 } else { 0.0 },
                article,
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        Ok(hits)
    }

    /// The articles that best answer ticket `id`, in its customer's language.
    /// With how often each helped (what `kb suggest` prints).
    pub fn kb_suggest(&self, id: i64) -> Result<Vec<KbHit>> {
        let mut hits = self.kb_suggest_for(&self.detail(id)?)?;
        let helped = self.helped_counts()?;
        for h in &mut hits {
            h.article.helpful = helped.get(&h.article.slug).copied().unwrap_or(0);
        }
        Ok(hits)
    }

    /// The suggestions for a ticket already read.
    pub(crate) fn kb_suggest_for(
        &self,
        detail: &crate::domain::TicketDetail,
    ) -> Result<Vec<KbHit>> {
        let t = &detail.ticket;
        let language = detail.customer.as_ref().and_then(|c| c.language.clone());
        let text = TicketText {
            title: &t.title,
            description: &t.description,
            category: t.category.as_ref().map(Category::as_str),
            language: language.as_deref(),
        };
        // On the detail pane's way: the articles alone, no counts to join.
        Ok(rank(
            &self.store.reader().kb_articles()?,
            &text,
            SUGGESTIONS,
        ))
    }

    /// The file text of a new article: blank, or drafted from ticket
    /// `from` (its title, category, and resolution record as the body).
    pub fn kb_draft(
        &self,
        title: Option<&str>,
        lang: Option<&str>,
        from: Option<i64>,
    ) -> Result<String> {
        let me = self.me()?;
        let now = self.clock.now();
        let ticket = from.map(|id| self.detail(id)).transpose()?;
        let t = ticket.as_ref().map(|d| &d.ticket);
        let title = title
            .map(String::from)
            .or_else(|| t.map(|t| t.title.clone()))
            .unwrap_or_default();
        // The language it is written in: as given, else that of the title
        // (and the ticket's text).
        let text = format!("{title} {}", t.map_or("", |t| t.description.as_str()));
        let lang = lang
            .map(String::from)
            .unwrap_or_else(|| written_in(&text).to_string());
        let lang = lang.as_str();
        // No title yet: the id comes from the one written in the editor.
        let slug = if title.trim().is_empty() {
            String::new()
        } else {
            self.free_slug(&title, lang, t.map(|t| t.id))?
        };
        let article = Article {
            slug,
            lang: lang.to_string(),
            title: if title.is_empty() {
                "…".into()
            } else {
                title
            },
            body: t.map(|t| self.draft_body(t, lang)).unwrap_or_default(),
            category: t.and_then(|t| t.category.clone()),
            tags: t.map(|t| t.tags.clone()).unwrap_or_default(),
            visibility: Visibility::Internal,
            author: me.login.clone(),
            created_at: now,
            updated_at: now,
            updated_by: me.login,
            helpful: 0,
            tickets: t.map(|t| vec![t.id]).unwrap_or_default(),
        };
        Ok(write_article(&article))
    }

    /// An id for a new article from its title (Chinese by its pinyin:
    /// 退货政策 → `tui-huo-zheng-ce`), at most 64 characters, not taken in
    /// `lang` (`-2`, `-3`, … when it is).
    pub(super) fn free_slug(&self, title: &str, lang: &str, ticket: Option<i64>) -> Result<String> {
        let mut base = article_slug(&crate::text::pinyin_words(title));
        if !base.is_ascii() || base.is_empty() {
            base = ticket.map_or_else(|| "article".to_string(), |id| format!("ticket-{id}"));
        }
        while base.len() > 56 {
            match base.rfind('-') {
                Some(cut) => base.truncate(cut),
                None => base.truncate(56),
            }
        }
        let reader = self.store.reader();
        let taken =
            |s: &str| -> Result<bool> { Ok(reader.kb_languages(s)?.iter().any(|l| l == lang)) };
        let mut slug = base.clone();
        let mut n = 1;
        while taken(&slug)? {
            n += 1;
            slug = format!("{base}-{n}");
        }
        Ok(slug)
    }

    /// A body drafted from a ticket's resolution record.
    fn draft_body(&self, t: &Ticket, lang: &str) -> String {
        let mut out = format!("## {}\n\n{}\n", t.title, t.description.trim());
        if let Some(r) = &t.resolution {
            out.push_str(&format!("\n## Resolution\n\n{}\n", r.trim()));
        }
        if let Some(c) = &t.closure.cause {
            out.push_str(&format!(
                "\n**Root cause:** {}\n",
                self.workflow.cause_label(c, lang)
            ));
        }
        if let Some(p) = &t.closure.prevention {
            out.push_str(&format!("\n## Prevention\n\n{}\n", p.trim()));
        }
        out
    }

    /// Records that article `slug` solved ticket `id` (one key in the
    /// reply, or `tdesk kb solved`): linked both ways; when the customer
    /// accepts, the article counts one more helpful answer.
    pub fn kb_solved(&mut self, id: i64, slug: &str) -> Result<()> {
        if self.store.reader().kb_languages(slug)?.is_empty() {
            return Err(Error::ArticleNotFound(slug.to_string()));
        }
        self.write_as(
            crate::domain::ChangeKind::Edit,
            &format!("#{id}"),
            |w, ctx| {
                let ticket = super::ops::load(w, ctx, id, None)?;
                let update = crate::store::TicketUpdate {
                    solved_by: Some(Some(slug.to_string())),
                    ..Default::default()
                };
                super::ops::save(w, ctx, &ticket, &update)?;
                ctx.log(
                    w,
                    id,
                    crate::domain::EventKind::Field,
                    Some("solved_by"),
                    ticket.closure.solved_by.as_deref(),
                    Some(slug),
                )?;
                w.link_article(slug, id)
            },
        )
    }

    /// Every article as (file name, file text), for a folder kept in git.
    pub fn kb_export(&self) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for a in self.kb_list(None, None)? {
            let full = self.kb_article(&a.slug, Some(&a.lang))?;
            out.push((file_name(&a.slug, &a.lang), write_article(&full)));
        }
        Ok(out)
    }
}

mod write;
pub use write::KbImportReport;

#[cfg(test)]
mod tests;
