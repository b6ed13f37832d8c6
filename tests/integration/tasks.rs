//! `tdesk task` through the real binary: a ticket split into steps, each
//! marked done and open again, edited and removed; the detail shows the
//! progress; a missing step is a clear "not found"; a title's control
//! characters never reach the terminal.

use crate::common::{Scratch, code, stderr, stdout};

fn ok(s: &Scratch, args: &[&str]) -> String {
    let out = s.tdesk(args);
    assert_eq!(code(&out), 0, "tdesk {args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn a_ticket_is_split_into_steps_that_are_done_undone_edited_and_removed() {
    let s = Scratch::new();
    ok(&s, &["init"]);
    ok(&s, &["add", "--title", "Return of order A1001"]);
    let added = ok(
        &s,
        &[
            "task",
            "add",
            "1",
            "--title",
            "Pick up the parcel",
            "--assignee",
            "root",
            "--due",
            "2d",
        ],
    );
    assert!(
        added.contains("Added step 1 to #1: Pick up the parcel"),
        "{added}"
    );
    ok(&s, &["task", "add", "1", "--title", "Refund the buyer"]);
    let list = ok(&s, &["task", "list", "1"]);
    assert!(
        list.contains("Pick up the parcel") && list.contains("Done: 0/2"),
        "{list}"
    );
    let mine = ok(&s, &["task", "list"]);
    assert!(mine.contains("#1 Return of order A1001"), "{mine}");
    assert!(
        !mine.contains("Refund the buyer"),
        "only my own steps: {mine}"
    );
    assert!(ok(&s, &["list"]).contains("[0/2] Return of order A1001"));
    ok(&s, &["task", "done", "1"]);
    assert!(ok(&s, &["list"]).contains("[1/2] Return of order A1001"));
    let shown = ok(&s, &["show", "1"]);
    assert!(shown.contains("Subtasks (1/2 done)"), "{shown}");
    assert!(shown.contains("☑ 1") && shown.contains("☐ 2"), "{shown}");
    ok(&s, &["task", "undo", "1"]);
    assert!(ok(&s, &["task", "list", "1"]).contains("Done: 0/2"));
    let edited = ok(
        &s,
        &[
            "task",
            "edit",
            "2",
            "--title",
            "Refund in full",
            "--due",
            "",
        ],
    );
    assert!(edited.contains("Refund in full"), "{edited}");
    ok(&s, &["task", "rm", "1"]);
    ok(&s, &["task", "rm", "2"]);
    assert!(ok(&s, &["task", "list", "1"]).contains("No steps."));
    let list = ok(&s, &["list"]);
    assert!(
        list.contains("Return of order") && !list.contains("[0/"),
        "{list}"
    );
    let history = ok(&s, &["history", "1"]);
    assert!(history.contains("Pick up the parcel"), "{history}");
}

#[test]
fn a_missing_step_is_not_found_and_titles_are_shown_safely() {
    let s = Scratch::new();
    ok(&s, &["init"]);
    ok(&s, &["add", "--title", "Parcel late"]);
    let missing = s.tdesk(&["task", "done", "99"]);
    assert_eq!(code(&missing), 3);
    assert!(
        stderr(&missing).contains("Subtask 99 not found."),
        "{}",
        stderr(&missing)
    );
    let no_ticket = s.tdesk(&["task", "add", "42", "--title", "x"]);
    assert_eq!(code(&no_ticket), 3);
    ok(
        &s,
        &[
            "task",
            "add",
            "1",
            "--title",
            "Call \u{1b}]0;pwned\u{7} the carrier",
        ],
    );
    for out in [ok(&s, &["task", "list", "1"]), ok(&s, &["show", "1"])] {
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    }
}

#[test]
fn tickets_are_linked_shown_from_both_sides_and_unlinked() {
    let s = Scratch::new();
    ok(&s, &["init"]);
    ok(&s, &["add", "--title", "Carrier lost the pallet"]);
    ok(&s, &["add", "--title", "Parcel A1001 missing"]);
    let linked = ok(&s, &["link", "1", "2", "--as", "parent-of"]);
    assert!(linked.contains("Linked #1 to #2"), "{linked}");
    assert!(ok(&s, &["link", "2", "1", "--as", "child-of"]).contains("linked so already"));
    let one = ok(&s, &["show", "1"]);
    assert!(one.contains("parent of #2 Parcel A1001 missing"), "{one}");
    let two = ok(&s, &["show", "2"]);
    assert!(two.contains("child of #1 Carrier lost the pallet"), "{two}");
    let looped = s.tdesk(&["link", "2", "1", "--as", "parent-of"]);
    assert_eq!(code(&looped), 2);
    assert!(
        stderr(&looped).contains("would close a loop"),
        "{}",
        stderr(&looped)
    );
    let unknown = s.tdesk(&["link", "1", "2", "--as", "depends-on"]);
    assert!(
        stderr(&unknown).contains("blocked-by"),
        "{}",
        stderr(&unknown)
    );
    assert!(ok(&s, &["unlink", "1", "2"]).contains("Removed 1 link(s)"));
    assert!(!ok(&s, &["show", "1"]).contains("parent of"));
}

#[test]
fn time_is_started_stopped_logged_shown_and_reported() {
    let s = Scratch::new();
    ok(&s, &["init"]);
    ok(&s, &["add", "--title", "Parcel late"]);
    assert!(ok(&s, &["time", "status"]).contains("No timer running."));
    assert!(ok(&s, &["time", "start", "1"]).contains("Timer running on #1."));
    assert!(ok(&s, &["time", "status"]).contains("Timer running on #1"));
    assert!(ok(&s, &["time", "stop"]).contains("Timer stopped on #1"));
    assert!(
        ok(
            &s,
            &["time", "log", "1", "1h30m", "--note", "called the carrier"]
        )
        .contains("Logged 1h 30m on #1.")
    );
    let shown = ok(&s, &["time", "show", "1"]);
    assert!(
        shown.contains("called the carrier") && shown.contains("Time on #1: 1h 30m."),
        "{shown}"
    );
    let report = ok(&s, &["time", "report", "--days", "7"]);
    assert!(
        report.contains("Time spent in the last 7 day(s): 1h 30m"),
        "{report}"
    );
    assert!(
        report.contains("By member") && report.contains("By category"),
        "{report}"
    );
    let bad = s.tdesk(&["time", "log", "1", "soon"]);
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("25m, 1h, 1h30m"), "{}", stderr(&bad));
    assert_eq!(code(&s.tdesk(&["time", "start", "9"])), 3);
}

