//! Rule files: TOML in, a checked [`RuleSet`] out, or every problem with
//! its line.
//!
//! ```toml
//! [[rule]]
//! name = "customs to the cn team"
//! when = { words = ["customs", "清关"], language = "zh" }
//! then = { team = "cn", assign = "least-loaded", tags = ["customs"], stop = true }
//! ```

use serde::Deserialize;
use toml::Spanned;

use super::{Actions, Assign, Condition, Rule, RuleSet};
use crate::domain::{Channel, Priority, Tier};

/// One problem of a rule file, with its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub line: usize,
    /// Catalog key of the problem (`rules.*`).
    pub key: &'static str,
    pub value: String,
}

/// Region names a `country` condition may use.
const REGIONS: [(&str, &[&str]); 4] = [
    ("greater-china", &["CN", "HK", "MO", "TW"]),
    (
        "eu",
        &[
            "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
            "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
        ],
    ),
    ("north-america", &["US", "CA", "MX"]),
    ("latam", &["BR", "AR", "CL", "CO", "PE", "MX", "UY"]),
];

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn list(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: Spanned<String>,
    #[serde(default)]
    when: RawWhen,
    then: Spanned<RawThen>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWhen {
    #[serde(rename = "type")]
    kind: Option<Spanned<OneOrMany>>,
    category: Option<Spanned<OneOrMany>>,
    channel: Option<Spanned<OneOrMany>>,
    priority: Option<Spanned<OneOrMany>>,
    tier: Option<Spanned<OneOrMany>>,
    country: Option<Spanned<OneOrMany>>,
    language: Option<Spanned<OneOrMany>>,
    tag: Option<Spanned<OneOrMany>>,
    words: Option<Spanned<OneOrMany>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThen {
    team: Option<String>,
    assign: Option<String>,
    priority: Option<Spanned<String>>,
    #[serde(default)]
    tags: Vec<String>,
    sla: Option<String>,
    #[serde(default)]
    stop: bool,
}

/// A TOML error of a rule or automation file as a problem with its line.
pub(super) fn syntax_error(source: &str, e: &toml::de::Error) -> Vec<RuleError> {
    vec![RuleError {
        line: e
            .span()
            .map_or(1, |s| crate::config::line_of(source, s.start)),
        key: "rules.syntax",
        value: e.message().to_string(),
    }]
}

/// Collects problems found at byte spans of `source`, by line.
pub(super) struct Problems<'a> {
    source: &'a str,
    errors: Vec<RuleError>,
}

impl<'a> Problems<'a> {
    pub fn new(source: &'a str) -> Self {
        Self {
            source,
            errors: Vec::new(),
        }
    }

    pub fn add(&mut self, span: std::ops::Range<usize>, key: &'static str, value: String) {
        self.errors.push(RuleError {
            line: crate::config::line_of(self.source, span.start),
            key,
            value,
        });
    }

    /// The problems in line order, or `ok` when there are none.
    pub fn finish<T>(mut self, ok: T) -> Result<T, Vec<RuleError>> {
        if self.errors.is_empty() {
            Ok(ok)
        } else {
            self.errors.sort_by_key(|e| e.line);
            Err(self.errors)
        }
    }
}

impl RuleSet {
    /// Parses and checks a rule file; every problem found, with its line.
    pub fn parse(source: &str) -> Result<Self, Vec<RuleError>> {
        let raw: RawFile = toml::from_str(source).map_err(|e| syntax_error(source, &e))?;
        let mut problems = Problems::new(source);
        let mut rules = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for r in raw.rule {
            let mut err = |span: std::ops::Range<usize>, key: &'static str, value: String| {
                problems.add(span, key, value);
            };
            let name = r.name.get_ref().trim().to_string();
            if name.is_empty() || names.contains(&name) {
                err(r.name.span(), "rules.bad_name", name.clone());
            }
            names.push(name.clone());
            let when = conditions(&r.when, &mut err);
            let then_span = r.then.span();
            let t = r.then.into_inner();
            let priority = match &t.priority {
                Some(p) => match Priority::parse(p.get_ref()) {
                    Ok(p) => Some(p),
                    Err(_) => {
                        err(p.span(), "rules.unknown_priority", p.get_ref().clone());
                        None
                    }
                },
                None => None,
            };
            let assign = t.assign.as_deref().map(|a| match a {
                "round-robin" | "round_robin" => Assign::RoundRobin,
                "least-loaded" | "least_loaded" => Assign::LeastLoaded,
                login => Assign::Agent(login.to_string()),
            });
            let then = Actions {
                team: t.team,
                assign,
                priority,
                tags: t.tags,
                sla: t.sla,
                stop: t.stop,
            };
            if then == Actions::default() {
                err(then_span, "rules.no_action", name.clone());
            }
            rules.push(Rule { name, when, then });
        }
        problems.finish(RuleSet { rules })
    }
}

