//! Canned replies: named templates with `{{variables}}`, one text per
//! language; the customer's language picks the variant. Checked like rule
//! files (every problem with its line). Pure.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::RuleError;
use super::parse::{Problems, syntax_error};

/// The desk's replies unless an admin installs others.
pub const DEFAULT_REPLIES: &str = include_str!("../../assets/replies.toml");

/// Variables a template may use.
pub const VARIABLES: [&str; 8] = [
    "customer.name",       // template variable
    "customer.first_name", // template variable
    "customer.email",      // template variable
    "ticket.number",
    "ticket.title",
    "agent.name",
    "agent.login",
    "order",
];

/// One canned reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canned {
    pub name: String,
    /// language tag → text.
    pub texts: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    reply: Vec<RawReply>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReply {
    name: Spanned<String>,
    text: Spanned<BTreeMap<String, Spanned<String>>>,
}

/// Parses a reply file.
pub fn parse(source: &str) -> Result<Vec<Canned>, Vec<RuleError>> {
    let raw: RawFile = toml::from_str(source).map_err(|e| syntax_error(source, &e))?;
    let mut problems = Problems::new(source);
    let mut out: Vec<Canned> = Vec::new();
    for r in raw.reply {
        let name = r.name.get_ref().trim().to_string();
        if name.is_empty() || out.iter().any(|c| c.name == name) {
            problems.add(r.name.span(), "rules.bad_name", name.clone());
        }
        if r.text.get_ref().is_empty() {
            problems.add(r.text.span(), "replies.no_text", name.clone());
        }
        let mut texts = BTreeMap::new();
        for (lang, text) in r.text.into_inner() {
            for var in variables(text.get_ref()) {
                match var {
                    Ok(v) if VARIABLES.contains(&v) => {}
                    Ok(v) => problems.add(text.span(), "replies.unknown_variable", v.to_string()),
                    Err(()) => problems.add(text.span(), "replies.unclosed", lang.clone()),
                }
            }
            texts.insert(lang, text.into_inner());
        }
        out.push(Canned { name, texts });
    }
    problems.finish(out)
}

/// The `{{name}}`s of a text, or `Err` for a `{{` never closed.
fn variables(text: &str) -> Vec<Result<&str, ()>> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                found.push(Ok(after[..end].trim()));
                rest = &after[end + 2..];
            }
            None => {
                found.push(Err(()));
                break;
            }
        }
    }
    found
}

impl Canned {
    /// The text for `language` (e.g. `zh`, `zh-CN`, `de-AT`): the exact tag,
    /// then the same primary language, then English, then the first.
    pub fn text_for(&self, language: Option<&str>) -> &str {
        let primary = |t: &str| t.split(['-', '_']).next().unwrap_or(t).to_lowercase();
        let wanted = language.map(|l| l.trim().to_string());
        let pick = wanted
            .as_ref()
            .and_then(|w| {
                self.texts
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(w))
                    .or_else(|| self.texts.iter().find(|(k, _)| primary(k) == primary(w)))
            })
            .or_else(|| self.texts.iter().find(|(k, _)| primary(k) == "en"))
            .or_else(|| self.texts.iter().next());
        pick.map_or("", |(_, v)| v.as_str())
    }
}

/// Fills `{{variables}}` from `values`; unknown ones stay as written.
pub fn fill(text: &str, values: &BTreeMap<&str, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].trim();
        match values.get(name) {
            Some(v) if !v.trim().is_empty() => out.push_str(v),
            // No value: the variable stays, a gap the member must fill in
            // (see [`gaps`]) instead of a sentence with a hole in it.
            _ => out.push_str(&rest[start..start + end + 4]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The variables still in `text` as `{{name}}`: gaps a filled reply left
/// because their value was empty (no order on the ticket, say). A reply
/// with a gap is not sent.
pub fn gaps(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim();
        if VARIABLES.contains(&name) && !out.iter().any(|g| g == name) {
            out.push(name.to_string());
        }
        rest = &after[end + 2..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_value_leaves_a_gap_that_is_named() {
        let values: BTreeMap<&str, String> =
            [("order", String::new()), ("agent.name", "Li Na".into())].into();
        let text = fill(
            "I checked order {{order}} with the carrier. — {{agent.name}}",
            &values,
        );
        assert_eq!(text, "I checked order {{order}} with the carrier. — Li Na");
        assert_eq!(gaps(&text), vec!["order".to_string()]);
        assert!(gaps("All filled in. {{not_a_variable}}").is_empty());
    }

    #[test]
    fn the_default_replies_parse() {
        let replies = parse(DEFAULT_REPLIES).expect("defaults are valid");
        assert!(replies.len() >= 4);
        assert!(
            replies
                .iter()
                .all(|r| r.texts.contains_key("en") && r.texts.contains_key("zh-CN"))
        );
    }

    #[test]
    fn the_customers_language_picks_the_variant() {
        let c = Canned {
            name: "x".into(),
            texts: [
                ("en".to_string(), "Hi".to_string()),
                ("zh-CN".to_string(), "您好".to_string()),
            ]
            .into_iter()
            .collect(),
        };
        assert_eq!(c.text_for(Some("zh")), "您好");
        assert_eq!(c.text_for(Some("zh-cn")), "您好");
        assert_eq!(c.text_for(Some("de")), "Hi");
        assert_eq!(c.text_for(None), "Hi");
    }

    #[test]
    fn variables_are_filled_and_unknown_ones_refused_by_line() {
        let values: BTreeMap<&str, String> = [
            ("customer.name", "Lena".to_string()), // template variable
            ("ticket.number", "42".to_string()),
        ]
        .into();
        assert_eq!(
            fill(
                "Hi {{customer.name}}, re #{{ ticket.number }} {{x}}",
                &values
            ),
            "Hi Lena, re #42 {{x}}"
        );
        let bad =
            "[[reply]]\nname = \"a\"\n[reply.text]\nen = \"{{customer.nmae}}\"\nde = \"{{order\"\n";
        let errors = parse(bad).expect_err("two problems");
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.key)).collect();
        assert_eq!(
            found,
            [(4, "replies.unknown_variable"), (5, "replies.unclosed")]
        );
    }

    proptest::proptest! {
        #[test]
        fn filling_never_panics(text in "[{}a-z. ]{0,40}") {
            let _ = fill(&text, &BTreeMap::new());
            let _ = variables(&text);
        }
    }
}
