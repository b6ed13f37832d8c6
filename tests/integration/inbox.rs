//! Inboxes, watching and the notify hook, through the service with several
//! members on one desk file, and the inbox in the TUI.

use std::path::Path;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use tdesk::domain::{NewTicket, NoticeKind, Priority, Role, TicketChanges};
use tdesk::i18n::{Catalog, Lang};
use tdesk::service::{BulkAction, Desk, FixedClock, Identity, Targets};
use tdesk::tui::harness::Harness;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("valid")
}

fn open(path: &Path, login: &str) -> Desk {
    let who = Identity {
        login: login.into(),
        display_name: login.into(),
    };
    Desk::create(path, &who, Arc::new(FixedClock::new(now())))
        .expect("open")
        .0
}

/// root (admin), bob and ann (agents of eu), sue (supervisor of eu); ticket
/// 1 in eu, ticket 2 in cn, tickets 3–5 in eu.
fn desk(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("desk.db");
    let mut root = open(&path, "root");
    root.add_user("bob", None, Role::Agent, Some("eu"))
        .expect("bob");
    root.add_user("ann", None, Role::Agent, Some("eu"))
        .expect("ann");
    root.add_user("sue", None, Role::Supervisor, Some("eu"))
        .expect("sue");
    for team in ["eu", "cn", "eu", "eu", "eu"] {
        root.create_ticket(NewTicket {
            title: format!("Parcel for {team}"),
            team: Some(team.into()),
            ..Default::default()
        })
        .expect("ticket");
    }
    path
}

fn kinds(desk: &Desk) -> Vec<(Option<i64>, NoticeKind)> {
    desk.inbox(false, 50)
        .expect("inbox")
        .iter()
        .map(|n| (n.ticket, n.kind))
        .collect()
}

#[test]
fn assignments_and_mentions_reach_only_members_who_may_see_the_ticket() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = desk(dir.path());
    let mut root = open(&path, "root");
    root.assign(1, Some("bob"), None).expect("assign");
    root.comment(1, "@ann @sue please check the customs papers", true)
        .expect("comment");
    // Ticket 2 is team cn: ann and sue may not see it, so they hear nothing.
    root.comment(2, "@ann @sue @bob for the record", true)
        .expect("comment");
    assert_eq!(
        kinds(&open(&path, "bob")),
        vec![(Some(1), NoticeKind::Assigned)]
    );
    assert!(
        kinds(&open(&path, "ann")).is_empty(),
        "ticket 1 is bob's now"
    );
    assert_eq!(
        kinds(&open(&path, "sue")),
        vec![(Some(1), NoticeKind::Mention)]
    );
    assert!(
        kinds(&root).is_empty(),
        "nobody is told of their own change"
    );
    // Not stored at all (the unread count and the hook would give it away).
    assert_eq!(open(&path, "sue").unread_count().expect("unread"), 1);
    assert_eq!(open(&path, "ann").unread_count().expect("unread"), 0);
    let sue = open(&path, "sue");
    let mention = &sue.inbox(true, 10).expect("inbox")[0];
    assert_eq!(mention.actor, "root");
    assert!(
        mention
            .detail
            .as_deref()
            .unwrap_or("")
            .contains("customs papers")
    );
}

