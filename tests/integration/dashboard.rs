//! The dashboard pane on screen: at 80x24 (one column, scrolled a section
//! at a time) and 200x60 (two columns), in English and Chinese, and its
//! period keys.

use chrono::{TimeZone, Utc};
use std::sync::Arc;

use tdesk::i18n::{Catalog, Lang};
use tdesk::service::{Desk, FixedClock, Identity};
use tdesk::tui::harness::Harness;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("valid")
}

/// A demo desk seen by its admin.
fn harness(lang: Lang, size: (u16, u16)) -> Harness {
    let who = Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    };
    let mut desk = Desk::open_in_memory(&who, Arc::new(FixedClock::new(now()))).expect("desk");
    desk.set_timezone(chrono::FixedOffset::east_opt(0).expect("utc"));
    desk.load_demo(120, 5).expect("demo");
    let mut h = Harness::new(desk, Catalog::new(lang), size, now()).expect("harness");
    h.press("5");
    h
}

#[test]
fn dashboard_80x24_en() {
    let mut h = harness(Lang::En, (80, 24));
    let screen = h.render();
    assert!(screen.contains("Headline figures"), "{screen}");
    insta::assert_snapshot!("dashboard_80x24_en", screen);
    // j scrolls a section at a time: the backlog comes to the top.
    h.press("j");
    let scrolled = h.render();
    assert!(scrolled.contains("Backlog now"), "{scrolled}");
    assert!(!scrolled.contains("Headline figures"), "{scrolled}");
}

#[test]
fn dashboard_80x24_zh() {
    let mut h = harness(Lang::ZhCn, (80, 24));
    let screen = h.render();
    assert!(screen.contains("核心指标"), "{screen}");
    insta::assert_snapshot!("dashboard_80x24_zh", screen);
}

#[test]
fn dashboard_200x60_en() {
    let mut h = harness(Lang::En, (200, 60));
    let screen = h.render();
    for section in [
        "Headline figures",
        "Backlog now",
        "Agents",
        "About to breach",
        "Pareto",
    ] {
        assert!(screen.contains(section), "{section} missing:\n{screen}");
    }
    insta::assert_snapshot!("dashboard_200x60_en", screen);
}

#[test]
fn dashboard_200x60_zh() {
    let mut h = harness(Lang::ZhCn, (200, 60));
    insta::assert_snapshot!("dashboard_200x60_zh", h.render());
}

#[test]
fn brackets_step_through_periods_and_p_changes_their_length() {
    let mut h = harness(Lang::En, (120, 40));
    let first = h.render();
    assert!(first.contains("2026-11-14 – 2026-11-20"), "{first}");
    h.press("[");
    let earlier = h.render();
    assert!(earlier.contains("2026-11-07 – 2026-11-13"), "{earlier}");
    h.press("]");
    assert!(h.render().contains("2026-11-14 – 2026-11-20"));
    // Never into the future.
    h.press("]");
    assert!(h.render().contains("2026-11-14 – 2026-11-20"));
    h.press("p");
    assert!(h.render().contains("2026-10-22 – 2026-11-20"), "30 days");
    h.press("p");
    assert!(h.render().contains("2026-11 against 2026-10"), "a month");
}
