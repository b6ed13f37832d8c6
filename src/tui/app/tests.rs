//! Pure tests of `App::update`: actions in, state and effects out. No desk,
//! no terminal, fixed clock.

use chrono::{Duration, Offset, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::domain::{Column, GroupBy, SortDir, SortKey, View};
use crate::domain::{Priority, Role};
use crate::error::Error;
use crate::i18n::Lang;
use crate::service::BoardColumn;
use crate::tui::action::Action;
use crate::tui::action::{Command, Job, SavedKind};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;
use crate::workflow::{MoveRefused, Refusal, Requirement};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0)
        .single()
        .expect("valid")
}

fn row(id: i64, status: &str) -> TicketRow {
    TicketRow {
        id,
        title: format!("Ticket {id}"),
        status: status.into(),
        priority: Priority::P2,
        kind: "inquiry".into(),
        customer: None,
        assignee: None,
        team: None,
        channel: crate::domain::Channel::Email,
        created_at: now() - Duration::hours(id),
        updated_at: now(),
        version: 3,
        accepted: false,
        due_at: None,
        risk_at: None,
        steps: Default::default(),
    }
}

fn app_with(rows: Vec<TicketRow>) -> App {
    let init = AppInit {
        cat: Catalog::new(Lang::En),
        workflow: Workflow::default_workflow(),
        automations: Default::default(),
        me: User {
            login: "alice".into(),
            display_name: "Alice".into(),
            role: Role::Agent,
            team: None,
            active: true,
            level: crate::domain::Level::default(),
        },
        theme: Theme::monochrome(),
        keymap: Keymap::default(),
        now: now(),
        tz: Utc.fix(),
        size: (80, 24),
    };
    let (mut app, effects) = App::new(init);
    assert_eq!(
        effects.len(),
        8,
        "a list window, the count, the board, users, views, the unread count, the timer and drafts load at start"
    );
    load(&mut app, rows);
    app
}