fn conditions(
    w: &RawWhen,
    err: &mut impl FnMut(std::ops::Range<usize>, &'static str, String),
) -> Vec<Condition> {
    let mut out = Vec::new();
    let strings =
        |v: &Option<Spanned<OneOrMany>>| v.as_ref().map(|s| (s.span(), s.get_ref().list()));
    if let Some((_, v)) = strings(&w.kind) {
        out.push(Condition::Type(v));
    }
    if let Some((_, v)) = strings(&w.category) {
        let prefixes = v
            .iter()
            .map(|c| c.trim_end_matches("/*").trim_end_matches('/').to_string())
            .collect();
        out.push(Condition::Category(prefixes));
    }
    if let Some((span, v)) = strings(&w.channel) {
        let mut list = Vec::new();
        for c in v {
            match Channel::parse(&c) {
                Ok(ch) => list.push(ch),
                Err(_) => err(span.clone(), "rules.unknown_channel", c),
            }
        }
        out.push(Condition::Channel(list));
    }
    if let Some((span, v)) = strings(&w.priority) {
        let mut list = Vec::new();
        for p in v {
            match p.split_once("..") {
                Some((a, b)) => match (Priority::parse(a), Priority::parse(b)) {
                    (Ok(a), Ok(b)) => list.extend(Priority::ALL.into_iter().filter(|x| {
                        x.rank() >= a.rank().min(b.rank()) && x.rank() <= a.rank().max(b.rank())
                    })),
                    _ => err(span.clone(), "rules.unknown_priority", p),
                },
                None => match Priority::parse(&p) {
                    Ok(x) => list.push(x),
                    Err(_) => err(span.clone(), "rules.unknown_priority", p),
                },
            }
        }
        out.push(Condition::Priority(list));
    }
    if let Some((span, v)) = strings(&w.tier) {
        let mut list = Vec::new();
        for t in v {
            match Tier::parse(&t) {
                Ok(x) => list.push(x),
                Err(_) => err(span.clone(), "rules.unknown_tier", t),
            }
        }
        out.push(Condition::Tier(list));
    }
    if let Some((span, v)) = strings(&w.country) {
        let mut list: Vec<String> = Vec::new();
        for c in v {
            if let Some((_, codes)) = REGIONS.iter().find(|(r, _)| r.eq_ignore_ascii_case(&c)) {
                list.extend(codes.iter().map(|s| s.to_string()));
            } else if c.len() == 2 && c.chars().all(|x| x.is_ascii_alphabetic()) {
                list.push(c.to_ascii_uppercase());
            } else {
                err(span.clone(), "rules.unknown_country", c);
            }
        }
        out.push(Condition::Country(list));
    }
    if let Some((_, v)) = strings(&w.language) {
        out.push(Condition::Language(
            v.iter().map(|l| l.to_lowercase()).collect(),
        ));
    }
    if let Some((_, v)) = strings(&w.tag) {
        out.push(Condition::Tag(v));
    }
    if let Some((span, v)) = strings(&w.words) {
        if v.iter().any(|x| x.trim().is_empty()) {
            err(span, "rules.empty_word", String::new());
        }
        out.push(Condition::Words(v));
    }
    out
}
