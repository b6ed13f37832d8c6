//! TUI snapshots (ratatui TestBackend + insta) at 80x24 in English and
//! Chinese, plus behaviour on the real app/runner/view stack.

use chrono::{TimeZone, Utc};
use std::sync::Arc;

use tdesk::domain::NewTicket;
use tdesk::i18n::{Catalog, Lang};
use tdesk::service::{Desk, FixedClock, Identity};
use tdesk::tui::harness::Harness;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("valid")
}

fn demo_desk() -> Desk {
    let who = Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    };
    let mut desk = Desk::open_in_memory(&who, Arc::new(FixedClock::new(now()))).expect("desk");
    desk.load_demo(60, 7).expect("demo");
    for title in ["Where is my order #A11873?", "收到的商品颜色不对"] {
        desk.create_ticket(NewTicket {
            title: title.into(),
            ..Default::default()
        })
        .expect("new ticket");
    }
    desk
}

fn harness(lang: Lang) -> Harness {
    Harness::new(demo_desk(), Catalog::new(lang), (80, 24), now()).expect("harness")
}

/// A demo desk of `tickets` in a file (workers need one to reopen), with
/// the directory that holds it and the clock it runs on.
fn disk_desk(
    tickets: usize,
    seed: u64,
) -> (tempfile::TempDir, Desk, Arc<dyn tdesk::service::Clock>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock: Arc<dyn tdesk::service::Clock> = Arc::new(FixedClock::new(now()));
    let who = Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    };
    let (mut desk, _) =
        Desk::create(&dir.path().join("desk.db"), &who, clock.clone()).expect("desk");
    desk.load_demo(tickets, seed).expect("demo");
    (dir, desk, clock)
}

#[test]
fn list_en() {
    insta::assert_snapshot!(harness(Lang::En).render());
}

#[test]
fn list_zh() {
    insta::assert_snapshot!(harness(Lang::ZhCn).render());
}

#[test]
fn kanban_en() {
    let mut h = harness(Lang::En);
    h.press("2 l j");
    insta::assert_snapshot!(h.render());
}

#[test]
fn kanban_zh() {
    let mut h = harness(Lang::ZhCn);
    h.press("2 l j");
    insta::assert_snapshot!(h.render());
}

#[test]
fn detail_en() {
    let mut h = harness(Lang::En);
    h.press("j j enter");
    insta::assert_snapshot!(h.render());
}

#[test]
fn detail_zh() {
    let mut h = harness(Lang::ZhCn);
    h.press("2 l enter");
    insta::assert_snapshot!(h.render());
}

#[test]
fn help_overlay_en() {
    let mut h = harness(Lang::En);
    h.press("?");
    insta::assert_snapshot!(h.render());
}

#[test]
fn empty_desk_tells_how_to_start() {
    let who = Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    };
    let desk = Desk::open_in_memory(&who, Arc::new(FixedClock::new(now()))).expect("desk");
    let mut h = Harness::new(desk, Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    let screen = h.render();
    assert!(screen.contains("No tickets yet."), "{screen}");
    assert!(screen.contains("tdesk --demo"), "{screen}");
    insta::assert_snapshot!(screen);
    // Wide enough for the preview pane: an empty list has nothing loading.
    let desk = Desk::open_in_memory(&who, Arc::new(FixedClock::new(now()))).expect("desk");
    let mut wide = Harness::new(desk, Catalog::new(Lang::En), (160, 40), now()).expect("harness");
    let screen = wide.render();
    assert!(screen.contains("No tickets yet."), "{screen}");
    assert!(!screen.contains("Loading"), "{screen}");
}

#[test]
fn every_size_down_to_zero_renders_without_panicking() {
    let mut h = harness(Lang::ZhCn);
    for pane in ["1", "2", "enter"] {
        h.press(pane);
        for w in (0..=90).step_by(7) {
            for ht in 0..=26 {
                h.resize(w, ht);
                let _ = h.render();
            }
        }
        h.resize(80, 24);
    }
    h.resize(200, 60);
    let big = h.render();
    assert!(big.lines().count() == 60);
}

#[test]
fn a_move_refused_by_the_engine_shows_why_in_the_status_line() {
    let mut h = harness(Lang::En);
    h.press("2");
    // The first column holds unassigned tickets; `>` asks for "In progress", which needs an assignee.
    h.press(">");
    let screen = h.render();
    assert!(screen.contains("needs an assignee"), "{screen}");
    assert!(screen.contains("Allowed next"), "{screen}");
}

#[test]
fn assigning_from_the_menu_moves_the_card_across() {
    let mut h = harness(Lang::En);
    h.press("2");
    let first = h.app.board.columns[0].rows[0].id;
    let before = h.app.board.columns[1].count;
    h.press("a enter");
    assert_eq!(
        h.app.board.columns[1].count,
        before + 1,
        "new → in progress on assignment"
    );
    let detail = h.desk.detail(first).expect("detail");
    assert_eq!(
        (
            detail.ticket.assignee.as_deref(),
            detail.ticket.status.as_str()
        ),
        (Some("alice"), "in_progress")
    );
}

