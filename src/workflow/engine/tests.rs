//! Engine tests: the default workflow's rules, definition errors with lines,
//! and property tests over random move sequences and random workflows.

use proptest::prelude::*;

use super::*;
use crate::domain::replay_status;
use crate::domain::{Event, EventKind};
use crate::workflow::{DefinitionError, Problem};

fn wf() -> Workflow {
    Workflow::parse(crate::workflow::DEFAULT_DEFINITION).expect("default workflow is valid")
}

fn facts() -> MoveFacts<'static> {
    MoveFacts {
        has_assignee: false,
        accepted: false,
        note: None,
        cause: None,
        prevention: None,
        role: Role::Agent,
        override_requested: false,
        open_subtasks: 0,
        open_blockers: 0,
    }
}

#[test]
fn default_workflow_has_the_seven_seed_states_in_order() {
    let w = wf();
    let ids: Vec<&str> = w.states().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "new",
            "in_progress",
            "waiting_customer",
            "resolved",
            "pending_acceptance",
            "closed",
            "archived"
        ]
    );
    assert_eq!(w.initial().id, "new");
    assert_eq!(
        w.state("waiting_customer").map(|s| s.label.get("zh-CN")),
        Some("等待客户反馈")
    );
    assert_eq!(
        w.state("new").map(|s| s.label.get("en")),
        Some("Unassigned")
    );
    assert_eq!(w.state("new").map(|s| s.label.get("zh")), Some("待分配"));
    assert_eq!(
        w.state("new").map(|s| s.label.get("fr")),
        Some("Unassigned")
    );
    assert_eq!(w.open_states().len(), 5);
    assert_eq!(w.types().len(), 3);
}

#[test]
fn taking_a_ticket_needs_an_assignee() {
    let w = wf();
    let refused = w
        .check_move("new", "in_progress", facts())
        .expect_err("no assignee");
    assert_eq!(
        refused.refusal,
        Refusal::Missing {
            requirement: Requirement::Assignee,
            override_role: None
        }
    );
    assert_eq!(refused.allowed, ["in_progress", "closed"]);
    let ok = w.check_move(
        "new",
        "in_progress",
        MoveFacts {
            has_assignee: true,
            ..facts()
        },
    );
    assert_eq!(
        ok,
        Ok(MoveDecision {
            overridden: false,
            note_use: NoteUse::None
        })
    );
}

#[test]
fn resolving_needs_a_resolution_note_and_a_root_cause() {
    let w = wf();
    let blank = MoveFacts {
        note: Some("  "),
        cause: Some("logistics"),
        ..facts()
    };
    assert!(w.check_move("in_progress", "resolved", blank).is_err());
    let no_cause = MoveFacts {
        note: Some("Refund issued"),
        ..facts()
    };
    assert_eq!(
        w.check_move("in_progress", "resolved", no_cause)
            .map_err(|r| r.refusal),
        Err(Refusal::Missing {
            requirement: Requirement::Cause,
            override_role: None
        })
    );
    let with_note = MoveFacts {
        note: Some("Refund issued"),
        cause: Some("payment"),
        ..facts()
    };
    assert_eq!(
        w.check_move("in_progress", "resolved", with_note)
            .map(|d| d.note_use),
        Ok(NoteUse::Resolution)
    );
}

#[test]
fn closing_needs_acceptance_or_a_supervisor_override_with_reason() {
    let w = wf();
    let refused = w
        .check_move("pending_acceptance", "closed", facts())
        .expect_err("not accepted");
    assert_eq!(
        refused.refusal,
        Refusal::Missing {
            requirement: Requirement::Acceptance,
            override_role: Some(Role::Supervisor)
        }
    );
    assert!(
        w.check_move(
            "pending_acceptance",
            "closed",
            MoveFacts {
                accepted: true,
                ..facts()
            }
        )
        .is_ok()
    );
    let agent_override = MoveFacts {
        override_requested: true,
        note: Some("customer unreachable"),
        ..facts()
    };
    assert_eq!(
        w.check_move("pending_acceptance", "closed", agent_override)
            .map_err(|r| r.refusal),
        Err(Refusal::OverrideNotAllowed(Some(Role::Supervisor)))
    );
    let no_reason = MoveFacts {
        override_requested: true,
        role: Role::Supervisor,
        ..facts()
    };
    assert_eq!(
        w.check_move("pending_acceptance", "closed", no_reason)
            .map_err(|r| r.refusal),
        Err(Refusal::OverrideNeedsReason)
    );
    let ok = MoveFacts {
        override_requested: true,
        role: Role::Supervisor,
        note: Some("customer unreachable for 14 days"),
        ..facts()
    };
    assert_eq!(
        w.check_move("pending_acceptance", "closed", ok),
        Ok(MoveDecision {
            overridden: true,
            note_use: NoteUse::Reason
        })
    );
}

