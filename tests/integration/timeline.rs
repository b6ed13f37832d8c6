//! The timeline (`6`) and "my work" (`7`) panes on the real app, runner
//! and view: snapshots at 80x24 and 200x60 in both languages, and what
//! their keys do to the desk.

use chrono::{Duration, TimeZone, Utc};
use std::sync::Arc;

use tdesk::domain::{NewMilestone, NewSubtask, NewTicket, Role, TicketChanges};
use tdesk::i18n::{Catalog, Lang};
use tdesk::service::{Desk, FixedClock, Identity, MoveOptions};
use tdesk::tui::harness::Harness;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("valid")
}

/// A desk with a milestone, a late ticket blocking another, a ticket
/// split into steps across teams (one late, one done), and a closed one.
fn planned_desk() -> Desk {
    let who = Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    };
    let mut desk = Desk::open_in_memory(&who, Arc::new(FixedClock::new(now()))).expect("desk");
    for (login, team) in [("li", "logistics"), ("wu", "finance")] {
        desk.add_user(login, None, Role::Agent, Some(team))
            .expect("member");
    }
    let day = Duration::days(1);
    desk.add_milestone(NewMilestone {
        name: "Zipper defect 拉链缺陷".into(),
        description: String::new(),
        owner: Some("alice".into()),
        due: Some(now() + day * 5),
    })
    .expect("milestone");
    let mut ticket = |title: &str, due: chrono::Duration| {
        let id = desk
            .create_ticket(NewTicket {
                title: title.into(),
                ..Default::default()
            })
            .expect("ticket");
        desk.edit(
            id,
            &TicketChanges {
                due: Some(Some(now() + due)),
                ..Default::default()
            },
            None,
        )
        .expect("due");
        id
    };
    let zipper = ticket("Zipper broke after a week 拉链坏了", day * 3);
    let customs = ticket("Parcel held at customs 海关滞留", -day * 2);
    let refund = ticket("Refund after the return 退货退款", day * 6);
    let coupon = ticket("Coupon rejected 优惠券无法使用", day);
    desk.move_ticket(
        coupon,
        "closed",
        &MoveOptions {
            note: Some("Duplicate".into()),
            ..MoveOptions::default()
        },
    )
    .expect("closed");
    desk.link(customs, refund, "blocks").expect("blocks");
    desk.place_in_milestone(Some("Zipper defect 拉链缺陷"), &[zipper], &[])
        .expect("placed");
    desk.assign(zipper, Some("alice"), None).expect("mine");
    for (title, owner, due, done) in [
        ("Ask the factory 联系工厂", "li", day, true),
        ("Send a new zipper 补发拉链", "wu", -day, false),
        ("Call the buyer 回访买家", "alice", day * 2, false),
    ] {
        let s = desk
            .add_subtask(
                zipper,
                NewSubtask {
                    title: title.into(),
                    assignee: Some(owner.into()),
                    due: Some(now() + due),
                    note: None,
                },
            )
            .expect("step");
        if done {
            desk.set_subtask_done(s.id, true).expect("done");
        }
    }
    desk
}

/// Where `text` is on the screen; it must be there.
fn position(screen: &str, text: &str) -> usize {
    let at = screen.find(text);
    assert!(at.is_some(), "{text} in {screen}");
    at.unwrap_or_default()
}

fn screen(lang: Lang, size: (u16, u16), presses: &[&str]) -> String {
    let mut h = Harness::new(planned_desk(), Catalog::new(lang), size, now()).expect("harness");
    for keys in presses {
        h.press(keys);
    }
    h.render()
}

#[test]
fn timeline_80x24_en() {
    insta::assert_snapshot!(screen(Lang::En, (80, 24), &["6"]));
}

#[test]
fn timeline_80x24_zh() {
    insta::assert_snapshot!(screen(Lang::ZhCn, (80, 24), &["6"]));
}

#[test]
fn timeline_200x60_en() {
    insta::assert_snapshot!(screen(Lang::En, (200, 60), &["6"]));
}

#[test]
fn timeline_200x60_zh() {
    insta::assert_snapshot!(screen(Lang::ZhCn, (200, 60), &["6"]));
}

#[test]
fn my_work_80x24_en() {
    insta::assert_snapshot!(screen(Lang::En, (80, 24), &["7"]));
}

#[test]
fn my_work_80x24_zh() {
    insta::assert_snapshot!(screen(Lang::ZhCn, (80, 24), &["7"]));
}

