//! Role × action × ownership: every combination of who acts, what they do
//! and whose ticket it is, against the table in the README, on a fresh copy
//! of one desk each time. Includes the bug classes that keep recurring in
//! helpdesks: a hidden ticket opened by number, a secondary path (search,
//! board, bulk, counts) that skips the check, and a role that changes while
//! a session is open.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use tdesk::Error;
use tdesk::domain::{
    ListRequest, NewTicket, Priority, Query, Role, SortDir, SortKey, TicketChanges,
};
use tdesk::service::{BulkAction, Desk, FixedClock, Identity, MoveOptions, Targets};

/// Members: (login, role, team).
const MEMBERS: [(&str, Role, Option<&str>); 6] = [
    ("ann", Role::Agent, Some("eu")),
    ("bob", Role::Agent, Some("eu")),
    ("lone", Role::Agent, None),
    ("sue", Role::Supervisor, Some("eu")),
    ("sam", Role::Supervisor, None),
    ("root", Role::Admin, None),
];

/// The README's table, written out: which tickets each member sees.
/// Agents: assigned to them, or unassigned in their team. Supervisors:
/// every ticket of their team and every ticket of no team yet (without a
/// team, the whole desk). Admins: everything.
const VISIBLE: [(&str, &[i64]); 6] = [
    ("ann", &[1, 3, 7]),
    ("bob", &[2, 3, 8]),
    ("lone", &[6]),
    ("sue", &[1, 2, 3, 6, 8]),
    ("sam", &[1, 2, 3, 4, 5, 6, 7, 8]),
    ("root", &[1, 2, 3, 4, 5, 6, 7, 8]),
];

/// Tickets by ownership: (title word, assignee, team). Numbers are 1..=8.
const TICKETS: [(&str, Option<&str>, Option<&str>); 8] = [
    ("annEu", Some("ann"), Some("eu")),
    ("bobEu", Some("bob"), Some("eu")),
    ("openEu", None, Some("eu")),
    ("openCn", None, Some("cn")),
    ("caraCn", Some("root"), Some("cn")),
    ("openNone", None, None),
    ("annCn", Some("ann"), Some("cn")),
    ("bobNone", Some("bob"), None),
];

fn expected_visible(login: &str) -> Vec<i64> {
    VISIBLE
        .iter()
        .find(|(l, _)| *l == login)
        .map(|(_, ids)| ids.to_vec())
        .unwrap_or_default()
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("valid")
}

fn who(login: &str) -> Identity {
    Identity {
        login: login.into(),
        display_name: login.into(),
    }
}

fn open(path: &Path, login: &str) -> Desk {
    Desk::create(path, &who(login), Arc::new(FixedClock::new(now())))
        .expect("open")
        .0
}

/// The template desk, built once per test run.
fn template(dir: &Path) -> PathBuf {
    let path = dir.join("template.db");
    let mut admin = open(&path, "root");
    for (login, role, team) in MEMBERS.iter().filter(|m| m.0 != "root") {
        admin.add_user(login, None, *role, *team).expect("member");
    }
    for (word, assignee, team) in TICKETS {
        let id = admin
            .create_ticket(NewTicket {
                title: format!("Parcel {word}"),
                team: team.map(String::from),
                ..Default::default()
            })
            .expect("ticket");
        if let Some(a) = assignee {
            admin.assign(id, Some(a), None).expect("assign");
        }
    }
    drop(admin);
    path
}

fn copy(template: &Path, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}.db"));
    std::fs::copy(template, &path).expect("copy");
    path
}

fn all_request(text: &str) -> ListRequest {
    ListRequest {
        query: Query::parse(text).expect("query"),
        sort: SortKey::Number,
        dir: SortDir::Asc,
        limit: 100,
        offset: 0,
        group: None,
        backwards: false,
    }
}

/// What an action did: done, refused as not found, forbidden, or anything
/// else (always a mismatch).
#[derive(Debug, PartialEq, Eq, Clone)]
enum Outcome {
    Done,
    NotFound,
    Forbidden,
    Other(String),
}

fn outcome<T>(result: Result<T, Error>, id: i64) -> Outcome {
    match result {
        Ok(_) => Outcome::Done,
        Err(Error::TicketNotFound(n)) if n == id => Outcome::NotFound,
        Err(Error::Forbidden { .. }) => Outcome::Forbidden,
        Err(other) => Outcome::Other(format!("{other:?}")),
    }
}

const ACTIONS: [&str; 8] = [
    "detail",
    "history",
    "comment",
    "edit",
    "move",
    "take",
    "assign_other",
    "bulk_tag",
];

