//! The customer's verdict, every path: a good rating closes, a bad one
//! reopens to a senior member and tells the supervisor, three reopens go to
//! the supervisor, an agent's acceptance needs the customer's words, a mail
//! reply carries its own verdict, and silence closes as such.

use chrono::{TimeZone, Utc};
use std::sync::Arc;

use super::*;
use crate::domain::{AcceptedBy, EventKind, Level, NewTicket, NoticeKind};

fn who(login: &str) -> Identity {
    Identity {
        login: login.into(),
        display_name: login.into(),
    }
}

/// A team desk: alice (admin), li (cn supervisor), wang (senior agent),
/// zhang (agent). Returns alice's and zhang's desks.
fn team() -> (tempfile::TempDir, Desk, Desk, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    let t0 = Utc
        .with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("time");
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(t0));
    let (mut alice, _) = Desk::create(&path, &who("alice"), clock.clone()).expect("alice");
    alice
        .add_user("li", None, Role::Supervisor, Some("cn"))
        .expect("li");
    alice
        .add_user("wang", None, Role::Agent, Some("cn"))
        .expect("wang");
    alice
        .add_user("zhang", None, Role::Agent, Some("cn"))
        .expect("zhang");
    alice.set_level("wang", Level::Senior).expect("senior");
    let (zhang, _) = Desk::open(&path, &who("zhang"), clock).expect("zhang");
    (dir, alice, zhang, path)
}

/// A cn ticket of zhang's, resolved and awaiting the customer's verdict.
fn resolved(alice: &mut Desk) -> i64 {
    let id = alice
        .create_ticket(NewTicket {
            title: "包裹在海关滞留两周".into(),
            team: Some("cn".into()),
            ..NewTicket::default()
        })
        .expect("create");
    alice.assign(id, Some("zhang"), None).expect("assign");
    resolve(alice, id);
    id
}

fn resolve(desk: &mut Desk, id: i64) {
    let opts = MoveOptions {
        note: Some("Invoice re-sent".into()),
        cause: Some("logistics".into()),
        ..MoveOptions::default()
    };
    desk.move_ticket(id, "resolved", &opts).expect("resolve");
    let status = desk.detail(id).expect("detail").ticket.status;
    assert_eq!(status, "pending_acceptance", "the automation asked");
}

fn rated(rating: u8, words: Option<&str>) -> VerdictInput {
    VerdictInput {
        rating: Some(rating),
        satisfied: None,
        words: words.map(String::from),
    }
}

#[test]
fn a_good_rating_with_the_customers_words_closes_the_ticket() {
    let (_dir, mut alice, mut zhang, _) = team();
    let id = resolved(&mut alice);
    let outcome = zhang
        .record_verdict(
            id,
            &rated(5, Some("收到了，谢谢")),
            VerdictSource::Agent,
            None,
        )
        .expect("verdict");
    assert_eq!(
        outcome,
        VerdictOutcome::Closed {
            state: "closed".into()
        }
    );
    let t = zhang.detail(id).expect("detail").ticket;
    assert_eq!(
        (t.status.as_str(), t.rating, t.closure.accepted_by),
        ("closed", Some(5), Some(AcceptedBy::Customer))
    );
    let events = zhang.history(id).expect("history");
    let verdict = events
        .iter()
        .find(|e| e.kind == EventKind::Verdict)
        .expect("verdict event");
    assert_eq!(
        (
            verdict.actor.as_str(),
            verdict.field.as_deref(),
            verdict.new.as_deref()
        ),
        ("zhang", Some("agent"), Some("5"))
    );
}

#[test]
fn an_agents_acceptance_without_the_customers_words_is_not_recorded() {
    let (_dir, mut alice, mut zhang, _) = team();
    let id = resolved(&mut alice);
    let before = zhang.history(id).expect("history").len();
    for words in [None, Some(" "), Some("\u{200b}"), Some("\u{1b}")] {
        let err = zhang.accept(id, Some(5), words, None).expect_err("refused");
        assert!(matches!(err, Error::Forbidden { .. }), "{words:?}: {err:?}");
    }
    let t = zhang.detail(id).expect("detail").ticket;
    assert_eq!(
        (t.status.as_str(), t.accepted_at, t.rating),
        ("pending_acceptance", None, None),
        "nothing of a refused acceptance is written"
    );
    assert_eq!(zhang.history(id).expect("history").len(), before);
    // A supervisor may, and the record says it was the supervisor's word.
    let outcome = alice.accept(id, Some(5), None, None).expect("supervisor");
    assert!(matches!(outcome, VerdictOutcome::Closed { .. }));
    let t = alice.detail(id).expect("detail").ticket;
    assert_eq!(t.closure.accepted_by, Some(AcceptedBy::Supervisor));
}

