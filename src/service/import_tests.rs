//! Imports written a row at a time: what the one INSERT per row stores is
//! what the desk would work out from the ticket's history, and routing and
//! the workflow still act on the new tickets.

use chrono::{TimeZone, Utc};
use std::sync::Arc;

use super::*;
use crate::domain::{EventKind, Query};

fn desk_at(login: &str) -> Desk {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("valid");
    let who = Identity {
        login: login.into(),
        display_name: login.into(),
    };
    Desk::open_in_memory(&who, Arc::new(FixedClock::new(now))).expect("desk")
}

fn import(desk: &mut Desk, csv: &str) -> ImportReport {
    let input = CsvInput {
        name: "t.csv",
        bytes: csv.as_bytes(),
        map: None,
        encoding: None,
    };
    desk.import_csv(&input, ImportOptions::default(), &mut |_, _| {})
        .expect("import")
}

/// What a ticket's SLA columns hold: deadline, at-risk time, outcomes.
type SlaColumns = (
    Option<chrono::DateTime<Utc>>,
    Option<chrono::DateTime<Utc>>,
    (Option<i64>, Option<i64>, i64),
);

fn sla_columns(desk: &Desk, ids: &[i64]) -> Vec<SlaColumns> {
    let r = desk.store.reader();
    ids.iter()
        .map(|&id| {
            let t = r.ticket(id).expect("read").expect("ticket");
            (
                t.due_at,
                t.risk_at,
                r.stored_outcomes(id).expect("outcomes"),
            )
        })
        .collect()
}

const ROWS: &str = "\
Id,Subject,Description,Status,Priority,Assignee,Requester email,Created at,Updated at
1,Parcel stuck in customs,No update for a week,new,urgent,,a@example.com,2026-11-20 08:00:00 +0000,2026-11-20 08:30:00 +0000
2,Refund for A1002,Charged twice,open,high,,b@example.com,2026-11-19 10:00:00 +0000,2026-11-19 12:00:00 +0000
3,包裹丢失,请尽快处理,pending,normal,,c@example.com,2026-11-18 10:00:00 +0000,2026-11-18 11:00:00 +0000
4,Wrong size,EU 38 runs small,solved,low,,a@example.com,2026-11-10 10:00:00 +0000,2026-11-12 10:00:00 +0000
5,Box crushed,Fragile ignored,closed,normal,,d@example.com,2026-10-01 10:00:00 +0000,2026-10-03 10:00:00 +0000
6,Where is my order,No tracking,hold,high,,,2026-11-20 07:00:00 +0000,
7,Colour wrong,Red not blue,,normal,,e@example.com,,
";

#[test]
fn imported_rows_hold_the_sla_columns_a_recomputation_gives() {
    let mut desk = desk_at("li.na");
    let report = import(&mut desk, ROWS);
    assert_eq!(report.created.len(), 7);
    let stored = sla_columns(&desk, &report.created);
    assert!(stored.iter().any(|(due, _, _)| due.is_some()), "{stored:?}");
    assert!(
        stored
            .iter()
            .any(|(_, _, (_, resolve, _))| resolve.is_some()),
        "{stored:?}"
    );
    desk.recompute_sla().expect("recompute");
    assert_eq!(sla_columns(&desk, &report.created), stored);
}

#[test]
fn imported_rows_are_searchable_in_both_languages() {
    let mut desk = desk_at("li.na");
    let report = import(&mut desk, ROWS);
    for (words, id) in [("customs", 0), ("包裹", 2), ("A1002", 1)] {
        let q = Query::parse(words).expect("query");
        assert_eq!(desk.count(&q).expect("count"), 1, "{words}");
        let hits = desk
            .store
            .reader()
            .ids(&desk.resolve(q).expect("resolve"))
            .expect("ids");
        assert_eq!(hits, vec![report.created[id]], "{words}");
    }
}

#[test]
fn an_assigned_row_without_a_state_takes_the_workflows_on_assign_move() {
    let mut desk = desk_at("li.na");
    desk.add_user("emma", None, Role::Agent, Some("eu"))
        .expect("agent");
    let report = import(
        &mut desk,
        "Subject,Assignee,Status\nParcel late,emma,\nParcel lost,emma,pending\n",
    );
    let r = desk.store.reader();
    let first = r.ticket(report.created[0]).expect("read").expect("ticket");
    assert_eq!(first.assignee.as_deref(), Some("emma"));
    assert_eq!(
        first.status, "in_progress",
        "on_assign of the initial state"
    );
    let second = r.ticket(report.created[1]).expect("read").expect("ticket");
    assert_eq!(
        second.status, "waiting_customer",
        "its source's state stands"
    );
    let kinds: Vec<EventKind> = r
        .events(second.id)
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [EventKind::Created, EventKind::Assigned, EventKind::Status]
    );
    // The move after the row was written refreshed the deadlines.
    let stored = sla_columns(&desk, &report.created);
    desk.recompute_sla().expect("recompute");
    assert_eq!(sla_columns(&desk, &report.created), stored);
}