#[test]
fn the_timeline_sorts_by_due_date_marks_late_and_blocked_tickets_and_shows_steps() {
    let s = screen(Lang::En, (100, 30), &["6"]);
    let at = |text: &str| position(&s, text);
    // Soonest due first: the late customs parcel, then the zipper.
    assert!(at("!#2 Parcel held") < at("#1 [1/3] Zipper"), "{s}");
    assert!(s.contains("#3 ⊘#2 Refund after the return"), "{s}");
    assert!(s.contains("└!2 Send a new zipper 补发拉链 @wu"), "{s}");
    assert!(s.contains("└✓1 Ask the factory"), "{s}");
    assert!(s.contains("◆ Zipper defect 拉链缺陷 0%"), "{s}");
    assert!(s.contains("Timeline · days"), "{s}");
}

#[test]
fn angle_brackets_move_a_steps_due_date_a_day_and_capital_l_a_tickets_a_week_and_the_cursor_follows()
 {
    // The cursor starts on the first ticket due today or later (#4, the
    // late #2 above it), then #1 and its steps 1, 2.
    let s = screen(Lang::En, (100, 40), &["6", "j j j >", "enter"]);
    assert!(
        s.contains("Send a new zipper 补发拉链 · wu · 2026-11-20"),
        "a day later than the 19th: {s}"
    );
    let s = screen(Lang::En, (100, 40), &["6", "L", "enter"]);
    assert!(
        s.contains("#4 Coupon rejected"),
        "the cursor went with #4: {s}"
    );
    assert!(s.contains("2026-11-28"), "the 21st and a week: {s}");
}

#[test]
fn a_on_a_step_picks_its_new_owner_and_z_zooms_out() {
    let s = screen(Lang::En, (100, 30), &["6", "j j a"]);
    assert!(s.contains("Step 1 of #1: new owner"), "{s}");
    let s = screen(Lang::En, (100, 30), &["6", "z"]);
    assert!(s.contains("Timeline · weeks"), "{s}");
    let s = screen(Lang::En, (100, 30), &["6", "z z"]);
    assert!(s.contains("Timeline · months"), "{s}");
}

#[test]
fn my_work_lists_my_tickets_and_steps_by_date_and_x_marks_a_step_done() {
    let s = screen(Lang::En, (100, 30), &["7"]);
    let at = |text: &str| position(&s, text);
    assert!(
        at("#1·3") < at("[1/3] Zipper broke"),
        "the step due sooner: {s}"
    );
    assert!(s.contains("Call the buyer 回访买家 — Zipper broke"), "{s}");
    let done = screen(Lang::En, (100, 30), &["7", "x"]);
    assert!(done.contains("Step marked done on #1."), "{done}");
    assert!(!done.contains("#1·3"), "a done step leaves my work: {done}");
}

#[test]
fn presses_in_quick_succession_add_up_and_the_cursor_finds_a_ticket_that_sorted_far_away() {
    // Three presses before any answer: three days, no conflict with itself.
    let s = screen(Lang::En, (100, 40), &["6", "> > >", "enter"]);
    assert!(s.contains("#4 Coupon rejected"), "{s}");
    assert!(s.contains("2026-11-24"), "the 21st and three days: {s}");
    // 300 dated tickets and one due far later, at the very end: two weeks
    // earlier, it sorts near the top, far outside the rows loaded around
    // the cursor; the cursor goes with it.
    let mut desk = planned_desk();
    let mut dated = |title: String, hours: i64| {
        let id = desk
            .create_ticket(NewTicket {
                title,
                ..Default::default()
            })
            .expect("ticket");
        desk.edit(
            id,
            &TicketChanges {
                due: Some(Some(now() + Duration::hours(hours))),
                ..Default::default()
            },
            None,
        )
        .expect("due");
        id
    };
    for n in 0..300 {
        dated(format!("Parcel {n}"), 30 + n);
    }
    let last = dated("Warehouse move 仓库搬迁".into(), 400);
    let mut h = Harness::new(desk, Catalog::new(Lang::En), (100, 30), now()).expect("harness");
    h.press("6");
    h.press("G");
    let bottom = h.render();
    assert!(
        bottom.contains(&format!("#{last} Warehouse move")),
        "{bottom}"
    );
    h.press("H H");
    h.press("enter");
    let s = h.render();
    assert!(s.contains(&format!("#{last} Warehouse move")), "{s}");
    assert!(s.contains("2026-11-23"), "400 hours less two weeks: {s}");
}
