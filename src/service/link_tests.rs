//! Links: both sides read them, loops are refused, hidden tickets stay
//! hidden, a blocked ticket waits for its blocker.

use chrono::{TimeZone, Utc};
use std::sync::Arc;

use super::tests::who;
use super::*;
use crate::domain::{LinkKind, NewTicket};

/// A file desk: tickets 1–3 of team eu (emma's), 4 of team cn (wu's).
fn desk() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("now");
    let (mut admin, _) =
        Desk::create(&path, &who("root"), Arc::new(FixedClock::new(now))).expect("create");
    admin
        .add_user("emma", None, Role::Agent, Some("eu"))
        .expect("emma");
    admin
        .add_user("wu", None, Role::Agent, Some("cn"))
        .expect("wu");
    for (title, owner, team) in [
        ("Carrier lost the pallet", "emma", "eu"),
        ("Parcel A1001 missing", "emma", "eu"),
        ("Parcel A1002 missing", "emma", "eu"),
        ("包裹丢失 A1003", "wu", "cn"),
    ] {
        admin
            .create_ticket(NewTicket {
                title: title.into(),
                assignee: Some(owner.into()),
                team: Some(team.into()),
                ..NewTicket::default()
            })
            .expect("ticket");
    }
    (dir, path)
}

fn open(path: &std::path::Path, login: &str) -> Desk {
    Desk::open(path, &who(login), Arc::new(SystemClock))
        .expect("open")
        .0
}

#[test]
fn a_link_reads_its_own_way_from_each_side_and_is_taken_back_by_unlink() {
    let (_dir, path) = desk();
    let mut emma = open(&path, "emma");
    assert!(emma.link(2, 1, "blocked-by").expect("link"));
    assert!(
        !emma.link(1, 2, "blocks").expect("same link"),
        "stored once"
    );
    let one = emma.links(1).expect("links");
    assert_eq!(one.shown.len(), 1);
    assert_eq!(
        (one.shown[0].kind, one.shown[0].outgoing, one.shown[0].id),
        (LinkKind::Blocks, true, 2)
    );
    let two = emma.links(2).expect("links");
    assert_eq!(two.shown[0].kind.side(two.shown[0].outgoing), "blocked_by");
    // Related is one link whichever side names it.
    assert!(emma.link(3, 2, "related").expect("related"));
    assert!(!emma.link(2, 3, "related").expect("again"));
    assert_eq!(emma.unlink(2, 1, None).expect("unlink"), 1);
    assert!(emma.links(1).expect("links").shown.is_empty());
    let history: Vec<String> = emma
        .history(1)
        .expect("history")
        .into_iter()
        .filter(|e| e.field.as_deref() == Some("link"))
        .filter_map(|e| e.new.or(e.old))
        .collect();
    assert_eq!(history, ["blocks #2", "blocks #2"], "added, then removed");
}

