//! Time spent: one timer per member, logs, totals only of visible tickets.

use chrono::{Duration, Utc};
use std::sync::Arc;

use super::tests::{desk, new_ticket, who};
use super::*;
use crate::domain::NewTicket;

#[test]
fn a_timer_runs_until_stopped_and_starting_another_stops_the_first() {
    let (mut desk, clock) = desk();
    let t0 = desk.now();
    let a = desk.create_ticket(new_ticket("Parcel late")).expect("a");
    let b = desk.create_ticket(new_ticket("Wrong size")).expect("b");
    let (none, _) = desk.start_timer(a).expect("start");
    assert!(none.is_none());
    clock.advance(Duration::minutes(25));
    assert_eq!(
        desk.running_timer().expect("running").map(|e| e.ticket),
        Some(a)
    );
    let (stopped, _) = desk.start_timer(b).expect("switch");
    let stopped = stopped.expect("the first stops");
    assert_eq!((stopped.ticket, stopped.spent(t0).num_minutes()), (a, 25));
    clock.advance(Duration::minutes(15));
    let b_entry = desk.stop_timer().expect("stop").expect("was running");
    assert_eq!(b_entry.spent(t0).num_minutes(), 15);
    assert!(desk.stop_timer().expect("stop again").is_none());
    desk.log_time(a, Duration::minutes(90), "called the carrier")
        .expect("log");
    assert!(desk.log_time(a, Duration::zero(), "").is_err());
    assert!(desk.log_time(a, Duration::hours(25), "").is_err());
    let report = desk.time_report(t0 - Duration::days(1)).expect("report");
    let minutes: Vec<(i64, i64)> = report.iter().map(|r| (r.ticket, r.minutes)).collect();
    assert_eq!(minutes, [(a, 115), (b, 15)]);
    let history: Vec<String> = desk
        .history(a)
        .expect("history")
        .into_iter()
        .filter(|e| e.field.as_deref() == Some("time"))
        .filter_map(|e| e.new)
        .collect();
    assert_eq!(history, ["25m", "1h 30m"]);
}

#[test]
fn nobody_times_or_reads_the_time_of_a_ticket_they_cannot_see() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (mut admin, _) = Desk::create(&path, &who("root"), clock.clone()).expect("create");
    admin
        .add_user("emma", None, Role::Agent, Some("eu"))
        .expect("emma");
    admin
        .add_user("wu", None, Role::Agent, Some("cn"))
        .expect("wu");
    let id = admin
        .create_ticket(NewTicket {
            title: "Parcel late".into(),
            assignee: Some("emma".into()),
            team: Some("eu".into()),
            ..Default::default()
        })
        .expect("ticket");
    let mut emma = Desk::open(&path, &who("emma"), clock.clone())
        .expect("emma")
        .0;
    emma.log_time(id, Duration::minutes(30), "").expect("log");
    let mut wu = Desk::open(&path, &who("wu"), clock).expect("wu").0;
    assert_eq!(wu.start_timer(id).err(), Some(Error::TicketNotFound(id)));
    assert_eq!(wu.time_entries(id).err(), Some(Error::TicketNotFound(id)));
    assert!(
        wu.time_report(Utc::now() - Duration::days(1))
            .expect("report")
            .is_empty()
    );
    assert_eq!(
        emma.time_report(Utc::now() - Duration::days(1))
            .expect("report")
            .len(),
        1
    );
}

#[test]
fn a_timer_stopped_within_a_minute_leaves_no_entry() {
    let (mut desk, clock) = desk();
    let a = desk.create_ticket(new_ticket("Parcel late")).expect("a");
    desk.start_timer(a).expect("start");
    clock.advance(Duration::seconds(40));
    assert!(desk.stop_timer().expect("stop").is_some());
    assert!(desk.time_entries(a).expect("entries").is_empty());
    assert!(
        desk.history(a)
            .expect("history")
            .iter()
            .all(|e| e.field.as_deref() != Some("time"))
    );
}

#[test]
fn a_timer_on_a_ticket_that_left_the_members_sight_stops_without_writing_to_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let (mut admin, _) = Desk::create(&path, &who("root"), clock.clone()).expect("create");
    for (login, team) in [("emma", "eu"), ("bob", "eu")] {
        admin
            .add_user(login, None, Role::Agent, Some(team))
            .expect("member");
    }
    let id = admin
        .create_ticket(NewTicket {
            title: "Parcel late".into(),
            assignee: Some("emma".into()),
            team: Some("eu".into()),
            ..Default::default()
        })
        .expect("ticket");
    let mut emma = Desk::open(&path, &who("emma"), clock.clone())
        .expect("emma")
        .0;
    emma.start_timer(id).expect("start");
    admin.assign(id, Some("bob"), None).expect("handed on");
    clock.advance(Duration::minutes(40));
    emma.stop_timer().expect("stop");
    assert!(admin.time_entries(id).expect("entries").is_empty());
    let timed = admin
        .history(id)
        .expect("history")
        .into_iter()
        .any(|e| e.field.as_deref() == Some("time"));
    assert!(!timed, "nothing written to a ticket that is not emma's now");
}

#[test]
fn a_steps_owner_from_another_team_times_their_step_and_only_their_step() {
    let (_dir, path, ticket) = super::subtask_tests::team_desk();
    let mut root = super::subtask_tests::open(&path, "root");
    let mine = root
        .add_subtask(
            ticket,
            crate::domain::NewSubtask {
                title: "Pick up the parcel".into(),
                assignee: Some("li".into()),
                ..Default::default()
            },
        )
        .expect("li's step");
    let other = root
        .add_subtask(
            ticket,
            crate::domain::NewSubtask {
                title: "Refund".into(),
                ..Default::default()
            },
        )
        .expect("nobody's step");
    let mut li = super::subtask_tests::open(&path, "li");
    let e = li
        .log_step_time(ticket, mine.id, Duration::minutes(20), "drove there")
        .expect("own step");
    assert_eq!((e.ticket, e.step), (ticket, Some(mine.id)));
    assert_eq!(
        li.log_step_time(ticket, other.id, Duration::minutes(5), ""),
        Err(Error::SubtaskNotFound(other.id))
    );
    assert_eq!(
        li.start_timer(ticket).err(),
        Some(Error::TicketNotFound(ticket)),
        "the ticket itself is not li's to time"
    );
    assert_eq!(
        li.start_step_timer(ticket + 1, mine.id).err(),
        Some(Error::SubtaskNotFound(mine.id)),
        "a step is named with its own ticket"
    );
    let entries = root.time_entries(ticket).expect("entries");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].step, Some(mine.id));
}