#[test]
fn watchers_hear_of_every_change_once_even_in_bulk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = desk(dir.path());
    let mut sue = open(&path, "sue");
    for id in [3, 4, 5] {
        sue.watch(id, true).expect("watch");
    }
    assert!(sue.is_watching(4).expect("watching"));
    assert!(matches!(
        sue.watch(2, true),
        Err(tdesk::Error::TicketNotFound(2))
    ));
    let mut root = open(&path, "root");
    root.edit(
        3,
        &TicketChanges {
            priority: Some(Priority::P1),
            ..Default::default()
        },
        None,
    )
    .expect("edit");
    root.bulk(
        &Targets::Ids(vec![3, 4, 5]),
        &BulkAction::AddTag("vip".into()),
    )
    .expect("bulk");
    let got = kinds(&sue);
    assert_eq!(
        got.len(),
        4,
        "one for the edit, one per ticket of the bulk: {got:?}"
    );
    assert!(got.iter().all(|(_, k)| *k == NoticeKind::Watched));
    assert_eq!(sue.unread_count().expect("unread"), 4);
    let first = sue.inbox(true, 1).expect("inbox")[0].id;
    assert_eq!(sue.mark_read(Some(&[first])).expect("read"), 1);
    assert_eq!(sue.unread_count().expect("unread"), 3);
    sue.mark_read(None).expect("read all");
    assert_eq!(sue.unread_count().expect("unread"), 0);
    sue.watch(4, false).expect("unwatch");
    root.comment(4, "Carrier called back.", false)
        .expect("comment");
    assert_eq!(sue.unread_count().expect("unread"), 0, "no longer watching");
}

#[test]
fn the_hook_gets_one_json_object_per_notice_and_failures_wait_for_a_retry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = desk(dir.path());
    let mut root = open(&path, "root");
    root.assign(1, Some("bob"), None).expect("assign");
    root.assign(3, Some("bob"), None).expect("assign");
    let mut bob = open(&path, "bob");
    let cat = Catalog::new(Lang::En);
    let failed =
        tdesk::hook::deliver(&mut bob, "echo 'chat is down' >&2; exit 3", &cat).expect("deliver");
    assert_eq!((failed.sent, failed.failed), (0, 2));
    // Not due again until the back-off has passed (the clock stands still here).
    assert!(bob.pending_hooks(10).expect("pending").is_empty());
    let out = dir.path().join("hook.jsonl");
    let mut later = Desk::open(
        &path,
        &Identity {
            login: "bob".into(),
            display_name: "bob".into(),
        },
        Arc::new(FixedClock::new(now() + chrono::Duration::minutes(5))),
    )
    .expect("open")
    .0;
    let command = format!("cat >> {}", out.display());
    let sent = tdesk::hook::deliver(&mut later, &command, &cat).expect("deliver");
    assert_eq!((sent.sent, sent.failed), (2, 0));
    let lines = std::fs::read_to_string(&out).expect("hook output");
    let objects: Vec<serde_json::Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[0]["kind"], "assigned");
    assert_eq!(objects[0]["login"], "bob");
    assert_eq!(objects[0]["text"], "root assigned #1 to you");
    assert!(
        later.pending_hooks(10).expect("pending").is_empty(),
        "delivered once"
    );
}

#[test]
fn the_inbox_opens_with_i_and_enter_jumps_to_the_ticket() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = desk(dir.path());
    open(&path, "root")
        .assign(4, Some("bob"), None)
        .expect("assign");
    let mut h =
        Harness::new(open(&path, "bob"), Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    assert!(h.render().contains("inbox 1"), "unread count in the header");
    h.press("i");
    let screen = h.render();
    assert!(screen.contains("root assigned #4 to you"), "{screen}");
    h.press("enter");
    assert_eq!(h.app.detail_id(), Some(4));
    assert!(!h.render().contains("inbox 1"), "read once opened");
}

#[test]
fn supervisors_see_the_live_queues_with_q() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = desk(dir.path());
    open(&path, "root")
        .assign(4, Some("bob"), None)
        .expect("assign");
    let mut h =
        Harness::new(open(&path, "sue"), Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    h.press("Q");
    let screen = h.render();
    assert!(screen.contains("Queues"), "{screen}");
    assert!(screen.contains("bob"), "{screen}");
    // Agents may not: the refusal names the role it needs.
    let mut agent =
        Harness::new(open(&path, "ann"), Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    agent.press("Q");
    assert!(
        agent
            .render()
            .contains("Only a supervisor or an admin may see the team queues."),
        "{}",
        agent.render()
    );
}
