//! Service tests: the use cases against an in-memory or temporary desk with a
//! fixed clock.

use chrono::{Duration, TimeZone, Utc};
use std::sync::Arc;

use super::*;
use crate::domain::{EventKind, NewTicket, Priority, Query, TicketChanges, replay_status};

fn t0() -> chrono::DateTime<chrono::Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("valid")
}

pub(super) fn who(login: &str) -> Identity {
    Identity {
        login: login.into(),
        display_name: login.into(),
    }
}

pub(super) fn desk() -> (Desk, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(t0()));
    let desk = Desk::open_in_memory(&who("alice"), clock.clone()).expect("open");
    (desk, clock)
}

pub(super) fn new_ticket(title: &str) -> NewTicket {
    NewTicket {
        title: title.into(),
        ..NewTicket::default()
    }
}

fn note(text: &str) -> MoveOptions {
    MoveOptions {
        note: Some(text.into()),
        ..MoveOptions::default()
    }
}

/// A resolution record: the summary and a root cause.
pub(super) fn resolution(text: &str) -> MoveOptions {
    MoveOptions {
        cause: Some("logistics".into()),
        ..note(text)
    }
}

#[test]
fn the_first_member_is_admin_and_strangers_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(t0()));
    // An empty or new file is never made a desk by opening it.
    std::fs::write(&path, b"").expect("empty file");
    let err = Desk::open(&path, &who("alice"), clock.clone())
        .err()
        .expect("nothing to open");
    assert!(matches!(err, Error::EmptyDesk(_)), "{err:?}");
    assert_eq!(
        std::fs::metadata(&path).expect("file").len(),
        0,
        "nothing written"
    );
    let (desk, opened) = Desk::create(&path, &who("alice"), clock.clone()).expect("create");
    assert_eq!(opened, Opened::Bootstrapped);
    assert_eq!(desk.me().expect("me").role, Role::Admin);
    drop(desk);
    let (_, again) = Desk::open(&path, &who("alice"), clock.clone()).expect("reopen");
    assert_eq!(again, Opened::Existing);
    let err = Desk::open(&path, &who("mallory"), clock)
        .err()
        .expect("stranger refused");
    assert_eq!(err, Error::NotMember("mallory".into()));
    assert_eq!(err.exit_code(), 4);
}