#[test]
fn a_new_ticket_from_the_form_is_created_and_opened() {
    let mut h = harness(Lang::ZhCn);
    h.press("n");
    h.press("type:包裹丢了");
    h.press("tab");
    h.press("type:快递显示签收但没收到");
    h.press("ctrl+s");
    let id = h.desk.ticket_count().expect("count");
    let d = h.desk.detail(id).expect("created");
    assert_eq!(d.ticket.title, "包裹丢了");
    assert_eq!(d.ticket.description, "快递显示签收但没收到");
    let screen = h.render();
    assert!(screen.contains(&format!("#{id} 包裹丢了")), "{screen}");
}

#[test]
fn hostile_titles_are_shown_inert() {
    let who = Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    };
    let mut desk = Desk::open_in_memory(&who, Arc::new(FixedClock::new(now()))).expect("desk");
    desk.create_ticket(NewTicket {
        title: "evil\u{1b}]52;c;Y3VybA==\u{7} \u{202e}txt.exe".into(),
        description: "\u{1b}[2J\u{1b}[H wiped?".into(),
        ..Default::default()
    })
    .expect("create");
    let mut h = Harness::new(desk, Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    for keys in ["", "enter"] {
        h.press(keys);
        let screen = h.render();
        assert!(
            !screen
                .chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "{screen:?}"
        );
        assert!(
            screen.contains('\u{241b}'),
            "escape shown as a visible symbol: {screen}"
        );
    }
}

#[test]
fn a_selected_ticket_keeps_its_whole_number() {
    let mut h = harness(Lang::En);
    let id = h.app.list.selected_row().map(|r| r.id).expect("a row");
    h.press("space");
    let screen = h.render();
    assert!(screen.contains(&format!("●#{id} ")), "{screen}");
}

#[test]
fn a_hostile_workflow_label_never_reaches_the_terminal_raw() {
    let who = Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    };
    let mut desk = Desk::open_in_memory(&who, Arc::new(FixedClock::new(now()))).expect("desk");
    // An admin's (or a tampered) workflow: labels are text a view may miss.
    let source = tdesk::workflow::DEFAULT_DEFINITION.replace(
        "en = \"Unassigned\"",
        "en = \"New\\u001b]0;owned\\u0007\\u202e\\u009b2J\"",
    );
    desk.set_workflow(&source, "wf.toml")
        .expect("a label is text");
    desk.create_ticket(NewTicket {
        title: "Parcel".into(),
        ..Default::default()
    })
    .expect("create");
    let mut h = Harness::new(desk, Catalog::new(Lang::En), (100, 30), now()).expect("harness");
    for keys in ["", "2", "3", "1 m", "esc ?"] {
        h.press(keys);
        let screen = h.render();
        assert!(
            !screen
                .chars()
                .any(|c| (c.is_control() && c != '\n') || tdesk::text::is_bidi_control(c)),
            "{keys}: {screen:?}"
        );
    }
}

#[test]
fn the_worker_answers_counts_and_boards_from_its_own_connection() {
    use tdesk::tui::action::{Action, Job};
    use tdesk::tui::worker::Worker;
    let (_dir, desk, clock) = disk_desk(40, 3);
    let mut worker = Worker::spawn(&desk, clock)
        .expect("spawn")
        .expect("a worker for a desk on disk");
    worker.send(Job::Count {
        generation: 7,
        query: Default::default(),
    });
    worker.send(Job::Board {
        generation: 8,
        query: Default::default(),
    });
    let mut got = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while worker.busy() && std::time::Instant::now() < deadline {
        match worker.try_recv() {
            Some(a) => got.push(a),
            None => std::thread::sleep(std::time::Duration::from_millis(5)),
        }
    }
    assert!(
        got.iter().any(|a| matches!(
            a,
            Action::Counted {
                generation: 7,
                total: 40
            }
        )),
        "{got:?}"
    );
    assert!(
        got.iter().any(
            |a| matches!(a, Action::BoardLoaded { generation: 8, columns } if columns.len() == 7)
        ),
        "{got:?}"
    );
}