/// Answers the app's pending list load with `rows` (all of them, counted).
fn load(app: &mut App, rows: Vec<TicketRow>) {
    let generation = app.list.generation;
    let total = rows.len() as i64;
    app.update(Action::WindowLoaded {
        generation,
        start: 0,
        asked: WINDOW,
        rows,
    });
    app.update(Action::Counted { generation, total });
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ch(app: &mut App, c: char) -> Vec<Effect> {
    let mods = if c.is_ascii_uppercase() || "<>?".contains(c) {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    app.update(Action::Key(KeyEvent::new(KeyCode::Char(c), mods)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    app.update(Action::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

#[test]
fn cursor_moves_and_the_window_scrolls_to_keep_it_visible() {
    let mut app = app_with((1..=50).map(|i| row(i, "new")).collect());
    for _ in 0..20 {
        ch(&mut app, 'j');
    }
    assert_eq!(app.list.selected, 20);
    assert_eq!(app.list.offset, 3, "18 rows visible at 80x24");
    ch(&mut app, 'G');
    assert_eq!(app.list.selected, 49);
    ch(&mut app, 'g');
    assert_eq!((app.list.selected, app.list.offset), (0, 0));
    ch(&mut app, 'k');
    assert_eq!(app.list.selected, 0, "never above the top");
}

#[test]
fn enter_opens_the_detail_and_q_goes_back_then_quits() {
    let mut app = app_with(vec![row(7, "new"), row(8, "new")]);
    ch(&mut app, 'j');
    let effects = key(&mut app, KeyCode::Enter);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Background(Job::View(8))]
    ));
    assert_eq!(app.pane, Pane::Detail);
    assert!(ch(&mut app, 'q').is_empty());
    assert_eq!(app.pane, Pane::List);
    let effects = ch(&mut app, 'q');
    assert!(matches!(effects.as_slice(), [Effect::Quit]));
    assert!(app.quit);
}

#[test]
fn move_menu_lists_allowed_states_and_asks_for_the_resolution_record() {
    let mut app = app_with(vec![row(5, "in_progress")]);
    ch(&mut app, 'm');
    let Some(Overlay::Menu(menu)) = &app.overlay else {
        return assert!(app.overlay.is_some(), "menu open");
    };
    let values: Vec<&str> = menu.items.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(values, ["waiting_customer", "resolved"]);
    ch(&mut app, 'j');
    assert!(
        key(&mut app, KeyCode::Enter).is_empty(),
        "no move before the note"
    );
    assert!(matches!(app.overlay, Some(Overlay::Resolve(_))));
    assert!(
        key(&mut app, KeyCode::Enter).is_empty(),
        "an empty summary is refused"
    );
    assert!(app.status.as_ref().is_some_and(|s| s.error));
    typed(&mut app, "Refund issued");
    assert!(
        key(&mut app, KeyCode::Enter).is_empty(),
        "a resolution without a root cause is refused"
    );
    // The cursor went to the cause; → picks the first one.
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "Checklist for refunds");
    let effects = key(&mut app, KeyCode::Enter);
    let [Effect::Move { id, to, opts }] = effects.as_slice() else {
        return assert_eq!(effects.len(), 1);
    };
    assert_eq!((*id, to.as_str()), (5, "resolved"));
    assert_eq!(opts.note.as_deref(), Some("Refund issued"));
    assert_eq!(opts.cause.as_deref(), Some("product-defect"));
    assert_eq!(opts.prevention.as_deref(), Some("Checklist for refunds"));
    assert_eq!(opts.expected_version, Some(3));
    app.update(Action::Saved {
        id: 5,
        kind: SavedKind::Moved,
    });
    assert!(app.overlay.is_none(), "the prompt closes once saved");
}

#[test]
fn angle_keys_step_to_the_neighbouring_state() {
    let mut app = app_with(vec![row(5, "in_progress")]);
    let effects = ch(&mut app, '>');
    assert!(matches!(effects.as_slice(), [Effect::Move { to, .. }] if to == "waiting_customer"));
    let effects = ch(&mut app, '<');
    assert!(matches!(effects.as_slice(), [Effect::Move { to, .. }] if to == "new"));
}

#[test]
fn a_refusal_shows_in_the_status_line_with_state_labels() {
    let mut app = app_with(vec![row(5, "new")]);
    ch(&mut app, '>');
    app.update(Action::Failed(Error::Refused(Box::new(
        crate::error::RefusedMove {
            ticket: 5,
            from: "new".into(),
            to: "in_progress".into(),
            refused: MoveRefused {
                refusal: Refusal::Missing {
                    requirement: Requirement::Assignee,
                    override_role: None,
                },
                allowed: vec!["in_progress".into(), "closed".into()],
            },
            labels: Default::default(),
        },
    ))));
    let status = app.status.clone().expect("status shown");
    assert!(status.error);
    assert!(
        status.text.contains("Unassigned") && status.text.contains("In progress"),
        "{}",
        status.text
    );
    assert!(status.text.contains("assignee"), "{}", status.text);
    assert!(status.text.contains("press a to assign"), "{}", status.text);
    assert!(
        status.text.contains("Allowed next: Closed."),
        "{}",
        status.text
    );
}

#[test]
fn a_refusal_on_screen_names_the_key_not_the_command_line_flags() {
    let mut app = app_with(vec![row(5, "resolved")]);
    app.update(Action::Failed(Error::Refused(Box::new(
        crate::error::RefusedMove {
            ticket: 5,
            from: "resolved".into(),
            to: "closed".into(),
            refused: MoveRefused {
                refusal: Refusal::Missing {
                    requirement: Requirement::Acceptance,
                    override_role: Some(crate::domain::Role::Supervisor),
                },
                allowed: vec!["in_progress".into()],
            },
            labels: Default::default(),
        },
    ))));
    let text = app.status.clone().expect("status shown").text;
    assert!(!text.contains("--"), "{text}");
    assert!(!text.contains("tdesk accept"), "{text}");
    assert!(text.contains("press A"), "{text}");
    assert!(
        text.contains("or a supervisor or an admin may override"),
        "{text}"
    );
}

#[test]
fn an_unsent_comment_is_kept_as_a_draft() {
    let mut app = app_with(vec![row(5, "in_progress")]);
    ch(&mut app, 'c');
    typed(&mut app, "半句话");
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert_eq!(
        app.drafts.get(&(5, true)).map(String::as_str),
        Some("半句话")
    );
    ch(&mut app, 'c'); // `c` is the internal note
    let effects = ctrl(&mut app, 's');
    assert!(
        matches!(effects.as_slice(), [Effect::Comment { id: 5, body, internal: true, .. }] if body == "半句话")
    );
    app.update(Action::Saved {
        id: 5,
        kind: SavedKind::Noted,
    });
    assert!(app.drafts.is_empty(), "sent drafts are forgotten");
}

#[test]
fn a_note_draft_never_comes_back_as_a_reply() {
    let mut app = app_with(vec![row(5, "in_progress")]);
    ch(&mut app, 'c');
    typed(&mut app, "customer is rude");
    key(&mut app, KeyCode::Esc);
    ch(&mut app, 'r');
    assert_eq!(app.open_draft(), None, "the reply starts empty");
    assert!(matches!(
        app.overlay,
        Some(Overlay::Comment {
            internal: false,
            ..
        })
    ));
    typed(&mut app, "Dear Lena");
    key(&mut app, KeyCode::Esc);
    // Both kept, each under its own kind.
    assert_eq!(
        app.drafts.get(&(5, true)).map(String::as_str),
        Some("customer is rude")
    );
    assert_eq!(
        app.drafts.get(&(5, false)).map(String::as_str),
        Some("Dear Lena")
    );
}

#[test]
fn r_writes_a_public_reply_and_capital_r_fills_a_canned_one_after_the_draft() {
    let mut app = app_with(vec![row(5, "waiting_customer")]);
    ch(&mut app, 'r');
    assert!(matches!(
        app.overlay,
        Some(Overlay::Comment {
            id: 5,
            internal: false,
            ..
        })
    ));
    typed(&mut app, "Hallo Lena,");
    key(&mut app, KeyCode::Esc);
    let effects = ch(&mut app, 'R');
    assert!(matches!(effects.as_slice(), [Effect::LoadReplies(5)]));
    app.update(Action::RepliesLoaded {
        id: 5,
        replies: vec![
            (
                "greeting".into(),
                "Hi {{customer.name}},".into(),
                Vec::new(),
            ),
            (
                "shipped".into(),
                "Your parcel is on its way".into(),
                Vec::new(),
            ),
            (
                "tracking".into(),
                "I checked order {{order}}".into(),
                vec!["order".into()],
            ),
        ],
    });
    assert!(matches!(
        &app.overlay,
        Some(Overlay::Menu(m)) if m.kind == MenuKind::Reply { id: 5 } && m.items.len() == 3
            && m.items[2].label.starts_with("[fill in {{order}}]")
    ));
    key(&mut app, KeyCode::Down);
    let effects = key(&mut app, KeyCode::Enter);
    assert!(matches!(effects.as_slice(), [Effect::FillReply { id: 5, name }] if name == "shipped"));
    app.update(Action::ReplyFilled {
        id: 5,
        text: "Your parcel is on its way (SF123).".into(),
    });
    let text = match &app.overlay {
        Some(Overlay::Comment {
            id: 5,
            internal: false,
            input,
        }) => overlay::text_of(input),
        _ => String::new(),
    };
    assert_eq!(text, "Hallo Lena,\n\nYour parcel is on its way (SF123).");
    // A reply with a gap: the cursor on it, the status line says what.
    key(&mut app, KeyCode::Esc);
    app.update(Action::ReplyFilled {
        id: 5,
        text: "I checked order {{order}} with the carrier.".into(),
    });
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("{{order}}"))
    );
    assert!(matches!(app.overlay, Some(Overlay::Comment { .. })));
    if let Some(Overlay::Comment { input, .. }) = &app.overlay {
        let ratatui_textarea::DataCursor(row, col) = input.cursor();
        let line = &input.lines()[row];
        assert!(
            line.chars()
                .skip(col)
                .collect::<String>()
                .starts_with("{{order}}"),
            "{line} @{col}"
        );
    }
}

