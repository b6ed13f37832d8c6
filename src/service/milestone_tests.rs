//! Milestones: who makes and changes them, what progress a member sees,
//! and the `milestone:` query.

use chrono::Duration;

use super::subtask_tests::{now, open, team_desk};
use super::*;
use crate::domain::{MilestoneChanges, NewMilestone, NewSubtask, NewTicket};

fn milestone(name: &str, owner: Option<&str>) -> NewMilestone {
    NewMilestone {
        name: name.into(),
        description: "Zippers break after a week".into(),
        owner: owner.map(String::from),
        due: Some(now() + Duration::days(10)),
    }
}

#[test]
fn supervisors_make_milestones_and_an_agent_may_not() {
    let (_dir, path, _) = team_desk();
    let mut emma = open(&path, "emma");
    assert!(matches!(
        emma.add_milestone(milestone("Zipper defect", None)),
        Err(Error::Forbidden { .. })
    ));
    let mut root = open(&path, "root");
    let m = root
        .add_milestone(milestone("  Zipper   defect ", Some("emma")))
        .expect("add");
    assert_eq!(m.name, "Zipper defect");
    assert_eq!(
        root.add_milestone(milestone("zipper DEFECT", None)),
        Err(Error::MilestoneExists("zipper DEFECT".into()))
    );
    // Its owner may change it, though an agent; another agent may not.
    let changed = emma
        .edit_milestone(
            "zipper defect",
            MilestoneChanges {
                due: Some(None),
                ..Default::default()
            },
        )
        .expect("owner edits");
    assert_eq!(changed.due, None);
    let mut li = open(&path, "li");
    assert!(matches!(
        li.close_milestone("Zipper defect", true),
        Err(Error::Forbidden { .. })
    ));
    assert_eq!(
        li.find_milestone("#99"),
        Err(Error::MilestoneNotFound("#99".into()))
    );
    // Names a command or the query would read as something else.
    for name in ["3", "#2", "None", "a|b", "+5", "3.5", "１２", "say \"hi\""] {
        assert!(
            matches!(
                root.add_milestone(milestone(name, None)),
                Err(Error::Invalid(_))
            ),
            "{name}"
        );
    }
    assert!(matches!(
        root.place_in_milestone(Some("Zipper defect"), &[], &[]),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn progress_counts_only_the_tickets_the_reader_may_see() {
    let (_dir, path, ticket) = team_desk();
    let mut root = open(&path, "root");
    let m = root
        .add_milestone(milestone("Zipper defect", None))
        .expect("add");
    let other = root
        .create_ticket(NewTicket {
            title: "Zipper broke on day 3".into(),
            team: Some("cn".into()),
            assignee: Some("wu".into()),
            ..NewTicket::default()
        })
        .expect("ticket");
    let step = root
        .add_subtask(
            ticket,
            NewSubtask {
                title: "Send a new zipper".into(),
                due: Some(now() - Duration::hours(1)),
                ..NewSubtask::default()
            },
        )
        .expect("step");
    assert_eq!(
        root.place_in_milestone(Some("zipper defect"), &[ticket, other], &[step.id]),
        Ok(3)
    );
    let all = root.milestone_progress(&m).expect("progress");
    assert_eq!((all.tickets, all.steps, all.overdue), (2, 1, 1));
    // emma (team eu) sees her ticket and its step, never wu's ticket.
    let emma = open(&path, "emma");
    let mine = emma.milestone_progress(&m).expect("progress");
    assert_eq!((mine.tickets, mine.steps, mine.overdue), (1, 1, 1));
    let q = emma
        .parse_query("milestone:\"Zipper defect\"")
        .expect("query");
    assert_eq!(emma.count(&q), Ok(1));
    assert_eq!(root.count(&q), Ok(2));
    let none = root.parse_query("milestone:none").expect("query");
    assert_eq!(root.count(&none), Ok(0));
    assert_eq!(
        emma.steps_of_milestone_count(&m),
        1,
        "the step of her ticket is listed"
    );
}

#[test]
fn a_hidden_ticket_cannot_be_placed_and_a_closed_milestone_takes_nothing() {
    let (_dir, path, ticket) = team_desk();
    let mut root = open(&path, "root");
    root.add_milestone(milestone("Zipper defect", None))
        .expect("add");
    let mut wu = open(&path, "wu");
    assert_eq!(
        wu.place_in_milestone(Some("Zipper defect"), &[ticket], &[]),
        Err(Error::TicketNotFound(ticket))
    );
    root.close_milestone("Zipper defect", true).expect("close");
    assert_eq!(
        root.place_in_milestone(Some("Zipper defect"), &[ticket], &[]),
        Err(Error::MilestoneClosed("Zipper defect".into()))
    );
    assert!(root.milestones(false).expect("list").is_empty());
    assert_eq!(root.milestones(true).expect("list").len(), 1);
    // Taking a ticket out works whatever its milestone's state.
    assert_eq!(root.place_in_milestone(None, &[ticket], &[]), Ok(0));
}

impl Desk {
    fn steps_of_milestone_count(&self, m: &crate::domain::Milestone) -> usize {
        self.milestone_steps(m, 10).expect("steps").len()
    }
}

#[test]
fn the_report_sums_time_and_steps_over_the_tickets_the_reader_may_see() {
    let (_dir, path, ticket) = team_desk();
    let mut root = open(&path, "root");
    let hidden = root
        .create_ticket(NewTicket {
            title: "Parcel lost in Shenzhen".into(),
            team: Some("cn".into()),
            assignee: Some("wu".into()),
            ..NewTicket::default()
        })
        .expect("ticket");
    root.log_time(hidden, Duration::minutes(30), "")
        .expect("root's time");
    root.add_subtask(
        ticket,
        NewSubtask {
            title: "Pick up the return".into(),
            assignee: Some("li".into()),
            due: Some(now() - Duration::hours(2)),
            note: None,
        },
    )
    .expect("late step");
    let mut emma = open(&path, "emma");
    emma.log_time(ticket, Duration::minutes(45), "called the carrier")
        .expect("emma's time");
    let week = crate::metrics::Period::last_days(
        now().timestamp_millis(),
        7,
        chrono::FixedOffset::east_opt(0).expect("utc"),
    );
    let all = root.report(week).expect("report").work;
    let minutes: Vec<(&str, i64)> = all
        .time_by_member
        .iter()
        .map(|r| (r.key.as_str(), r.minutes))
        .collect();
    assert_eq!(minutes, [("emma", 45), ("root", 30)]);
    assert_eq!(all.steps_by_owner.len(), 1);
    let li = &all.steps_by_owner[0];
    assert_eq!((li.owner.as_str(), li.open, li.overdue), ("li", 1, 1));
    let mine = emma.report(week).expect("report").work;
    assert_eq!(
        mine.time_by_member
            .iter()
            .map(|r| r.key.as_str())
            .collect::<Vec<_>>(),
        ["emma"],
        "time on a ticket emma may not see is not hers to sum"
    );
    assert_eq!(mine.time_by_category.len(), 1);
}