#[test]
fn a_ticket_walks_the_whole_workflow_and_its_history_replays() {
    let (mut desk, clock) = desk();
    // Walked by hand, every step: no automations moving it along.
    desk.set_automations("", "none").expect("no automations");
    desk.add_user("bob", None, Role::Agent, Some("eu"))
        .expect("add bob");
    let id = desk
        .create_ticket(NewTicket {
            customer_email: Some("lena@example.de".into()),
            priority: Some(Priority::P1),
            tags: vec!["Late Parcel".into()],
            ..new_ticket("  Parcel stuck \n in customs ")
        })
        .expect("create");
    let t = desk.detail(id).expect("detail");
    assert_eq!(t.ticket.title, "Parcel stuck in customs");
    assert_eq!(t.ticket.status, "new");
    assert_eq!(t.ticket.tags, vec!["late-parcel".to_string()]);
    assert_eq!(t.customer.map(|c| c.name), Some("lena".to_string()));

    clock.advance(Duration::minutes(5));
    let refused = desk.move_ticket(id, "in_progress", &MoveOptions::default());
    assert!(
        matches!(refused, Err(Error::Refused(_))),
        "needs an assignee"
    );

    let t = desk.assign(id, Some("bob"), None).expect("assign");
    assert_eq!(t.status, "in_progress", "assigning a new ticket takes it");

    clock.advance(Duration::minutes(5));
    desk.comment(id, "We are on it.", false).expect("reply");
    let t = desk
        .move_ticket(id, "waiting_customer", &MoveOptions::default())
        .expect("wait");
    assert_eq!(t.first_response_at, Some(t0() + Duration::minutes(10)));

    assert!(
        desk.move_ticket(id, "resolved", &MoveOptions::default())
            .is_err()
    );
    let t = desk
        .move_ticket(id, "resolved", &resolution("Invoice re-sent"))
        .expect("resolve");
    assert_eq!(t.resolution.as_deref(), Some("Invoice re-sent"));
    assert!(t.resolved_at.is_some());

    desk.move_ticket(id, "pending_acceptance", &MoveOptions::default())
        .expect("ask");
    let err = desk
        .move_ticket(id, "closed", &MoveOptions::default())
        .expect_err("no acceptance");
    let Error::Refused(r) = &err else {
        return assert_eq!(err.exit_code(), 4);
    };
    assert_eq!(r.refused.allowed, ["in_progress", "closed"]);

    // An admin records it without the customer's words: a supervisor's
    // acceptance, which closes the ticket.
    let outcome = desk.accept(id, Some(5), None, None).expect("accept");
    assert_eq!(
        outcome,
        crate::service::VerdictOutcome::Closed {
            state: "closed".into()
        }
    );
    let t = desk.detail(id).expect("detail").ticket;
    assert!(t.closed_at.is_some());
    assert_eq!(
        t.closure.accepted_by,
        Some(crate::domain::AcceptedBy::Supervisor)
    );
    let t = desk
        .move_ticket(id, "已归档", &MoveOptions::default())
        .expect("archive by label");
    assert_eq!(t.status, "archived");

    let history = desk.history(id).expect("history");
    assert_eq!(replay_status(&history).as_deref(), Some("archived"));
    let statuses: Vec<_> = history
        .iter()
        .filter(|e| e.kind == EventKind::Status)
        .map(|e| e.new.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        statuses,
        [
            "in_progress",
            "waiting_customer",
            "resolved",
            "pending_acceptance",
            "closed",
            "archived"
        ]
    );
    assert!(history.iter().all(|e| e.actor == "alice"));
    assert!(history.windows(2).all(|w| w[0].at <= w[1].at));
}

#[test]
fn reopening_clears_resolution_and_acceptance() {
    let (mut desk, _) = desk();
    // Walked by hand, every step: no automations moving it along.
    desk.set_automations("", "none").expect("no automations");
    let id = desk
        .create_ticket(new_ticket("Login fails"))
        .expect("create");
    desk.assign(id, Some("alice"), None).expect("take");
    desk.move_ticket(id, "resolved", &resolution("Reset the token"))
        .expect("resolve");
    desk.move_ticket(id, "pending_acceptance", &MoveOptions::default())
        .expect("ask");
    desk.accept(id, Some(4), Some("works"), None)
        .expect("accept");
    let t = desk
        .move_ticket(id, "in_progress", &note("Customer says still broken"))
        .expect("reopen");
    assert_eq!(
        (t.resolution, t.accepted_at, t.rating, t.resolved_at),
        (None, None, None, None)
    );
    assert_eq!((t.closure.cause, t.closure.reopens), (None, 1));
    let d = desk.detail(id).expect("detail");
    let last = d.comments.last().expect("reason stored as note");
    assert!(last.internal && last.body == "Customer says still broken");
}

#[test]
fn only_a_supervisor_may_close_without_acceptance_and_must_say_why() {
    let (mut desk, _) = desk();
    // Walked by hand, every step: no automations moving it along.
    desk.set_automations("", "none").expect("no automations");
    let id = desk.create_ticket(new_ticket("Refund")).expect("create");
    desk.assign(id, Some("alice"), None).expect("take");
    desk.move_ticket(id, "resolved", &resolution("Refunded"))
        .expect("resolve");
    desk.move_ticket(id, "pending_acceptance", &MoveOptions::default())
        .expect("ask");
    desk.add_user("bob", None, Role::Admin, None)
        .expect("second admin");
    desk.set_role("alice", Role::Agent).expect("demote alice");
    let override_opts = MoveOptions {
        override_requirements: true,
        note: Some("customer unreachable".into()),
        ..MoveOptions::default()
    };
    let err = desk
        .move_ticket(id, "closed", &override_opts)
        .expect_err("agent may not override");
    assert_eq!(err.exit_code(), 4);
    assert!(err.to_string().contains("supervisor"), "{err}");

    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(t0()));
    let _ = clock;
    desk.login = "bob".into();
    let no_reason = MoveOptions {
        note: None,
        ..override_opts.clone()
    };
    assert!(desk.move_ticket(id, "closed", &no_reason).is_err());
    let t = desk
        .move_ticket(id, "closed", &override_opts)
        .expect("override");
    assert_eq!(t.status, "closed");
    let history = desk.history(id).expect("history");
    let ov = history
        .iter()
        .find(|e| e.kind == EventKind::Override)
        .expect("override logged");
    assert_eq!(
        (ov.actor.as_str(), ov.new.as_deref()),
        ("bob", Some("customer unreachable"))
    );
}

