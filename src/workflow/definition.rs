//! Loading and validating a workflow definition. Every problem found carries
//! the line it is on, so `tdesk workflow check` can point at it.

use serde::Deserialize;
use std::collections::{BTreeMap, HashSet, VecDeque};
use toml::Spanned;

use super::problem::{DefinitionError, Problem};
use super::terms::{TermKind, collect_terms, has_english};
use crate::domain::{Label, Role};

/// A workflow state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub id: String,
    pub label: Label,
    /// Final states are not "open": closed, archived.
    pub is_final: bool,
    /// The ticket counts as solved here; leaving for a non-resolved state is a reopen.
    pub is_resolved: bool,
    /// Where a ticket in this state moves when it gets an assignee.
    pub on_assign: Option<String>,
}

/// A condition a transition needs before it is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Requirement {
    /// The ticket has an assignee.
    Assignee,
    /// The move carries a resolution note.
    Resolution,
    /// The move carries a reason.
    Reason,
    /// The customer's acceptance is recorded.
    Acceptance,
    /// The move names a root cause from the desk's `[[cause]]` list.
    Cause,
    /// The move carries a prevention step.
    Prevention,
    /// Every subtask of the ticket is done.
    SubtasksDone,
    /// No ticket that blocks it is still open.
    BlockersDone,
}

impl Requirement {
    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::Assignee => "assignee",
            Requirement::Resolution => "resolution",
            Requirement::Reason => "reason",
            Requirement::Acceptance => "acceptance",
            Requirement::Cause => "cause",
            Requirement::Prevention => "prevention",
            Requirement::SubtasksDone => "subtasks_done",
            Requirement::BlockersDone => "blockers_done",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [
            Requirement::Assignee,
            Requirement::Resolution,
            Requirement::Reason,
            Requirement::Acceptance,
            Requirement::Cause,
            Requirement::Prevention,
            Requirement::SubtasksDone,
            Requirement::BlockersDone,
        ]
        .into_iter()
        .find(|r| r.as_str() == text)
    }
}

/// An allowed status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub requires: Vec<Requirement>,
    /// Who may take it; empty means everyone.
    pub roles: Vec<Role>,
    /// Who may skip `requires` by giving a reason.
    pub override_roles: Vec<Role>,
}

/// A name the desk defines with labels per language: a ticket type, a
/// category path or a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub id: String,
    pub label: Label,
}

/// A ticket type offered by forms.
pub type TicketType = Term;

