//! SLA clocks on real desks: due times in the team's business hours,
//! pauses while waiting on the customer, a first response stopping the
//! response clock, VIP targets, policy files with line-precise errors, and
//! `tdesk status`.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use tdesk::domain::{NewTicket, Priority, Role};
use tdesk::service::{Desk, FixedClock, Identity, MoveOptions};
use tdesk::sla::ClockState;

use crate::common::{Scratch, code, stderr, stdout};

fn who(login: &str) -> Identity {
    Identity {
        login: login.into(),
        display_name: login.into(),
    }
}

/// Friday 2026-11-20 17:00 in Shanghai.
fn friday_5pm() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("valid")
}

fn cn_ticket(desk: &mut Desk, priority: Priority) -> i64 {
    desk.create_ticket(NewTicket {
        title: "包裹在海关滞留两周".into(),
        team: Some("cn".into()),
        priority: Some(priority),
        ..Default::default()
    })
    .expect("ticket")
}

#[test]
fn clocks_run_in_team_hours_pause_for_the_customer_and_stop_at_the_answer() {
    let clock = Arc::new(FixedClock::new(friday_5pm()));
    let mut desk = Desk::open_in_memory(&who("li.na"), clock.clone()).expect("desk");
    let id = cn_ticket(&mut desk, Priority::P1);
    // P1: first response in 2 business hours of team cn (09:00–18:00
    // Shanghai, Monday to Friday): 1 h on Friday, 1 h on Monday.
    let monday_10 = Utc
        .with_ymd_and_hms(2026, 11, 23, 2, 0, 0)
        .single()
        .expect("valid");
    assert_eq!(
        desk.detail(id).expect("detail").ticket.due_at,
        Some(monday_10)
    );
    // Waiting on the customer from Monday 09:30 to 11:30 stops the clock.
    clock.advance(Duration::hours(64) + Duration::minutes(30));
    desk.assign(id, Some("li.na"), None).expect("take");
    desk.move_ticket(id, "waiting_customer", &MoveOptions::default())
        .expect("wait");
    assert_eq!(
        desk.detail(id).expect("detail").ticket.due_at,
        None,
        "paused"
    );
    assert!(matches!(
        desk.sla_clocks(id).expect("clocks").response,
        ClockState::Paused { left } if left == Duration::minutes(30)
    ));
    clock.advance(Duration::hours(2));
    desk.move_ticket(id, "in_progress", &MoveOptions::default())
        .expect("back");
    assert_eq!(
        desk.detail(id).expect("detail").ticket.due_at,
        Some(monday_10 + Duration::hours(2)),
        "due two hours later"
    );
    // A public reply stops the response clock; the resolution clock (24 h)
    // now sets the deadline.
    desk.comment(
        id,
        "We have asked the carrier for the customs papers.",
        false,
    )
    .expect("reply");
    let clocks = desk.sla_clocks(id).expect("clocks");
    assert_eq!(clocks.response, ClockState::Met);
    assert!(matches!(clocks.resolve, ClockState::Running { .. }));
    let due = desk.detail(id).expect("detail").ticket.due_at.expect("due");
    assert!(due > monday_10 + Duration::days(2), "{due}");
}

#[test]
fn a_policy_file_is_checked_line_by_line_and_only_admins_install_it() {
    let clock = Arc::new(FixedClock::new(friday_5pm()));
    let mut desk = Desk::open_in_memory(&who("li.na"), clock).expect("desk");
    let bad =
        "[targets]\nP1 = { response = \"soon\", resolve = \"1d\" }\n[teams]\ncn = \"nowhere\"\n";
    let err = desk.set_sla(bad, "sla.toml").expect_err("a broken policy");
    let lines: Vec<usize> = match &err {
        tdesk::Error::Sla { errors, .. } => errors.iter().map(|e| e.line).collect(),
        _ => Vec::new(),
    };
    assert_eq!(lines, vec![2, 4], "{err:?}");
    // The desk keeps its last good policy.
    assert_eq!(desk.sla_policy().targets[1].response, Duration::hours(2));
    let fast = tdesk::sla::DEFAULT_POLICY.replace(
        "P1 = { response = \"2h\", resolve = \"24h\" }",
        "P1 = { response = \"1h\", resolve = \"8h\" }",
    );
    desk.set_sla(&fast, "sla.toml").expect("install");
    assert_eq!(desk.sla_policy().targets[1].response, Duration::hours(1));
    desk.add_user("zhang.wei", None, Role::Agent, Some("cn"))
        .expect("agent");
}

#[test]
fn status_prints_one_line_for_a_status_bar() {
    let s = Scratch::with_desk();
    for title in ["Parcel stuck", "Refund request"] {
        let out = s.tdesk(&[
            "add",
            "--title",
            title,
            "--priority",
            "P0",
            "--assignee",
            "me",
        ]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    let out = s.tdesk(&["status"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "0 breached · 0 at risk · 2 mine");
    let out = s.tdesk(&["status", "--format", "B={breached} R={at_risk} M={mine}"]);
    assert_eq!(stdout(&out).trim(), "B=0 R=0 M=2");
    let out = s.tdesk(&["status", "--format", "{nope}"]);
    assert_eq!(code(&out), 2, "an unknown field is a usage error");
}