#[test]
fn a_stale_edit_is_refused_as_a_conflict_naming_who_changed_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(t0()));
    let (mut alice, _) = Desk::create(&path, &who("alice"), clock.clone()).expect("alice");
    alice
        .add_user("bob", None, Role::Agent, None)
        .expect("add bob");
    let (mut bob, _) = Desk::open(&path, &who("bob"), clock).expect("bob");
    let id = alice
        .create_ticket(new_ticket("Wrong size"))
        .expect("create");
    let seen = alice.detail(id).expect("alice reads").ticket.version;
    bob.edit(
        id,
        &TicketChanges {
            priority: Some(Priority::P0),
            ..Default::default()
        },
        Some(seen),
    )
    .expect("bob saves first");
    let err = alice
        .edit(
            id,
            &TicketChanges {
                priority: Some(Priority::P3),
                ..Default::default()
            },
            Some(seen),
        )
        .expect_err("alice's stale save");
    assert!(
        matches!(&err, Error::Conflict { by, .. } if by == "bob"),
        "{err:?}"
    );
    assert_eq!(err.exit_code(), 5);
    assert_eq!(
        alice.detail(id).expect("read").ticket.priority,
        Priority::P0,
        "bob's edit survives"
    );
}

#[test]
fn edits_log_one_event_per_changed_field_and_skip_no_ops() {
    let (mut desk, _) = desk();
    let id = desk
        .create_ticket(new_ticket("Colour differs"))
        .expect("create");
    let before = desk.detail(id).expect("d").ticket.version;
    let same = TicketChanges {
        title: Some("Colour differs".into()),
        ..Default::default()
    };
    assert_eq!(desk.edit(id, &same, None).expect("no-op").version, before);
    let changes = TicketChanges {
        priority: Some(Priority::P1),
        kind: Some("售后".into()),
        add_tags: vec!["return".into()],
        ..Default::default()
    };
    let t = desk.edit(id, &changes, None).expect("edit");
    assert_eq!(
        (t.priority, t.kind.as_str(), t.version),
        (Priority::P1, "after-sales", before + 1)
    );
    let fields: Vec<_> = desk
        .history(id)
        .expect("h")
        .into_iter()
        .filter(|e| e.kind == EventKind::Field)
        .map(|e| e.field.unwrap_or_default())
        .collect();
    assert_eq!(fields, ["priority", "type", "tag"]);
}

#[test]
fn a_demoted_member_loses_rights_at_the_next_action() {
    let (mut desk, _) = desk();
    desk.add_user("bob", None, Role::Admin, None).expect("add");
    desk.set_role("alice", Role::Agent).expect("demote self");
    let err = desk
        .add_user("carol", None, Role::Agent, None)
        .expect_err("no longer admin");
    assert_eq!(
        err,
        Error::Forbidden {
            action: "action.user_add",
            needs: Role::Admin
        }
    );
}

#[test]
fn the_last_admin_cannot_step_down() {
    let (mut desk, _) = desk();
    assert_eq!(
        desk.set_role("alice", Role::Agent).expect_err("last admin"),
        Error::LastAdmin
    );
}

