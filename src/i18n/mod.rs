//! UI languages: detection from flag, config and environment, and string
//! lookup in the catalogs embedded from `assets/i18n/`. No string a user sees
//! lives outside those catalogs.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::Arc;

const EN: &str = include_str!("../../assets/i18n/en.toml");
const ZH_CN: &str = include_str!("../../assets/i18n/zh-CN.toml");

/// Shown for a key no catalog has.
const MISSING: &str = "??";

/// A supported UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    /// The BCP 47 tag, also used to pick workflow labels.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// Understands `en`, `zh`, `zh-CN`, `zh_CN.UTF-8`, `C`, …; `None` when unknown.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if tag.starts_with("en") || tag == "c" || tag == "posix" || tag.starts_with("c.") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Picks the language: `--lang`, then config, then LC_ALL, LC_MESSAGES, LANG; English otherwise.
    pub fn detect(
        flag: Option<&str>,
        config: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Self {
        if let Some(l) = flag.into_iter().chain(config).find_map(Self::from_tag) {
            return l;
        }
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| env(k).filter(|v| !v.is_empty()))
            .next()
            .and_then(|v| Self::from_tag(&v))
            .unwrap_or_default()
    }
}

/// Looks up UI strings for one language, falling back to English.
#[derive(Debug, Clone)]
pub struct Catalog {
    lang: Lang,
    strings: Arc<HashMap<String, String>>,
    english: Arc<HashMap<String, String>>,
}

impl Catalog {
    pub fn new(lang: Lang) -> Self {
        let english = Arc::new(flatten_source(EN));
        let strings = match lang {
            Lang::En => Arc::clone(&english),
            Lang::ZhCn => Arc::new(flatten_source(ZH_CN)),
        };
        Self {
            lang,
            strings,
            english,
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The string for `key`, falling back to English. A key no catalog has
    /// shows as `??` (tests keep every key the code uses in both catalogs).
    pub fn t(&self, key: &str) -> &str {
        self.strings
            .get(key)
            .or_else(|| self.english.get(key))
            .map(String::as_str)
            .unwrap_or(MISSING)
    }

    /// The string for `key` when a catalog has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.strings
            .get(key)
            .or_else(|| self.english.get(key))
            .map(String::as_str)
    }

    /// The English string for `key`, whatever the language (a Chinese UI's
    /// palette finds commands by their English names too).
    pub fn english(&self, key: &str) -> &str {
        self.english.get(key).map(String::as_str).unwrap_or(MISSING)
    }

    /// The string for `key` with `{name}` placeholders filled in.
    pub fn f(&self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        let mut out = self.t(key).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), &value.to_string());
        }
        out
    }
}

fn flatten_source(source: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if let Ok(table) = source.parse::<toml::Table>() {
        flatten("", &table, &mut out);
    }
    out
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests;
