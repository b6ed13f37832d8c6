//! The ticket query language shared by `tdesk list`, the TUI filter and views.
//!
//! `status:open priority:P0..P1 assignee:me -tag:spam "exact phrase" words 中文`
//! Clauses are ANDed; `|` ORs values inside one field; `-` negates a clause.
//! This module only parses: names like `me` and `open` are resolved by the
//! service, which knows the user and the workflow.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Channel, Priority, TIME_HINT, Tier, TimeSpec};

/// A field a clause can filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Status,
    Priority,
    Assignee,
    Team,
    Tag,
    Channel,
    Customer,
    Type,
    Category,
    Tier,
    Number,
    Created,
    Updated,
    Due,
    Closed,
    Sla,
    /// The root cause of a resolution.
    Cause,
    /// The milestone a ticket belongs to (by name or number, or `none`).
    Milestone,
}

impl Field {
    const ALL: [(Field, &'static str); 18] = [
        (Field::Status, "status"),
        (Field::Priority, "priority"),
        (Field::Assignee, "assignee"),
        (Field::Team, "team"),
        (Field::Tag, "tag"),
        (Field::Channel, "channel"),
        (Field::Customer, "customer"),
        (Field::Type, "type"),
        (Field::Category, "category"),
        (Field::Tier, "tier"),
        (Field::Number, "number"),
        (Field::Created, "created"),
        (Field::Updated, "updated"),
        (Field::Due, "due"),
        (Field::Closed, "closed"),
        (Field::Sla, "sla"),
        (Field::Cause, "cause"),
        (Field::Milestone, "milestone"),
    ];

    /// The name used in queries.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, n)| *n)
            .unwrap_or("?")
    }

    /// The field a name or alias stands for (`pri` → priority).
    pub fn lookup(name: &str) -> Option<Self> {
        let name = name.to_ascii_lowercase();
        let alias = match name.as_str() {
            "pri" | "p" => "priority",
            "state" | "s" => "status",
            "owner" | "a" => "assignee",
            "tags" => "tag",
            "cat" => "category",
            "id" | "no" => "number",
            other => other,
        };
        Self::ALL.iter().find(|(_, n)| *n == alias).map(|(f, _)| *f)
    }

    /// Every field name, for hints.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|(_, n)| *n).collect()
    }
}

/// What one clause tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Clause {
    /// The field equals one of the values (already split on `|`, ranges expanded).
    Field {
        field: Field,
        values: Vec<String>,
        negated: bool,
    },
    /// Full-text: the words or phrase appear in title, description or comments.
    Text { text: String, negated: bool },
    /// A time column within `[from, to)`; made by the service from a time field.
    Time {
        field: Field,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        negated: bool,
    },
    /// Assigned to `assignee`, or unassigned in `team` (no team: `None`);
    /// made by the service from an agent's role, never parsed.
    Visible {
        assignee: String,
        team: Option<String>,
    },
    /// Open tickets whose deadline is in one of `states` (`ok`, `at_risk`,
    /// `breached`) as of `at`; made by the service, which knows the open states.
    Sla {
        states: Vec<String>,
        at: DateTime<Utc>,
        open: Vec<String>,
        negated: bool,
    },
}

impl Field {
    /// Fields whose values are times.
    pub fn is_time(self) -> bool {
        matches!(
            self,
            Field::Created | Field::Updated | Field::Due | Field::Closed
        )
    }
}

/// The deadline states `sla:` accepts, with their aliases.
const SLA_STATES: [(&str, &str); 6] = [
    ("ok", "ok"),
    ("at-risk", "at_risk"),
    ("at_risk", "at_risk"),
    ("risk", "at_risk"),
    ("breached", "breached"),
    ("late", "breached"),
];

/// A parsed query: every clause must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Query {
    pub clauses: Vec<Clause>,
}

/// Columns a list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Number,
    Priority,
    Status,
    Title,
    Customer,
    Assignee,
    Created,
    #[default]
    Updated,
    /// Most urgent first: the nearest SLA deadline (none last).
    Due,
}