#[test]
fn a_milestone_groups_tickets_and_steps_and_reports_its_progress() {
    let s = Scratch::new();
    ok(&s, &["init"]);
    ok(&s, &["add", "--title", "Zipper broke after a week"]);
    ok(&s, &["add", "--title", "Zipper stuck on arrival"]);
    ok(&s, &["task", "add", "1", "--title", "Ask the factory"]);
    let made = ok(
        &s,
        &[
            "milestone",
            "add",
            "Zipper defect\u{1b}[31m",
            "--due",
            "2w",
            "--description",
            "Batch 2026-11",
        ],
    );
    assert!(made.contains("Milestone 1 made: Zipper defect"), "{made}");
    assert!(!made.contains('\u{1b}'), "no escape reaches the terminal");
    let put = ok(&s, &["milestone", "attach", "1", "1", "2", "--step", "1"]);
    assert!(put.contains("Put 3 item(s)"), "{put}");
    ok(&s, &["move", "2", "closed", "--note", "Duplicate of #1"]);
    let list = ok(&s, &["milestone", "list"]);
    assert!(list.contains("1/3 (33%)"), "{list}");
    let shown = ok(&s, &["milestone", "show", "1"]);
    assert!(
        shown.contains("Zipper broke after a week") && shown.contains("Ask the factory"),
        "{shown}"
    );
    let found = ok(&s, &["list", "milestone:1"]);
    assert!(found.contains("#1") && found.contains("#2"), "{found}");
    assert!(ok(&s, &["show", "1"]).contains("#1 Zipper defect"));
    let missing = s.tdesk(&["milestone", "show", "Nope"]);
    assert_eq!(code(&missing), 3);
    assert!(stderr(&missing).contains("No milestone is called “Nope”"));
    ok(&s, &["milestone", "close", "1"]);
    assert!(ok(&s, &["milestone", "list"]).contains("No milestones."));
    let refused = s.tdesk(&["milestone", "attach", "1", "1"]);
    assert_eq!(code(&refused), 4, "{}", stderr(&refused));
}