#[test]
fn selecting_tickets_and_moving_them_in_bulk_reports_refusals_and_undoes_in_one_step() {
    let mut h = harness(Lang::En);
    h.press("/");
    h.press("type:status:new");
    h.press("enter");
    let before: Vec<i64> = (0..3)
        .filter_map(|i| h.app.list.row(i).map(|r| r.id))
        .collect();
    assert_eq!(before.len(), 3);
    h.press("space space space");
    assert_eq!(h.app.selection.ids.len(), 3);
    let screen = h.render();
    assert!(screen.contains("3 selected"), "{screen}");
    // Moving unassigned tickets to "In progress" needs an assignee: all refused.
    h.press("m");
    h.press("j enter");
    let screen = h.render();
    assert!(screen.contains("3 refused"), "{screen}");
    h.press("q");
    // Assigning them in bulk works, and one undo takes it all back.
    for _ in 0..3 {
        h.press("k");
    }
    h.press("space space space a enter");
    for id in &before {
        assert_eq!(
            h.desk.detail(*id).expect("d").ticket.assignee.as_deref(),
            Some("alice")
        );
    }
    h.press("u");
    for id in &before {
        let d = h.desk.detail(*id).expect("d");
        assert_eq!(
            (d.ticket.assignee.as_deref(), d.ticket.status.as_str()),
            (None, "new")
        );
    }
}

#[test]
fn triage_walks_the_queue_one_ticket_at_a_time() {
    let mut h = harness(Lang::ZhCn);
    h.press("/");
    h.press("type:status:new");
    h.press("enter");
    let total = h.app.list.total.expect("counted");
    h.press("t");
    let screen = h.render();
    assert!(screen.contains(&format!("剩余 {total} 个")), "{screen}");
    let first = h.app.list.selected_row().map(|r| r.id).expect("a ticket");
    h.press("1");
    assert_eq!(
        h.desk.detail(first).expect("d").ticket.priority,
        tdesk::domain::Priority::P1
    );
    h.press("t");
    let taken = h.desk.detail(first).expect("d").ticket;
    assert_eq!(
        (taken.assignee.as_deref(), taken.status.as_str()),
        (Some("alice"), "in_progress")
    );
    // The taken ticket leaves the queue; the next one is shown at once.
    let next = h.app.list.selected_row().map(|r| r.id).expect("next");
    assert_ne!(next, first);
    h.press("x");
    let spam = h.desk.detail(next).expect("d").ticket;
    assert_eq!(spam.status, "closed");
    assert!(spam.tags.contains(&"spam".to_string()));
    assert!(h.render().contains(&format!("剩余 {} 个", total - 2)));
}

#[test]
fn the_command_palette_finds_and_runs_commands() {
    let mut h = harness(Lang::En);
    h.press(":");
    h.press("type:kanban");
    let screen = h.render();
    assert!(screen.contains("Kanban board"), "{screen}");
    h.press("enter");
    assert_eq!(h.app.pane, tdesk::tui::app::Pane::Board);
}

