//! Knowledge-base articles: one row per article and language, and the
//! tickets each came from or solved.

use rusqlite::{OptionalExtension, Row, params};

use super::rows::{from_ms, to_ms};
use super::{Reader, Writer};
use crate::domain::{Article, Category, Visibility};
use crate::error::Result;

const COLUMNS: &str = "slug, lang, title, body, category, tags, visibility, author, created_at, updated_at, updated_by";

fn article(r: &Row) -> rusqlite::Result<Article> {
    let category: Option<String> = r.get(4)?;
    let tags: String = r.get(5)?;
    let visibility: String = r.get(6)?;
    Ok(Article {
        slug: r.get(0)?,
        lang: r.get(1)?,
        title: r.get(2)?,
        body: r.get(3)?,
        category: category.and_then(|c| Category::parse(&c).ok()),
        tags: tags.split_whitespace().map(String::from).collect(),
        visibility: Visibility::parse(&visibility).unwrap_or_default(),
        author: r.get(7)?,
        created_at: from_ms(r.get(8)?),
        updated_at: from_ms(r.get(9)?),
        updated_by: r.get(10)?,
        helpful: 0,
        tickets: Vec::new(),
    })
}

/// An article that helped with a ticket: (article id, the ticket's
/// assignee, the ticket's team).
pub type Helped = (String, Option<String>, Option<String>);

impl Reader<'_> {
    /// Every article (every language), by category then title; without
    /// their ticket links.
    pub fn kb_articles(&self) -> Result<Vec<Article>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM kb_articles ORDER BY coalesce(category, '~'), title, lang"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], article)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One article in one language, with its tickets.
    pub fn kb_article(&self, slug: &str, lang: &str) -> Result<Option<Article>> {
        let sql = format!("SELECT {COLUMNS} FROM kb_articles WHERE slug = ?1 AND lang = ?2");
        let found = self
            .conn
            .query_row(&sql, params![slug, lang], article)
            .optional()?;
        let Some(mut a) = found else {
            return Ok(None);
        };
        a.tickets = self.kb_tickets(slug)?;
        Ok(Some(a))
    }

    /// The languages an article is written in.
    pub fn kb_languages(&self, slug: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT lang FROM kb_articles WHERE slug = ?1 ORDER BY lang")?;
        let rows = stmt.query_map([slug], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The first `limit` solved tickets filed under `category` (what a demo
    /// article came from).
    pub fn solved_in_category(&self, category: &str, limit: usize) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM tickets WHERE category = ?1 AND resolved_at IS NOT NULL \
             ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![category, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every (article, ticket's assignee, ticket's team) an article helped
    /// with and that is still accepted (an undone acceptance does not
    /// count), for counting what a member may see.
    pub fn kb_helped(&self) -> Result<Vec<Helped>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT h.slug, t.assignee, t.team FROM kb_helped h JOIN tickets t ON t.id = h.ticket_id \
             WHERE t.accepted_at IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Tickets linked to an article, by number.
    pub fn kb_tickets(&self, slug: &str) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT ticket_id FROM kb_tickets WHERE slug = ?1 ORDER BY ticket_id",
        )?;
        let rows = stmt.query_map([slug], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Writer<'_> {
    /// Writes an article (one language): a new one, or over the one with
    /// its id and language. True when it was new.
    pub fn put_article(&mut self, a: &Article) -> Result<bool> {
        let existed = self.reader().kb_article(&a.slug, &a.lang)?.is_some();
        self.tx.execute(
            "INSERT INTO kb_articles (slug, lang, title, body, category, tags, visibility, author, \
             created_at, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
             ON CONFLICT (slug, lang) DO UPDATE SET title = excluded.title, body = excluded.body, \
             category = excluded.category, tags = excluded.tags, visibility = excluded.visibility, \
             author = excluded.author, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by",
            params![
                a.slug,
                a.lang,
                a.title,
                a.body,
                a.category.as_ref().map(Category::as_str),
                a.tags.join(" "),
                a.visibility.as_str(),
                a.author,
                to_ms(a.created_at),
                to_ms(a.updated_at),
                a.updated_by,
            ],
        )?;
        Ok(!existed)
    }

    /// Removes an article in one language, or in all when `lang` is `None`
    /// (then its ticket links go too). Returns how many rows went.
    pub fn delete_article(&mut self, slug: &str, lang: Option<&str>) -> Result<usize> {
        let n = match lang {
            Some(l) => self.tx.execute(
                "DELETE FROM kb_articles WHERE slug = ?1 AND lang = ?2",
                params![slug, l],
            )?,
            None => self
                .tx
                .execute("DELETE FROM kb_articles WHERE slug = ?1", [slug])?,
        };
        let left: i64 = self.tx.query_row(
            "SELECT count(*) FROM kb_articles WHERE slug = ?1",
            [slug],
            |r| r.get(0),
        )?;
        if left == 0 {
            self.tx
                .execute("DELETE FROM kb_tickets WHERE slug = ?1", [slug])?;
        }
        Ok(n)
    }

    /// Links a ticket to an article (where it came from, or what it solved).
    pub fn link_article(&mut self, slug: &str, ticket: i64) -> Result<()> {
        self.tx.execute(
            "INSERT OR IGNORE INTO kb_tickets (slug, ticket_id) VALUES (?1, ?2)",
            params![slug, ticket],
        )?;
        Ok(())
    }

    /// Ticket `ticket`, solved with this article, was accepted (once per
    /// ticket, however often it is accepted again).
    pub fn article_helped(&mut self, slug: &str, ticket: i64) -> Result<()> {
        self.tx.execute(
            "INSERT OR IGNORE INTO kb_helped (slug, ticket_id) VALUES (?1, ?2)",
            params![slug, ticket],
        )?;
        Ok(())
    }
}