#[test]
fn archived_is_terminal_and_unknown_states_are_refused() {
    let w = wf();
    assert!(w.next_states("archived", Role::Admin).is_empty());
    let r = w
        .check_move("archived", "in_progress", facts())
        .expect_err("terminal");
    assert!(r.allowed.is_empty());
    assert!(matches!(r.refusal, Refusal::NoTransition { .. }));
    let r = w.check_move("new", "done", facts()).expect_err("unknown");
    assert_eq!(r.refusal, Refusal::UnknownState("done".into()));
    let r = w.check_move("new", "new", facts()).expect_err("same");
    assert_eq!(r.refusal, Refusal::SameState("new".into()));
}

#[test]
fn reopen_paths_lead_back_to_in_progress_with_a_reason() {
    let w = wf();
    for from in ["resolved", "pending_acceptance", "closed"] {
        assert!(
            w.next_states(from, Role::Agent).contains(&"in_progress"),
            "{from}"
        );
        assert!(w.check_move(from, "in_progress", facts()).is_err());
        let with_reason = MoveFacts {
            note: Some("still broken"),
            ..facts()
        };
        assert_eq!(
            w.check_move(from, "in_progress", with_reason)
                .map(|d| d.note_use),
            Ok(NoteUse::Reason)
        );
    }
}

#[test]
fn role_limited_transition_names_the_least_role() {
    let src = r#"
initial = "a"
[[state]]
id = "a"
label = { en = "A" }
[[state]]
id = "b"
label = { en = "B" }
final = true
[[transition]]
from = ["a"]
to = "b"
roles = ["admin", "supervisor"]
[[type]]
id = "t"
label = { en = "T" }
"#;
    let w = Workflow::parse(src).expect("valid");
    assert!(w.next_states("a", Role::Agent).is_empty());
    assert_eq!(
        w.check_move("a", "b", facts()).map_err(|r| r.refusal),
        Err(Refusal::RoleRequired(Role::Supervisor))
    );
    assert!(
        w.check_move(
            "a",
            "b",
            MoveFacts {
                role: Role::Admin,
                ..facts()
            }
        )
        .is_ok()
    );
}

fn problems(src: &str) -> Vec<(Option<usize>, Problem)> {
    Workflow::parse(src)
        .expect_err("invalid")
        .into_iter()
        .map(|DefinitionError { line, problem }| (line, problem))
        .collect()
}