#[test]
fn ctrl_o_attaches_files_to_the_reply_keeping_its_text_and_kind() {
    let mut app = app_with(vec![row(5, "in_progress")]);
    ch(&mut app, 'c'); // an internal note
    typed(&mut app, "See the label");
    ctrl(&mut app, 'o');
    assert!(matches!(
        app.overlay,
        Some(Overlay::Prompt {
            purpose: overlay::Prompt::AttachFile {
                id: 5,
                internal: true
            },
            ..
        })
    ));
    typed(&mut app, "~/label.pdf");
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'o');
    typed(&mut app, "/tmp/photo.png");
    key(&mut app, KeyCode::Enter);
    // The same path again takes it off; Esc changes nothing.
    ctrl(&mut app, 'o');
    typed(&mut app, "/tmp/photo.png");
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'o');
    typed(&mut app, "/tmp/other.png");
    key(&mut app, KeyCode::Esc);
    let effects = ctrl(&mut app, 's');
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Comment { id: 5, body, internal: true, files }]
                if body == "See the label" && files == &["~/label.pdf".to_string()]
        ),
        "{effects:?}"
    );
    app.update(Action::Saved {
        id: 5,
        kind: SavedKind::Commented,
    });
    assert!(app.reply_files.is_empty(), "sent files are forgotten");
}

#[test]
fn no_canned_replies_says_how_to_add_them() {
    let mut app = app_with(vec![row(5, "new")]);
    app.update(Action::RepliesLoaded {
        id: 5,
        replies: Vec::new(),
    });
    assert!(app.overlay.is_none());
    let status = app.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(status.contains("tdesk replies set"), "{status}");
}