fn run(desk: &mut Desk, action: &str, id: i64) -> Outcome {
    match action {
        "detail" => outcome(desk.detail(id), id),
        "history" => outcome(desk.history(id), id),
        "comment" => outcome(desk.comment(id, "Checked with the carrier.", true), id),
        "edit" => {
            let changes = TicketChanges {
                priority: Some(Priority::P1),
                ..Default::default()
            };
            outcome(desk.edit(id, &changes, None), id)
        }
        // A move the workflow allows from where the ticket is (assigned
        // tickets are in progress, unassigned ones new), so only access decides.
        "move" => {
            let to = if TICKETS[(id - 1) as usize].1.is_some() {
                "waiting_customer"
            } else {
                "closed"
            };
            let opts = MoveOptions {
                note: Some("Duplicate of an earlier message.".into()),
                ..Default::default()
            };
            outcome(desk.move_ticket(id, to, &opts), id)
        }
        "take" => {
            let me = desk.login().to_string();
            outcome(desk.assign(id, Some(&me), None), id)
        }
        "assign_other" => {
            let other = if desk.login() == "bob" { "ann" } else { "bob" };
            outcome(desk.assign(id, Some(other), None), id)
        }
        "bulk_tag" => {
            let done = desk
                .bulk(&Targets::Ids(vec![id]), &BulkAction::AddTag("vip".into()))
                .expect("bulk");
            match done.refused.first() {
                None => Outcome::Done,
                Some((_, Error::TicketNotFound(n))) if *n == id => Outcome::NotFound,
                Some((_, e)) => Outcome::Other(format!("{e:?}")),
            }
        }
        other => Outcome::Other(format!("unknown action {other}")),
    }
}

/// What the table says an action on a ticket gives.
fn expected(login: &str, role: Role, action: &str, id: i64) -> Outcome {
    let visible = expected_visible(login).contains(&id);
    if !visible {
        return Outcome::NotFound;
    }
    let assignee = TICKETS[(id - 1) as usize].1;
    match action {
        "take" if role == Role::Agent => {
            if assignee.is_none() || assignee == Some(login) {
                Outcome::Done
            } else {
                Outcome::Forbidden
            }
        }
        "assign_other" if role == Role::Agent => Outcome::Forbidden,
        // `move` to waiting_customer: allowed from new only with an assignee
        // and from in_progress; the refusals are the workflow's, not access.
        _ => Outcome::Done,
    }
}

#[test]
fn every_role_action_and_ownership_matches_the_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let template = template(dir.path());
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for (login, role, _) in MEMBERS {
        // Reads that select many tickets: list, count, search, board, bulk by query.
        let path = copy(&template, dir.path(), login);
        let mut desk = open(&path, login);
        let listed: Vec<i64> = desk
            .list(&all_request(""))
            .expect("list")
            .iter()
            .map(|r| r.id)
            .collect();
        let searched: Vec<i64> = desk
            .search(&Query::parse("parcel").expect("query"), 50)
            .expect("search")
            .iter()
            .map(|h| h.row.id)
            .rev()
            .collect();
        let count = desk.count(&Query::default()).expect("count");
        let on_board: i64 = desk
            .board(&Query::default(), 50)
            .expect("board")
            .iter()
            .map(|c| c.count)
            .sum();
        let want = expected_visible(login);
        for (what, got) in [("list", &listed), ("search", &searched)] {
            checked += 1;
            if *got != want {
                mismatches.push(format!("{login} {what}: {got:?}, want {want:?}"));
            }
        }
        for (what, got) in [("count", count), ("board", on_board)] {
            checked += 1;
            if got != want.len() as i64 {
                mismatches.push(format!("{login} {what}: {got}, want {}", want.len()));
            }
        }
        let bulk = desk
            .bulk(
                &Targets::Query(Query::default()),
                &BulkAction::Priority(Priority::P0),
            )
            .expect("bulk by query");
        checked += 1;
        if bulk.done != want {
            mismatches.push(format!(
                "{login} bulk by query: {:?}, want {want:?}",
                bulk.done
            ));
        }
        drop(desk);

        // Actions on one ticket by number.
        for action in ACTIONS {
            for id in 1..=TICKETS.len() as i64 {
                let path = copy(&template, dir.path(), &format!("{login}-{action}-{id}"));
                let mut desk = open(&path, login);
                let got = run(&mut desk, action, id);
                let want = expected(login, role, action, id);
                checked += 1;
                if got != want {
                    mismatches.push(format!(
                        "{login} ({role}) {action} #{id}: {got:?}, want {want:?}"
                    ));
                }
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {checked} combinations differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert!(checked >= 6 * (5 + 8 * 8), "{checked} combinations checked");
}

#[test]
fn a_hidden_ticket_answers_exactly_like_a_missing_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = template(dir.path());
    let mut ann = open(&path, "ann");
    let hidden = ann.detail(2).expect_err("bob's ticket");
    let missing = ann.detail(99).expect_err("no such ticket");
    assert!(matches!(hidden, Error::TicketNotFound(2)), "{hidden:?}");
    assert!(matches!(missing, Error::TicketNotFound(99)), "{missing:?}");
    assert_eq!(hidden.exit_code(), missing.exit_code());
    let hidden = ann.comment(2, "x", false).expect_err("comment");
    assert!(matches!(hidden, Error::TicketNotFound(2)), "{hidden:?}");
}

#[test]
fn a_role_change_applies_to_a_session_that_is_already_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = template(dir.path());
    let mut sue = open(&path, "sue");
    assert!(
        sue.detail(2).is_ok(),
        "a supervisor sees the team's tickets"
    );
    let mut admin = open(&path, "root");
    admin.set_role("sue", Role::Agent).expect("demote");
    // Same open session, next action: the agent's view.
    assert!(matches!(sue.detail(2), Err(Error::TicketNotFound(2))));
    assert!(matches!(
        sue.assign(3, Some("bob"), None),
        Err(Error::Forbidden { .. })
    ));
    let listed: Vec<i64> = sue
        .list(&all_request(""))
        .expect("list")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, vec![3], "only the team's unassigned ticket");
    admin.remove_user("sue").expect("remove");
    assert!(matches!(
        sue.list(&all_request("")),
        Err(Error::NotMember(_))
    ));
    assert!(matches!(sue.detail(3), Err(Error::NotMember(_))));
}