#[test]
fn unreachable_and_dead_end_states_are_rejected_with_lines() {
    let src = "initial = \"a\"
[[state]]
id = \"a\"
label = { en = \"A\" }
[[state]]
id = \"orphan\"
label = { en = \"O\" }
final = true
[[state]]
id = \"stuck\"
label = { en = \"S\" }
[[transition]]
from = [\"a\"]
to = \"stuck\"
[[type]]
id = \"t\"
label = { en = \"T\" }
";
    assert_eq!(
        problems(src),
        vec![
            (Some(6), Problem::Unreachable("orphan".into())),
            (Some(10), Problem::DeadEnd("stuck".into())),
        ]
    );
}

#[test]
fn unknown_names_are_reported_on_their_lines() {
    let src = "initial = \"a\"
[[state]]
id = \"a\"
label = { en = \"A\" }
[[state]]
id = \"a\"
label = { en = \"A again\" }
[[transition]]
from = [\"a\", \"ghost\"]
to = \"nowhere\"
requires = [\"magic\"]
roles = [\"root\"]
[[type]]
id = \"t\"
";
    assert_eq!(
        problems(src),
        vec![
            (Some(6), Problem::DuplicateState("a".into())),
            (Some(9), Problem::UnknownState("ghost".into())),
            (Some(10), Problem::UnknownState("nowhere".into())),
            (Some(11), Problem::UnknownRequirement("magic".into())),
            (Some(12), Problem::UnknownRole("root".into())),
            (Some(14), Problem::MissingEnglishLabel("t".into())),
        ]
    );
}

#[test]
fn categories_and_tags_show_by_the_labels_the_desk_gives_them() {
    let w = Workflow::default_workflow();
    assert_eq!(w.category_label("logistics/customs", "zh-CN"), "物流/清关");
    assert_eq!(
        w.category_label("logistics/customs", "en"),
        "logistics/customs"
    );
    // A level without a label shows as written; the levels above keep theirs.
    assert_eq!(w.category_label("logistics/drone", "zh-CN"), "物流/drone");
    assert_eq!(w.tag_label("refund", "zh-CN"), "退款");
    assert_eq!(w.tag_label("paypal", "zh-CN"), "paypal");
}

#[test]
fn bad_category_and_tag_labels_are_reported_on_their_lines() {
    let src = "initial = \"a\"
[[state]]
id = \"a\"
label = { en = \"A\" }
[[type]]
id = \"t\"
label = { en = \"T\" }
[[category]]
id = \"a/b/c/d\"
label = { en = \"deep\" }
[[category]]
id = \"a\"
label = { en = \"A\" }
[[category]]
id = \" a \"
label = { en = \"A again\" }
[[tag]]
id = \"   \"
label = { en = \"blank\" }
[[tag]]
id = \"vip\"
label = { zh-CN = \"贵宾\" }
[[tag]]
id = \"gift\"
label = { en = \"  \" }
[[category]]
id = \"a\\u001b[31m\"
label = { en = \"red\" }
";
    assert_eq!(
        problems(src),
        vec![
            (Some(9), Problem::BadCategory("a/b/c/d".into())),
            (Some(15), Problem::DuplicateTerm("a".into())),
            (Some(18), Problem::BadTag("   ".into())),
            (Some(21), Problem::MissingEnglishLabel("vip".into())),
            (Some(24), Problem::MissingEnglishLabel("gift".into())),
            (Some(27), Problem::BadCategory("a\u{1b}[31m".into())),
        ]
    );
}

#[test]
fn malformed_toml_names_its_line() {
    let errs = problems("initial = \"a\"\n[[state]]\nid = \n");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].0, Some(3));
    assert!(matches!(errs[0].1, Problem::Syntax(_)));
    let errs = problems("initial = \"a\"\ncolour = \"red\"\n");
    assert!(matches!(errs[0].1, Problem::Syntax(_)));
    assert_eq!(errs[0].0, Some(2));
}

// ---- property tests ----

/// A random move attempt: target state index, facts, override.
#[derive(Debug, Clone)]
struct Attempt {
    target: usize,
    has_assignee: bool,
    accepted: bool,
    note: Option<&'static str>,
    cause: Option<&'static str>,
    prevention: Option<&'static str>,
    role: Role,
    override_requested: bool,
    open_subtasks: usize,
    open_blockers: usize,
}

fn attempt() -> impl Strategy<Value = Attempt> {
    (
        0usize..8,
        any::<bool>(),
        any::<bool>(),
        prop_oneof![Just(None), Just(Some("")), Just(Some("because"))],
        prop_oneof![Just(None), Just(Some(" ")), Just(Some("logistics"))],
        prop_oneof![Just(None), Just(Some("")), Just(Some("new carrier"))],
        prop_oneof![Just(Role::Agent), Just(Role::Supervisor), Just(Role::Admin)],
        any::<bool>(),
        0usize..3,
        0usize..2,
    )
        .prop_map(
            |(
                target,
                has_assignee,
                accepted,
                note,
                cause,
                prevention,
                role,
                override_requested,
                open_subtasks,
                open_blockers,
            )| {
                Attempt {
                    target,
                    has_assignee,
                    accepted,
                    note,
                    cause,
                    prevention,
                    role,
                    override_requested,
                    open_subtasks,
                    open_blockers,
                }
            },
        )
}

fn event(kind: EventKind, old: Option<&str>, new: &str) -> Event {
    Event {
        id: 0,
        ticket: Some(1),
        actor: "prop".into(),
        at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
        kind,
        field: None,
        old: old.map(String::from),
        new: Some(new.into()),
    }
}

/// Runs attempts against `w`, checking every accepted move against the graph and its guards.
fn walk(w: &Workflow, attempts: &[Attempt]) -> Result<(), TestCaseError> {
    let ids: Vec<String> = w.states().iter().map(|s| s.id.clone()).collect();
    let mut current = w.initial().id.clone();
    let mut log = vec![event(EventKind::Created, None, &current)];
    for a in attempts {
        let target = ids[a.target % ids.len()].clone();
        let f = MoveFacts {
            has_assignee: a.has_assignee,
            accepted: a.accepted,
            note: a.note,
            cause: a.cause,
            prevention: a.prevention,
            role: a.role,
            override_requested: a.override_requested,
            open_subtasks: a.open_subtasks,
            open_blockers: a.open_blockers,
        };
        match w.check_move(&current, &target, f) {
            Ok(decision) => {
                let t = w
                    .transitions()
                    .iter()
                    .find(|t| t.from == current && t.to == target);
                prop_assert!(t.is_some(), "accepted a move that is not an edge");
                let t = t.expect("checked");
                prop_assert!(t.roles.is_empty() || t.roles.iter().any(|r| a.role.at_least(*r)));
                if decision.overridden {
                    prop_assert!(t.override_roles.iter().any(|r| a.role.at_least(*r)));
                    prop_assert!(has_text(a.note));
                } else {
                    for req in &t.requires {
                        let holds = match req {
                            Requirement::Assignee => a.has_assignee,
                            Requirement::Resolution | Requirement::Reason => has_text(a.note),
                            Requirement::Acceptance => a.accepted,
                            Requirement::Cause => has_text(a.cause),
                            Requirement::Prevention => has_text(a.prevention),
                            Requirement::SubtasksDone => a.open_subtasks == 0,
                            Requirement::BlockersDone => a.open_blockers == 0,
                        };
                        prop_assert!(holds, "guard {:?} did not hold", req);
                    }
                }
                log.push(event(EventKind::Status, Some(&current), &target));
                current = target;
            }
            Err(refused) => {
                let next = w.next_states(&current, a.role);
                prop_assert_eq!(
                    refused
                        .allowed
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>(),
                    next
                );
            }
        }
        prop_assert!(w.state(&current).is_some(), "left the graph");
        let replayed = replay_status(&log);
        prop_assert_eq!(replayed.as_deref(), Some(current.as_str()));
    }
    Ok(())
}

/// A random workflow of 2–7 states, built to be valid: a chain from the
/// initial state guarantees reachability, the last state is final.
fn random_workflow() -> impl Strategy<Value = String> {
    (
        2usize..8,
        proptest::collection::vec((0usize..8, 0usize..8, 0usize..5), 0..12),
    )
        .prop_map(|(n, extra)| {
            let reqs = ["", "assignee", "resolution", "reason", "acceptance"];
            let mut s = String::from("initial = \"s0\"\n");
            for i in 0..n {
                let fin = if i == n - 1 { "final = true\n" } else { "" };
                s += &format!("[[state]]\nid = \"s{i}\"\nlabel = {{ en = \"S{i}\" }}\n{fin}");
            }
            let mut edges = std::collections::BTreeSet::new();
            for i in 0..n - 1 {
                edges.insert((i, i + 1, 0));
            }
            for (a, b, r) in extra {
                let (a, b) = (a % n, b % n);
                if a != b && !edges.iter().any(|(x, y, _)| *x == a && *y == b) {
                    edges.insert((a, b, r));
                }
            }
            for (a, b, r) in edges {
                let req = if reqs[r].is_empty() {
                    String::new()
                } else {
                    format!(
                        "requires = [\"{}\"]\noverride_roles = [\"admin\"]\n",
                        reqs[r]
                    )
                };
                s += &format!("[[transition]]\nfrom = [\"s{a}\"]\nto = \"s{b}\"\n{req}");
            }
            s + "[[type]]\nid = \"t\"\nlabel = { en = \"T\" }\n"
        })
}

proptest! {
    /// Garbage in gives errors with lines inside the file, never a panic.
    #[test]
    fn arbitrary_definitions_never_panic(src in "(\\PC|\n|\\[|\\]|=|\"){0,200}") {
        if let Err(errors) = Workflow::parse(&src) {
            let lines = src.lines().count().max(1);
            for e in errors {
                prop_assert!(e.line.is_none_or(|l| l >= 1 && l <= lines + 1), "{e} in {src:?}");
            }
        }
    }

    /// Mutating the default definition one byte at a time never panics.
    #[test]
    fn mutated_default_definitions_never_panic(pos in 0usize..4000, byte in any::<u8>()) {
        let mut bytes = crate::workflow::DEFAULT_DEFINITION.as_bytes().to_vec();
        let i = pos % bytes.len();
        bytes[i] = byte;
        if let Ok(src) = String::from_utf8(bytes) {
            let _ = Workflow::parse(&src);
        }
    }

    #[test]
    fn random_moves_on_the_default_workflow_stay_in_the_graph(
        attempts in proptest::collection::vec(attempt(), 1..60)
    ) {
        walk(&wf(), &attempts)?;
    }

    #[test]
    fn random_moves_on_random_workflows_stay_in_the_graph(
        src in random_workflow(),
        attempts in proptest::collection::vec(attempt(), 1..40)
    ) {
        let w = Workflow::parse(&src).map_err(|e| TestCaseError::fail(format!("{e:?}\n{src}")))?;
        walk(&w, &attempts)?;
    }
}