#[test]
fn a_bad_filter_keeps_the_bar_open_with_the_error() {
    let mut app = app_with(vec![row(1, "new")]);
    ch(&mut app, '/');
    typed(&mut app, "colour:red");
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    let msg = match &app.overlay {
        Some(Overlay::Filter {
            error: Some(msg), ..
        }) => msg.clone(),
        _ => String::new(),
    };
    assert!(
        msg.contains("colour"),
        "filter bar shows the error: {msg:?}"
    );
    for _ in 0.."colour:red".len() {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "status:open");
    let effects = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(effects.first(), Some(Effect::Background(Job::Window { request, .. })) if !request.query.is_empty())
    );
    load(&mut app, vec![row(1, "new")]);
    assert!(app.overlay.is_none(), "closes once the list loaded");
    assert_eq!(app.filter.text, "status:open");
}

#[test]
fn sorting_cycles_columns_and_reloads() {
    let mut app = app_with(vec![row(1, "new")]);
    let effects = ch(&mut app, 's');
    assert!(
        matches!(effects.first(), Some(Effect::Background(Job::Window { request, .. })) if request.sort == SortKey::Due),
        "most urgent first comes right after the default"
    );
    let effects = ch(&mut app, 'S');
    assert!(
        matches!(effects.first(), Some(Effect::Background(Job::Window { request, .. })) if request.dir == SortDir::Desc)
    );
}

#[test]
fn tab_cycles_list_board_detail_knowledge_dashboard_timeline_work() {
    let mut app = app_with(vec![row(1, "new")]);
    let generation = app.board.generation;
    app.update(Action::BoardLoaded {
        generation,
        columns: vec![BoardColumn {
            state: "new".into(),
            count: 1,
            rows: vec![row(1, "new")],
        }],
    });
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.pane, Pane::Board);
    let effects = key(&mut app, KeyCode::Tab);
    assert_eq!(app.pane, Pane::Detail);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Background(Job::View(1))]
    ));
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.pane, Pane::Kb);
    let effects = key(&mut app, KeyCode::Tab);
    assert_eq!(app.pane, Pane::Dashboard);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Background(Job::Dashboard { .. })]
    ));
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.pane, Pane::Timeline);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.pane, Pane::Work);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.pane, Pane::List);
}

#[test]
fn clicking_a_row_selects_it_and_clicking_again_opens_it() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app_with((1..=5).map(|i| row(i, "new")).collect());
    let click = |row: u16| {
        Action::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 10,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Rows start below the header line (y=0), the border (y=1) and the column titles (y=2).
    assert!(app.update(click(5)).is_empty());
    assert_eq!(app.list.selected, 2);
    assert!(matches!(
        app.update(click(5)).as_slice(),
        [Effect::Background(Job::View(3))]
    ));
}

#[test]
fn scrolling_a_huge_list_loads_windows_and_never_blocks_on_the_count() {
    let mut app = app_with(Vec::new());
    // A fresh query on a big desk: one window arrives, the count is still out.
    let effects = app.load_list();
    assert!(matches!(
        effects.as_slice(),
        [
            Effect::Background(Job::Window { .. }),
            Effect::Background(_)
        ]
    ));
    let generation = app.list.generation;
    let first: Vec<TicketRow> = (1..=WINDOW as i64).map(|i| row(i, "new")).collect();
    app.update(Action::WindowLoaded {
        generation,
        start: 0,
        asked: WINDOW,
        rows: first,
    });
    assert_eq!(app.list.total, None);
    let mut asked = Vec::new();
    for _ in 0..WINDOW {
        for e in ch(&mut app, 'j') {
            if let Effect::Background(Job::Window { request, .. }) = e {
                asked.push(request.offset);
            }
        }
    }
    assert_eq!(asked.len(), 1, "one more window, asked once: {asked:?}");
    assert!(asked[0] > 0);
    app.update(Action::Counted {
        generation,
        total: 1_000_000,
    });
    let effects = ch(&mut app, 'G');
    assert_eq!(app.list.selected, 999_999);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Background(Job::Window {
            total: Some(1_000_000),
            ..
        })]
    ));
}

