//! Knowledge-base articles as files: Markdown with TOML front matter
//! between `+++` lines, one file per article and language
//! (`customs-delay.zh-CN.md`), so a team can keep its knowledge base in
//! git. Pure over text; fuzzed.
//!
//! ```text
//! +++
//! id = "customs-delay"
//! lang = "en"
//! title = "Parcel held at customs"
//! category = "logistics/customs"
//! tags = ["customs"]
//! visibility = "shareable"
//! +++
//! Markdown body…
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Article;

/// The fence around the front matter.
const FENCE: &str = "+++";

/// One article file, read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArticleDoc {
    pub id: String,
    pub lang: String,
    pub title: String,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub visibility: Option<String>,
    pub author: Option<String>,
    pub updated: Option<DateTime<Utc>>,
    pub helpful: Option<i64>,
    pub tickets: Vec<i64>,
    pub body: String,
}

/// What is wrong with an article file, and on which line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleFileError {
    pub line: usize,
    /// Catalog key (`kb.*`).
    pub key: &'static str,
    pub value: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Front {
    id: String,
    lang: String,
    title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    visibility: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    helpful: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tickets: Vec<i64>,
}

/// Longest article id: it names a file (`<id>.<lang>.md`).
const MAX_ID: usize = 64;

/// A language tag in its usual case (`EN` → `en`, `zh-cn` → `zh-CN`,
/// `zh-hant` → `zh-Hant`), or `None` when it is not one.
fn language_tag(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.trim().split(['-', '_']).collect();
    let ok =
        |p: &&str| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric());
    if parts.len() > 3 || !parts.iter().all(ok) || parts[0].len() > 3 {
        return None;
    }
    let shaped: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| match (i, p.len()) {
            (0, _) => p.to_ascii_lowercase(),
            (_, 2) => p.to_ascii_uppercase(),
            (_, 4) => {
                let lower = p.to_ascii_lowercase();
                lower[..1].to_ascii_uppercase() + &lower[1..]
            }
            _ => p.to_ascii_lowercase(),
        })
        .collect();
    Some(shaped.join("-"))
}

/// Reads an article file.
pub fn parse_article(text: &str) -> Result<ArticleDoc, ArticleFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let err = |line: usize, key: &'static str, value: &str| ArticleFileError {
        line,
        key,
        value: value.chars().take(200).collect(),
    };
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != FENCE {
        // Not quoted: the file may be anything (a link to a private file).
        return Err(err(1, "kb.no_front_matter", ""));
    }
    let mut front = String::new();
    let mut closed_at = None;
    for (i, line) in lines.by_ref().enumerate() {
        if line.trim_end() == FENCE {
            closed_at = Some(i + 2);
            break;
        }
        front.push_str(line);
    }
    let Some(fence_line) = closed_at else {
        return Err(err(1, "kb.unclosed_front_matter", FENCE));
    };
    let body: String = lines.collect();
    let raw: Front = toml::from_str(&front).map_err(|e| {
        let line = e.span().map_or(0, |s| {
            front.as_bytes()[..s.start.min(front.len())]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
        });
        err(line + 2, "kb.bad_front_matter", e.message())
    })?;
    let at_front = |field: &str| {
        front
            .lines()
            .position(|l| l.trim_start().starts_with(field))
            .map_or(fence_line, |i| i + 2)
    };
    // An empty id: a new article whose id the desk makes from its title.
    let id_ok = raw.id.is_empty()
        || raw.id.len() <= MAX_ID
            && raw.id.is_ascii()
            && crate::domain::article_slug(&raw.id) == raw.id;
    if !id_ok {
        return Err(err(at_front("id"), "kb.bad_id", &raw.id));
    }
    let Some(lang) = language_tag(&raw.lang) else {
        return Err(err(at_front("lang"), "kb.bad_lang", &raw.lang));
    };
    if raw.title.trim().is_empty() {
        return Err(err(at_front("title"), "kb.empty_title", ""));
    }
    let updated = match &raw.updated {
        Some(t) => Some(
            DateTime::parse_from_rfc3339(t)
                .map_err(|_| err(at_front("updated"), "kb.bad_time", t))?
                .with_timezone(&Utc),
        ),
        None => None,
    };
    Ok(ArticleDoc {
        id: raw.id,
        lang,
        title: raw.title.trim().to_string(),
        category: raw.category.filter(|c| !c.trim().is_empty()),
        tags: raw.tags,
        visibility: raw.visibility,
        author: raw.author,
        updated,
        helpful: raw.helpful,
        tickets: raw.tickets,
        body: body.trim_matches('\n').to_string(),
    })
}