#[test]
fn a_ticket_cannot_block_itself_directly_or_through_a_chain() {
    let (_dir, path) = desk();
    let mut emma = open(&path, "emma");
    assert_eq!(
        emma.link(1, 1, "blocks").err(),
        Some(Error::LinkToItself(1))
    );
    emma.link(1, 2, "blocks").expect("1 blocks 2");
    emma.link(2, 3, "blocks").expect("2 blocks 3");
    assert_eq!(
        emma.link(3, 1, "blocks").err(),
        Some(Error::LinkLoop { from: 3, to: 1 })
    );
    assert_eq!(
        emma.link(1, 3, "blocked-by").err(),
        Some(Error::LinkLoop { from: 1, to: 3 })
    );
    emma.link(1, 2, "parent-of").expect("parent");
    assert_eq!(
        emma.link(1, 2, "child-of").err(),
        Some(Error::LinkLoop { from: 1, to: 2 })
    );
    assert!(matches!(
        emma.link(1, 2, "depends-on"),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn a_link_to_a_ticket_you_cannot_see_is_only_counted() {
    let (_dir, path) = desk();
    open(&path, "root")
        .link(2, 4, "duplicate-of")
        .expect("admin links across teams");
    let emma = open(&path, "emma");
    let links = emma.links(2).expect("links");
    assert!(links.shown.is_empty());
    assert_eq!(links.hidden, 1);
    // Nor does the history (or an export, made from the same detail) name it.
    let named: Vec<String> = emma
        .history(2)
        .expect("history")
        .into_iter()
        .filter(|e| e.field.as_deref() == Some("link"))
        .filter_map(|e| e.new)
        .collect();
    assert_eq!(named, ["duplicate_of #–"]);
    assert!(
        open(&path, "root")
            .history(2)
            .expect("admin")
            .iter()
            .any(|e| e.new.as_deref() == Some("duplicate_of #4")),
        "the admin sees it"
    );
    // And linking to it looks like linking to a missing ticket.
    let mut emma = emma;
    assert_eq!(
        emma.link(3, 4, "related").err(),
        Some(Error::TicketNotFound(4))
    );
    assert_eq!(
        emma.link(3, 999, "related").err(),
        Some(Error::TicketNotFound(999))
    );
}

#[test]
fn a_blocked_ticket_is_not_solved_while_its_blocker_is_open() {
    let (_dir, path) = desk();
    let mut emma = open(&path, "emma");
    emma.link(1, 2, "blocks").expect("link");
    let solve = MoveOptions {
        note: Some("Found".into()),
        cause: Some("logistics".into()),
        ..MoveOptions::default()
    };
    let refused = emma.move_ticket(2, "resolved", &solve).err();
    assert!(
        matches!(&refused, Some(Error::Refused(r)) if matches!(
            r.refused.refusal,
            crate::workflow::Refusal::Missing {
                requirement: crate::workflow::Requirement::BlockersDone,
                ..
            }
        )),
        "{refused:?}"
    );
    emma.move_ticket(1, "resolved", &solve)
        .expect("the blocker is solved");
    emma.move_ticket(2, "resolved", &solve)
        .expect("then the blocked one");
}

#[test]
fn solving_a_parent_moves_its_open_children_through_the_workflow_and_reports_refusals() {
    let (_dir, path) = desk();
    let mut root = open(&path, "root");
    for child in [2, 3, 4] {
        root.link(1, child, "parent-of").expect("parent");
    }
    // Ticket 3 still has work to do: the workflow refuses to solve it.
    root.add_subtask(
        3,
        crate::domain::NewSubtask {
            title: "Call the carrier".into(),
            ..Default::default()
        },
    )
    .expect("step");
    let mut emma = open(&path, "emma");
    let solve = MoveOptions {
        note: Some("The carrier found the pallet".into()),
        cause: Some("logistics".into()),
        ..MoveOptions::default()
    };
    emma.move_ticket(1, "resolved", &solve).expect("parent");
    assert_eq!(emma.open_children(1), Ok(vec![2, 3]));
    let out = emma.move_children(1, "resolved", &solve).expect("children");
    assert_eq!(out.moved, [2]);
    assert_eq!(out.refused.len(), 1);
    assert_eq!(out.refused[0].0, 3);
    assert!(matches!(out.refused[0].1, Error::Refused(_)));
    assert_eq!(out.hidden, 1, "wu's ticket is counted, never touched");
    let two = emma.detail(2).expect("child");
    assert_eq!(
        two.ticket.resolution.as_deref(),
        Some("The carrier found the pallet")
    );
    assert_ne!(
        root.detail(4).expect("hidden child").ticket.status,
        "resolved"
    );
    // Run again: nothing left that emma may move but the refused one.
    let again = emma.move_children(1, "resolved", &solve).expect("again");
    assert!(again.moved.is_empty());
    assert_eq!(again.refused.len(), 1);
}

#[test]
fn two_tickets_cannot_each_be_the_duplicate_of_the_other() {
    let (_dir, path) = desk();
    let mut emma = open(&path, "emma");
    emma.link(2, 3, "duplicate-of").expect("2 duplicates 3");
    assert_eq!(
        emma.link(3, 2, "duplicate-of").err(),
        Some(Error::LinkLoop { from: 3, to: 2 })
    );
}