impl SortKey {
    /// Every key, in the order the TUI cycles through them.
    pub const ALL: [SortKey; 9] = [
        SortKey::Updated,
        SortKey::Due,
        SortKey::Priority,
        SortKey::Number,
        SortKey::Status,
        SortKey::Title,
        SortKey::Customer,
        SortKey::Assignee,
        SortKey::Created,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Number => "number",
            SortKey::Priority => "priority",
            SortKey::Status => "status",
            SortKey::Title => "title",
            SortKey::Customer => "customer",
            SortKey::Assignee => "assignee",
            SortKey::Created => "created",
            SortKey::Updated => "updated",
            SortKey::Due => "due",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The next key in the TUI's cycle.
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    /// The natural direction: newest, most urgent or lowest first.
    pub fn default_dir(self) -> SortDir {
        match self {
            SortKey::Updated | SortKey::Created | SortKey::Number => SortDir::Desc,
            _ => SortDir::Asc,
        }
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SortDir {
    Asc,
    #[default]
    Desc,
}

impl SortDir {
    pub fn flipped(self) -> Self {
        match self {
            SortDir::Asc => SortDir::Desc,
            SortDir::Desc => SortDir::Asc,
        }
    }
}

/// A page of a filtered, sorted ticket list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListRequest {
    pub query: Query,
    pub sort: SortKey,
    pub dir: SortDir,
    pub limit: usize,
    pub offset: usize,
    /// Rows of one group come together, groups in their natural order.
    pub group: Option<super::GroupBy>,
    /// Read the order backwards (the store flips every key, groups included).
    pub backwards: bool,
}

/// Why a query did not parse, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Catalog key of the message (`query.unknown_field`, …).
    pub key: &'static str,
    /// The offending text.
    pub text: String,
    /// Byte offset of the offending text in the query.
    pub offset: usize,
    /// What would be accepted.
    pub hint: String,
}

impl Query {
    /// Parses a query string.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let mut clauses = Vec::new();
        for token in tokenize(input)? {
            clauses.push(parse_token(&token)?);
        }
        Ok(Self { clauses })
    }

    /// True when the query selects everything.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// The words and phrases searched for (not negated), to highlight.
    pub fn text_terms(&self) -> Vec<String> {
        self.clauses
            .iter()
            .filter_map(|c| match c {
                Clause::Text {
                    text,
                    negated: false,
                } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    /// Whether the query searches text (results then read best newest first).
    pub fn has_text(&self) -> bool {
        self.clauses
            .iter()
            .any(|c| matches!(c, Clause::Text { .. }))
    }

    /// Whether the query says anything about the state.
    pub fn names_status(&self) -> bool {
        self.clauses.iter().any(|c| {
            matches!(
                c,
                Clause::Field {
                    field: Field::Status,
                    ..
                }
            )
        })
    }

    /// Appends a clause, keeping the others.
    pub fn and(mut self, clause: Clause) -> Self {
        self.clauses.push(clause);
        self
    }
}

/// One whitespace-separated piece of the query with its byte offset.
struct Token {
    text: String,
    offset: usize,
    /// The token opened with a quote (after an optional `-`): a phrase, never a field.
    phrase: bool,
}

fn tokenize(input: &str) -> Result<Vec<Token>, ParseError> {
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut text = String::new();
        let mut phrase = false;
        let mut in_quote: Option<usize> = None;
        while let Some(&(i, c)) = chars.peek() {
            if in_quote.is_none() && c.is_whitespace() {
                break;
            }
            chars.next();
            if c == '"' {
                if in_quote.is_some() {
                    in_quote = None;
                } else {
                    in_quote = Some(i);
                    phrase |= text.is_empty() || text == "-" || text == "\u{2212}";
                }
                continue;
            }
            text.push(c);
        }
        if let Some(open) = in_quote {
            return Err(ParseError {
                key: "query.unclosed_quote",
                text: input[open..].to_string(),
                offset: open,
                hint: "\"…\"".into(),
            });
        }
        tokens.push(Token {
            text,
            offset: start,
            phrase,
        });
    }
    Ok(tokens)
}

fn parse_token(token: &Token) -> Result<Clause, ParseError> {
    // `-` negates; so does the minus sign `−` (the CLI uses it to keep `-tag:x` from looking like an option).
    let (negated, body, body_offset) = match token.text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) if !rest.is_empty() => {
            (true, rest, token.offset + token.text.len() - rest.len())
        }
        _ => (false, token.text.as_str(), token.offset),
    };
    let field_part = (!token.phrase)
        .then(|| body.split_once(':'))
        .flatten()
        .filter(|(name, value)| looks_like_field(name) && !value.starts_with("//"));
    let Some((name, value)) = field_part else {
        // `#123` is a ticket number.
        if let Some(n) = body
            .strip_prefix('#')
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            && !token.phrase
        {
            return Ok(Clause::Field {
                field: Field::Number,
                values: vec![n.to_string()],
                negated,
            });
        }
        return Ok(Clause::Text {
            text: body.to_string(),
            negated,
        });
    };
    let field = Field::lookup(name).ok_or_else(|| ParseError {
        key: "query.unknown_field",
        text: name.to_string(),
        offset: body_offset,
        hint: Field::names().join(", "),
    })?;
    let value_offset = body_offset + name.len() + 1;
    if value.is_empty() {
        return Err(ParseError {
            key: "query.empty_value",
            text: format!("{name}:"),
            offset: body_offset,
            hint: format!("{name}:VALUE"),
        });
    }
    if field.is_time() {
        // Time values may hold `..` and compare with `<`/`>`; no `|` alternatives.
        return match TimeSpec::parse(value) {
            Some(_) => Ok(Clause::Field {
                field,
                values: vec![value.to_string()],
                negated,
            }),
            None => Err(ParseError {
                key: "query.bad_value",
                text: value.to_string(),
                offset: value_offset,
                hint: TIME_HINT.into(),
            }),
        };
    }
    let mut values = Vec::new();
    for part in value.split('|') {
        if part.is_empty() {
            return Err(ParseError {
                key: "query.empty_value",
                text: value.to_string(),
                offset: value_offset,
                hint: format!("{name}:a|b"),
            });
        }
        values.extend(expand_value(field, part, value_offset)?);
    }
    Ok(Clause::Field {
        field,
        values,
        negated,
    })
}