#[test]
fn queries_resolve_me_open_and_labels() {
    let (mut desk, _) = desk();
    let a = desk.create_ticket(new_ticket("Parcel late")).expect("a");
    let b = desk.create_ticket(new_ticket("退款申请")).expect("b");
    desk.assign(b, Some("alice"), None).expect("take b");
    let ids = |desk: &Desk, q: &str| -> Vec<i64> {
        let req = crate::domain::ListRequest {
            query: desk.parse_query(q).expect("query"),
            sort: crate::domain::SortKey::Number,
            dir: crate::domain::SortDir::Asc,
            limit: 50,
            offset: 0,
            group: None,
            backwards: false,
        };
        desk.list(&req)
            .expect("list")
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(ids(&desk, "assignee:me"), vec![b]);
    assert_eq!(ids(&desk, "assignee:none"), vec![a]);
    assert_eq!(ids(&desk, "status:open"), vec![a, b]);
    assert_eq!(ids(&desk, "status:处理中"), vec![b]);
    assert_eq!(ids(&desk, "status:unassigned"), vec![a]);
    assert_eq!(ids(&desk, "退款"), vec![b]);
    let err = desk.parse_query("status:done").expect_err("unknown status");
    assert_eq!(err.exit_code(), 2);
    assert_eq!(desk.count(&Query::default()).expect("count"), 2);
}

#[test]
fn board_columns_follow_workflow_order_with_counts() {
    let (mut desk, _) = desk();
    for i in 0..3 {
        desk.create_ticket(new_ticket(&format!("ticket {i}")))
            .expect("create");
    }
    desk.assign(2, Some("alice"), None).expect("take");
    let board = desk.board(&Query::default(), 10).expect("board");
    assert_eq!(board.len(), 7);
    assert_eq!((board[0].state.as_str(), board[0].count), ("new", 2));
    assert_eq!(
        (board[1].state.as_str(), board[1].count),
        ("in_progress", 1)
    );
    assert_eq!(board[1].rows[0].id, 2);
}

#[test]
fn a_workflow_missing_a_used_state_is_refused() {
    let (mut desk, _) = desk();
    let id = desk.create_ticket(new_ticket("x")).expect("create");
    desk.assign(id, Some("alice"), None).expect("take");
    let small = r#"
initial = "new"
[[state]]
id = "new"
label = { en = "New" }
[[state]]
id = "done"
label = { en = "Done" }
final = true
[[transition]]
from = ["new"]
to = "done"
[[type]]
id = "inquiry"
label = { en = "Inquiry" }
"#;
    let err = desk
        .set_workflow(small, "small.toml")
        .expect_err("in_progress in use");
    assert_eq!(
        err,
        Error::WorkflowStateInUse {
            state: "in_progress".into(),
            tickets: 1
        }
    );
    assert!(
        desk.workflow().state("in_progress").is_some(),
        "old workflow kept"
    );
}

#[test]
fn limits_and_empty_values_are_clear_errors() {
    let (mut desk, _) = desk();
    assert_eq!(
        desk.create_ticket(new_ticket("   ")),
        Err(Error::Empty("field.title"))
    );
    let long = "x".repeat(ops::TITLE_MAX_CHARS + 1);
    assert!(matches!(
        desk.create_ticket(new_ticket(&long)),
        Err(Error::TooLong { .. })
    ));
    let huge = NewTicket {
        description: "y".repeat(ops::BODY_MAX_BYTES + 1),
        ..new_ticket("ok")
    };
    assert!(matches!(
        desk.create_ticket(huge),
        Err(Error::TooLong { .. })
    ));
    assert_eq!(
        desk.ticket_count().expect("count"),
        0,
        "nothing half-written"
    );
    let id = desk.create_ticket(new_ticket("ok")).expect("create");
    assert_eq!(
        desk.comment(id, " \n ", false).map(|_| ()),
        Err(Error::Empty("field.comment"))
    );
    assert_eq!(
        desk.assign(id, Some("ghost"), None).map(|_| ()),
        Err(Error::UserNotFound("ghost".into()))
    );
    assert_eq!(
        desk.detail(999).map(|_| ()),
        Err(Error::TicketNotFound(999))
    );
}

#[test]
fn demo_builds_tickets_in_every_state_with_valid_histories() {
    let (mut desk, _) = desk();
    let summary = desk.load_demo(120, 42).expect("demo");
    assert_eq!(summary.tickets, 120);
    let board = desk.board(&Query::default(), 1).expect("board");
    for column in &board {
        assert!(column.count > 0, "no demo ticket in {}", column.state);
    }
    for id in 1..=120 {
        let d = desk.detail(id).expect("detail");
        assert_eq!(
            replay_status(&d.events).as_deref(),
            Some(d.ticket.status.as_str()),
            "#{id}"
        );
    }
}

#[test]
fn time_and_deadline_clauses_select_by_the_clock_and_zone() {
    let (mut desk, clock) = desk();
    desk.set_timezone(chrono::FixedOffset::east_opt(8 * 3600).expect("offset"));
    let old = desk.create_ticket(new_ticket("old one")).expect("old");
    clock.advance(Duration::days(10));
    let due_soon = desk
        .create_ticket(NewTicket {
            due: Some(desk.now() + Duration::hours(4)),
            ..new_ticket("due soon")
        })
        .expect("due");
    let ids = |desk: &Desk, q: &str| -> Vec<i64> {
        let req = crate::domain::ListRequest {
            query: desk.parse_query(q).expect("query"),
            sort: crate::domain::SortKey::Number,
            dir: crate::domain::SortDir::Asc,
            limit: 50,
            offset: 0,
            group: None,
            backwards: false,
        };
        desk.list(&req)
            .expect("list")
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(ids(&desk, "created:>7d"), vec![old]);
    assert_eq!(ids(&desk, "created:<1d"), vec![due_soon]);
    assert_eq!(ids(&desk, "created:今天"), vec![due_soon]);
    assert_eq!(
        ids(&desk, "due:today"),
        vec![due_soon],
        "09:00 UTC + 4h is still today in UTC+8"
    );
    // The old one has waited ten days for a first response: its SLA clock
    // (P2: 4 h, round the clock without a team) is long breached; the other
    // has a deadline set by hand, which the SLA leaves alone.
    assert_eq!(ids(&desk, "sla:ok"), vec![due_soon]);
    assert_eq!(ids(&desk, "sla:breached"), vec![old]);
    clock.advance(Duration::hours(3) + Duration::minutes(30));
    assert_eq!(ids(&desk, "sla:at-risk"), vec![due_soon]);
    clock.advance(Duration::hours(1));
    assert_eq!(ids(&desk, "sla:breached"), vec![old, due_soon]);
    assert_eq!(ids(&desk, "-sla:breached"), Vec::<i64>::new());
    assert_eq!(ids(&desk, &format!("#{old}")), vec![old]);
}

#[test]
fn a_window_read_backwards_equals_the_same_window_read_forwards() {
    let (mut desk, _) = desk();
    desk.load_demo(90, 5).expect("demo");
    let total = desk.count(&Query::default()).expect("count");
    for sort in crate::domain::SortKey::ALL {
        for dir in [crate::domain::SortDir::Asc, crate::domain::SortDir::Desc] {
            let all = crate::domain::ListRequest {
                query: Query::default(),
                sort,
                dir,
                limit: 1000,
                offset: 0,
                group: None,
                backwards: false,
            };
            let everything: Vec<i64> = desk
                .list(&all)
                .expect("list")
                .into_iter()
                .map(|r| r.id)
                .collect();
            let window = crate::domain::ListRequest {
                offset: 60,
                limit: 25,
                ..all.clone()
            };
            let backwards: Vec<i64> = desk
                .list_window(&window, Some(total))
                .expect("window")
                .into_iter()
                .map(|r| r.id)
                .collect();
            assert_eq!(backwards, everything[60..85].to_vec(), "{sort:?} {dir:?}");
        }
    }
}

#[test]
fn a_bulk_move_goes_through_the_engine_and_lists_what_it_refused() {
    let (mut desk, _) = desk();
    let a = desk.create_ticket(new_ticket("a")).expect("a");
    let b = desk.create_ticket(new_ticket("b")).expect("b");
    let c = desk.create_ticket(new_ticket("c")).expect("c");
    desk.assign(a, Some("alice"), None).expect("take a");
    desk.assign(b, Some("alice"), None).expect("take b");
    let out = desk
        .bulk(
            &Targets::Ids(vec![a, b, c]),
            &BulkAction::Move {
                to: "waiting_customer".into(),
                note: None,
            },
        )
        .expect("bulk");
    assert_eq!(out.done, vec![a, b]);
    assert_eq!(out.refused.len(), 1);
    assert_eq!(
        out.refused[0].0, c,
        "#c is still new: no transition to waiting"
    );
    assert!(matches!(out.refused[0].1, Error::Refused(_)));
    assert_eq!(
        desk.detail(c).expect("c").ticket.status,
        "new",
        "refused ticket untouched"
    );
    // A bulk tag over everything matching a query.
    let q = desk.parse_query("status:waiting_customer").expect("q");
    let out = desk
        .bulk(&Targets::Query(q), &BulkAction::AddTag("Follow up".into()))
        .expect("tag");
    assert_eq!(out.done, vec![a, b]);
    assert_eq!(
        desk.detail(a).expect("a").ticket.tags,
        vec!["follow-up".to_string()]
    );
}

#[test]
fn undo_takes_back_a_bulk_action_in_one_step_and_keeps_history_replayable() {
    let (mut desk, _) = desk();
    let ids: Vec<i64> = (0..3)
        .map(|i| {
            desk.create_ticket(new_ticket(&format!("t{i}")))
                .expect("create")
        })
        .collect();
    let out = desk
        .bulk(
            &Targets::Ids(ids.clone()),
            &BulkAction::Assign(Some("alice".into())),
        )
        .expect("bulk");
    assert_eq!(out.done.len(), 3);
    for id in &ids {
        assert_eq!(desk.detail(*id).expect("d").ticket.status, "in_progress");
    }
    let undone = desk.undo(None).expect("undo");
    assert_eq!(undone.reverted, ids);
    for id in &ids {
        let d = desk.detail(*id).expect("d");
        assert_eq!(
            (d.ticket.status.as_str(), d.ticket.assignee.as_deref()),
            ("new", None)
        );
        assert_eq!(replay_status(&d.events).as_deref(), Some("new"));
    }
    // The undone change is not offered again; creating cannot be undone.
    assert_eq!(desk.undo(None).map(|_| ()), Err(Error::CannotUndoCreate));
}

#[test]
fn undo_refuses_to_overwrite_someone_elses_later_edit() {
    let (mut desk, _) = desk();
    desk.add_user("bob", None, Role::Supervisor, None)
        .expect("bob");
    let id = desk
        .create_ticket(new_ticket("Wrong size"))
        .expect("create");
    desk.edit(
        id,
        &TicketChanges {
            priority: Some(Priority::P1),
            ..Default::default()
        },
        None,
    )
    .expect("alice edits");
    let mine = desk.recent_changes(1).expect("changes").remove(0);
    desk.login = "bob".into();
    desk.edit(
        id,
        &TicketChanges {
            title: Some("Wrong size (EU 38)".into()),
            ..Default::default()
        },
        None,
    )
    .expect("bob edits later");
    desk.login = "alice".into();
    let out = desk.undo(Some(mine.id)).expect("undo runs");
    assert!(out.reverted.is_empty());
    assert_eq!(out.refused.len(), 1);
    assert!(
        matches!(&out.refused[0].1, UndoRefusal::ChangedSince { by, .. } if by == "bob"),
        "{:?}",
        out.refused
    );
    assert_eq!(
        desk.detail(id).expect("d").ticket.priority,
        Priority::P1,
        "left as it is"
    );
}

#[test]
fn undo_restores_fields_tags_and_retracts_comments() {
    let (mut desk, _) = desk();
    let id = desk
        .create_ticket(NewTicket {
            tags: vec!["a".into()],
            ..new_ticket("Title")
        })
        .expect("create");
    let changes = TicketChanges {
        title: Some("New title".into()),
        priority: Some(Priority::P0),
        add_tags: vec!["b".into()],
        remove_tags: vec!["a".into()],
        ..Default::default()
    };
    desk.edit(id, &changes, None).expect("edit");
    desk.comment(id, "oops, wrong ticket", false)
        .expect("comment");
    desk.undo(None).expect("undo comment");
    assert!(desk.detail(id).expect("d").comments.is_empty());
    desk.undo(None).expect("undo edit");
    let t = desk.detail(id).expect("d").ticket;
    assert_eq!(
        (t.title.as_str(), t.priority, t.tags),
        ("Title", Priority::P2, vec!["a".to_string()])
    );
    desk.check_search_index().expect("index still exact");
}

/// Every query the detail pane's read runs is bounded by an index: with the
/// planner told the desk holds a million tickets, no step of any plan reads
/// a whole big table (or a whole index of one).
#[test]
fn the_detail_pane_reads_only_index_ranges_at_a_million_tickets() {
    let (mut desk, _) = desk();
    desk.load_demo(300, 7).expect("demo");
    // A ticket with a customer, a conversation and a mailed reply.
    let id = (1..=300)
        .find(|&i| {
            desk.detail(i)
                .is_ok_and(|d| d.customer.is_some() && !d.comments.is_empty())
        })
        .expect("a ticket with a customer and comments");
    desk.store.pretend_size(1_000_000).expect("stats");
    let seen = desk.store.record_statements();
    let view = desk.ticket_view(id).expect("view");
    assert_eq!(view.detail.ticket.id, id);
    let statements: Vec<String> = seen.lock().expect("lock").clone();
    assert!(statements.len() > 5, "{statements:?}");
    let big = [
        "tickets",
        "t",
        "comments",
        "events",
        "attachments",
        "outbox",
        "mail_messages",
        "notifications",
        "ticket_tags",
        "customers",
        "c",
        "customer_handles",
        "customer_orders",
    ];
    let mut scans = Vec::new();
    for sql in statements.iter().filter(|s| !s.starts_with("--")) {
        for step in desk.store.plan(sql).expect("plan") {
            let mut words = step.split_whitespace();
            if words.next() == Some("SCAN") && words.next().is_some_and(|t| big.contains(&t)) {
                scans.push(format!("{step}   <- {sql}"));
            }
        }
    }
    assert!(scans.is_empty(), "whole-table reads:\n{}", scans.join("\n"));
}

/// One thing a member does to a ticket, for the undo property.
#[derive(Debug, Clone)]
pub(super) enum Act {
    Title(u8),
    Priority(u8),
    Tag(u8),
    Untag(u8),
    Team(Option<u8>),
    Category(Option<u8>),
    Assign(bool),
    Move(u8),
    Spam,
    Reply,
    Note,
    Due(Option<u8>),
}

pub(super) fn act_strategy() -> impl proptest::strategy::Strategy<Value = Act> {
    use proptest::prelude::*;
    prop_oneof![
        (0u8..3).prop_map(Act::Title),
        (0u8..4).prop_map(Act::Priority),
        (0u8..3).prop_map(Act::Tag),
        (0u8..3).prop_map(Act::Untag),
        proptest::option::of(0u8..2).prop_map(Act::Team),
        proptest::option::of(0u8..2).prop_map(Act::Category),
        any::<bool>().prop_map(Act::Assign),
        (0u8..7).prop_map(Act::Move),
        Just(Act::Spam),
        Just(Act::Reply),
        Just(Act::Note),
        proptest::option::of(1u8..5).prop_map(Act::Due),
    ]
}

pub(super) fn perform(desk: &mut Desk, id: i64, act: &Act) -> Result<()> {
    let tags = ["refund", "vip", "customs"];
    let edit = |desk: &mut Desk, c: TicketChanges| desk.edit(id, &c, None).map(drop);
    match act {
        Act::Title(n) => edit(
            desk,
            TicketChanges {
                title: Some(format!("Title {n}")),
                ..Default::default()
            },
        ),
        Act::Priority(n) => edit(
            desk,
            TicketChanges {
                priority: Priority::parse(&format!("P{n}")).ok(),
                ..Default::default()
            },
        ),
        Act::Tag(n) => edit(
            desk,
            TicketChanges {
                add_tags: vec![tags[usize::from(*n)].into()],
                ..Default::default()
            },
        ),
        Act::Untag(n) => edit(
            desk,
            TicketChanges {
                remove_tags: vec![tags[usize::from(*n)].into()],
                ..Default::default()
            },
        ),
        Act::Team(t) => edit(
            desk,
            TicketChanges {
                team: Some(t.map(|n| ["eu", "cn"][usize::from(n)].to_string())),
                ..Default::default()
            },
        ),
        Act::Category(c) => edit(
            desk,
            TicketChanges {
                category: Some(c.and_then(|n| {
                    crate::domain::Category::parse(["logistics/customs", "refund"][usize::from(n)])
                        .ok()
                })),
                ..Default::default()
            },
        ),
        Act::Assign(on) => desk.assign(id, on.then_some("alice"), None).map(drop),
        Act::Move(n) => {
            let states = [
                "new",
                "in_progress",
                "waiting_customer",
                "resolved",
                "pending_acceptance",
                "closed",
                "archived",
            ];
            desk.move_ticket(id, states[usize::from(*n)], &note("because"))
                .map(drop)
        }
        Act::Spam => desk.mark_spam(id, None).map(drop),
        Act::Reply => desk.comment(id, "We are on it.", false).map(drop),
        Act::Note => desk.comment(id, "Internal.", true).map(drop),
        Act::Due(d) => edit(
            desk,
            TicketChanges {
                due: Some(d.map(|days| t0() + Duration::days(i64::from(days)))),
                ..Default::default()
            },
        ),
    }
}

/// What undo must put back: every field a member's change can touch.
fn undoable_state(desk: &Desk, id: i64) -> String {
    let d = desk.detail(id).expect("detail");
    let t = &d.ticket;
    let comments: Vec<i64> = d.comments.iter().map(|c| c.id).collect();
    format!(
        "{:?} {:?}",
        (
            &t.title,
            &t.description,
            t.priority,
            &t.kind,
            &t.category,
            t.channel,
            &t.team,
            &t.tags,
        ),
        (&t.assignee, &t.status, &t.resolution, &t.custom, comments),
    )
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

    /// Any change followed by its undo restores the ticket — fields, tags,
    /// state, conversation — or, where the workflow has no way back, leaves
    /// the ticket exactly as the change left it (never half undone).
    #[test]
    fn any_change_followed_by_its_undo_restores_the_ticket(
        before in proptest::collection::vec(act_strategy(), 0..6),
        change in act_strategy(),
    ) {
        let (mut desk, _) = desk();
        let id = desk.create_ticket(new_ticket("Parcel late")).expect("ticket");
        for act in &before {
            let _ = perform(&mut desk, id, act);
        }
        let start = undoable_state(&desk, id);
        if perform(&mut desk, id, &change).is_err() {
            return Ok(());
        }
        let after = undoable_state(&desk, id);
        if after == start {
            return Ok(()); // nothing changed, nothing to undo
        }
        match desk.undo(None) {
            Ok(out) if out.reverted.contains(&id) => {
                proptest::prop_assert_eq!(undoable_state(&desk, id), start, "{:?} then undo", change);
            }
            _ => {
                proptest::prop_assert_eq!(undoable_state(&desk, id), after, "{:?} half undone", change);
            }
        }
    }
}