#[test]
fn a_view_sets_query_sort_columns_and_grouping() {
    let mut app = app_with(vec![row(1, "new")]);
    let mut mine = View::builtins().remove(0);
    mine.columns = vec![Column::Number, Column::Title, Column::Due];
    mine.group = Some(GroupBy::State);
    app.update(Action::ViewsLoaded(vec![View::builtins().remove(5), mine]));
    let effects = ch(&mut app, 'v');
    assert!(
        matches!(
            effects.first(),
            Some(Effect::Background(Job::ViewCounts { .. }))
        ),
        "counts are asked for"
    );
    let Some(Effect::Background(Job::ViewCounts {
        generation,
        queries,
    })) = effects.first().cloned()
    else {
        return;
    };
    assert_eq!(queries.len(), 2);
    app.update(Action::ViewCounts {
        generation,
        counts: vec![42, 7],
    });
    let Some(Overlay::Menu(menu)) = &app.overlay else {
        return assert!(app.overlay.is_some(), "menu open");
    };
    assert!(
        menu.items[1].label.ends_with(" 7"),
        "{}",
        menu.items[1].label
    );
    ch(&mut app, 'j');
    let effects = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(effects.first(), Some(Effect::Background(Job::Window { request, .. }))
        if request.group == Some(GroupBy::State) && request.sort == SortKey::Priority)
    );
    assert_eq!(
        app.columns,
        vec![Column::Number, Column::Title, Column::Due]
    );
    assert_eq!(app.filter.text, "assignee:me status:open");
    let effects = ch(&mut app, '=');
    assert_eq!(app.group, Some(GroupBy::Priority));
    assert!(
        matches!(effects.first(), Some(Effect::Background(Job::Window { request, .. })) if request.group == Some(GroupBy::Priority))
    );
}

#[test]
fn ctrl_e_hands_the_comment_to_the_editor_and_its_text_comes_back() {
    let mut app = app_with(vec![row(5, "in_progress")]);
    ch(&mut app, 'c');
    typed(&mut app, "draft");
    let effects = ctrl(&mut app, 'e');
    assert!(matches!(effects.as_slice(), [Effect::Editor { text }] if text == "draft"));
    app.update(Action::EditorDone("line one\n第二行".into()));
    let effects = ctrl(&mut app, 's');
    assert!(
        matches!(effects.as_slice(), [Effect::Comment { id: 5, body, .. }] if body == "line one\n第二行")
    );
}

#[test]
fn ctrl_e_in_the_form_edits_only_the_description() {
    let mut app = app_with(vec![row(5, "in_progress")]);
    ch(&mut app, 'n');
    assert!(ctrl(&mut app, 'e').is_empty(), "the title is one line");
    key(&mut app, KeyCode::Tab);
    let effects = ctrl(&mut app, 'e');
    assert!(matches!(effects.as_slice(), [Effect::Editor { text }] if text.is_empty()));
    app.update(Action::EditorDone("from the editor".into()));
    let Some(Overlay::Form(form)) = &app.overlay else {
        return assert!(app.overlay.is_some(), "form open");
    };
    assert_eq!(form.value(form::FieldId::Description), "from the editor");
}

fn search_generation(effects: &[Effect]) -> Option<u64> {
    match effects {
        [Effect::Background(Job::Search { generation, .. })] => Some(*generation),
        _ => None,
    }
}

fn hit(id: i64) -> crate::service::SearchHit {
    crate::service::SearchHit {
        row: row(id, "new"),
        snippet: None,
    }
}

#[test]
fn every_keystroke_searches_and_stale_answers_are_dropped() {
    let mut app = app_with(vec![row(5, "new")]);
    assert!(ch(&mut app, 'f').is_empty());
    let first = search_generation(&ch(&mut app, 'r')).expect("a search for r");
    let second = search_generation(&ch(&mut app, 'e')).expect("a search for re");
    assert!(second > first);
    // The answer to "r" arrives late: it must not replace what "re" will show.
    app.update(Action::SearchLoaded {
        generation: first,
        hits: vec![hit(1), hit(2)],
    });
    let Some(Overlay::Search(popup)) = &app.overlay else {
        return assert!(app.overlay.is_some(), "popup open");
    };
    assert!(popup.hits.is_empty() && popup.state == SearchState::Waiting);
    app.update(Action::SearchLoaded {
        generation: second,
        hits: vec![hit(7)],
    });
    let Some(Overlay::Search(popup)) = &app.overlay else {
        return assert!(app.overlay.is_some(), "popup open");
    };
    assert_eq!(popup.hits.len(), 1);
    assert_eq!(popup.terms, ["re"]);
    // Moving the cursor does not search again; Enter opens the hit.
    assert!(key(&mut app, KeyCode::Left).is_empty());
    let effects = key(&mut app, KeyCode::Enter);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Background(Job::View(7))]
    ));
    assert_eq!(app.pane, Pane::Detail);
    assert!(app.overlay.is_none());
}