/// A field name is plain ASCII letters; anything else (URLs, times) is text.
fn looks_like_field(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
}

fn expand_value(field: Field, value: &str, offset: usize) -> Result<Vec<String>, ParseError> {
    match field {
        Field::Priority => expand_priority(value, offset),
        Field::Channel => Channel::parse(value)
            .map(|c| vec![c.as_str().to_string()])
            .map_err(|e| ParseError {
                key: "query.bad_value",
                text: value.to_string(),
                offset,
                hint: e.expected,
            }),
        Field::Tier => Tier::parse(value)
            .map(|t| vec![t.as_str().to_string()])
            .map_err(|e| ParseError {
                key: "query.bad_value",
                text: value.to_string(),
                offset,
                hint: e.expected,
            }),
        Field::Number => {
            let n = value.trim_start_matches('#');
            if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && n.len() < 18 {
                Ok(vec![n.to_string()])
            } else {
                Err(ParseError {
                    key: "query.bad_value",
                    text: value.to_string(),
                    offset,
                    hint: "#123".into(),
                })
            }
        }
        Field::Sla => SLA_STATES
            .iter()
            .find(|(alias, _)| alias.eq_ignore_ascii_case(value))
            .map(|(_, state)| vec![state.to_string()])
            .ok_or_else(|| ParseError {
                key: "query.bad_value",
                text: value.to_string(),
                offset,
                hint: "ok, at-risk, breached".into(),
            }),
        _ => Ok(vec![value.to_string()]),
    }
}

