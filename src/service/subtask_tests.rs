//! Subtasks across teams: who adds, who marks done, who sees nothing.

use chrono::{TimeZone, Utc};
use std::sync::Arc;

use super::tests::who;
use super::*;
use crate::domain::{NewSubtask, NewTicket, SubtaskChanges};

pub(super) fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("valid")
}

/// A file desk with an admin, an agent of team eu who owns a ticket, an
/// agent of logistics and an agent of team cn.
pub(super) fn team_desk() -> (tempfile::TempDir, std::path::PathBuf, i64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(now()));
    let (mut admin, _) = Desk::create(&path, &who("root"), clock).expect("create");
    admin
        .add_user("emma", None, Role::Agent, Some("eu"))
        .expect("emma");
    admin
        .add_user("li", None, Role::Agent, Some("logistics"))
        .expect("li");
    admin
        .add_user("wu", None, Role::Agent, Some("cn"))
        .expect("wu");
    let ticket = admin
        .create_ticket(NewTicket {
            title: "Return of order A1001".into(),
            assignee: Some("emma".into()),
            team: Some("eu".into()),
            ..NewTicket::default()
        })
        .expect("ticket");
    (dir, path, ticket)
}

pub(super) fn open(path: &std::path::Path, login: &str) -> Desk {
    Desk::open(path, &who(login), Arc::new(FixedClock::new(now())))
        .expect("open")
        .0
}

fn step(title: &str, assignee: Option<&str>) -> NewSubtask {
    NewSubtask {
        title: title.into(),
        assignee: assignee.map(String::from),
        due: Some(now() + chrono::Duration::days(2)),
        note: None,
    }
}

#[test]
fn the_owner_splits_a_ticket_into_steps_for_other_teams_in_order() {
    let (_dir, path, ticket) = team_desk();
    let mut emma = open(&path, "emma");
    let pick = emma
        .add_subtask(ticket, step("Pick up the parcel", Some("li")))
        .expect("add");
    let check = emma
        .add_subtask(ticket, step("  Check it \n in the warehouse ", None))
        .expect("add");
    let refund = emma
        .add_subtask(ticket, step("Refund the buyer", Some("wu")))
        .expect("add");
    assert_eq!((pick.position, check.position, refund.position), (1, 2, 3));
    assert_eq!(check.title, "Check it in the warehouse");
    let steps = emma.subtasks(ticket).expect("list");
    assert_eq!(crate::domain::Progress::of(&steps).to_string(), "0/3");
    let history: Vec<String> = emma
        .detail(ticket)
        .expect("detail")
        .events
        .into_iter()
        .filter(|e| e.field.as_deref() == Some("subtask"))
        .filter_map(|e| e.new)
        .collect();
    assert_eq!(history.len(), 3);
    assert!(
        history[0].starts_with("1 Pick up the parcel (li, due "),
        "{history:?}"
    );
}

#[test]
fn a_steps_owner_from_another_team_marks_it_done_but_sees_no_more_of_the_ticket() {
    let (_dir, path, ticket) = team_desk();
    let pick = open(&path, "emma")
        .add_subtask(ticket, step("Pick up the parcel", Some("li")))
        .expect("add");
    let mut li = open(&path, "li");
    assert_eq!(li.my_subtasks(10).expect("mine"), vec![pick.clone()]);
    let done = li.set_subtask_done(pick.id, true).expect("done");
    assert_eq!(done.done_by.as_deref(), Some("li"));
    assert!(
        li.my_subtasks(10).expect("mine").is_empty(),
        "done steps leave my work"
    );
    // li learns what the step is about, and no more: the ticket itself
    // stays out of li's view, and so does the step list.
    assert_eq!(
        li.ticket_brief(ticket).expect("brief").0,
        "Return of order A1001"
    );
    assert_eq!(
        open(&path, "wu").ticket_brief(ticket).err(),
        Some(Error::TicketNotFound(ticket))
    );
    assert_eq!(li.detail(ticket).err(), Some(Error::TicketNotFound(ticket)));
    assert_eq!(
        li.subtasks(ticket).err(),
        Some(Error::TicketNotFound(ticket))
    );
    // Owning a step is not owning the ticket: no edits, no removal.
    assert_eq!(
        li.edit_subtask(
            pick.id,
            SubtaskChanges {
                title: Some("x".into()),
                ..Default::default()
            }
        )
        .err(),
        Some(Error::SubtaskNotFound(pick.id))
    );
    assert_eq!(
        li.remove_subtask(pick.id).err(),
        Some(Error::SubtaskNotFound(pick.id))
    );
}