#[test]
fn a_search_that_does_not_parse_says_why_and_sends_nothing() {
    let mut app = app_with(vec![row(5, "new")]);
    ch(&mut app, 'f');
    let effects = app.update(Action::Paste("bogus:x".into()));
    assert!(effects.is_empty());
    let Some(Overlay::Search(popup)) = &app.overlay else {
        return assert!(app.overlay.is_some(), "popup open");
    };
    assert!(
        matches!(&popup.state, SearchState::Invalid(m) if m.contains("bogus")),
        "{:?}",
        popup.state
    );
    // Tab filters the list with what was typed once it parses.
    for _ in 0..7 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "退款");
    let effects = key(&mut app, KeyCode::Tab);
    assert!(app.overlay.is_none());
    assert_eq!(app.filter.text, "退款");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Background(Job::Window { .. })))
    );
}

/// What the detail worker answers for a plain ticket `id`.
fn view_of(id: i64) -> crate::service::TicketView {
    let r = row(id, "new");
    crate::service::TicketView {
        detail: crate::domain::TicketDetail {
            ticket: crate::domain::Ticket {
                id,
                title: r.title,
                description: String::new(),
                status: r.status,
                priority: r.priority,
                kind: r.kind,
                category: None,
                channel: r.channel,
                customer_id: None,
                assignee: None,
                team: None,
                tags: Vec::new(),
                custom: Default::default(),
                resolution: None,
                accepted_at: None,
                rating: None,
                closure: Default::default(),
                created_at: r.created_at,
                updated_at: r.updated_at,
                first_response_at: None,
                resolved_at: None,
                closed_at: None,
                version: r.version,
                due_at: None,
                risk_at: None,
            },
            customer: None,
            comments: Vec::new(),
            events: Vec::new(),
            due_manual: false,
        },
        clocks: None,
        similar: Vec::new(),
        attachments: Vec::new(),
        outgoing: Vec::new(),
        mail_ready: true,
        suggestions: Vec::new(),
        subtasks: Vec::new(),
        links: Default::default(),
    }
}

#[test]
fn a_detail_for_a_ticket_the_cursor_left_is_dropped() {
    let mut app = app_with(vec![row(7, "new"), row(8, "new"), row(9, "new")]);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.detail.wanted, Some(7));
    // The cursor moves on before the worker answers for 7.
    app.pane = Pane::List;
    ch(&mut app, 'j');
    let effects = key(&mut app, KeyCode::Enter);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Background(Job::View(8))]
    ));
    app.update(Action::ViewLoaded(Box::new(view_of(7))));
    assert_eq!(app.detail_id(), None, "7's late answer is not shown as 8");
    app.update(Action::ViewFailed {
        id: 7,
        error: Error::TicketNotFound(7),
    });
    assert!(app.status.is_none(), "nor is its error");
    app.update(Action::ViewLoaded(Box::new(view_of(8))));
    assert_eq!(app.detail_id(), Some(8));
    app.update(Action::ViewFailed {
        id: 8,
        error: Error::TicketNotFound(8),
    });
    assert!(app.status.as_ref().is_some_and(|s| s.error));
}

#[test]
fn keys_in_the_detail_pane_act_on_the_ticket_shown_not_the_one_before() {
    let mut app = app_with(vec![row(7, "in_progress"), row(8, "in_progress")]);
    key(&mut app, KeyCode::Enter);
    app.update(Action::ViewLoaded(Box::new(view_of(7))));
    // Back to the list, on to #8, opened: its detail is still on the way.
    key(&mut app, KeyCode::Esc);
    ch(&mut app, 'j');
    key(&mut app, KeyCode::Enter);
    assert_eq!((app.pane, app.detail_id()), (Pane::Detail, Some(7)));
    assert_eq!(app.selected().map(|s| s.id), Some(8));
    ch(&mut app, 'm');
    let Some(Overlay::Menu(menu)) = &app.overlay else {
        return assert!(app.overlay.is_some(), "menu open");
    };
    assert!(
        matches!(menu.kind, MenuKind::Move { id: 8, .. }),
        "{:?}",
        menu.kind
    );
    key(&mut app, KeyCode::Esc);
    ch(&mut app, 'A');
    assert!(
        matches!(
            app.overlay,
            Some(Overlay::Prompt {
                purpose: Prompt::Verdict { id: 8, .. },
                ..
            })
        ),
        "{:?}",
        app.overlay
    );
}

