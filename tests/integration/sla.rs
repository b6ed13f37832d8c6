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
fn an_urgent_ticket_runs_round_the_clock_and_says_which_calendar_it_follows() {
    // Sunday 2026-11-22 10:00 in Shanghai: team cn is off until Monday.
    let sunday = Utc
        .with_ymd_and_hms(2026, 11, 22, 2, 0, 0)
        .single()
        .expect("valid");
    let clock = Arc::new(FixedClock::new(sunday));
    let mut desk = Desk::open_in_memory(&who("li.na"), clock).expect("desk");
    let urgent = cn_ticket(&mut desk, Priority::P0);
    let normal = cn_ticket(&mut desk, Priority::P1);
    assert_eq!(
        desk.detail(urgent).expect("detail").ticket.due_at,
        Some(sunday + Duration::minutes(30)),
        "P0: 30 minutes, Sunday or not"
    );
    assert_eq!(
        desk.sla_clocks(urgent).expect("clocks").calendar,
        "round-the-clock"
    );
    let p1 = desk.sla_clocks(normal).expect("clocks");
    assert_eq!(p1.calendar, "cn", "others follow their team's hours");
    assert!(
        desk.detail(normal).expect("detail").ticket.due_at > Some(sunday + Duration::hours(24))
    );
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

/// A policy whose clocks run out in a second, round the clock.
const QUICK: &str = "[targets]\nP2 = { response = \"1s\", resolve = \"2s\" }\n[calendars.default]\nalways = true\n[[escalation]]\nname = \"breached\"\nat = 1.0\nnotify = \"supervisor\"\nraise_priority = true\n";

#[test]
fn each_escalation_step_fires_once_when_many_processes_sweep_at_once() {
    let s = Scratch::with_desk();
    let policy = s.dir.path().join("quick.toml");
    std::fs::write(&policy, QUICK).expect("policy");
    let out = s.tdesk(&["sla", "set", policy.to_str().expect("utf-8")]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    const TICKETS: usize = 20;
    for i in 0..TICKETS {
        let out = s.tdesk(&[
            "add",
            "--title",
            &format!("Late parcel {i}"),
            "--priority",
            "P2",
        ]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    // Six sweeps at the same moment, each a whole process.
    let children: Vec<_> = (0..6)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_tdesk"))
                .args(["tick", "--json"])
                .env("TDESK_DB", s.db())
                .env("HOME", s.dir.path())
                .env("XDG_CONFIG_HOME", s.dir.path().join("config"))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn tick")
        })
        .collect();
    let mut fired: Vec<(i64, String)> = Vec::new();
    for child in children {
        let out = child.wait_with_output().expect("tick");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON list");
        for f in list {
            fired.push((
                f["ticket"].as_i64().expect("ticket"),
                f["step"].as_str().expect("step").to_string(),
            ));
        }
    }
    let total = fired.len();
    fired.sort();
    fired.dedup();
    assert_eq!(total, fired.len(), "no step fired twice");
    assert_eq!(
        total,
        TICKETS * 2,
        "both clocks of every ticket breached once"
    );
    // The priority went up once per ticket, not once per clock or process.
    let out = s.tdesk(&["list", "priority:P1", "--limit", "100"]);
    assert_eq!(
        stdout(&out).lines().count(),
        TICKETS + 1,
        "{}",
        stdout(&out)
    );
    // A later sweep finds nothing left to do.
    let again = s.tdesk(&["tick", "--json"]);
    assert_eq!(stdout(&again).trim(), "[]");
}

const ROUTING: &str = r#"
[[rule]]
name = "清关 to cn"
when = { words = ["清关", "海关"] }
then = { team = "cn", assign = "round-robin", tags = ["customs"], stop = true }

[[rule]]
name = "customs to eu"
when = { words = ["customs"] }
then = { team = "eu", assign = "least-loaded", priority = "P1", stop = true }
"#;

#[test]
fn new_tickets_are_routed_by_the_rules_and_the_history_names_the_rule() {
    let clock = Arc::new(FixedClock::new(friday_5pm()));
    let mut desk = Desk::open_in_memory(&who("li.na"), clock.clone()).expect("desk");
    for (login, team) in [
        ("zhang.wei", "cn"),
        ("chen.jie", "cn"),
        ("emma", "eu"),
        ("lucas", "eu"),
    ] {
        desk.add_user(login, None, Role::Agent, Some(team))
            .expect("agent");
    }
    let bad = desk.set_rules("[[rule]]\nname = \"x\"\nthen = {}\n", "rules.toml");
    assert!(matches!(bad, Err(tdesk::Error::Rules { .. })), "{bad:?}");
    desk.set_rules(ROUTING, "rules.toml").expect("rules");
    let mut cn = Vec::new();
    for title in ["包裹清关失败", "海关要求发票", "清关延误"] {
        let id = desk
            .create_ticket(NewTicket {
                title: title.into(),
                ..Default::default()
            })
            .expect("ticket");
        clock.advance(Duration::minutes(1));
        let t = desk.detail(id).expect("detail").ticket;
        assert_eq!(t.team.as_deref(), Some("cn"));
        assert!(t.tags.contains(&"customs".to_string()));
        cn.push(t.assignee.expect("assigned"));
    }
    // Round robin: both cn agents, then the one routed longest ago again.
    assert_eq!(cn[0], cn[2]);
    assert_ne!(cn[0], cn[1]);
    let id = desk
        .create_ticket(NewTicket {
            title: "Parcel stuck in customs".into(),
            ..Default::default()
        })
        .expect("ticket");
    let d = desk.detail(id).expect("detail");
    assert_eq!(d.ticket.team.as_deref(), Some("eu"));
    assert_eq!(d.ticket.priority, Priority::P1);
    assert!(d.ticket.assignee.is_some());
    assert!(
        d.events
            .iter()
            .any(|e| e.actor == "automation:customs to eu"),
        "the history names the rule"
    );
    let why = desk.explain_routing(id).expect("explain");
    assert_eq!(why.applied, vec!["customs to eu"]);
    assert!(!why.trace[0].matched);
}

#[test]
fn agents_off_shift_in_their_own_time_zone_are_not_routed_to() {
    let clock = Arc::new(FixedClock::new(friday_5pm()));
    let mut desk = Desk::open_in_memory(&who("li.na"), clock).expect("desk");
    for login in ["zhang.wei", "chen.jie"] {
        desk.add_user(login, None, Role::Agent, Some("cn"))
            .expect("agent");
    }
    // Friday 17:00 in Shanghai: zhang.wei's morning shift is over.
    desk.set_agent_profile(
        "zhang.wei",
        "zh,en",
        Some("Asia/Shanghai"),
        Some("mon-fri 09:00-12:00"),
    )
    .expect("profile");
    desk.set_agent_profile(
        "chen.jie",
        "zh",
        Some("Asia/Shanghai"),
        Some("mon-fri 09:00-18:00"),
    )
    .expect("profile");
    assert!(
        desk.set_agent_profile("chen.jie", "zh", Some("Mars/Base"), None)
            .is_err()
    );
    desk.set_rules(ROUTING, "rules.toml").expect("rules");
    for title in ["包裹清关失败", "海关要求发票", "清关延误"] {
        let id = desk
            .create_ticket(NewTicket {
                title: title.into(),
                ..Default::default()
            })
            .expect("ticket");
        let t = desk.detail(id).expect("detail").ticket;
        assert_eq!(t.assignee.as_deref(), Some("chen.jie"), "{title}");
    }
}

#[test]
fn a_simulation_routes_history_and_synthetic_tickets_and_writes_nothing() {
    let clock = Arc::new(FixedClock::new(friday_5pm()));
    let mut desk = Desk::open_in_memory(&who("li.na"), clock).expect("desk");
    for (login, team) in [("zhang.wei", "cn"), ("chen.jie", "cn"), ("emma", "eu")] {
        desk.add_user(login, None, Role::Agent, Some(team))
            .expect("agent");
    }
    for title in [
        "包裹清关失败",
        "Where is my order?",
        "Parcel stuck in customs",
    ] {
        desk.create_ticket(NewTicket {
            title: title.into(),
            ..Default::default()
        })
        .expect("ticket");
    }
    let rules = tdesk::rules::RuleSet::parse(ROUTING).expect("rules");
    let before = desk.list(&tdesk::domain::ListRequest {
        query: Default::default(),
        sort: tdesk::domain::SortKey::Number,
        dir: tdesk::domain::SortDir::Asc,
        limit: 10,
        offset: 0,
        group: None,
        backwards: false,
    });
    let history = desk.simulate(&rules, None, None).expect("simulate");
    assert_eq!(history.tickets, 3);
    assert_eq!(history.teams.get("cn"), Some(&1));
    assert_eq!(history.teams.get("eu"), Some(&1));
    assert_eq!(history.unrouted, 1, "no rule for the order question");
    let synthetic = desk.simulate(&rules, None, Some(1_000)).expect("simulate");
    assert_eq!(synthetic.tickets, 1_000);
    let cn: usize = synthetic.agents.get("cn").map_or(0, |m| m.values().sum());
    assert_eq!(Some(&cn), synthetic.teams.get("cn"));
    assert!(
        synthetic.imbalance.get("cn").is_some_and(|r| *r < 1.01),
        "round robin is even"
    );
    let after = desk.list(&tdesk::domain::ListRequest {
        query: Default::default(),
        sort: tdesk::domain::SortKey::Number,
        dir: tdesk::domain::SortDir::Asc,
        limit: 10,
        offset: 0,
        group: None,
        backwards: false,
    });
    assert_eq!(
        before.expect("before"),
        after.expect("after"),
        "nothing written"
    );
}

fn resolve(desk: &mut Desk, id: i64) {
    desk.assign(id, Some("li.na"), None).expect("take");
    desk.move_ticket(
        id,
        "resolved",
        &MoveOptions {
            note: Some("Customs released the parcel.".into()),
            cause: Some("logistics".into()),
            ..Default::default()
        },
    )
    .expect("resolve");
}

#[test]
fn default_automations_close_the_loop_with_the_customer() {
    let clock = Arc::new(FixedClock::new(friday_5pm()));
    let mut desk = Desk::open_in_memory(&who("li.na"), clock.clone()).expect("desk");
    let id = cn_ticket(&mut desk, Priority::P2);
    resolve(&mut desk, id);
    let d = desk.detail(id).expect("detail");
    assert_eq!(
        d.ticket.status, "pending_acceptance",
        "asked for acceptance at once"
    );
    // The ticket does not talk by mail: the request is a note for the
    // agent to pass on (in English: the ticket has no customer).
    let asked = d
        .comments
        .iter()
        .find(|c| c.author == "automation:ask for acceptance")
        .expect("asked");
    assert!(
        asked.internal && asked.body.contains("from 1 (not at all) to 5"),
        "{}",
        asked.body
    );
    // A week without an answer: closed; a month later: archived.
    clock.advance(Duration::days(7) + Duration::minutes(1));
    desk.sweep().expect("sweep");
    let closed = desk.detail(id).expect("detail").ticket;
    assert_eq!(closed.status, "closed");
    assert_eq!(
        closed.closure.accepted_by,
        Some(tdesk::domain::AcceptedBy::Silence)
    );
    desk.sweep().expect("sweep again");
    clock.advance(Duration::days(30) + Duration::minutes(1));
    desk.sweep().expect("sweep");
    let d = desk.detail(id).expect("detail");
    assert_eq!(d.ticket.status, "archived");
    assert!(
        d.events
            .iter()
            .any(|e| e.actor == "automation:close unanswered")
    );
    assert!(
        d.events
            .iter()
            .any(|e| e.actor == "automation:archive closed")
    );
}

#[test]
fn automations_cannot_loop_and_a_refused_one_leaves_the_change_alone() {
    let clock = Arc::new(FixedClock::new(friday_5pm()));
    let mut desk = Desk::open_in_memory(&who("li.na"), clock).expect("desk");
    let ping_pong = "[[automation]]\nname = \"ping\"\non = \"status_changed\"\nto = \"waiting_customer\"\nmove = \"in_progress\"\n\
                     [[automation]]\nname = \"pong\"\non = \"status_changed\"\nto = \"in_progress\"\nmove = \"waiting_customer\"\n\
                     [[automation]]\nname = \"impossible\"\non = \"assigned\"\nmove = \"archived\"\n";
    desk.set_automations(ping_pong, "auto.toml")
        .expect("automations");
    let id = cn_ticket(&mut desk, Priority::P2);
    // Taking it moves it to in_progress, which sets off pong, then ping, then
    // nothing more: each automation once per ticket per chain.
    desk.assign(id, Some("li.na"), None)
        .expect("take, whatever the automations do");
    let d = desk.detail(id).expect("detail");
    let by = |name: &str| {
        d.events
            .iter()
            .filter(|e| {
                e.actor == format!("automation:{name}")
                    && e.kind == tdesk::domain::EventKind::Status
            })
            .count()
    };
    assert_eq!((by("pong"), by("ping")), (1, 1));
    assert_eq!(
        by("impossible"),
        0,
        "refused by the workflow: nothing written"
    );
    assert_eq!(d.ticket.status, "in_progress");
    assert!(
        desk.set_automations(
            "[[automation]]\nname = \"x\"\non = \"sneezed\"\nmove = \"closed\"\n",
            "bad.toml"
        )
        .is_err()
    );
}

#[test]
fn a_breach_can_hand_the_ticket_to_the_least_loaded_teammate() {
    let clock = Arc::new(FixedClock::new(friday_5pm()));
    let mut desk = Desk::open_in_memory(&who("li.na"), clock.clone()).expect("desk");
    for login in ["zhang.wei", "chen.jie"] {
        desk.add_user(login, None, Role::Agent, Some("cn"))
            .expect("agent");
    }
    desk.set_sla(
        "[targets]\nP2 = { response = \"1h\", resolve = \"8h\" }\n[calendars.default]\nalways = true\n\
         [[escalation]]\nname = \"breached\"\nat = 1.0\nnotify = \"supervisor\"\nreassign = true\n",
        "sla.toml",
    )
    .expect("policy");
    let id = cn_ticket(&mut desk, Priority::P2);
    desk.assign(id, Some("zhang.wei"), None).expect("assign");
    clock.advance(Duration::hours(2));
    let fired = desk.sweep().expect("sweep");
    assert_eq!(fired.len(), 1, "{fired:?}");
    let d = desk.detail(id).expect("detail");
    assert_eq!(d.ticket.assignee.as_deref(), Some("chen.jie"));
    assert!(d.events.iter().any(|e| e.actor == "automation:escalation"));
}

#[test]
fn a_rules_sla_names_the_policy_override_the_ticket_runs_on() {
    let clock = Arc::new(FixedClock::new(friday_5pm()));
    let mut desk = Desk::open_in_memory(&who("li.na"), clock).expect("desk");
    desk.set_sla(
        "[targets]\nP2 = { response = \"4h\", resolve = \"48h\" }\n[[overrides]]\nname = \"gold\"\nresponse = \"15m\"\n[calendars.default]\nalways = true\n",
        "sla.toml",
    )
    .expect("policy");
    desk.set_rules(
        "[[rule]]\nname = \"gold customers\"\nwhen = { words = [\"gold\"] }\nthen = { sla = \"gold\" }\n",
        "rules.toml",
    )
    .expect("rules");
    let gold = desk
        .create_ticket(NewTicket {
            title: "Gold member: parcel missing".into(),
            ..Default::default()
        })
        .expect("gold");
    let plain = desk
        .create_ticket(NewTicket {
            title: "Parcel missing".into(),
            ..Default::default()
        })
        .expect("plain");
    let due = |id| desk.detail(id).expect("detail").ticket.due_at.expect("due");
    assert_eq!(due(gold) - friday_5pm(), Duration::minutes(15));
    assert_eq!(due(plain) - friday_5pm(), Duration::hours(4));
}