#[test]
fn a_bad_rating_reopens_to_a_senior_member_and_tells_the_supervisor() {
    let (_dir, mut alice, mut zhang, path) = team();
    let id = resolved(&mut alice);
    let outcome = zhang
        .record_verdict(
            id,
            &rated(2, Some("还是没收到")),
            VerdictSource::Agent,
            None,
        )
        .expect("verdict");
    assert_eq!(
        outcome,
        VerdictOutcome::Reopened {
            state: "in_progress".into(),
            assignee: Some("wang".into()),
            to_supervisor: false,
            reopens: 1
        }
    );
    let t = alice.detail(id).expect("detail").ticket;
    assert_eq!(
        (t.closure.reopens, t.resolution, t.closure.cause),
        (1, None, None)
    );
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (li, _) = Desk::open(&path, &who("li"), clock).expect("li");
    let notices = li.inbox(false, 10).expect("inbox");
    assert!(
        notices
            .iter()
            .any(|n| n.kind == NoticeKind::Unhappy && n.ticket == Some(id)),
        "{notices:?}"
    );
}

#[test]
fn the_third_reopen_goes_to_the_supervisor() {
    let (_dir, mut alice, _zhang, _) = team();
    let id = resolved(&mut alice);
    for round in 1..=3 {
        let outcome = alice
            .record_verdict(id, &rated(1, None), VerdictSource::Mail, None)
            .expect("verdict");
        let (assignee, to_supervisor) = match outcome {
            VerdictOutcome::Reopened {
                assignee,
                to_supervisor,
                ..
            } => (assignee, to_supervisor),
            other => (Some(format!("{other:?}")), false),
        };
        assert_eq!(to_supervisor, round == 3);
        let expected = if round == 3 { "li" } else { "wang" };
        assert_eq!(assignee.as_deref(), Some(expected), "round {round}");
        if round < 3 {
            resolve(&mut alice, id);
        }
    }
    assert_eq!(alice.detail(id).expect("d").ticket.closure.reopens, 3);
}

#[test]
fn a_three_is_recorded_and_waits_for_the_agent() {
    let (_dir, mut alice, _zhang, _) = team();
    let id = resolved(&mut alice);
    let outcome = alice
        .record_verdict(id, &rated(3, None), VerdictSource::Survey, None)
        .expect("verdict");
    assert_eq!(outcome, VerdictOutcome::Recorded);
    let t = alice.detail(id).expect("detail").ticket;
    assert_eq!(
        (t.status.as_str(), t.rating),
        ("pending_acceptance", Some(3))
    );
}

#[test]
fn a_verdict_on_a_ticket_not_awaiting_one_is_refused() {
    let (_dir, mut alice, _zhang, _) = team();
    let id = alice
        .create_ticket(NewTicket {
            title: "Open".into(),
            ..NewTicket::default()
        })
        .expect("create");
    let err = alice
        .record_verdict(id, &rated(5, None), VerdictSource::Agent, None)
        .expect_err("not resolved");
    assert!(matches!(err, Error::NotAwaitingAcceptance(_)));
    let id = resolved(&mut alice);
    let err = alice
        .record_verdict(id, &rated(9, None), VerdictSource::Agent, None)
        .expect_err("rating out of range");
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn a_verdict_on_a_ticket_still_in_resolved_closes_it_in_order() {
    let (_dir, mut alice, mut zhang, _) = team();
    alice.set_automations("", "none").expect("no automations");
    let id = alice
        .create_ticket(NewTicket {
            title: "Late parcel".into(),
            team: Some("cn".into()),
            ..NewTicket::default()
        })
        .expect("create");
    alice.assign(id, Some("zhang"), None).expect("assign");
    let opts = MoveOptions {
        note: Some("Found".into()),
        cause: Some("logistics".into()),
        ..MoveOptions::default()
    };
    alice.move_ticket(id, "resolved", &opts).expect("resolve");
    let outcome = zhang
        .record_verdict(id, &rated(5, Some("arrived")), VerdictSource::Agent, None)
        .expect("verdict");
    assert_eq!(
        outcome,
        VerdictOutcome::Closed {
            state: "closed".into()
        }
    );
    let kinds: Vec<String> = zhang
        .history(id)
        .expect("history")
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Status | EventKind::Accepted))
        .map(|e| match e.kind {
            EventKind::Accepted => "accepted".to_string(),
            _ => e.new.clone().unwrap_or_default(),
        })
        .collect();
    let tail: Vec<&str> = kinds
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(String::as_str)
        .collect();
    assert_eq!(
        tail,
        ["pending_acceptance", "accepted", "closed"],
        "{kinds:?}"
    );
    let again = zhang.record_verdict(id, &rated(5, Some("yes")), VerdictSource::Agent, None);
    assert!(again.is_err(), "a closed ticket awaits no verdict");
}
