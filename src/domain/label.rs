//! A name in several UI languages: a state, a type, a category, a tag or
//! an automation, as the desk defines it.

use std::collections::BTreeMap;

/// Labels per UI language code (`en`, `zh-CN`); files that define them require `en`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label(BTreeMap<String, String>);

impl Label {
    pub fn new(by_lang: BTreeMap<String, String>) -> Self {
        Self(by_lang)
    }

    /// The label for `lang` (e.g. `zh-CN`), falling back to its base language, then English.
    pub fn get(&self, lang: &str) -> &str {
        let base = lang.split(['-', '_']).next().unwrap_or(lang);
        self.0
            .get(lang)
            .or_else(|| {
                self.0
                    .iter()
                    .find(|(k, _)| k.split('-').next() == Some(base))
                    .map(|(_, v)| v)
            })
            .or_else(|| self.0.get("en"))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// True when `text` equals the label in any language (English case-insensitively).
    pub fn matches(&self, text: &str) -> bool {
        self.0
            .values()
            .any(|v| v == text || v.eq_ignore_ascii_case(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_falls_back_to_the_base_language_then_english() {
        let l = Label::new(BTreeMap::from([
            ("en".to_string(), "Customs".to_string()),
            ("zh-CN".to_string(), "清关".to_string()),
        ]));
        assert_eq!(l.get("zh-CN"), "清关");
        assert_eq!(l.get("zh-TW"), "清关");
        assert_eq!(l.get("de"), "Customs");
        assert!(l.matches("customs") && l.matches("清关") && !l.matches("x"));
    }
}