#[test]
fn a_verdict_that_says_nothing_is_asked_for_again_not_taken_for_a_yes() {
    let mut app = app_with(vec![row(5, "pending_acceptance")]);
    for entry in ["0 terrible", "9 fine", "abc"] {
        ch(&mut app, 'A');
        typed(&mut app, entry);
        let effects = key(&mut app, KeyCode::Enter);
        assert!(effects.is_empty(), "{entry}: {effects:?}");
        assert!(app.status.as_ref().is_some_and(|s| s.error), "{entry}");
        assert!(
            matches!(app.overlay, Some(Overlay::Prompt { .. })),
            "{entry}"
        );
        key(&mut app, KeyCode::Esc);
    }
    ch(&mut app, 'A');
    typed(&mut app, "2 still broken");
    let effects = key(&mut app, KeyCode::Enter);
    let [Effect::Accept { id: 5, verdict, .. }] = effects.as_slice() else {
        return assert_eq!(effects.len(), 1, "{effects:?}");
    };
    assert_eq!(verdict.rating, Some(2));
}

#[test]
fn triage_works_on_open_tickets_and_moves_on_after_take_and_spam() {
    let mut app = app_with(vec![row(7, "new"), row(8, "new"), row(9, "new")]);
    ch(&mut app, 't');
    assert_eq!(app.pane, Pane::Triage);
    assert_eq!(
        app.filter.text, "status:open",
        "closed tickets are not triaged"
    );
    // A filter that names states is the member's choice: kept as it is.
    let mut own = app_with(vec![row(7, "closed")]);
    own.filter.text = "status:closed".into();
    own.filter.query = Query::parse("status:closed").expect("query");
    ch(&mut own, 't');
    assert_eq!(own.filter.text, "status:closed");
    // Back on the three rows: take #7, and the next one comes at once.
    let mut app = app_with(vec![row(7, "new"), row(8, "new"), row(9, "new")]);
    app.filter.query = Query::parse("status:new").expect("query");
    ch(&mut app, 't');
    let effects = ch(&mut app, 't');
    assert!(
        matches!(effects.first(), Some(Effect::Assign { id: 7, .. })),
        "{effects:?}"
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Background(Job::View(8)))),
        "{effects:?}"
    );
    assert_eq!(app.list.selected_row().map(|r| r.id), Some(8));
    // Spam is one write (one undo takes the tag and the move back).
    let effects = ch(&mut app, 'x');
    assert!(
        matches!(effects.first(), Some(Effect::Spam { id: 8, .. })),
        "{effects:?}"
    );
    assert_eq!(app.list.selected_row().map(|r| r.id), Some(9));
}

#[test]
fn triage_spam_on_a_ticket_that_cannot_be_closed_stays_and_says_why() {
    let mut app = app_with(vec![row(7, "waiting_customer"), row(8, "new")]);
    app.filter.query = Query::parse("status:open").expect("query");
    ch(&mut app, 't');
    let effects = ch(&mut app, 'x');
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.list.selected_row().map(|r| r.id), Some(7));
    let status = app.status.clone().expect("said");
    assert!(
        status.error && status.text.contains("Waiting on customer"),
        "{}",
        status.text
    );
}

#[test]
fn the_edit_form_shows_a_hand_set_deadline_and_reads_a_new_one() {
    let app = app_with(vec![row(7, "new")]);
    let mut ticket = view_of(7).detail.ticket;
    let due = Utc
        .with_ymd_and_hms(2026, 12, 24, 10, 0, 0)
        .single()
        .expect("due");
    ticket.due_at = Some(due);
    let mut form = super::form::TicketForm::edit(&app, &ticket, true);
    assert_eq!(form.value(super::form::FieldId::Due), "2026-12-24 10:00");
    let unchanged = form
        .to_changes_at(&ticket, now(), &app.tz)
        .expect("changes");
    assert_eq!(unchanged.due, None, "as shown: no change");
    let at = form
        .fields
        .iter()
        .position(|f| f.id == super::form::FieldId::Due)
        .expect("a due field");
    form.fields[at].kind = super::form::FieldKind::Line(super::overlay::text_input("2d"));
    let changes = form
        .to_changes_at(&ticket, now(), &app.tz)
        .expect("changes");
    assert_eq!(changes.due, Some(Some(now() + Duration::days(2))));
    form.fields[at].kind = super::form::FieldKind::Line(super::overlay::text_input(""));
    let cleared = form
        .to_changes_at(&ticket, now(), &app.tz)
        .expect("changes");
    assert_eq!(cleared.due, Some(None), "emptied: the SLA's again");
    form.fields[at].kind = super::form::FieldKind::Line(super::overlay::text_input("someday"));
    assert!(form.to_changes_at(&ticket, now(), &app.tz).is_err());
    // The SLA's own deadline is not shown as one set by hand.
    let sla = super::form::TicketForm::edit(&app, &ticket, false);
    assert_eq!(sla.value(super::form::FieldId::Due), "");
}