/// A validated workflow: states in display order, transitions, ticket types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow {
    pub(super) initial: String,
    pub(super) states: Vec<State>,
    pub(super) transitions: Vec<Transition>,
    pub(super) types: Vec<TicketType>,
    /// Labels of category paths (each level may have its own).
    pub(super) categories: Vec<Term>,
    /// Labels of tags.
    pub(super) tags: Vec<Term>,
    /// Root causes a resolution names, in the order forms offer them.
    pub(super) causes: Vec<Term>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkflow {
    initial: Spanned<String>,
    #[serde(default, rename = "state")]
    states: Vec<RawState>,
    #[serde(default, rename = "transition")]
    transitions: Vec<RawTransition>,
    #[serde(default, rename = "type")]
    types: Vec<RawType>,
    #[serde(default, rename = "category")]
    categories: Vec<RawType>,
    #[serde(default, rename = "tag")]
    tags: Vec<RawType>,
    #[serde(default, rename = "cause")]
    causes: Vec<RawType>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawState {
    id: Spanned<String>,
    #[serde(default)]
    label: BTreeMap<String, String>,
    #[serde(default, rename = "final")]
    is_final: bool,
    #[serde(default, rename = "resolved")]
    is_resolved: bool,
    #[serde(default)]
    on_assign: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTransition {
    from: Vec<Spanned<String>>,
    to: Spanned<String>,
    #[serde(default)]
    requires: Vec<Spanned<String>>,
    #[serde(default)]
    roles: Vec<Spanned<String>>,
    #[serde(default)]
    override_roles: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawType {
    pub(super) id: Spanned<String>,
    #[serde(default)]
    pub(super) label: BTreeMap<String, String>,
}

/// Turns byte offsets into 1-based line numbers.
pub(super) struct Lines<'a>(&'a str);

impl Lines<'_> {
    fn at(&self, offset: usize) -> usize {
        let end = offset.min(self.0.len());
        self.0.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    pub(super) fn err<T>(&self, spanned: &Spanned<T>, problem: Problem) -> DefinitionError {
        DefinitionError {
            line: Some(self.at(spanned.span().start)),
            problem,
        }
    }
}

impl Workflow {
    /// The embedded default workflow.
    pub fn default_workflow() -> Self {
        // The embedded file is checked by a unit test; falling back to an
        // unreachable empty workflow is impossible in a built binary.
        Self::parse(super::DEFAULT_DEFINITION).unwrap_or_else(|_| Self {
            initial: "new".into(),
            states: vec![State {
                id: "new".into(),
                label: Label::new(BTreeMap::from([("en".into(), "New".into())])),
                is_final: false,
                is_resolved: false,
                on_assign: None,
            }],
            transitions: Vec::new(),
            types: Vec::new(),
            categories: Vec::new(),
            tags: Vec::new(),
            causes: Vec::new(),
            source: String::new(),
        })
    }

    /// Parses and validates a definition; returns every problem found, in file order.
    pub fn parse(source: &str) -> Result<Self, Vec<DefinitionError>> {
        let lines = Lines(source);
        let raw: RawWorkflow = toml::from_str(source).map_err(|e| {
            vec![DefinitionError {
                line: e.span().map(|s| lines.at(s.start)),
                problem: Problem::Syntax(e.message().to_string()),
            }]
        })?;
        let mut errors = Vec::new();
        let states = collect_states(&raw, &lines, &mut errors);
        let known: HashSet<&str> = states.iter().map(|s| s.id.as_str()).collect();
        if !known.contains(raw.initial.get_ref().as_str()) && !states.is_empty() {
            errors.push(lines.err(
                &raw.initial,
                Problem::UnknownState(raw.initial.get_ref().clone()),
            ));
        }
        let transitions = collect_transitions(&raw, &known, &lines, &mut errors);
        for s in &raw.states {
            if let Some(target) = &s.on_assign {
                let t = target.get_ref();
                if !known.contains(t.as_str()) {
                    errors.push(lines.err(target, Problem::UnknownState(t.clone())));
                } else if !transitions
                    .iter()
                    .any(|x| &x.from == s.id.get_ref() && &x.to == t)
                {
                    errors.push(lines.err(
                        target,
                        Problem::NoSuchTransition(s.id.get_ref().clone(), t.clone()),
                    ));
                }
            }
        }
        let types = collect_types(&raw, &lines, &mut errors);
        let categories = collect_terms(&raw.categories, TermKind::Category, &lines, &mut errors);
        let tags = collect_terms(&raw.tags, TermKind::Tag, &lines, &mut errors);
        let causes = collect_terms(&raw.causes, TermKind::Cause, &lines, &mut errors);
        if causes.is_empty() {
            let needs_cause = raw.transitions.iter().flat_map(|t| &t.requires);
            if let Some(at) = needs_cause.into_iter().find(|r| r.get_ref() == "cause") {
                errors.push(lines.err(at, Problem::NoCauses));
            }
        }
        if errors.is_empty() {
            check_graph(&raw, &states, &transitions, &lines, &mut errors);
        }
        errors.sort_by_key(|e| e.line);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            initial: raw.initial.into_inner(),
            states,
            transitions,
            types,
            categories,
            tags,
            causes,
            source: source.to_string(),
        })
    }

    /// The TOML this workflow was loaded from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Where new tickets start.
    pub fn initial(&self) -> &State {
        // Validation guarantees the initial state exists and `states` is non-empty.
        self.state(&self.initial).unwrap_or(&self.states[0])
    }

    /// States in display (kanban column) order.
    pub fn states(&self) -> &[State] {
        &self.states
    }

    pub fn state(&self, id: &str) -> Option<&State> {
        self.states.iter().find(|s| s.id == id)
    }

    /// Position of a state in display order (for sorting by status).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.states.iter().position(|s| s.id == id)
    }

    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }

    pub fn types(&self) -> &[TicketType] {
        &self.types
    }

    pub fn ticket_type(&self, id: &str) -> Option<&TicketType> {
        self.types.iter().find(|t| t.id == id)
    }

    /// This workflow with more ticket types (id, English label) appended
    /// to its file, so the desk's list of types grows like its categories.
    pub fn with_types(&self, added: &[(String, String)]) -> Result<Self, Vec<DefinitionError>> {
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut source = self.source.clone();
        if !source.ends_with('\n') {
            source.push('\n');
        }
        for (id, label) in added {
            source.push_str(&format!(
                "\n[[type]]\nid = {}\nlabel = {{ en = {} }}\n",
                q(id),
                q(label)
            ));
        }
        Self::parse(&source)
    }

    /// A category path in `lang`: each level by the label the desk gives
    /// that path (`logistics` → 物流, `logistics/customs` → 清关), or as written.
    pub fn category_label(&self, path: &str, lang: &str) -> String {
        let mut shown = Vec::new();
        let mut prefix = String::new();
        for level in path.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(level);
            let label = self.categories.iter().find(|t| t.id == prefix);
            shown.push(label.map_or(level, |t| t.label.get(lang)));
        }
        shown.join("/")
    }

    /// A tag in `lang`, or as written when the desk gives it no label.
    pub fn tag_label<'a>(&'a self, tag: &'a str, lang: &str) -> &'a str {
        self.tags
            .iter()
            .find(|t| t.id == tag)
            .map_or(tag, |t| t.label.get(lang))
    }

    /// Ids of the states that count as open (every non-final state).
    pub fn open_states(&self) -> Vec<&str> {
        self.states
            .iter()
            .filter(|s| !s.is_final)
            .map(|s| s.id.as_str())
            .collect()
    }
}