#[test]
fn an_agents_new_ticket_joins_their_team_and_stays_in_sight() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = template(dir.path());
    let mut ann = open(&path, "ann");
    let id = ann
        .create_ticket(NewTicket {
            title: "Phone call: wrong colour".into(),
            ..Default::default()
        })
        .expect("create");
    assert_eq!(
        ann.detail(id).expect("visible").ticket.team.as_deref(),
        Some("eu")
    );
    let refused = ann.create_ticket(NewTicket {
        title: "For bob".into(),
        assignee: Some("bob".into()),
        ..Default::default()
    });
    assert!(
        matches!(refused, Err(Error::Forbidden { .. })),
        "{refused:?}"
    );
}

#[test]
fn a_supervisors_new_ticket_is_in_their_team_and_unrouted_tickets_reach_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = template(dir.path());
    let mut sue = open(&path, "sue");
    let id = sue
        .create_ticket(NewTicket {
            title: "Phone call: parcel lost".into(),
            ..Default::default()
        })
        .expect("create");
    // What the audit hit: `tdesk add` then `tdesk assign N bob` said "not found".
    sue.assign(id, Some("bob"), None)
        .expect("their own new ticket");
    assert_eq!(
        sue.detail(id).expect("seen").ticket.team.as_deref(),
        Some("eu")
    );
    // A ticket no rule routed (mail, an import) is every supervisor's to route.
    let mut root = open(&path, "root");
    let unrouted = root
        .create_ticket(NewTicket {
            title: "Mail from an unknown address".into(),
            ..Default::default()
        })
        .expect("admin's ticket, no team");
    assert_eq!(root.detail(unrouted).expect("seen").ticket.team, None);
    assert!(sue.detail(unrouted).is_ok(), "sue routes it");
    assert!(
        open(&path, "ann").detail(unrouted).is_err(),
        "agents do not see it"
    );
}