#[test]
fn a_member_who_cannot_see_the_ticket_finds_its_steps_missing() {
    let (_dir, path, ticket) = team_desk();
    let refund = open(&path, "emma")
        .add_subtask(ticket, step("Refund the buyer", Some("li")))
        .expect("add");
    let mut wu = open(&path, "wu");
    let missing = Some(Error::SubtaskNotFound(refund.id));
    assert_eq!(wu.set_subtask_done(refund.id, true).err(), missing);
    assert_eq!(wu.remove_subtask(refund.id).err(), missing);
    assert_eq!(
        wu.set_subtask_done(99_999, true).err(),
        Some(Error::SubtaskNotFound(99_999))
    );
    assert_eq!(
        wu.add_subtask(ticket, step("Sneak in", None)).err(),
        Some(Error::TicketNotFound(ticket))
    );
    assert!(wu.my_subtasks(10).expect("mine").is_empty());
}

#[test]
fn steps_are_edited_reopened_and_removed_with_checked_values() {
    let (_dir, path, ticket) = team_desk();
    let mut emma = open(&path, "emma");
    let s = emma
        .add_subtask(ticket, step("Pick up", Some("li")))
        .expect("add");
    assert_eq!(
        emma.add_subtask(ticket, step("   ", None)).err(),
        Some(Error::Empty("field.title"))
    );
    assert_eq!(
        emma.add_subtask(ticket, step("x", Some("nobody"))).err(),
        Some(Error::UserNotFound("nobody".into()))
    );
    let edited = emma
        .edit_subtask(
            s.id,
            SubtaskChanges {
                assignee: Some(None),
                due: Some(None),
                note: Some("buyer away until Monday".into()),
                ..Default::default()
            },
        )
        .expect("edit");
    assert_eq!((edited.assignee, edited.due), (None, None));
    emma.set_subtask_done(s.id, true).expect("done");
    let open_again = emma.set_subtask_done(s.id, false).expect("undo");
    assert!(!open_again.is_done() && open_again.done_by.is_none());
    emma.remove_subtask(s.id).expect("rm");
    assert!(emma.subtasks(ticket).expect("list").is_empty());
}

#[test]
fn a_ticket_with_an_open_step_is_not_solved_until_the_step_is_done() {
    let (_dir, path, ticket) = team_desk();
    let mut emma = open(&path, "emma");
    let refund = emma
        .add_subtask(ticket, step("Refund the buyer", Some("wu")))
        .expect("add");
    let solve = MoveOptions {
        note: Some("Refunded in full".into()),
        cause: Some("logistics".into()),
        ..MoveOptions::default()
    };
    emma.move_ticket(ticket, "in_progress", &MoveOptions::default())
        .ok();
    let refused = emma.move_ticket(ticket, "resolved", &solve).err();
    let Some(Error::Refused(r)) = refused else {
        unreachable!("refused while a step is open: {refused:?}")
    };
    assert!(matches!(
        r.refused.refusal,
        crate::workflow::Refusal::Missing {
            requirement: crate::workflow::Requirement::SubtasksDone,
            ..
        }
    ));
    open(&path, "wu")
        .set_subtask_done(refund.id, true)
        .expect("the owner marks it done");
    let solved = emma
        .move_ticket(ticket, "resolved", &solve)
        .expect("solved");
    assert_eq!(solved.status, "resolved");
}

