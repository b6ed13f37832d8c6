//! Writing the knowledge base, and who may. Any member writes new internal
//! articles and changes their own; changing someone else's, or anything
//! customers may be sent (shareable), takes a supervisor; so do removing
//! articles and importing a folder (a team's knowledge base restored from
//! git, the only write that keeps the files' authors and times). Every
//! write is in the audit log, with who did it.

use std::collections::HashMap;

use super::super::Desk;
use super::super::ops::{TITLE_MAX_CHARS, check_body};
use crate::domain::{Article, Category, EventKind, Role, User, Visibility};
use crate::error::{Error, Result};
use crate::interchange::kb::{ArticleDoc, ArticleFileError, parse_article};
use crate::store::{NewEvent, Writer};

/// The most tags an article keeps.
const MAX_TAGS: usize = 20;

/// What an import of article files did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KbImportReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// How a file reaches the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    /// A new article: its id and language must be free.
    Add,
    /// A change to the article with this id.
    Edit,
    /// A supervisor's import: new or changed, authors and times as filed.
    Import,
}

impl Desk {
    /// Stores a new article from its file text (`kb add`, `n` and `K` in
    /// the TUI); its id and language must not be taken.
    pub fn kb_add(&mut self, text: &str, source: &str) -> Result<Article> {
        self.kb_write(text, source, Way::Add, None)
    }

    /// Replaces article `slug` with the file text (`kb edit`, `e`); the
    /// file must still be that article.
    pub fn kb_edit(&mut self, slug: &str, text: &str, source: &str) -> Result<Article> {
        self.kb_write(text, source, Way::Edit, Some(slug))
    }

    fn kb_write(
        &mut self,
        text: &str,
        source: &str,
        way: Way,
        slug: Option<&str>,
    ) -> Result<Article> {
        let me = self.me()?;
        let mut doc = parse_article(text).map_err(|e| file_error(source, e))?;
        // A new article drafted without a title takes its id from the
        // title written in the editor.
        if doc.id.is_empty() {
            if way != Way::Add {
                return Err(file_error(
                    source,
                    ArticleFileError {
                        line: 2,
                        key: "kb.bad_id",
                        value: String::new(),
                    },
                ));
            }
            doc.id = self.free_slug(&doc.title, &doc.lang, None)?;
        }
        if let Some(slug) = slug.filter(|s| *s != doc.id) {
            return Err(Error::ArticleIdChanged {
                from: slug.to_string(),
                to: doc.id,
            });
        }
        let existing = self.store.reader().kb_article(&doc.id, &doc.lang)?;
        match (way, &existing) {
            (Way::Add, Some(_)) => {
                return Err(Error::ArticleExists(format!("{} ({})", doc.id, doc.lang)));
            }
            (Way::Edit, None) => return Err(Error::ArticleNotFound(doc.id)),
            _ => {}
        }
        let article = self.article_from(doc, &me, existing.as_ref(), way)?;
        may_write(&me, existing.as_ref(), &article)?;
        let saved = article.clone();
        let what = if existing.is_some() {
            "edited"
        } else {
            "added"
        };
        self.store
            .write(|w| store_article(w, &me.login, &saved, what, self.clock.now()))?;
        Ok(article)
    }

    /// Imports article files (supervisors and admins): all are checked
    /// before any is written; an article already there with the same
    /// content is left alone, so a second import of the same folder
    /// changes nothing.
    pub fn kb_import(&mut self, files: &[(String, String)]) -> Result<KbImportReport> {
        let me = self.require("action.kb_import", Role::Supervisor)?;
        let mut docs = Vec::new();
        let mut seen = HashMap::new();
        for (name, text) in files {
            let doc = parse_article(text).map_err(|e| file_error(name, e))?;
            if doc.id.is_empty() {
                let e = ArticleFileError {
                    line: 2,
                    key: "kb.bad_id",
                    value: String::new(),
                };
                return Err(file_error(name, e));
            }
            if let Some(other) = seen.insert((doc.id.clone(), doc.lang.clone()), name.clone()) {
                return Err(Error::DuplicateArticle {
                    id: format!("{} ({})", doc.id, doc.lang),
                    files: format!("{other}, {name}"),
                });
            }
            docs.push((name, doc));
        }
        let mut report = KbImportReport::default();
        let mut changed = Vec::new();
        for (name, doc) in docs {
            let existing = self.store.reader().kb_article(&doc.id, &doc.lang)?;
            let a = self
                .article_from(doc, &me, existing.as_ref(), Way::Import)
                .map_err(|e| in_file(name, e))?;
            match existing {
                Some(e) if same_content(&e, &a) => report.unchanged += 1,
                Some(_) => {
                    report.updated += 1;
                    changed.push((a, "imported"));
                }
                None => {
                    report.added += 1;
                    changed.push((a, "imported"));
                }
            }
        }
        let now = self.clock.now();
        self.store.write(|w| {
            for (a, what) in &changed {
                store_article(w, &me.login, a, what, now)?;
            }
            Ok(())
        })?;
        Ok(report)
    }