#[test]
fn search_popup_en() {
    let mut h = harness(Lang::En);
    h.press("f");
    h.press("type:refund");
    let screen = h.render();
    assert!(screen.contains("matches, newest first"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn search_popup_zh_finds_chinese_by_pinyin_initials() {
    let mut h = harness(Lang::ZhCn);
    h.press("f");
    h.press("type:tk");
    let Some(tdesk::tui::app::Overlay::Search(popup)) = &h.app.overlay else {
        return assert!(h.app.overlay.is_some(), "search popup open");
    };
    assert!(!popup.hits.is_empty(), "tk finds 退款");
    assert!(
        popup.hits.iter().all(|hit| hit.row.title.contains("退款")
            || hit.row.title.contains("退")
            || hit.snippet.is_some()),
        "{:?}",
        popup.hits
    );
    let first = popup.hits[0].row.id;
    insta::assert_snapshot!(h.render());
    // Enter opens the first hit in the detail pane.
    h.press("enter");
    assert_eq!(h.app.detail_id(), Some(first));
}

#[test]
fn only_the_newest_search_answers() {
    use tdesk::tui::action::{Action, Job};
    use tdesk::tui::worker::Worker;
    let (_dir, desk, clock) = disk_desk(5_000, 3);
    let mut worker = Worker::spawn(&desk, clock)
        .expect("spawn")
        .expect("a worker for a desk on disk");
    // Sent back to back: the first is either still queued (and skipped) or
    // running (and interrupted); either way it never answers.
    for (generation, query) in (1..).zip(["ǂ", "re", "ref", "refund", "#5"]) {
        worker.send(Job::Search {
            generation,
            query: tdesk::domain::Query::parse(query).expect("query"),
        });
    }
    let mut got = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while worker.busy() && std::time::Instant::now() < deadline {
        match worker.try_recv() {
            Some(a) => got.push(a),
            None => std::thread::sleep(std::time::Duration::from_millis(1)),
        }
    }
    let answered: Vec<u64> = got
        .iter()
        .filter_map(|a| match a {
            Action::SearchLoaded { generation, .. } => Some(*generation),
            _ => None,
        })
        .collect();
    assert_eq!(answered.last(), Some(&5), "the newest answers: {got:?}");
    assert!(
        !answered.contains(&1),
        "the long one never answers: {got:?}"
    );
}

#[test]
fn a_running_query_stops_when_interrupted() {
    let mut desk = demo_desk();
    desk.load_demo(20_000, 5).expect("demo");
    let interrupter = desk.interrupter();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop = done.clone();
    // Interrupts until the query has returned, so one lands while it runs.
    let nagger = std::thread::spawn(move || {
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            interrupter.interrupt();
            std::thread::sleep(std::time::Duration::from_micros(50));
        }
    });
    let slow = tdesk::domain::Query::parse("ǂ").expect("query");
    let result = desk.search(&slow, 50);
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    nagger.join().expect("join");
    assert!(
        matches!(result, Err(tdesk::Error::Interrupted)),
        "{result:?}"
    );
    // The connection is fine afterwards.
    assert!(desk.search(&slow, 50).expect("search again").is_empty());
}

#[test]
fn list_pages_load_off_the_input_path_and_old_rows_wait_dimmed() {
    let (_dir, desk, _) = disk_desk(300, 9);
    let mut h =
        Harness::with_worker(desk, Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    h.settle();
    assert!(h.app.list.loaded && !h.app.list.waiting());
    let before = h.app.list.row(0).map(|r| r.id);
    // Grouping by state asks for a new page; the key returns at once.
    h.press("=");
    assert!(h.app.list.waiting(), "the page loads in the background");
    assert!(h.app.list.stale(), "the old rows stay, marked stale");
    assert_eq!(h.app.list.row(0).map(|r| r.id), before);
    h.settle();
    assert!(!h.app.list.waiting() && !h.app.list.stale());
    let first = h.app.list.row(0).expect("a row");
    assert_eq!(
        first.status, "new",
        "grouped by state: Unassigned comes first"
    );
}

#[test]
fn the_detail_beside_the_list_loads_off_the_input_path() {
    let (_dir, desk, _) = disk_desk(300, 9);
    let mut h =
        Harness::with_worker(desk, Catalog::new(Lang::En), (200, 60), now()).expect("harness");
    h.settle();
    let first = h.app.list.selected_row().map(|r| r.id).expect("a row");
    assert_eq!(h.app.detail_id(), Some(first), "the preview arrived");
    // A key answers at once with what the row knows; the rest follows.
    h.press("j");
    let next = h.app.list.selected_row().expect("a row").clone();
    assert_eq!(h.app.detail.wanted, Some(next.id));
    let screen = h.render();
    assert!(screen.contains(&format!("#{}", next.id)), "{screen}");
    h.settle();
    assert_eq!(
        h.app.detail_id(),
        Some(next.id),
        "filled in from the worker"
    );
    assert!(!h.app.detail_waiting());
    // Many keys in a row: the last ticket wins, nothing stale stays.
    h.press("j j j j j k");
    h.settle();
    assert_eq!(
        h.app.detail_id(),
        h.app.list.selected_row().map(|r| r.id),
        "the preview shows the row under the cursor"
    );
}

#[test]
fn a_reply_typed_and_not_sent_survives_quitting() {
    let (dir, desk, clock) = disk_desk(20, 3);
    let mut h = Harness::new(desk, Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    h.press("enter r");
    h.press("type:Half a reply to the customer");
    h.press("esc");
    let id = h.app.detail_id().expect("a ticket");
    assert!(h.render().contains("not sent yet"), "{}", h.render());
    drop(h);
    // Another session, as after quitting (or a dropped SSH connection).
    let who = Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    };
    let (desk, _) = Desk::open(&dir.path().join("desk.db"), &who, clock).expect("desk");
    let mut h = Harness::new(desk, Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    assert_eq!(
        h.app.drafts.get(&(id, false)).map(String::as_str),
        Some("Half a reply to the customer")
    );
    h.press("enter");
    assert!(h.render().contains("not sent yet"), "{}", h.render());
    h.press("r");
    assert_eq!(
        h.app.open_draft(),
        Some((id, false, "Half a reply to the customer".to_string())),
        "the editor opens with it"
    );
    // Sent, it is gone for good.
    h.press("ctrl+s");
    assert!(h.desk.drafts().expect("drafts").is_empty());
}

#[test]
fn another_agents_write_reloads_in_place_keeping_cursor_and_typing() {
    use tdesk::tui::action::Action;
    let (dir, desk, clock) = disk_desk(40, 6);
    let before = desk.data_version().expect("version");
    let mut h = Harness::new(desk, Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    h.press("j j j");
    let on = h.app.list.selected_row().map(|r| r.id).expect("a row");
    // A half-typed comment on the ticket under the cursor.
    h.press("c");
    h.press("W h e r e");
    // Another agent, another connection: a new ticket lands on top.
    let who = Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    };
    let (mut other, _) = Desk::open(&dir.path().join("desk.db"), &who, clock).expect("other");
    let id = other
        .create_ticket(NewTicket {
            title: "Customs asks for an invoice".into(),
            ..Default::default()
        })
        .expect("create");
    assert_ne!(
        h.desk.data_version().expect("version"),
        before,
        "the write is seen"
    );
    h.act(Action::DeskChanged);
    assert_eq!(
        h.app.list.row(0).map(|r| r.id),
        Some(id),
        "the new ticket shows"
    );
    assert_eq!(
        h.app.list.selected_row().map(|r| r.id),
        Some(on),
        "cursor stays on its ticket"
    );
    let screen = h.render();
    assert!(
        screen.contains("Where"),
        "the comment being typed survives: {screen}"
    );
}

#[test]
fn a_refresh_does_not_close_a_filter_being_typed() {
    use tdesk::tui::action::Action;
    let mut h = harness(Lang::En);
    h.press("/");
    h.press("r e f");
    h.act(Action::DeskChanged);
    let screen = h.render();
    assert!(
        screen.contains("ref"),
        "the filter being typed is still open: {screen}"
    );
    assert!(h.app.overlay.is_some());
}

#[test]
fn the_detail_pane_shows_who_else_is_on_the_ticket_and_typing() {
    use tdesk::domain::Role;
    let (dir, mut desk, clock) = disk_desk(20, 8);
    desk.add_user("bob", Some("Bob"), Role::Supervisor, None)
        .expect("bob");
    let bob = Identity {
        login: "bob".into(),
        display_name: "Bob".into(),
    };
    let (mut other, _) = Desk::open(&dir.path().join("desk.db"), &bob, clock).expect("bob's desk");
    let mut h = Harness::new(desk, Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    h.press("enter");
    let id = h.app.detail_id().expect("a ticket open");
    other.heartbeat(Some(id), true).expect("bob types");
    // The next beat (on moving, or every few seconds) brings the others.
    h.press("escape enter");
    let screen = h.render();
    assert!(screen.contains("Also here: bob (typing)"), "{screen}");
    // Bob leaves: gone at the next beat.
    other.heartbeat(None, false).expect("bob leaves");
    h.press("escape enter");
    let screen = h.render();
    assert!(!screen.contains("Also here"), "{screen}");
}

#[test]
fn c_opens_the_customer_of_the_ticket_with_their_local_time() {
    let mut h = harness(Lang::En);
    // Find a ticket with a customer in the demo desk.
    let row = (0..62)
        .filter_map(|i| h.app.list.row(i).cloned())
        .position(|r| r.customer.is_some())
        .expect("a ticket with a customer");
    for _ in 0..row {
        h.press("j");
    }
    let name = h
        .app
        .list
        .selected_row()
        .and_then(|r| r.customer.clone())
        .expect("customer");
    h.press("C");
    let screen = h.render();
    assert!(screen.contains("Customer"), "{screen}");
    assert!(screen.contains(&name), "{screen}");
    assert!(screen.contains("tickets,"), "{screen}");
    assert!(screen.contains("Enter open it"), "{screen}");
    // e: the customer as lines for the editor; what comes back is saved.
    let effects = h.app.update(tdesk::tui::action::Action::Key(
        crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('e'),
            crossterm::event::KeyModifiers::NONE,
        ),
    ));
    let text = effects
        .iter()
        .find_map(|e| match e {
            tdesk::tui::action::Effect::Editor { text } => Some(text.clone()),
            _ => None,
        })
        .expect("the editor opens");
    assert!(text.contains(&format!("name: {name}")), "{text}");
    let edited = text
        .replace("tier: normal", "tier: vip")
        .replace("tier: important", "tier: vip");
    h.act(tdesk::tui::action::Action::EditorDone(format!(
        "{edited}\nSpeaks German and English"
    )));
    let screen = h.render();
    assert!(screen.contains("changed"), "{screen}");
    assert!(
        screen.contains("VIP") && screen.contains("Speaks German"),
        "{screen}"
    );
    // Enter opens the customer's ticket under the cursor.
    let first = h
        .desk
        .customer_of_ticket(h.app.list.selected_row().expect("row").id)
        .expect("customer")
        .expect("one")
        .tickets[0]
        .id;
    h.press("enter");
    assert_eq!(h.app.detail_id(), Some(first));
    assert!(h.app.overlay.is_none());
}

#[test]
fn m_merges_the_ticket_under_the_cursor_into_another() {
    let mut h = harness(Lang::En);
    let src = h.app.list.selected_row().map(|r| r.id).expect("a ticket");
    h.press("M");
    assert!(h.render().contains("Merge into ticket number"));
    h.press("x enter");
    assert!(
        h.render().contains("is not a ticket number"),
        "{}",
        h.render()
    );
    h.press("backspace 1 enter");
    assert!(h.render().contains("Merged into #1."), "{}", h.render());
    assert!(matches!(
        h.desk.detail(src).expect("source").ticket.status.as_str(),
        "closed"
    ));
}

/// A desk on disk holding a mail thread (#1) with attachments and a reply
/// the mail command could not send.
fn mail_desk() -> (tempfile::TempDir, Desk) {
    let (dir, mut desk, _) = disk_desk(0, 1);
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail");
    for file in [
        "01-gmail-en.eml",
        "11-gmail-reply.eml",
        "12-attachments.eml",
    ] {
        let raw = std::fs::read(corpus.join(file)).expect("corpus file");
        let mail = tdesk::interchange::mail::parse(&raw).expect("parses");
        desk.import_mail(&mail, &raw).expect("imports");
    }
    let refusing = "cat >/dev/null; echo 'msmtp: cannot connect to smtp.example' >&2; exit 75";
    desk.set_mail(Some("support@shop.example"), Some(refusing))
        .expect("mail settings");
    desk.comment(
        1,
        "We asked the courier; it clears customs tomorrow.",
        false,
    )
    .expect("reply");
    let sent = tdesk::mailer::send_due(&mut desk, &Default::default()).expect("send run");
    assert_eq!(sent.failed, 1, "the refusing command fails the letter");
    (dir, desk)
}

fn mail_screen(lang: Lang, size: (u16, u16), keys: &str) -> String {
    let (_dir, desk) = mail_desk();
    let mut h = Harness::new(desk, Catalog::new(lang), size, now()).expect("harness");
    h.press(keys);
    h.render()
}

#[test]
fn the_detail_pane_lists_attachments_and_why_a_reply_was_not_mailed() {
    let screen = mail_screen(Lang::En, (110, 60), "enter");
    assert!(screen.contains("Attachments (1)"), "{screen}");
    assert!(screen.contains("original.eml"), "{screen}");
    assert!(screen.contains("customs-letter.pdf"), "{screen}");
    assert!(screen.contains("[customer] lena.k@example.de"), "{screen}");
    assert!(
        screen.contains("✉ mail to lena.k@example.de failed (try 1): msmtp: cannot"),
        "{screen}"
    );
    let zh = mail_screen(Lang::ZhCn, (110, 60), "enter");
    assert!(zh.contains("附件(1)"), "{zh}");
    assert!(
        zh.contains("发送给 lena.k@example.de 失败(第 1 次)"),
        "{zh}"
    );
}

#[test]
fn mail_detail_en() {
    insta::assert_snapshot!(mail_screen(Lang::En, (80, 24), "enter G"));
}

#[test]
fn mail_detail_zh() {
    insta::assert_snapshot!(mail_screen(Lang::ZhCn, (80, 24), "enter G"));
}

#[test]
fn canned_reply_menu_en() {
    insta::assert_snapshot!(mail_screen(Lang::En, (80, 24), "enter R"));
}

#[test]
fn canned_reply_menu_zh() {
    insta::assert_snapshot!(mail_screen(Lang::ZhCn, (80, 24), "enter R"));
}

#[test]
fn a_canned_reply_opens_filled_in_for_the_customer() {
    let screen = mail_screen(Lang::En, (80, 24), "enter R j enter");
    assert!(screen.contains("Hi Lena,"), "{screen}");
    assert!(
        screen.contains("I checked order 302-1234567-7654321 with the carrier"),
        "{screen}"
    );
    assert!(screen.contains("Alice"), "signed by the agent: {screen}");
}

#[test]
fn a_reply_with_a_file_from_the_editor_is_kept_under_the_reply() {
    let (dir, desk) = mail_desk();
    let label = dir.path().join("return-label.pdf");
    std::fs::write(&label, b"%PDF-1.4 label").expect("write");
    let mut h = Harness::new(desk, Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    h.press("enter r");
    h.press("type:Label attached.");
    h.press("ctrl+o");
    h.press(&format!("type:{}", label.display()));
    h.press("enter");
    assert!(
        h.render().contains("Files (Ctrl+O):"),
        "the reply lists its file: {}",
        h.render()
    );
    h.press("ctrl+s");
    let files = h.desk.attachments(1).expect("attachments");
    let sent = files
        .iter()
        .find(|a| a.name == "return-label.pdf")
        .expect("the file is on the ticket");
    assert!(sent.comment.is_some(), "under the reply");
    let missing = mail_screen(Lang::En, (80, 24), "enter r");
    assert!(missing.contains("Ctrl+O: attach a file"), "{missing}");
}

#[test]
fn o_lists_the_attachments_and_refuses_to_open_a_launcher() {
    let (dir, mut desk) = mail_desk();
    let fake = dir.path().join("label.pdf");
    std::fs::write(&fake, "[Desktop Entry]\nExec=sh\n").expect("write");
    let bytes = std::fs::read(&fake).expect("read");
    let launcher = desk
        .attach(1, "label.pdf", "application/pdf", &bytes)
        .expect("attach");
    let mut h = Harness::new(desk, Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    h.press("o");
    let menu = h.render();
    assert!(menu.contains("Attachments of #1"), "{menu}");
    assert!(menu.contains("customs-letter.pdf"), "{menu}");
    assert!(menu.contains("照片.png"), "{menu}");
    // The launcher is the last item.
    h.press("G enter");
    let screen = h.render();
    assert!(
        screen.contains(&format!(
            "Attachment {launcher} (label.pdf) is not a document or picture"
        )),
        "{screen}"
    );
}

/// A desk whose list is all Chinese, so every popup's edges fall on
/// double-width characters somewhere.
fn chinese_desk() -> Desk {
    let who = Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    };
    let mut desk = Desk::open_in_memory(&who, Arc::new(FixedClock::new(now()))).expect("desk");
    for i in 0..30 {
        desk.create_ticket(NewTicket {
            title: format!("包裹在海关滞留了很久请帮忙查询物流状态{i}"),
            customer_email: Some(format!("客户{i}@例子.cn")),
            ..Default::default()
        })
        .expect("ticket");
    }
    desk
}

/// Every row a popup covers shows its left and right border: none is eaten
/// by a Chinese character cut at the popup's edge.
fn popup_edges_intact(screen: &str) -> bool {
    let lines: Vec<&str> = screen.lines().collect();
    let Some(top) = lines
        .iter()
        .position(|l| l.chars().skip(1).any(|c| c == '┌'))
    else {
        return true;
    };
    let bottom = lines
        .iter()
        .rposition(|l| l.chars().skip(1).any(|c| c == '└'))
        .unwrap_or(top);
    lines[top + 1..bottom]
        .iter()
        .all(|l| l.matches('│').count() >= 4 || !l.starts_with('│'))
}

#[test]
fn popups_over_chinese_text_keep_their_borders() {
    for (name, keys) in [
        ("help", "?"),
        ("palette", ":"),
        ("views", "v"),
        ("move", "m"),
        ("assign", "a"),
        ("search", "f"),
        ("note", "c"),
        ("form", "n"),
    ] {
        let mut h = Harness::new(chinese_desk(), Catalog::new(Lang::ZhCn), (80, 24), now())
            .expect("harness");
        h.press("j j j");
        h.press(keys);
        let screen = h.render();
        assert!(popup_edges_intact(&screen), "{name}:\n{screen}");
        insta::assert_snapshot!(format!("popup_over_chinese_{name}"), screen);
    }
}

#[test]
fn the_form_offers_existing_customers_and_puts_the_picked_one_on_the_ticket() {
    let mut desk = demo_desk();
    let phone_only = desk
        .add_customer(
            &tdesk::domain::NewCustomer {
                name: "王芳".into(),
                phone: Some("+86 138 0000 1111".into()),
                ..Default::default()
            },
            &tdesk::service::CustomerExtras::default(),
        )
        .expect("customer");
    let mut h = Harness::new(desk, Catalog::new(Lang::En), (80, 24), now()).expect("harness");
    h.press("n");
    h.press("type:Wrong colour delivered");
    for _ in 0..6 {
        h.press("tab");
    }
    // By pinyin initials, as the search popup finds names.
    h.press("type:wf");
    let screen = h.render();
    assert!(screen.contains("Existing customers"), "{screen}");
    assert!(
        screen.contains(&format!("王芳 · +86 138 0000 1111 · #{phone_only}")),
        "{screen}"
    );
    insta::assert_snapshot!("form_offers_customers", screen);
    h.press("enter");
    h.press("ctrl+s");
    let id = h.desk.ticket_count().expect("count");
    let d = h.desk.detail(id).expect("created");
    assert_eq!(d.ticket.title, "Wrong colour delivered");
    assert_eq!(d.ticket.customer_id, Some(phone_only));
}

/// An open, idle TUI holds no read transaction on any of its connections
/// (a reader that never lets go starves checkpoints and the WAL grows
/// without bound): after moving around every pane and the dashboard, a
/// full checkpoint from another process is never blocked and empties the WAL.
#[test]
fn an_idle_tui_holds_no_read_transaction() {
    let (dir, desk, _) = disk_desk(300, 4);
    let mut h =
        Harness::with_worker(desk, Catalog::new(Lang::En), (200, 60), now()).expect("harness");
    for keys in ["j j j", "enter", "2", "l l", "4", "5", "[", "1", "f"] {
        h.press(keys);
        h.settle();
    }
    h.press("esc");
    h.settle();
    let other = rusqlite::Connection::open(dir.path().join("desk.db")).expect("open");
    // Someone writes, then a truncating checkpoint: every page must be
    // copied back and the log emptied, which no open snapshot may block.
    other
        .execute_batch("CREATE TABLE probe(x); DROP TABLE probe;")
        .expect("write");
    let (busy, log, done): (i64, i64, i64) = other
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .expect("checkpoint");
    assert_eq!(busy, 0, "a connection of the idle TUI holds a snapshot");
    assert_eq!((log, done), (0, 0), "the WAL is empty afterwards");
    drop(h);
}

/// A return broken into three steps for three teams: one done, one
/// overdue, one ahead.
fn steps_screen(lang: Lang) -> String {
    steps_after(lang, &["enter"])
}

/// The steps desk after each of `presses` (`type:` takes the rest).
fn steps_after(lang: Lang, presses: &[&str]) -> String {
    steps_sized(lang, (80, 24), presses)
}

fn steps_sized(lang: Lang, size: (u16, u16), presses: &[&str]) -> String {
    let who = Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    };
    let mut desk = Desk::open_in_memory(&who, Arc::new(FixedClock::new(now()))).expect("desk");
    // The problem ticket first, so the return is the list's first row.
    let pallet = desk
        .create_ticket(NewTicket {
            title: "Carrier lost the pallet 托盘丢失".into(),
            ..Default::default()
        })
        .expect("parent");
    let id = desk
        .create_ticket(NewTicket {
            title: "Return of order A1001 · 退货".into(),
            description: "The buyer sends the shoes back: wrong size.".into(),
            ..Default::default()
        })
        .expect("ticket");
    for (login, team) in [
        ("li", "logistics"),
        ("wang", "warehouse"),
        ("wu", "finance"),
    ] {
        desk.add_user(login, None, tdesk::domain::Role::Agent, Some(team))
            .expect("member");
    }
    desk.link(pallet, id, "parent-of").expect("link");
    let day = chrono::Duration::days(1);
    let pick = desk
        .add_subtask(
            id,
            tdesk::domain::NewSubtask {
                title: "Pick up the parcel 取件".into(),
                assignee: Some("li".into()),
                due: Some(now() - day),
                note: None,
            },
        )
        .expect("step");
    desk.set_subtask_done(pick.id, true).expect("done");
    for (title, owner, due) in [
        ("Check it in the warehouse 验货", "wang", now() - day),
        ("Refund the buyer 退款", "wu", now() + day * 2),
    ] {
        desk.add_subtask(
            id,
            tdesk::domain::NewSubtask {
                title: title.into(),
                assignee: Some(owner.into()),
                due: Some(due),
                note: None,
            },
        )
        .expect("step");
    }
    let mut h = Harness::new(desk, Catalog::new(lang), size, now()).expect("harness");
    for keys in presses {
        h.press(keys);
    }
    h.render()
}

#[test]
fn the_list_and_the_board_lead_a_title_with_its_steps_progress() {
    let list = steps_after(Lang::En, &[]);
    assert!(list.contains("[1/3] Return of or"), "{list}");
    let board = steps_after(Lang::ZhCn, &["2"]);
    assert!(board.contains("[1/3] Return of o"), "{board}");
}

#[test]
fn subtasks_in_the_detail_pane_en() {
    insta::assert_snapshot!(steps_screen(Lang::En));
}

#[test]
fn subtasks_in_the_detail_pane_zh() {
    insta::assert_snapshot!(steps_screen(Lang::ZhCn));
}

#[test]
fn s_adds_a_step_with_its_owner_and_date_and_capital_s_marks_one_done() {
    let tall = (100, 40);
    let screen = steps_sized(
        Lang::En,
        tall,
        &["enter s", "type:Call@the buyer @wu 2d", "enter"],
    );
    assert!(
        screen.contains("4 ☐ Call@the buyer · wu · 2026-11-22"),
        "{screen}"
    );
    assert!(screen.contains("Subtasks (1/4 done)"), "{screen}");
    let screen = steps_sized(Lang::En, tall, &["enter S", "type:2", "enter"]);
    assert!(screen.contains("2 ☑ Check it in the warehouse"), "{screen}");
    assert!(screen.contains("Subtasks (2/3 done)"), "{screen}");
    let screen = steps_sized(Lang::En, tall, &["enter S", "type:9", "enter"]);
    assert!(screen.contains("Subtask 9 not found."), "{screen}");
}

#[test]
fn capital_t_starts_the_timer_shown_in_the_header_and_stops_it() {
    let running = steps_after(Lang::En, &["enter T"]);
    assert!(running.contains("⏱ #2 0m"), "{running}");
    assert!(running.contains("Timer running on #2."), "{running}");
    let stopped = steps_after(Lang::En, &["enter T T"]);
    assert!(!stopped.contains("⏱"), "{stopped}");
    assert!(
        stopped.contains("Timer stopped on #2; nothing recorded"),
        "{stopped}"
    );
}