fn expand_priority(value: &str, offset: usize) -> Result<Vec<String>, ParseError> {
    let bad = |text: &str| ParseError {
        key: "query.bad_value",
        text: text.to_string(),
        offset,
        hint: "P0..P3, P1, P0|P2".into(),
    };
    let (lo, hi) = match value.split_once("..") {
        Some((a, b)) => (
            Priority::parse(a).map_err(|_| bad(value))?,
            Priority::parse(b).map_err(|_| bad(value))?,
        ),
        None => {
            let p = Priority::parse(value).map_err(|_| bad(value))?;
            (p, p)
        }
    };
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    Ok(Priority::ALL
        .into_iter()
        .filter(|p| *p >= lo && *p <= hi)
        .map(|p| p.as_str().to_string())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(field: Field, values: &[&str], negated: bool) -> Clause {
        Clause::Field {
            field,
            values: values.iter().map(|v| v.to_string()).collect(),
            negated,
        }
    }

    fn text(t: &str, negated: bool) -> Clause {
        Clause::Text {
            text: t.into(),
            negated,
        }
    }

    #[test]
    fn parses_fields_ranges_negation_and_words() {
        let q = Query::parse(
            r#"status:new|in_progress priority:P0..P1 -tag:spam "late parcel" 退款 refund"#,
        )
        .expect("valid query");
        assert_eq!(
            q.clauses,
            vec![
                field(Field::Status, &["new", "in_progress"], false),
                field(Field::Priority, &["P0", "P1"], false),
                field(Field::Tag, &["spam"], true),
                text("late parcel", false),
                text("退款", false),
                text("refund", false),
            ]
        );
    }

    #[test]
    fn reversed_priority_range_is_normalised() {
        let q = Query::parse("p:P3..P2").expect("valid");
        assert_eq!(
            q.clauses,
            vec![field(Field::Priority, &["P2", "P3"], false)]
        );
    }

    #[test]
    fn unknown_field_points_at_its_column() {
        let err = Query::parse("status:new colour:red").expect_err("unknown field");
        assert_eq!(err.key, "query.unknown_field");
        assert_eq!(err.offset, 11);
        assert!(err.hint.contains("priority"));
    }

    #[test]
    fn bad_priority_and_channel_are_errors() {
        let err = Query::parse("priority:P7").expect_err("bad priority");
        assert_eq!((err.key, err.offset), ("query.bad_value", 9));
        let err = Query::parse("channel:fax").expect_err("bad channel");
        assert_eq!(err.key, "query.bad_value");
    }

    #[test]
    fn unclosed_quote_and_empty_values_are_errors() {
        assert_eq!(Query::parse(r#"a "open"#).expect_err("unclosed").offset, 2);
        assert_eq!(
            Query::parse("status:").expect_err("empty").key,
            "query.empty_value"
        );
        assert_eq!(
            Query::parse("status:new|").expect_err("empty alt").key,
            "query.empty_value"
        );
    }

    #[test]
    fn urls_times_and_lone_dash_are_text() {
        let q = Query::parse("https://shop.example/o/1 10:30 -").expect("valid");
        assert_eq!(
            q.clauses,
            vec![
                text("https://shop.example/o/1", false),
                text("10:30", false),
                text("-", false),
            ]
        );
    }

    #[test]
    fn quoted_field_values_keep_spaces() {
        let q = Query::parse(r#"customer:"Zhang Wei""#).expect("valid");
        assert_eq!(
            q.clauses,
            vec![field(Field::Customer, &["Zhang Wei"], false)]
        );
    }

    #[test]
    fn quoted_phrase_with_colon_is_text() {
        let q = Query::parse(r#""note: call back" -"x:y""#).expect("valid");
        assert_eq!(
            q.clauses,
            vec![text("note: call back", false), text("x:y", true)]
        );
    }

    proptest::proptest! {
        /// Any input either parses or fails with an offset on a character
        /// boundary inside the input (so the caret can be drawn).
        #[test]
        fn any_input_parses_or_points_inside_it(input in "\\PC{0,40}|[a-z:|\"\\-. 退款P0-9]{0,30}") {
            match Query::parse(&input) {
                Ok(q) => proptest::prop_assert!(q.clauses.len() <= input.len()),
                Err(e) => {
                    proptest::prop_assert!(e.offset <= input.len());
                    proptest::prop_assert!(input.is_char_boundary(e.offset));
                }
            }
        }
    }

    #[test]
    fn time_fields_numbers_tiers_and_sla_parse() {
        let q = Query::parse(
            "created:>7d updated:今天 due:2026-11-01..2026-11-07 #42 tier:VIP sla:at-risk",
        )
        .expect("valid");
        assert_eq!(
            q.clauses,
            vec![
                field(Field::Created, &[">7d"], false),
                field(Field::Updated, &["今天"], false),
                field(Field::Due, &["2026-11-01..2026-11-07"], false),
                field(Field::Number, &["42"], false),
                field(Field::Tier, &["vip"], false),
                field(Field::Sla, &["at_risk"], false),
            ]
        );
        let err = Query::parse("created:soon").expect_err("bad time");
        assert_eq!((err.key, err.offset), ("query.bad_value", 8));
        assert!(err.hint.contains("7d"));
        assert!(Query::parse("sla:never").is_err());
        assert_eq!(
            Query::parse("\"#42\"").expect("phrase").clauses,
            vec![text("#42", false)]
        );
    }

    #[test]
    fn sort_keys_cycle_through_all() {
        let mut k = SortKey::default();
        let mut seen = vec![];
        for _ in 0..SortKey::ALL.len() {
            seen.push(k);
            k = k.next();
        }
        assert_eq!(k, SortKey::default());
        assert_eq!(seen.len(), SortKey::ALL.len());
        assert_eq!(SortKey::parse("title"), Some(SortKey::Title));
    }
}