#[test]
fn routing_rules_place_imported_rows_in_the_initial_state_only() {
    let mut desk = desk_at("li.na");
    desk.add_user("zhang.wei", None, Role::Agent, Some("cn"))
        .expect("agent");
    desk.set_rules(
        "[[rule]]\nname = \"customs\"\nwhen = { words = [\"customs\"] }\n\
         then = { team = \"cn\", assign = \"round-robin\", priority = \"P1\" }\n",
        "routing-rules",
    )
    .expect("rules");
    let report = import(
        &mut desk,
        "Subject,Status\nStuck in customs,new\nCustoms paperwork,solved\n",
    );
    let r = desk.store.reader();
    let routed = r.ticket(report.created[0]).expect("read").expect("ticket");
    assert_eq!(routed.team.as_deref(), Some("cn"));
    assert_eq!(routed.assignee.as_deref(), Some("zhang.wei"));
    let solved = r.ticket(report.created[1]).expect("read").expect("ticket");
    assert_eq!((solved.team, solved.assignee), (None, None));
    let stored = sla_columns(&desk, &report.created);
    desk.recompute_sla().expect("recompute");
    assert_eq!(sla_columns(&desk, &report.created), stored);
}

#[test]
fn old_solved_rows_owe_nothing_and_the_sweep_leaves_them_alone() {
    let mut desk = desk_at("li.na");
    let report = import(
        &mut desk,
        "Id,Subject,Status,Created at,Updated at\n\
         1,Refund long done,solved,2024-01-01 10:00,2024-01-01 11:00\n\
         2,Closed long ago,closed,2024-01-01 10:00,2024-01-02 11:00\n\
         3,Still waiting,open,2024-01-01 10:00,2024-01-01 11:00\n",
    );
    let stored = sla_columns(&desk, &report.created);
    assert_eq!((stored[0].0, stored[1].0), (None, None), "{stored:?}");
    assert!(
        stored[2].0.is_some(),
        "an open row's clock runs: {stored:?}"
    );
    let fired = desk.sweep().expect("sweep");
    assert!(
        fired.iter().all(|f| f.ticket == report.created[2]),
        "only the open ticket is escalated: {fired:?}"
    );
    // (The closed one may be archived by the desk's automation: that is
    // no escalation.)
    let r = desk.store.reader();
    for &id in &report.created[..2] {
        let steps = r.escalations(id).expect("steps");
        assert!(steps.iter().all(|s| s.starts_with("auto:")), "{steps:?}");
    }
}

#[test]
fn dates_without_an_offset_are_the_desks_wall_clock_unless_the_map_names_a_zone() {
    let csv = "Id,Subject,Created at\n1,Parcel late,2026-03-01 09:15\n2,Wrong size,2026-03-01 09:15 +0000\n";
    let mut desk = desk_at("li.na");
    desk.set_timezone(chrono::FixedOffset::east_opt(8 * 3600).expect("offset"));
    let report = import(&mut desk, csv);
    let created = |desk: &Desk, id| {
        desk.store
            .reader()
            .ticket(id)
            .expect("read")
            .expect("ticket")
            .created_at
            .to_rfc3339()
    };
    let wall = chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
        .and_then(|d| d.and_hms_opt(9, 15, 0))
        .expect("date");
    let here = chrono::Local
        .from_local_datetime(&wall)
        .earliest()
        .expect("local")
        .with_timezone(&Utc);
    assert_eq!(created(&desk, report.created[0]), here.to_rfc3339());
    assert_eq!(
        created(&desk, report.created[1]),
        "2026-03-01T09:15:00+00:00"
    );
    let mut other = desk_at("li.na");
    let input = CsvInput {
        name: "t.csv",
        bytes: csv.as_bytes(),
        map: Some((
            "map.toml",
            "source = \"generic\"\ntime_zone = \"-05:00\"\n[columns]\nexternal_id = \"Id\"\ntitle = \"Subject\"\ncreated = \"Created at\"\n",
        )),
        encoding: None,
    };
    let report = other
        .import_csv(&input, ImportOptions::default(), &mut |_, _| {})
        .expect("import");
    assert_eq!(
        created(&other, report.created[0]),
        "2026-03-01T14:15:00+00:00"
    );
}
