//! Knowledge-base articles: what a solved problem teaches, kept so the next
//! one is answered faster. One article may exist in several languages; each
//! language is its own row with the same id (slug).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Category, InvalidValue};

/// Who may read an article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// For the desk's members only (procedures, policies with internal detail).
    #[default]
    Internal,
    /// May be sent to customers as it is.
    Shareable,
}

impl Visibility {
    pub const ALL: [Visibility; 2] = [Self::Internal, Self::Shareable];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Internal => "internal",
            Self::Shareable => "shareable",
        }
    }

    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let t = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == t)
            .ok_or_else(|| InvalidValue::new("visibility", text, "internal, shareable"))
    }
}

/// One language of a knowledge-base article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// The article's id, shared by its language variants (`customs-delay`).
    #[serde(rename = "id")]
    pub slug: String,
    /// Language tag (`en`, `zh-CN`).
    pub lang: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub category: Option<Category>,
    pub tags: Vec<String>,
    pub visibility: Visibility,
    /// Login of who wrote it.
    pub author: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Login of who changed it last.
    pub updated_by: String,
    /// Tickets it solved that the customer accepted (those the reader may see).
    pub helpful: i64,
    /// Tickets it came from or solved.
    pub tickets: Vec<i64>,
}

/// A slug from an id or a title: lower-case words of letters and digits
/// joined by `-` (`Return policy (EU)` → `return-policy-eu`); Chinese stays
/// as written. Empty when there is nothing to keep.
pub fn article_slug(text: &str) -> String {
    super::type_slug(text)
}

/// Does `lang` (an article's) serve a reader of `wanted` (`zh` serves
/// `zh-CN`, `en` serves `en-GB`)?
pub fn same_language(lang: &str, wanted: &str) -> bool {
    let primary = |t: &str| t.split(['-', '_']).next().unwrap_or(t).to_ascii_lowercase();
    primary(lang) == primary(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_languages() {
        assert_eq!(article_slug("Return policy (EU)"), "return-policy-eu");
        assert_eq!(article_slug("  "), "");
        assert!(same_language("zh-CN", "zh"));
        assert!(same_language("en", "en-GB"));
        assert!(!same_language("de", "en"));
        assert_eq!(Visibility::parse("Shareable"), Ok(Visibility::Shareable));
        assert!(Visibility::parse("public").is_err());
    }
}