/// Writes an article as a file that [`parse_article`] reads back.
pub fn write_article(a: &Article) -> String {
    let front = Front {
        id: a.slug.clone(),
        lang: a.lang.clone(),
        title: a.title.clone(),
        category: a.category.as_ref().map(|c| c.as_str().to_string()),
        tags: a.tags.clone(),
        visibility: Some(a.visibility.as_str().to_string()),
        author: Some(a.author.clone()),
        updated: Some(
            a.updated_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ),
        helpful: Some(a.helpful),
        tickets: a.tickets.clone(),
    };
    let toml = toml::to_string(&front).unwrap_or_default();
    format!("{FENCE}\n{toml}{FENCE}\n{}\n", a.body.trim_matches('\n'))
}

/// The file name of an article: `<id>.<lang>.md`.
pub fn file_name(slug: &str, lang: &str) -> String {
    format!("{slug}.{lang}.md")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Visibility;

    fn article() -> Article {
        Article {
            slug: "customs-delay".into(),
            lang: "zh-CN".into(),
            title: "包裹在海关滞留".into(),
            body: "## 为什么\n\n- 抽检\n- 缺少发票 \"+++\"".into(),
            category: crate::domain::Category::parse("logistics/customs").ok(),
            tags: vec!["customs".into()],
            visibility: Visibility::Shareable,
            author: "li.na".into(),
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
            updated_by: "li.na".into(),
            helpful: 3,
            tickets: vec![12, 40],
        }
    }

    #[test]
    fn an_article_reads_back_what_was_written() {
        let a = article();
        let doc = parse_article(&write_article(&a)).expect("reads back");
        assert_eq!(
            (doc.id.as_str(), doc.lang.as_str(), doc.title.as_str()),
            ("customs-delay", "zh-CN", "包裹在海关滞留")
        );
        assert_eq!(doc.body, a.body);
        assert_eq!(doc.tickets, [12, 40]);
        assert_eq!(doc.helpful, Some(3));
        assert_eq!(doc.category.as_deref(), Some("logistics/customs"));
    }

    #[test]
    fn ids_are_short_ascii_slugs_and_languages_take_their_usual_case() {
        let file = |id: &str, lang: &str| {
            format!("+++\nid = \"{id}\"\nlang = \"{lang}\"\ntitle = \"T\"\n+++\nx")
        };
        assert_eq!(
            parse_article(&file("a-b", "EN")).map(|d| d.lang),
            Ok("en".into())
        );
        assert_eq!(
            parse_article(&file("a", "zh-cn")).map(|d| d.lang),
            Ok("zh-CN".into())
        );
        assert_eq!(
            parse_article(&file("a", "zh_hant")).map(|d| d.lang),
            Ok("zh-Hant".into())
        );
        let long = "x".repeat(65);
        for (id, lang) in [
            ("раrcel", "en"),
            (long.as_str(), "en"),
            ("a", "e n"),
            ("a", "english-language"),
        ] {
            assert!(parse_article(&file(id, lang)).is_err(), "{id} {lang}");
        }
    }

    #[test]
    fn problems_are_named_with_their_lines() {
        let e = parse_article("# no front matter").expect_err("no fence");
        assert_eq!((e.line, e.key), (1, "kb.no_front_matter"));
        let e = parse_article("+++\nid = \"a\"\n").expect_err("unclosed");
        assert_eq!(e.key, "kb.unclosed_front_matter");
        let e = parse_article("+++\nid = \"a\"\nlang = \"en\"\ntitle = \"T\"\ncolour = 1\n+++\n")
            .expect_err("unknown field");
        assert_eq!((e.line, e.key), (5, "kb.bad_front_matter"));
        let e = parse_article("+++\nid = \"Bad Id\"\nlang = \"en\"\ntitle = \"T\"\n+++\n")
            .expect_err("bad id");
        assert_eq!((e.line, e.key), (2, "kb.bad_id"));
        let e = parse_article("+++\nid = \"a\"\nlang = \"en\"\ntitle = \" \"\n+++\n")
            .expect_err("empty title");
        assert_eq!((e.line, e.key), (4, "kb.empty_title"));
    }
}