    /// Removes an article (one language, or all); supervisors and admins.
    pub fn kb_remove(&mut self, slug: &str, lang: Option<&str>) -> Result<usize> {
        let me = self.require("action.kb_remove", Role::Supervisor)?;
        let now = self.clock.now();
        self.store.write(|w| {
            let n = w.delete_article(slug, lang)?;
            if n == 0 {
                return Err(Error::ArticleNotFound(slug.to_string()));
            }
            let which = format!("{slug} {}", lang.unwrap_or("*"));
            log(w, &me.login, &which, "removed", now)?;
            Ok(n)
        })
    }

    /// The article a file describes, checked: its size, its tags, its
    /// category. Who wrote it and when it changed are the desk's record;
    /// only a supervisor's import keeps the file's.
    fn article_from(
        &self,
        doc: ArticleDoc,
        me: &User,
        existing: Option<&Article>,
        way: Way,
    ) -> Result<Article> {
        let now = self.clock.now();
        let filed = way == Way::Import;
        let author = match (existing, doc.author.filter(|a| !a.trim().is_empty())) {
            (_, Some(a)) if filed => a,
            (Some(e), _) => e.author.clone(),
            (None, _) => me.login.clone(),
        };
        if doc.title.chars().count() > TITLE_MAX_CHARS {
            return Err(Error::TooLong {
                field: "field.title",
                max: TITLE_MAX_CHARS,
            });
        }
        check_body("field.body", &doc.body)?;
        if !doc.body.chars().any(char::is_alphanumeric) {
            return Err(Error::Empty("field.body"));
        }
        let mut tags: Vec<String> = doc
            .tags
            .iter()
            .filter_map(|t| crate::domain::normalize_tag(t))
            .collect();
        tags.sort();
        tags.dedup();
        if tags.len() > MAX_TAGS {
            return Err(Error::TooLong {
                field: "field.tags",
                max: MAX_TAGS,
            });
        }
        let category = match doc.category.as_deref() {
            Some(c) => Some(Category::parse(c)?),
            None => None,
        };
        let visibility = match doc.visibility.as_deref() {
            Some(v) => Visibility::parse(v)?,
            None => existing.map_or(Visibility::Internal, |e| e.visibility),
        };
        let reader = self.store.reader();
        let tickets = doc
            .tickets
            .iter()
            .copied()
            .filter(|id| self.visible_ticket(&reader, *id).is_ok())
            .collect();
        let updated_by = if filed {
            author.clone()
        } else {
            me.login.clone()
        };
        Ok(Article {
            slug: doc.id,
            lang: doc.lang,
            title: doc.title,
            body: doc.body,
            category,
            tags,
            visibility,
            author,
            created_at: existing.map_or(now, |e| e.created_at),
            updated_at: doc.updated.filter(|_| filed).unwrap_or(now),
            // An import restores the file's article as its author left it.
            updated_by,
            helpful: 0,
            tickets,
        })
    }
}

/// A member changes their own internal articles; someone else's, or one
/// customers may be sent, takes a supervisor.
fn may_write(me: &User, existing: Option<&Article>, new: &Article) -> Result<()> {
    if me.role.at_least(Role::Supervisor) {
        return Ok(());
    }
    let shared = new.visibility == Visibility::Shareable
        || existing.is_some_and(|e| e.visibility == Visibility::Shareable);
    if shared {
        return Err(Error::Forbidden {
            action: "action.kb_share",
            needs: Role::Supervisor,
        });
    }
    if existing.is_some_and(|e| e.author != me.login) {
        return Err(Error::Forbidden {
            action: "action.kb_edit_others",
            needs: Role::Supervisor,
        });
    }
    Ok(())
}

/// Writes an article with its ticket links and an audit event.
fn store_article(
    w: &mut Writer<'_>,
    login: &str,
    a: &Article,
    what: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    w.put_article(a)?;
    for t in &a.tickets {
        w.link_article(&a.slug, *t)?;
    }
    log(w, login, &format!("{} {}", a.slug, a.lang), what, now)
}

/// An article event in the audit log: `field` names the article and its
/// language, `new` what happened to it.
fn log(
    w: &mut Writer<'_>,
    login: &str,
    which: &str,
    what: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    w.append_event(&NewEvent {
        ticket: None,
        actor: login,
        at: now,
        kind: EventKind::Article,
        field: Some(which),
        old: None,
        new: Some(what),
        change: None,
    })?;
    Ok(())
}

fn same_content(a: &Article, b: &Article) -> bool {
    (
        &a.title,
        &a.body,
        &a.category,
        &a.tags,
        a.visibility,
        &a.author,
    ) == (
        &b.title,
        &b.body,
        &b.category,
        &b.tags,
        b.visibility,
        &b.author,
    )
}

pub(super) fn file_error(file: &str, e: ArticleFileError) -> Error {
    Error::FileLine {
        file: file.to_string(),
        line: e.line,
        key: e.key,
        value: e.value,
    }
}

/// A problem of a value in an imported file, said with the file's name.
fn in_file(file: &str, e: Error) -> Error {
    match e {
        Error::FileLine { .. } => e,
        other => Error::InFile {
            file: file.to_string(),
            error: Box::new(other),
        },
    }
}