fn collect_states(
    raw: &RawWorkflow,
    lines: &Lines,
    errors: &mut Vec<DefinitionError>,
) -> Vec<State> {
    if raw.states.is_empty() {
        errors.push(lines.err(&raw.initial, Problem::NoStates));
    }
    let mut seen = HashSet::new();
    let mut states = Vec::new();
    for s in &raw.states {
        let id = s.id.get_ref();
        if !seen.insert(id.clone()) {
            errors.push(lines.err(&s.id, Problem::DuplicateState(id.clone())));
            continue;
        }
        if !has_english(&s.label) {
            errors.push(lines.err(&s.id, Problem::MissingEnglishLabel(id.clone())));
        }
        states.push(State {
            id: id.clone(),
            label: Label::new(s.label.clone()),
            is_final: s.is_final,
            is_resolved: s.is_resolved,
            on_assign: s.on_assign.as_ref().map(|o| o.get_ref().clone()),
        });
    }
    states
}

fn parse_roles(
    raw: &[Spanned<String>],
    lines: &Lines,
    errors: &mut Vec<DefinitionError>,
) -> Vec<Role> {
    raw.iter()
        .filter_map(|r| match Role::parse(r.get_ref()) {
            Ok(role) => Some(role),
            Err(_) => {
                errors.push(lines.err(r, Problem::UnknownRole(r.get_ref().clone())));
                None
            }
        })
        .collect()
}

fn collect_transitions(
    raw: &RawWorkflow,
    known: &HashSet<&str>,
    lines: &Lines,
    errors: &mut Vec<DefinitionError>,
) -> Vec<Transition> {
    let mut out: Vec<Transition> = Vec::new();
    for t in &raw.transitions {
        let to = t.to.get_ref();
        if !known.contains(to.as_str()) {
            errors.push(lines.err(&t.to, Problem::UnknownState(to.clone())));
        }
        let requires = t
            .requires
            .iter()
            .filter_map(|r| {
                let req = Requirement::parse(r.get_ref());
                if req.is_none() {
                    errors.push(lines.err(r, Problem::UnknownRequirement(r.get_ref().clone())));
                }
                req
            })
            .collect::<Vec<_>>();
        let roles = parse_roles(&t.roles, lines, errors);
        let override_roles = parse_roles(&t.override_roles, lines, errors);
        for from in &t.from {
            let from_id = from.get_ref();
            if !known.contains(from_id.as_str()) {
                errors.push(lines.err(from, Problem::UnknownState(from_id.clone())));
            } else if from_id == to {
                errors.push(lines.err(from, Problem::SelfTransition(from_id.clone())));
            } else if out.iter().any(|o| &o.from == from_id && &o.to == to) {
                errors.push(lines.err(
                    from,
                    Problem::DuplicateTransition(from_id.clone(), to.clone()),
                ));
            } else {
                out.push(Transition {
                    from: from_id.clone(),
                    to: to.clone(),
                    requires: requires.clone(),
                    roles: roles.clone(),
                    override_roles: override_roles.clone(),
                });
            }
        }
    }
    out
}

fn collect_types(
    raw: &RawWorkflow,
    lines: &Lines,
    errors: &mut Vec<DefinitionError>,
) -> Vec<TicketType> {
    if raw.types.is_empty() {
        errors.push(DefinitionError {
            line: None,
            problem: Problem::NoTypes,
        });
    }
    let mut seen = HashSet::new();
    let mut types = Vec::new();
    for t in &raw.types {
        let id = t.id.get_ref();
        if !seen.insert(id.clone()) {
            errors.push(lines.err(&t.id, Problem::DuplicateType(id.clone())));
            continue;
        }
        if !has_english(&t.label) {
            errors.push(lines.err(&t.id, Problem::MissingEnglishLabel(id.clone())));
        }
        types.push(TicketType {
            id: id.clone(),
            label: Label::new(t.label.clone()),
        });
    }
    types
}

/// Every state must be reachable from the initial one, and every non-final
/// state must have a way out.
fn check_graph(
    raw: &RawWorkflow,
    states: &[State],
    transitions: &[Transition],
    lines: &Lines,
    errors: &mut Vec<DefinitionError>,
) {
    let mut reached: HashSet<&str> = HashSet::new();
    let mut queue = VecDeque::from([raw.initial.get_ref().as_str()]);
    while let Some(id) = queue.pop_front() {
        if reached.insert(id) {
            queue.extend(
                transitions
                    .iter()
                    .filter(|t| t.from == id)
                    .map(|t| t.to.as_str()),
            );
        }
    }
    for (state, raw_state) in states.iter().zip(&raw.states) {
        if !reached.contains(state.id.as_str()) {
            errors.push(lines.err(&raw_state.id, Problem::Unreachable(state.id.clone())));
        }
        if !state.is_final && !transitions.iter().any(|t| t.from == state.id) {
            errors.push(lines.err(&raw_state.id, Problem::DeadEnd(state.id.clone())));
        }
    }
}