#[test]
fn the_chinese_palette_finds_commands_by_english_name_and_pinyin() {
    let mut app = app_with(vec![row(5, "new")]);
    app.cat = Catalog::new(Lang::ZhCn);
    let assign = app.cat.t("help.assign").to_string();
    for typed in ["assign", "asg"] {
        let found = app.palette_matches(typed);
        assert!(
            found.iter().any(|(c, _)| *c == Command::Assign),
            "{typed}: {found:?}"
        );
    }
    // The initials of the Chinese label.
    let initials: String = crate::text::pinyin_keys(&assign)
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .to_string();
    let found = app.palette_matches(&initials);
    assert!(
        found.iter().any(|(c, _)| *c == Command::Assign),
        "{initials}: {found:?}"
    );
}

#[test]
fn a_reply_refused_by_a_full_disk_keeps_its_text_in_the_open_editor() {
    let mut app = app_with(vec![row(5, "in_progress")]);
    ch(&mut app, 'r');
    typed(&mut app, "Dear Lena, 包裹已到");
    let effects = ctrl(&mut app, 's');
    assert!(matches!(
        effects.as_slice(),
        [Effect::Comment { id: 5, .. }]
    ));
    app.update(Action::Failed(Error::DiskFull));
    assert_eq!(
        app.open_draft(),
        Some((5, false, "Dear Lena, 包裹已到".to_string())),
        "the editor is still open with every word"
    );
    let status = app.status.clone().expect("status shown");
    assert!(
        status.error && status.text.contains("full"),
        "{}",
        status.text
    );
    // Space back: the same keys send it.
    let effects = ctrl(&mut app, 's');
    assert!(
        matches!(effects.as_slice(), [Effect::Comment { id: 5, body, .. }] if body == "Dear Lena, 包裹已到")
    );
}

#[test]
fn a_new_ticket_refused_by_a_full_disk_keeps_the_form_as_typed() {
    let mut app = app_with(vec![row(5, "in_progress")]);
    ch(&mut app, 'n');
    typed(&mut app, "Parcel held at customs");
    let effects = ctrl(&mut app, 's');
    assert!(
        matches!(effects.as_slice(), [Effect::Create(_)]),
        "{effects:?}"
    );
    app.update(Action::Failed(Error::DiskFull));
    let Some(Overlay::Form(form)) = &app.overlay else {
        unreachable!("the form stays open")
    };
    assert!(form.error.as_deref().is_some_and(|e| e.contains("full")));
    let effects = ctrl(&mut app, 's');
    assert!(
        matches!(effects.as_slice(), [Effect::Create(n)] if n.title == "Parcel held at customs"),
        "{effects:?}"
    );
}

/// The due dates and versions `<` / `>` edits ask for, in order.
fn due_edits(effects: &[Effect]) -> Vec<(i64, i64, Option<DateTime<Utc>>)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Edit {
                id,
                changes,
                version,
            } => Some((*id, *version, changes.due.flatten())),
            _ => None,
        })
        .collect()
}

#[test]
fn quick_due_presses_stay_on_their_ticket_while_the_list_resorts_under_the_cursor() {
    let mut app = app_with(vec![row(1, "new"), row(2, "new"), row(3, "new")]);
    ch(&mut app, '6');
    // The sort changed: the list loads again; answer with the same rows.
    load(&mut app, vec![row(1, "new"), row(2, "new"), row(3, "new")]);
    app.list.selected = 1;
    let day = Duration::days(1);
    let first = due_edits(&ch(&mut app, '>'));
    assert_eq!(first, [(2, 3, Some(now() + day))]);
    // Before anything comes back, the next press builds on the first.
    let second = due_edits(&ch(&mut app, '>'));
    assert_eq!(second, [(2, 4, Some(now() + day * 2))]);
    // The list comes back re-sorted: #2 went elsewhere, #3 is under the cursor.
    let generation = app.list.generation;
    app.update(Action::WindowLoaded {
        generation,
        start: 0,
        asked: WINDOW,
        rows: vec![row(1, "new"), row(3, "new"), row(2, "new")],
    });
    let third = due_edits(&ch(&mut app, '>'));
    assert_eq!(third, [(2, 5, Some(now() + day * 3))], "still #2");
    // Moving the cursor ends it: the next press is for the row there.
    key(&mut app, KeyCode::Up);
    let other = due_edits(&ch(&mut app, '>'));
    assert_eq!(
        other.first().map(|e| e.0),
        app.list.selected_row().map(|r| r.id)
    );
}