#[test]
fn moving_a_parent_with_children_says_so_and_children_moves_them_too() {
    let s = Scratch::new();
    ok(&s, &["init"]);
    ok(&s, &["add", "--title", "Whole shipment held at customs"]);
    ok(&s, &["add", "--title", "Parcel A1001 held"]);
    ok(&s, &["add", "--title", "Parcel A1002 held"]);
    ok(&s, &["link", "1", "2", "--as", "parent-of"]);
    ok(&s, &["link", "3", "1", "--as", "child-of"]);
    let hint = ok(&s, &["move", "1", "closed", "--note", "Cleared"]);
    assert!(
        hint.contains("#1 has 2 open child ticket(s); `--children` moves them"),
        "{hint}"
    );
    ok(
        &s,
        &[
            "move",
            "1",
            "in_progress",
            "--note",
            "Reopened to try again",
        ],
    );
    ok(&s, &["assign", "1", "root"]);
    ok(&s, &["assign", "2", "root"]);
    let both = ok(
        &s,
        &[
            "move",
            "1",
            "resolved",
            "--note",
            "Cleared",
            "--cause",
            "logistics",
            "--children",
        ],
    );
    assert!(both.contains("Now Resolved: child ticket(s) #2."), "{both}");
    assert!(
        both.contains("Child #3 was not moved:") && both.contains("Allowed next"),
        "the workflow's refusal, in words: {both}"
    );
}

#[test]
fn export_json_carries_steps_links_and_time() {
    let s = Scratch::new();
    ok(&s, &["init"]);
    ok(&s, &["add", "--title", "Whole shipment held"]);
    ok(&s, &["add", "--title", "Parcel A1001 held"]);
    ok(&s, &["task", "add", "1", "--title", "Call the broker"]);
    ok(&s, &["link", "1", "2", "--as", "parent-of"]);
    ok(&s, &["time", "log", "1", "25m"]);
    let out = ok(&s, &["export", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    let first = &doc["tickets"][0];
    assert_eq!(first["subtasks"][0]["title"], "Call the broker", "{out}");
    assert_eq!(first["links"][0]["kind"], "parent", "{out}");
    assert_eq!(first["links"][0]["id"], 2, "{out}");
    assert_eq!(first["time"].as_array().map(Vec::len), Some(1), "{out}");
    // And back: a fresh desk gets the step, the link and the time.
    let file = s.dir.path().join("desk.json");
    std::fs::write(&file, &out).expect("file");
    let copy = Scratch::new();
    ok(&copy, &["init"]);
    ok(&copy, &["import", "json", &file.to_string_lossy()]);
    assert!(ok(&copy, &["task", "list", "1"]).contains("Call the broker"));
    assert!(ok(&copy, &["show", "2"]).contains("child of #1"));
    assert!(ok(&copy, &["time", "show", "1"]).contains("25m"));
}

#[test]
fn import_json_refuses_steps_time_and_links_a_person_could_not_enter() {
    let s = Scratch::new();
    ok(&s, &["init"]);
    ok(&s, &["add", "--title", "Whole shipment held"]);
    ok(&s, &["add", "--title", "Parcel A1001 held"]);
    ok(&s, &["task", "add", "1", "--title", "Call the broker"]);
    ok(&s, &["link", "1", "2", "--as", "blocks"]);
    ok(&s, &["time", "log", "1", "25m"]);
    let out = ok(&s, &["export", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    type Spoil = fn(&mut serde_json::Value);
    let cases: [(&str, Spoil, &str); 4] = [
        (
            "loop",
            |d| {
                d["tickets"][1]["links"][0]["outgoing"] = serde_json::json!(true);
            },
            "links lead back to itself",
        ),
        (
            "title",
            |d| d["tickets"][0]["subtasks"][0]["title"] = serde_json::json!("  "),
            "a step has an empty title",
        ),
        (
            "time",
            |d| d["tickets"][0]["time"][0]["stopped"] = serde_json::json!("1969-01-01T00:00:00Z"),
            "a time entry runs backwards",
        ),
        (
            "status",
            |d| d["tickets"][1]["ticket"]["status"] = serde_json::json!("bogus"),
            "\"bogus\"",
        ),
    ];
    for (name, spoil, says) in cases {
        let mut bad = doc.clone();
        spoil(&mut bad);
        let file = s.dir.path().join(format!("{name}.json"));
        std::fs::write(&file, bad.to_string()).expect("file");
        let copy = Scratch::new();
        ok(&copy, &["init"]);
        let refused = copy.tdesk(&["import", "json", &file.to_string_lossy()]);
        assert_eq!(code(&refused), 2, "{name}: {}", stderr(&refused));
        assert!(
            stderr(&refused).contains(says),
            "{name}: {}",
            stderr(&refused)
        );
        assert!(
            ok(&copy, &["list"]).contains("No tickets"),
            "{name}: nothing imported"
        );
    }
}