#[test]
fn an_open_tui_shows_a_demotion_at_the_next_refresh() {
    use tdesk::i18n::{Catalog, Lang};
    use tdesk::tui::action::Action;
    use tdesk::tui::harness::Harness;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = template(dir.path());
    let mut h =
        Harness::new(open(&path, "sue"), Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    assert!(h.render().contains("sue · supervisor"));
    let listed = |h: &Harness| {
        (0..10)
            .filter_map(|i| h.app.list.row(i).map(|r| r.id))
            .count()
    };
    assert_eq!(listed(&h), 5, "the team's three tickets and two of no team");
    open(&path, "root")
        .set_role("sue", Role::Agent)
        .expect("demote");
    h.act(Action::DeskChanged);
    assert!(h.render().contains("sue · agent"), "{}", h.render());
    assert_eq!(listed(&h), 1, "only the team's unassigned ticket now");
}

/// Reports are scoped like everything else: an agent's own tickets (not the
/// unassigned ones of their team), a supervisor's team and the tickets of
/// no team, the whole desk for an admin or a supervisor without a team.
/// Nothing outside the scope shows up anywhere in the report — counts,
/// per-agent rows, per-team rows or the ticket lists.
#[test]
fn reports_hold_only_what_the_role_may_measure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let template = template(dir.path());
    let expected: [(&str, &[i64]); 6] = [
        ("ann", &[1, 7]),
        ("bob", &[2, 8]),
        ("lone", &[]),
        ("sue", &[1, 2, 3, 6, 8]),
        ("sam", &[1, 2, 3, 4, 5, 6, 7, 8]),
        ("root", &[1, 2, 3, 4, 5, 6, 7, 8]),
    ];
    let utc = chrono::FixedOffset::east_opt(0).expect("utc");
    let period = tdesk::metrics::Period::last_days(now().timestamp_millis(), 7, utc);
    for (login, ids) in expected {
        let path = copy(&template, dir.path(), &format!("report-{login}"));
        let desk = open(&path, login);
        let report = desk.report(period).expect("report");
        let m = &report.metrics;
        assert_eq!(m.current.created, ids.len() as u64, "{login} created");
        let (_, rows) = desk.report_tickets(period).expect("rows");
        let mut seen: Vec<i64> = rows.iter().map(|r| r.id).collect();
        seen.sort_unstable();
        assert_eq!(seen, ids, "{login} per-ticket rows");
        let mut listed: Vec<i64> = m.worst.iter().map(|t| t.id).collect();
        listed.sort_unstable();
        assert_eq!(listed, ids, "{login} worst tickets");
        let visible_agents: Vec<&str> = TICKETS
            .iter()
            .enumerate()
            .filter(|(i, _)| ids.contains(&(*i as i64 + 1)))
            .filter_map(|(_, t)| t.1)
            .collect();
        for row in &m.agents {
            assert!(
                visible_agents.contains(&row.key.as_str()),
                "{login} sees agent {}",
                row.key
            );
        }
    }
}

/// Milestones, the timeline and "my work" read tickets and steps by other
/// paths than the list: each holds only what the member may see, and a
/// step's owner sees their step of a hidden ticket as a step, nothing more.
#[test]
fn planning_reads_hold_only_what_the_role_may_see() {
    let dir = tempfile::tempdir().expect("tempdir");
    let template = template(dir.path());
    let mut root = open(&template, "root");
    root.add_milestone(tdesk::domain::NewMilestone {
        name: "Customs backlog".into(),
        ..Default::default()
    })
    .expect("milestone");
    let all: Vec<i64> = (1..=TICKETS.len() as i64).collect();
    let mut steps = Vec::new();
    for &id in &all {
        // Every ticket has a step; lone owns the step of ticket 2 (bob's).
        let owner = if id == 2 { "lone" } else { "root" };
        let s = root
            .add_subtask(
                id,
                tdesk::domain::NewSubtask {
                    title: format!("Step of {id}"),
                    assignee: Some(owner.into()),
                    ..Default::default()
                },
            )
            .expect("step");
        steps.push(s.id);
    }
    root.place_in_milestone(Some("Customs backlog"), &all, &steps)
        .expect("placed");
    drop(root);
    for (login, _, _) in MEMBERS {
        let desk = open(&template, login);
        let want = expected_visible(login);
        let listed: Vec<i64> = desk
            .list(&all_request("milestone:\"Customs backlog\""))
            .expect("list")
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(listed, want, "{login}: milestone: query");
        let m = desk.find_milestone("Customs backlog").expect("milestone");
        let p = desk.milestone_progress(&m).expect("progress");
        assert_eq!((p.tickets, p.steps), (want.len(), want.len()), "{login}");
        let mut of_steps: Vec<i64> = desk
            .milestone_steps(&m, 100)
            .expect("steps")
            .iter()
            .map(|s| s.ticket)
            .collect();
        of_steps.sort_unstable();
        assert_eq!(of_steps, want, "{login}: milestone steps");
        let extras = desk.timeline_extras(&all).expect("timeline");
        assert_eq!(extras.tickets, want, "{login}: timeline");
        assert!(
            extras.steps.iter().all(|s| want.contains(&s.ticket)),
            "{login}: timeline steps"
        );
        for item in desk.my_work(100).expect("my work") {
            match item {
                tdesk::domain::WorkItem::Ticket(t) => {
                    assert!(want.contains(&t.id), "{login}: my work #{}", t.id)
                }
                tdesk::domain::WorkItem::Step { step, visible, .. } => {
                    assert_eq!(step.assignee.as_deref(), Some(login));
                    assert_eq!(visible, want.contains(&step.ticket), "{login}");
                }
            }
        }
    }
    // lone owns a step of bob's ticket: it is in lone's work, the ticket is not.
    let lone = open(&template, "lone");
    let work = lone.my_work(100).expect("my work");
    assert!(work.iter().any(|i| matches!(
        i,
        tdesk::domain::WorkItem::Step { step, visible: false, .. } if step.ticket == 2
    )));
    assert!(matches!(lone.detail(2), Err(Error::TicketNotFound(2))));
    assert!(matches!(lone.subtasks(2), Err(Error::TicketNotFound(2))));
}
