//! What can be wrong with a workflow definition, and where.

use std::fmt;

/// One problem of a workflow file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The TOML itself does not parse or has the wrong shape; the text is the parser's.
    Syntax(String),
    NoStates,
    DuplicateState(String),
    DuplicateType(String),
    /// A category or tag labelled twice.
    DuplicateTerm(String),
    BadCategory(String),
    BadTag(String),
    /// A root cause id that is not a lower-case slug (`product-defect`).
    BadCause(String),
    /// A transition requires a cause but the file lists none.
    NoCauses,
    UnknownState(String),
    UnknownRequirement(String),
    UnknownRole(String),
    MissingEnglishLabel(String),
    /// No path from the initial state reaches this state.
    Unreachable(String),
    /// A non-final state with no way out: tickets would be stuck there.
    DeadEnd(String),
    /// The same from → to pair is defined twice.
    DuplicateTransition(String, String),
    SelfTransition(String),
    NoTypes,
    /// `on_assign` names a move that no transition allows.
    NoSuchTransition(String, String),
}

impl Problem {
    /// Catalog key describing the problem.
    pub fn key(&self) -> &'static str {
        match self {
            Problem::Syntax(_) => "workflow.syntax",
            Problem::NoStates => "workflow.no_states",
            Problem::DuplicateState(_) => "workflow.duplicate_state",
            Problem::DuplicateType(_) => "workflow.duplicate_type",
            Problem::DuplicateTerm(_) => "workflow.duplicate_term",
            Problem::BadCategory(_) => "workflow.bad_category",
            Problem::BadTag(_) => "workflow.bad_tag",
            Problem::BadCause(_) => "workflow.bad_cause",
            Problem::NoCauses => "workflow.no_causes",
            Problem::UnknownState(_) => "workflow.unknown_state",
            Problem::UnknownRequirement(_) => "workflow.unknown_requirement",
            Problem::UnknownRole(_) => "workflow.unknown_role",
            Problem::MissingEnglishLabel(_) => "workflow.missing_label",
            Problem::Unreachable(_) => "workflow.unreachable",
            Problem::DeadEnd(_) => "workflow.dead_end",
            Problem::DuplicateTransition(_, _) => "workflow.duplicate_transition",
            Problem::SelfTransition(_) => "workflow.self_transition",
            Problem::NoTypes => "workflow.no_types",
            Problem::NoSuchTransition(_, _) => "workflow.no_such_transition",
        }
    }

    /// The value the message quotes (`{value}` in the catalog).
    pub fn value(&self) -> String {
        match self {
            Problem::Syntax(s)
            | Problem::DuplicateState(s)
            | Problem::DuplicateType(s)
            | Problem::DuplicateTerm(s)
            | Problem::BadCategory(s)
            | Problem::BadTag(s)
            | Problem::BadCause(s)
            | Problem::UnknownState(s)
            | Problem::UnknownRequirement(s)
            | Problem::UnknownRole(s)
            | Problem::MissingEnglishLabel(s)
            | Problem::Unreachable(s)
            | Problem::DeadEnd(s)
            | Problem::SelfTransition(s) => s.clone(),
            Problem::DuplicateTransition(a, b) | Problem::NoSuchTransition(a, b) => {
                format!("{a} → {b}")
            }
            Problem::NoStates | Problem::NoTypes | Problem::NoCauses => String::new(),
        }
    }
}

/// A problem with the line it is on (1-based), when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    pub line: Option<usize>,
    pub problem: Problem,
}

impl fmt::Display for DefinitionError {
    /// English fallback used in logs and tests; user-facing text comes from the catalog.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "line {line}: {} {}",
                self.problem.key(),
                self.problem.value()
            ),
            None => write!(f, "{} {}", self.problem.key(), self.problem.value()),
        }
    }
}
