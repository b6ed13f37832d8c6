//! The CLI contract, tested on the real binary: commands, output, exit codes.

use crate::common::{Scratch, code, stderr, stdout};

fn me() -> String {
    tdesk::service::Identity::current().login
}

#[test]
fn a_ticket_goes_through_the_whole_workflow_and_history_shows_actor_and_time() {
    let s = Scratch::with_desk();
    let out = s.tdesk(&[
        "add",
        "--title",
        "Parcel stuck in customs",
        "--priority",
        "P1",
        "--customer",
        "lena@example.de",
    ]);
    assert_eq!(stdout(&out).trim(), "Created #1.");

    let refused = s.tdesk(&["move", "1", "in_progress"]);
    assert_eq!(code(&refused), 4, "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("needs an assignee"),
        "{}",
        stderr(&refused)
    );
    assert!(
        stderr(&refused).contains("Allowed next: Closed."),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        stderr(&refused).lines().count(),
        1,
        "one sentence on stderr"
    );

    for args in [
        vec!["assign", "1", "me"],
        vec!["comment", "1", "--body", "We asked the carrier."],
        vec!["move", "1", "waiting_customer"],
        vec!["move", "1", "in_progress"],
        vec![
            "move",
            "1",
            "resolved",
            "--note",
            "Invoice re-sent; parcel released",
            "--cause",
            "logistics",
        ],
    ] {
        let out = s.tdesk(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    // The default automation asked the customer for acceptance at once.
    let shown = stdout(&s.tdesk(&["show", "1"]));
    assert!(shown.contains("pending_acceptance"), "{shown}");
    let refused = s.tdesk(&["move", "1", "closed"]);
    assert_eq!(code(&refused), 4);
    assert!(
        stderr(&refused).contains("acceptance"),
        "{}",
        stderr(&refused)
    );
    // The desk's admin records it without the customer's words (a
    // supervisor's acceptance); a good rating closes the ticket.
    let accepted = s.tdesk(&["accept", "1", "--rating", "5"]);
    assert!(accepted.status.success(), "{}", stderr(&accepted));
    assert!(
        stdout(&accepted).contains("#1 is now Closed"),
        "{}",
        stdout(&accepted)
    );
    let out = s.tdesk(&["move", "1", "archived"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let refused = s.tdesk(&["move", "1", "in_progress", "--note", "again"]);
    assert_eq!(code(&refused), 4);
    assert!(
        stderr(&refused).contains("no way out"),
        "archived is terminal: {}",
        stderr(&refused)
    );

    let history = s.tdesk(&["history", "1", "--json"]);
    let events: serde_json::Value = serde_json::from_slice(&history.stdout).expect("history JSON");
    let events = events.as_array().expect("array");
    let statuses: Vec<&str> = events
        .iter()
        .filter(|e| e["kind"] == "status")
        .map(|e| e["new"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        statuses,
        [
            "in_progress",
            "waiting_customer",
            "in_progress",
            "resolved",
            "pending_acceptance",
            "closed",
            "archived"
        ]
    );
    // Every event names its actor: the member, or the automation that asked
    // the customer for acceptance.
    assert!(
        events
            .iter()
            .all(|e| e["actor"] == me().as_str() || e["actor"] == "automation:ask for acceptance"),
        "every event names its actor"
    );
    assert!(
        events
            .iter()
            .any(|e| e["actor"] == "automation:ask for acceptance" && e["kind"] == "status")
    );
    let times: Vec<&str> = events
        .iter()
        .map(|e| e["at"].as_str().unwrap_or(""))
        .collect();
    assert!(
        times
            .iter()
            .all(|t| t.ends_with('Z') || t.contains("+00:00")),
        "UTC times: {times:?}"
    );
    // Compared as instants: a time on a whole second is written without
    // a fraction, so the strings do not sort.
    let instants: Vec<chrono::DateTime<chrono::FixedOffset>> = times
        .iter()
        .map(|t| chrono::DateTime::parse_from_rfc3339(t).expect("RFC 3339"))
        .collect();
    assert!(
        instants.windows(2).all(|w| w[0] <= w[1]),
        "in order: {times:?}"
    );

    let text = stdout(&s.tdesk(&["history", "1"]));
    assert!(
        text.contains("status: Pending acceptance → Closed"),
        "{text}"
    );
    assert!(text.contains(&me()), "{text}");
}

#[test]
fn exit_codes_follow_the_contract() {
    let s = Scratch::with_desk();
    let missing = s.tdesk(&["show", "99"]);
    assert_eq!(
        (code(&missing), stderr(&missing).trim()),
        (3, "tdesk: Ticket #99 not found.")
    );
    assert_eq!(code(&s.tdesk(&["frobnicate"])), 2);
    assert_eq!(code(&s.tdesk(&["show", "abc"])), 2);
    let empty = s.tdesk(&["add", "--title", "   "]);
    assert_eq!(code(&empty), 2, "{}", stderr(&empty));
    let bad_priority = s.tdesk(&["add", "--title", "x", "--priority", "urgent"]);
    assert_eq!(code(&bad_priority), 2);
    assert!(
        stderr(&bad_priority).contains("P0, P1, P2, P3"),
        "{}",
        stderr(&bad_priority)
    );
    s.tdesk(&["add", "--title", "Wrong size"]);
    let stale = s.tdesk(&["edit", "1", "--priority", "P0", "--if-version", "7"]);
    assert_eq!(code(&stale), 5, "{}", stderr(&stale));
    assert!(
        stderr(&stale).contains("was changed by"),
        "{}",
        stderr(&stale)
    );
    let ok = s.tdesk(&["edit", "1", "--priority", "P0", "--if-version", "1"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert_eq!(code(&s.tdesk(&["assign", "1", "ghost"])), 3);
}

#[test]
fn an_explicit_desk_that_does_not_exist_is_not_created() {
    let s = Scratch::new();
    let out = s.tdesk(&["list"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("tdesk init"), "{}", stderr(&out));
    assert!(!s.db().exists());
}

#[test]
fn the_default_desk_is_created_on_first_use_with_me_as_admin() {
    let s = Scratch::new();
    let out = s.tdesk_with(&["user", "list", "--json"], &[("TDESK_DB", "")], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Created a new desk"),
        "{}",
        stderr(&out)
    );
    let users: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(users[0]["login"], me().as_str());
    assert_eq!(users[0]["role"], "admin");
    assert!(s.dir.path().join("data/tdesk/desk.db").exists());
}

#[test]
fn identity_comes_from_the_uid_not_from_user_or_logname() {
    let s = Scratch::with_desk();
    let out = s.tdesk_with(
        &["add", "--title", "spoof attempt"],
        &[("USER", "mallory"), ("LOGNAME", "mallory")],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let history = stdout(&s.tdesk(&["history", "1", "--json"]));
    assert!(
        history.contains(&format!("\"actor\": \"{}\"", me())),
        "{history}"
    );
    assert!(!history.contains("mallory"));
}

#[test]
fn a_stranger_is_refused_not_shown_an_empty_board() {
    let s = Scratch::with_desk();
    tdesk::store::Store::execute_raw(&s.db(), "UPDATE users SET login = 'someone-else'")
        .expect("raw update");
    let out = s.tdesk(&["list"]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(stderr(&out).contains("not a member"), "{}", stderr(&out));
}

#[test]
fn untrusted_text_never_reaches_the_terminal_raw_but_json_keeps_it_exact() {
    let s = Scratch::with_desk();
    let evil = "Refund\x1b[2J\x1b]0;owned\x07 \u{202e}fdp.exe\u{9b}31m";
    let out = s.tdesk(&["add", "--title", evil, "--body", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let body = s.tdesk_with(
        &["comment", "1", "--body", "-"],
        &[],
        Some("line one\x1b[31m red\n第二行".as_bytes()),
    );
    assert!(body.status.success(), "{}", stderr(&body));
    for args in [vec!["list"], vec!["show", "1"], vec!["history", "1"]] {
        let text = stdout(&s.tdesk(&args));
        assert!(
            !text
                .chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "{args:?} leaked a control character: {text:?}"
        );
    }
    let shown = stdout(&s.tdesk(&["show", "1"]));
    assert!(shown.contains("第二行"), "{shown}");
    let json: serde_json::Value =
        serde_json::from_slice(&s.tdesk(&["show", "1", "--json"]).stdout).expect("json");
    assert_eq!(
        json["ticket"]["title"],
        evil.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_str()
    );
}

#[test]
fn text_from_stdin_must_be_utf8() {
    let s = Scratch::with_desk();
    s.tdesk(&["add", "--title", "GBK body"]);
    let gbk = [0xCD_u8, 0xCB, 0xBF, 0xEE]; // 退款 in GBK
    let out = s.tdesk_with(&["comment", "1", "--body", "-"], &[], Some(&gbk));
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("not UTF-8"), "{}", stderr(&out));
    assert!(
        stdout(&s.tdesk(&["show", "1"])).contains("Conversation (0)"),
        "nothing half-written"
    );
}

#[test]
fn list_filters_with_the_query_language_and_explains_bad_queries() {
    let s = Scratch::with_desk();
    s.tdesk(&[
        "add",
        "--title",
        "退款申请:商品与描述不符",
        "--priority",
        "P1",
    ]);
    s.tdesk(&[
        "add",
        "--title",
        "Parcel late",
        "--priority",
        "P3",
        "--tag",
        "late-parcel",
    ]);
    let out = stdout(&s.tdesk(&["list", "退款"]));
    assert!(out.contains("退款申请") && !out.contains("Parcel"), "{out}");
    let out = stdout(&s.tdesk(&["list", "priority:P2..P3", "tag:late-parcel"]));
    assert!(
        out.contains("Parcel late") && !out.contains("退款"),
        "{out}"
    );
    let out = s.tdesk(&["list", "status:open", "colour:red"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("Unknown field \"colour\" at column 13"),
        "{err}"
    );
    assert!(
        err.lines().any(|l| l.trim_end().ends_with('^')),
        "caret line: {err}"
    );
    let rows: serde_json::Value =
        serde_json::from_slice(&s.tdesk(&["list", "--json", "--sort", "priority"]).stdout)
            .expect("json");
    assert_eq!(rows[0]["priority"], "P1");
}

#[test]
fn columns_stay_aligned_with_chinese_titles() {
    let s = Scratch::with_desk();
    s.tdesk(&[
        "add",
        "--title",
        "包裹在海关滞留两周",
        "--customer",
        "liuyang@example.cn",
    ]);
    s.tdesk(&[
        "add",
        "--title",
        "Parcel late",
        "--customer",
        "j.carter@example.com",
    ]);
    let out = stdout(&s.tdesk(&["list"]));
    let starts: Vec<usize> = out
        .lines()
        .map(|l| {
            let cut = l
                .find("liuyang")
                .or_else(|| l.find("j.carter"))
                .or_else(|| l.find("Customer"))
                .unwrap_or(0);
            tdesk::text::width(&l[..cut])
        })
        .collect();
    assert!(
        starts.windows(2).all(|w| w[0] == w[1]),
        "customer column misaligned:\n{out}"
    );
}

#[test]
fn workflow_check_names_the_line_and_problem() {
    let s = Scratch::new();
    let file = s.dir.path().join("wf.toml");
    std::fs::write(&file, "initial = \"a\"\n[[state]]\nid = \"a\"\nlabel = { en = \"A\" }\n[[state]]\nid = \"lost\"\nlabel = { en = \"L\" }\nfinal = true\n[[type]]\nid = \"t\"\nlabel = { en = \"T\" }\n").expect("write");
    let out = s.tdesk(&["workflow", "check", file.to_str().expect("utf8 path")]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("wf.toml:6:") && err.contains("\"lost\" cannot be reached"),
        "{err}"
    );
    assert!(
        err.contains("wf.toml:3:") && err.contains("no transition out"),
        "{err}"
    );
    let good = s.dir.path().join("good.toml");
    std::fs::write(&good, tdesk::workflow::DEFAULT_DEFINITION).expect("write");
    let out = s.tdesk(&["workflow", "check", good.to_str().expect("utf8 path")]);
    assert!(stdout(&out).contains("7 states"), "{}", stdout(&out));
}

#[test]
fn chinese_ui_messages_come_from_the_catalog() {
    let s = Scratch::with_desk();
    let out = s.tdesk_with(&["show", "5"], &[("LANG", "zh_CN.UTF-8")], None);
    assert_eq!(stderr(&out).trim(), "tdesk: 找不到工单 #5。");
    let out = s.tdesk_with(
        &["--lang", "en", "show", "5"],
        &[("LANG", "zh_CN.UTF-8")],
        None,
    );
    assert_eq!(stderr(&out).trim(), "tdesk: Ticket #5 not found.");
}

#[test]
fn a_refused_move_names_states_by_their_labels_in_both_languages() {
    let s = Scratch::with_desk();
    ok(&s, &["add", "--title", "Parcel stuck"]);
    let refused = s.tdesk(&["move", "1", "in_progress"]);
    let text = stderr(&refused);
    assert!(text.contains("from Unassigned to In progress"), "{text}");
    let zh = s.tdesk_with(
        &["move", "1", "in_progress"],
        &[("LANG", "zh_CN.UTF-8")],
        None,
    );
    let text = stderr(&zh);
    assert!(
        !text.contains("new") && !text.contains("in_progress"),
        "{text}"
    );
    assert!(text.contains("处理中"), "{text}");
    let forbidden = s.tdesk(&["status", "--format", "{bogus}"]);
    assert!(!stderr(&forbidden).contains("??"), "{}", stderr(&forbidden));
}

#[test]
fn a_chinese_screen_shows_the_desks_labels_for_categories_tags_and_automations() {
    let s = Scratch::with_desk();
    let me = me();
    ok(
        &s,
        &[
            "add",
            "--title",
            "Stuck at customs",
            "--category",
            "logistics/customs",
            "--tag",
            "refund",
        ],
    );
    ok(&s, &["assign", "1", &me]); // assigning starts the work
    ok(
        &s,
        &[
            "move",
            "1",
            "resolved",
            "--note",
            "Released",
            "--cause",
            "logistics",
        ],
    );
    let zh = [("LANG", "zh_CN.UTF-8")];
    let shown = stdout(&s.tdesk_with(&["show", "1"], &zh, None));
    assert!(shown.contains("物流/清关"), "{shown}");
    assert!(shown.contains("退款"), "{shown}");
    let history = stdout(&s.tdesk_with(&["history", "1"], &zh, None));
    assert!(history.contains("自动化:请求客户验收"), "{history}");
    let history = stdout(&s.tdesk(&["history", "1"]));
    assert!(
        history.contains("automation:ask for acceptance"),
        "{history}"
    );
}

#[test]
fn demo_data_is_never_mixed_into_a_desk_with_tickets_by_accident() {
    let s = Scratch::with_desk();
    ok(&s, &["add", "--title", "A real customer's problem"]);
    let refused = s.tdesk(&["demo", "--tickets", "5"]);
    assert_eq!(code(&refused), 2, "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("tdesk --demo"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        stdout(&s.tdesk(&["list", "--json"]))
            .matches("\"id\"")
            .count(),
        1
    );
    ok(&s, &["demo", "--tickets", "5", "--yes"]);
    // An empty desk takes the samples without asking.
    let empty = Scratch::with_desk();
    ok(&empty, &["demo", "--tickets", "5"]);
}

#[test]
fn doctor_rebuilds_the_search_index_for_an_admin() {
    let s = Scratch::with_desk();
    ok(&s, &["add", "--title", "退款 not received"]);
    let out = ok(&s, &["doctor", "--repair-search"]);
    assert!(out.contains("Rebuilt the search index."), "{out}");
    assert!(ok(&s, &["list", "退款"]).contains("#1"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let s = Scratch::with_desk();
    assert!(s.tdesk(&["demo", "--tickets", "60"]).status.success());
    let script = format!("'{}' list | head -n 1", env!("CARGO_BIN_EXE_tdesk"));
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("TDESK_DB", s.db())
        .env("XDG_CONFIG_HOME", s.dir.path().join("config"))
        .output()
        .expect("sh");
    assert!(out.status.success());
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn config_check_names_each_bad_line_and_a_broken_file_does_not_lock_setup_out() {
    let s = Scratch::new();
    let dir = s.dir.path().join("config").join("tdesk");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let file = dir.join("config.toml");
    std::fs::write(
        &file,
        "theme = \"neon\"\n[keys]\nquit = \"ctrl+q\"\nbogus = \"x\"\n[keys.board]\nmove = [\"M\", \"ctrl+zz\"]\n",
    )
    .expect("write");
    let out = s.tdesk(&["config", "check"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("config.toml:1: unknown theme \"neon\""),
        "{err}"
    );
    assert!(
        err.contains("config.toml:4: unknown command \"bogus\""),
        "{err}"
    );
    assert!(
        err.contains("config.toml:6: \"ctrl+zz\" is not a key"),
        "{err}"
    );

    std::fs::write(
        &file,
        "theme = \"mono\"\n[keys]\nquit = \"ctrl+q\"\n[keys.board]\nmove = \"M\"\n",
    )
    .expect("write");
    let out = s.tdesk(&["config", "check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = stdout(&s.tdesk(&["config", "show"]));
    assert!(shown.contains("theme = \"mono\""), "{shown}");
    assert!(shown.contains("quit = [\"ctrl+q\"]"), "{shown}");
    assert!(shown.contains("[keys.board]\nmove = [\"M\"]"), "{shown}");

    std::fs::write(&file, "theme = \n").expect("write");
    let path = s.tdesk(&["config", "path"]);
    assert!(path.status.success(), "{}", stderr(&path));
    assert!(stdout(&path).trim_end().ends_with("config.toml"));
    let list = s.tdesk(&["list"]);
    assert_eq!(code(&list), 1);
    assert!(
        stderr(&list).contains("config.toml: line 1"),
        "{}",
        stderr(&list)
    );
}

#[test]
fn completions_and_man_page_describe_the_real_commands() {
    let s = Scratch::new();
    let bash = stdout(&s.tdesk(&["completions", "bash"]));
    assert!(bash.contains("_tdesk()") && bash.contains("undo"), "{bash}");
    let fish = stdout(&s.tdesk(&["completions", "fish"]));
    assert!(fish.contains("complete -c tdesk"), "{fish}");
    let man = stdout(&s.tdesk(&["man"]));
    assert!(
        man.contains(".TH tdesk 1") && man.contains("workflow"),
        "{man}"
    );
    let bad = s.tdesk(&["completions", "tcsh"]);
    assert_eq!(code(&bad), 2);
}

/// Runs `tdesk ARGS` and returns its standard output, asserting success.
fn ok(s: &Scratch, args: &[&str]) -> String {
    let out = s.tdesk(args);
    assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn first_response(s: &Scratch, id: &str) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_str(&ok(s, &["show", id, "--json"])).expect("json");
    json["ticket"]["first_response_at"].clone()
}

#[test]
fn a_reply_on_a_mail_ticket_without_mail_set_up_is_kept_and_said_not_sent() {
    let s = Scratch::with_desk();
    ok(
        &s,
        &[
            "add",
            "--title",
            "Parcel late",
            "--customer",
            "lena@example.de",
            "--channel",
            "email",
        ],
    );
    let said = ok(&s, &["comment", "1", "--body", "We are on it."]);
    assert!(
        said.contains("NOT sent") && said.contains("tdesk mail set"),
        "{said}"
    );
    // Kept in the queue, shown as not sent, and no response for the SLA yet.
    assert!(ok(&s, &["mail", "queue", "1"]).contains("lena@example.de"));
    let shown = ok(&s, &["show", "1"]);
    assert!(
        shown.contains("not sent") && shown.contains("mail is not set up"),
        "{shown}"
    );
    assert!(
        first_response(&s, "1").is_null(),
        "an unsent reply answered nobody"
    );
    // Once mail is set up it goes out, and then it is the first response.
    let sent = s.dir.path().join("sent.eml");
    let command = format!("cat > {}", sent.display());
    ok(
        &s,
        &[
            "mail",
            "set",
            "--from",
            "Shop <support@shop.example>",
            "--command",
            &command,
        ],
    );
    assert!(ok(&s, &["comment", "1", "--body", "More soon."]).contains("queued"));
    assert!(ok(&s, &["mail", "send"]).contains("2 sent"));
    assert!(
        std::fs::read_to_string(&sent)
            .expect("sent")
            .contains("To: lena@example.de")
    );
    assert!(
        first_response(&s, "1").is_string(),
        "answered when it went out"
    );
}

#[test]
fn a_reply_given_by_phone_is_a_response_at_once_and_not_mailed() {
    let s = Scratch::with_desk();
    ok(
        &s,
        &[
            "add",
            "--title",
            "Call me back",
            "--customer",
            "lena@example.de",
            "--channel",
            "email",
        ],
    );
    let said = ok(
        &s,
        &[
            "comment",
            "1",
            "--body",
            "Called her: refund agreed.",
            "--via",
            "phone",
        ],
    );
    assert!(said.contains("another channel"), "{said}");
    assert!(first_response(&s, "1").is_string());
    assert!(
        !ok(&s, &["mail", "queue", "1"]).contains("lena@example.de"),
        "not mailed"
    );
    assert!(
        ok(&s, &["history", "1"]).contains("given by Phone"),
        "the history says how"
    );
    let bad = s.tdesk(&["comment", "1", "--body", "x", "--via", "pigeon"]);
    assert_eq!(code(&bad), 2, "{}", stderr(&bad));
}

#[test]
fn an_automated_satisfaction_request_is_no_first_response() {
    let s = Scratch::with_desk();
    ok(&s, &["add", "--title", "Wrong size", "--assignee", "me"]);
    ok(
        &s,
        &[
            "move",
            "1",
            "resolved",
            "--note",
            "Exchanged",
            "--cause",
            "描述不符",
        ],
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&s, &["show", "1", "--json"])).expect("json");
    let authors: Vec<&str> = json["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .filter_map(|c| c["author"].as_str())
        .collect();
    assert!(
        authors.iter().any(|a| a.starts_with("automation:")),
        "{authors:?}"
    );
    assert!(json["ticket"]["first_response_at"].is_null(), "{json}");
}

#[test]
fn a_deadline_set_by_hand_shows_in_show_and_can_be_cleared() {
    let s = Scratch::with_desk();
    ok(
        &s,
        &["add", "--title", "Call back", "--due", "2026-12-24 10:00"],
    );
    let shown = ok(&s, &["show", "1"]);
    assert!(
        shown.contains("2026-12-24 10:00") && shown.contains("set by hand"),
        "{shown}"
    );
    ok(&s, &["edit", "1", "--due", ""]);
    assert!(!ok(&s, &["show", "1"]).contains("set by hand"));
}

#[test]
fn a_customer_is_named_by_any_handle_and_edited() {
    let s = Scratch::with_desk();
    ok(
        &s,
        &[
            "customer",
            "add",
            "王芳",
            "--phone",
            "+86 138 0000 1111",
            "--buyer",
            "taobao:wf88",
        ],
    );
    // Only a phone and a buyer id: a ticket can still be theirs.
    ok(
        &s,
        &[
            "add",
            "--title",
            "电话咨询:物流",
            "--customer",
            "+86 138 0000 1111",
        ],
    );
    ok(
        &s,
        &["add", "--title", "又来电话", "--customer", "taobao:wf88"],
    );
    let shown = ok(&s, &["customer", "show", "taobao:wf88"]);
    assert!(
        shown.contains("电话咨询") && shown.contains("又来电话"),
        "{shown}"
    );
    let missing = s.tdesk(&["add", "--title", "x", "--customer", "+1 555 0000"]);
    assert_eq!(code(&missing), 3, "{}", stderr(&missing));
    // Edit: fields, handles in and out, orders, notes.
    ok(
        &s,
        &[
            "customer",
            "edit",
            "taobao:wf88",
            "--name",
            "王芳 (Wang Fang)",
            "--tier",
            "vip",
            "--timezone",
            "Asia/Shanghai",
            "--email",
            "wf@example.cn",
            "--remove",
            "buyer:taobao:wf88",
            "--order",
            "TB-77",
            "--notes",
            "Prefers phone calls",
        ],
    );
    let shown = ok(&s, &["customer", "show", "wf@example.cn"]);
    for want in [
        "Wang Fang",
        "VIP",
        "TB-77",
        "Prefers phone calls",
        "Asia/Shanghai",
    ] {
        assert!(shown.contains(want), "{want}: {shown}");
    }
    assert!(!shown.contains("taobao:wf88"), "{shown}");
    let bad = s.tdesk(&[
        "customer",
        "edit",
        "wf@example.cn",
        "--timezone",
        "Mars/Olympus",
    ]);
    assert_eq!(code(&bad), 2, "{}", stderr(&bad));
}

#[test]
fn a_canned_reply_with_a_variable_nobody_filled_is_never_sent() {
    let s = Scratch::with_desk();
    ok(
        &s,
        &[
            "add",
            "--title",
            "Where is my parcel?",
            "--customer",
            "lena@example.de",
        ],
    );
    // No order on the ticket: the tracking reply keeps its gap.
    let filled = ok(&s, &["replies", "fill", "tracking", "1"]);
    assert!(filled.contains("{{order}}"), "{filled}");
    let out = s.tdesk_with(
        &["comment", "1", "--body", "-"],
        &[],
        Some(filled.as_bytes()),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("{{order}}"), "{}", stderr(&out));
    assert!(
        ok(&s, &["show", "1"]).contains("Conversation (0)"),
        "nothing sent"
    );
}

#[test]
fn a_reply_on_a_mail_ticket_whose_customer_has_no_address_is_said_not_sent() {
    let s = Scratch::with_desk();
    ok(&s, &["customer", "add", "Ming", "--buyer", "taobao:ming88"]);
    ok(
        &s,
        &[
            "add",
            "--title",
            "Where is it",
            "--customer",
            "taobao:ming88",
            "--channel",
            "email",
        ],
    );
    let said = ok(&s, &["comment", "1", "--body", "On its way."]);
    assert!(
        said.contains("NOT sent") && said.contains("no e-mail address"),
        "{said}"
    );
    assert!(first_response(&s, "1").is_null(), "no one was answered");
    // A reply given by phone is the answer; "by e-mail" is no other channel.
    let refused = s.tdesk(&["comment", "1", "--via", "email", "--body", "x"]);
    assert_eq!(code(&refused), 2, "{}", stderr(&refused));
    ok(
        &s,
        &["comment", "1", "--via", "phone", "--body", "Called him."],
    );
    assert!(!first_response(&s, "1").is_null());
    assert!(ok(&s, &["show", "1"]).contains("[reply · Phone]"));
}

#[test]
fn a_phone_number_finds_its_customer_however_it_is_written() {
    let s = Scratch::with_desk();
    ok(
        &s,
        &["customer", "add", "Alice", "--phone", "+49 170 1234567"],
    );
    ok(
        &s,
        &["customer", "add", "Bob", "--email", "bob@example.com"],
    );
    let taken = s.tdesk(&[
        "customer",
        "edit",
        "bob@example.com",
        "--phone",
        "+491701234567",
    ]);
    assert_ne!(code(&taken), 0, "one number, one customer");
    assert!(
        stderr(&taken).contains("customer show"),
        "{}",
        stderr(&taken)
    );
    let shown = ok(&s, &["customer", "show", "+49-170-123 45 67"]);
    assert!(shown.contains("Alice"), "{shown}");
}

#[test]
fn an_override_on_a_move_that_lacks_nothing_is_just_the_move_and_automations_are_told() {
    let s = Scratch::with_desk();
    let me = me();
    ok(&s, &["add", "--title", "Broken zip"]);
    ok(&s, &["assign", "1", &me]);
    let out = ok(
        &s,
        &[
            "move",
            "1",
            "resolved",
            "--override",
            "--note",
            "Replaced the zip",
            "--cause",
            "product-defect",
        ],
    );
    assert!(out.contains("#1 is now Resolved."), "{out}");
    assert!(
        out.contains("An automation moved #1 on to Pending acceptance."),
        "{out}"
    );
}

#[test]
fn demo_with_a_command_works_on_the_demo_desk_not_a_new_real_one() {
    let s = Scratch::new();
    let out = s.tdesk(&["--demo", "list", "--limit", "3"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).lines().count() > 1, "{}", stdout(&out));
    assert!(
        !stderr(&out).contains("Created a new desk"),
        "{}",
        stderr(&out)
    );
    assert!(!s.db().exists(), "no real desk was made");
}