#[test]
fn a_step_given_to_another_team_reaches_its_owners_inbox_and_nobody_elses() {
    let (_dir, path, ticket) = team_desk();
    let mut emma = open(&path, "emma");
    emma.add_subtask(ticket, step("Pick up the parcel", Some("li")))
        .expect("add");
    let mine = emma
        .add_subtask(ticket, step("Write to the buyer", Some("emma")))
        .expect("add");
    let li = open(&path, "li");
    let inbox = li.inbox(false, 10).expect("inbox");
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert_eq!(inbox[0].kind, crate::domain::NoticeKind::Step);
    assert_eq!(inbox[0].detail.as_deref(), Some("Pick up the parcel"));
    assert_eq!(li.unread_count().expect("count"), 1);
    // Giving a step to yourself tells nobody; handing one on tells the new owner.
    assert!(
        emma.inbox(false, 10)
            .expect("inbox")
            .iter()
            .all(|n| n.kind != crate::domain::NoticeKind::Step)
    );
    emma.edit_subtask(
        mine.id,
        SubtaskChanges {
            assignee: Some(Some("wu".into())),
            ..Default::default()
        },
    )
    .expect("hand on");
    let wu = open(&path, "wu");
    assert_eq!(wu.unread_count().expect("count"), 1);
    // Once wu owns no step of the ticket, the notice is out of sight.
    emma.remove_subtask(mine.id).expect("rm");
    assert_eq!(wu.unread_count().expect("count"), 0);
    assert!(wu.inbox(false, 10).expect("inbox").is_empty());
}

#[test]
fn a_merge_takes_the_steps_along_to_the_end_of_the_targets_list() {
    let (_dir, path, ticket) = team_desk();
    let mut root = open(&path, "root");
    let dup = root
        .create_ticket(NewTicket {
            title: "Return of order A1001 (again)".into(),
            team: Some("eu".into()),
            ..NewTicket::default()
        })
        .expect("duplicate");
    root.add_subtask(ticket, step("Pick up the parcel", Some("li")))
        .expect("step");
    let moved = root
        .add_subtask(dup, step("Refund the buyer", Some("wu")))
        .expect("step");
    root.set_subtask_done(moved.id, true).expect("done");
    root.merge_tickets(dup, ticket).expect("merge");
    let steps = root.subtasks(ticket).expect("steps");
    let titles: Vec<(&str, i64)> = steps
        .iter()
        .map(|s| (s.title.as_str(), s.position))
        .collect();
    assert_eq!(titles, [("Pick up the parcel", 1), ("Refund the buyer", 2)]);
    let rows = root
        .list(&crate::domain::ListRequest {
            query: root.parse_query("").expect("query"),
            sort: crate::domain::SortKey::Number,
            dir: crate::domain::SortDir::Asc,
            limit: 10,
            offset: 0,
            group: None,
            backwards: false,
        })
        .expect("list");
    let progress = |id: i64| {
        rows.iter()
            .find(|r| r.id == id)
            .map(|r| r.steps.to_string())
    };
    assert_eq!(progress(ticket).as_deref(), Some("1/2"));
    assert_eq!(progress(dup).as_deref(), Some("0/0"));
}

#[test]
fn time_on_a_step_goes_with_it_in_a_merge() {
    let (_dir, path, ticket) = team_desk();
    let mut root = open(&path, "root");
    let dup = root
        .create_ticket(NewTicket {
            title: "Return of order A1001 (again)".into(),
            team: Some("eu".into()),
            ..NewTicket::default()
        })
        .expect("duplicate");
    let s = root
        .add_subtask(dup, step("Refund the buyer", Some("wu")))
        .expect("step");
    let mut wu = open(&path, "wu");
    wu.log_step_time(dup, s.id, chrono::Duration::minutes(20), "")
        .expect("wu's time");
    root.merge_tickets(dup, ticket).expect("merge");
    let entries = root.time_entries(ticket).expect("entries");
    assert_eq!(entries.len(), 1, "the step's time is on the target now");
    assert_eq!(entries[0].step, Some(s.id));
    assert!(root.time_entries(dup).expect("entries").is_empty());
    // Its owner still times it, under its new ticket.
    wu.log_step_time(ticket, s.id, chrono::Duration::minutes(5), "")
        .expect("still wu's step");
}
