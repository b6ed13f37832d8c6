//! Named terms a desk labels per language: categories, tags and root
//! causes. Validated like the rest of the workflow file, with lines.

use std::collections::{BTreeMap, HashSet};

use super::definition::{Lines, RawType, Term, Workflow};
use super::problem::{DefinitionError, Problem};
use crate::domain::Label;

/// A label map with an English label that says something (not blank).
pub(super) fn has_english(label: &BTreeMap<String, String>) -> bool {
    label.get("en").is_some_and(|en| !en.trim().is_empty())
}

#[derive(Clone, Copy)]
pub(super) enum TermKind {
    Category,
    Tag,
    Cause,
}

/// Labelled categories and tags: optional, each named once, with an English
/// label; a category is a path of one to three levels.
pub(super) fn collect_terms(
    raw: &[RawType],
    kind: TermKind,
    lines: &Lines,
    errors: &mut Vec<DefinitionError>,
) -> Vec<Term> {
    let mut seen = HashSet::new();
    let mut terms = Vec::new();
    for t in raw {
        let id = match kind {
            TermKind::Category => match crate::domain::Category::parse(t.id.get_ref())
                .ok()
                .filter(|c| !c.as_str().chars().any(char::is_control))
            {
                Some(c) => c.as_str().to_string(),
                None => {
                    errors.push(lines.err(&t.id, Problem::BadCategory(t.id.get_ref().clone())));
                    continue;
                }
            },
            TermKind::Cause => match crate::domain::type_slug(t.id.get_ref()) {
                slug if !slug.is_empty() && slug == *t.id.get_ref() => slug,
                _ => {
                    errors.push(lines.err(&t.id, Problem::BadCause(t.id.get_ref().clone())));
                    continue;
                }
            },
            TermKind::Tag => match crate::domain::normalize_tag(t.id.get_ref()) {
                Some(tag) => tag,
                None => {
                    errors.push(lines.err(&t.id, Problem::BadTag(t.id.get_ref().clone())));
                    continue;
                }
            },
        };
        if !seen.insert(id.clone()) {
            errors.push(lines.err(&t.id, Problem::DuplicateTerm(id)));
            continue;
        }
        if !has_english(&t.label) {
            errors.push(lines.err(&t.id, Problem::MissingEnglishLabel(id.clone())));
        }
        terms.push(Term {
            id,
            label: Label::new(t.label.clone()),
        });
    }
    terms
}

impl Workflow {
    /// The root causes a resolution may name, in the desk's order.
    pub fn causes(&self) -> &[Term] {
        &self.causes
    }

    /// A root cause by id, or by its label in any language.
    pub fn cause(&self, text: &str) -> Option<&Term> {
        let t = text.trim();
        self.causes
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(t) || c.label.matches(t))
    }

    /// A root cause in `lang`, or as written when the desk no longer lists it.
    pub fn cause_label<'a>(&'a self, id: &'a str, lang: &str) -> &'a str {
        self.causes
            .iter()
            .find(|c| c.id == id)
            .map_or(id, |c| c.label.get(lang))
    }
}
