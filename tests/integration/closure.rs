//! Closing the loop on screen: the resolution dialog, the customer's
//! verdict in the detail pane, and the knowledge-base pane, at 80x24 in
//! English and Chinese.

use chrono::{TimeZone, Utc};
use std::sync::Arc;

use tdesk::domain::NewTicket;
use tdesk::i18n::{Catalog, Lang};
use tdesk::service::{Desk, FixedClock, Identity, MoveOptions, VerdictInput, VerdictSource};
use tdesk::tui::harness::Harness;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("valid")
}

/// A small demo desk (with its knowledge base) and one ticket of alice's
/// in progress, on top of the list.
fn desk() -> (Desk, i64) {
    let who = Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    };
    let mut desk = Desk::open_in_memory(&who, Arc::new(FixedClock::new(now()))).expect("desk");
    desk.load_demo(40, 3).expect("demo");
    let id = desk
        .create_ticket(NewTicket {
            title: "Parcel stuck in customs, they want import duty".into(),
            description: "Tracking says held at customs since Monday.".into(),
            assignee: Some("alice".into()),
            ..Default::default()
        })
        .expect("ticket");
    (desk, id)
}

fn harness(desk: Desk, lang: Lang) -> Harness {
    Harness::new(desk, Catalog::new(lang), (80, 24), now()).expect("harness")
}

fn resolve_dialog(lang: Lang) -> String {
    let (desk, _) = desk();
    let mut h = harness(desk, lang);
    h.press("m");
    let menu = h.render();
    // The move menu offers Waiting on customer, then Resolved.
    assert!(
        menu.contains("Resolved") || menu.contains("已解决"),
        "{menu}"
    );
    h.press("j enter");
    h.press("type:Invoice re-sent");
    h.press("tab right");
    h.render()
}

#[test]
fn resolution_dialog_en() {
    insta::assert_snapshot!(resolve_dialog(Lang::En));
}

#[test]
fn resolution_dialog_zh() {
    insta::assert_snapshot!(resolve_dialog(Lang::ZhCn));
}

#[test]
fn the_resolution_dialog_saves_the_record_through_the_engine() {
    let (desk, id) = desk();
    let mut h = harness(desk, Lang::En);
    h.press("m j enter");
    // Without a cause the dialog stays and says what is missing.
    h.press("type:Fixed");
    h.press("enter");
    let screen = h.render();
    assert!(screen.contains("Pick the root cause"), "{screen}");
    h.press("right enter");
    let screen = h.render();
    assert!(
        !screen.contains("Root cause ◀"),
        "the dialog closed: {screen}"
    );
    let t = h.desk.detail(id).expect("detail").ticket;
    assert_eq!(t.resolution.as_deref(), Some("Fixed"));
    assert_eq!(t.closure.cause.as_deref(), Some("product-defect"));
}

fn verdict_detail(lang: Lang) -> String {
    let (mut desk, id) = desk();
    let opts = MoveOptions {
        note: Some("Invoice re-sent, parcel released".into()),
        cause: Some("logistics".into()),
        prevention: Some("Invoice printed on every parcel".into()),
        ..Default::default()
    };
    desk.move_ticket(id, "resolved", &opts).expect("resolve");
    let bad = VerdictInput {
        rating: Some(2),
        satisfied: None,
        words: Some("Still waiting".into()),
    };
    desk.record_verdict(id, &bad, VerdictSource::Mail, None)
        .expect("reopened");
    desk.move_ticket(id, "resolved", &opts)
        .expect("resolve again");
    let good = VerdictInput {
        rating: Some(5),
        satisfied: Some(true),
        words: None,
    };
    desk.record_verdict(id, &good, VerdictSource::Mail, None)
        .expect("closed");
    let mut h = harness(desk, lang);
    h.press("/");
    h.press("type:status:closed customs");
    h.press("enter enter");
    h.render()
}

#[test]
fn verdict_in_the_detail_pane_en() {
    insta::assert_snapshot!(verdict_detail(Lang::En));
}

#[test]
fn verdict_in_the_detail_pane_zh() {
    insta::assert_snapshot!(verdict_detail(Lang::ZhCn));
}

#[test]
fn knowledge_base_pane_en() {
    let (desk, _) = desk();
    let mut h = harness(desk, Lang::En);
    h.press("4");
    insta::assert_snapshot!("kb_list_en", h.render());
    h.press("/");
    h.press("type:customs");
    h.press("enter enter");
    insta::assert_snapshot!("kb_article_en", h.render());
}

#[test]
fn knowledge_base_pane_zh() {
    let (desk, _) = desk();
    let mut h = harness(desk, Lang::ZhCn);
    h.press("4");
    insta::assert_snapshot!("kb_list_zh", h.render());
    h.press("/");
    h.press("type:tuikuan");
    h.press("enter enter");
    insta::assert_snapshot!("kb_article_zh", h.render());
}

#[test]
fn solving_a_parent_offers_to_solve_its_children_and_sums_up_what_happened() {
    let (mut desk, _) = desk();
    let mut ticket = |title: &str| {
        desk.create_ticket(NewTicket {
            title: title.into(),
            assignee: Some("alice".into()),
            ..Default::default()
        })
        .expect("ticket")
    };
    let a = ticket("Parcel A1001 held at customs");
    let b = ticket("Parcel A1002 held at customs");
    let parent = ticket("Customs hold on the whole shipment");
    for child in [a, b] {
        desk.link(parent, child, "parent-of").expect("link");
    }
    desk.comment(parent, "Broker contacted", true)
        .expect("bump");
    let mut h = harness(desk, Lang::En);
    h.press("m j enter");
    h.press("type:Broker cleared the shipment");
    // Enter goes to the missing root cause; → picks one, Enter saves.
    h.press("enter");
    h.press("right enter");
    let offer = h.render();
    assert!(
        offer.contains("Move its 2 open child ticket(s) to Resolved too"),
        "{offer}"
    );
    h.press("enter");
    let summary = h.render();
    assert!(summary.contains(&format!("Moved: #{a}, #{b}")), "{summary}");
    for child in [a, b] {
        let t = h.desk.detail(child).expect("child").ticket;
        assert_eq!(t.resolution.as_deref(), Some("Broker cleared the shipment"));
    }
}
