//! Reports from the command line, on the real binary: the weekly report in
//! its four formats (what each promises: Markdown that stays a table, HTML
//! with nothing to run, CSV that no spreadsheet executes, JSON with a
//! version), the per-ticket export, periods, and clear refusals.

use crate::common::{Scratch, code, stderr, stdout};

const EVIL: &str = "=HYPERLINK(\"x\")|<script>alert(1)</script> \u{1b}[31mred";

fn ok(s: &Scratch, args: &[&str]) -> String {
    let out = s.tdesk(args);
    assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// A desk with one hostile open ticket and one answered and resolved.
fn desk() -> Scratch {
    let s = Scratch::with_desk();
    ok(
        &s,
        &["add", "--title", EVIL, "--category", "logistics/customs"],
    );
    ok(
        &s,
        &[
            "add",
            "--title",
            "Refund not received",
            "--category",
            "payment/refund",
        ],
    );
    ok(
        &s,
        &[
            "comment",
            "2",
            "--body",
            "Refunded today.",
            "--via",
            "phone",
        ],
    );
    ok(&s, &["assign", "2", "me"]);
    ok(
        &s,
        &[
            "move",
            "2",
            "resolved",
            "--resolution",
            "Refunded",
            "--cause",
            "payment",
        ],
    );
    s
}

#[test]
fn the_weekly_report_in_markdown_keeps_its_tables_whole() {
    let s = desk();
    let md = ok(&s, &["report", "weekly", "--days", "7"]);
    assert!(
        md.starts_with("# Problem-resolution efficiency report"),
        "{md}"
    );
    for section in [
        "## Headline figures",
        "## Pareto of root causes",
        "## Per agent",
        "## The ten worst open tickets",
    ] {
        assert!(md.contains(section), "{section} missing:\n{md}");
    }
    let row = md
        .lines()
        .find(|l| l.contains("HYPERLINK"))
        .expect("the open ticket is listed");
    assert!(row.contains("\\|") && row.contains("\\<script\\>"), "{row}");
    assert!(
        !md.contains('\u{1b}'),
        "no escape sequence reaches the output"
    );
    // Created 2, solved 1 in the last 7 days.
    assert!(md.contains("| Created | 2 |"), "{md}");
    assert!(md.contains("| Solved | 1 |"), "{md}");
}

#[test]
fn the_html_report_is_one_page_with_charts_and_nothing_to_run() {
    let s = desk();
    let out = s.dir.path().join("week.html");
    let said = ok(
        &s,
        &[
            "report",
            "weekly",
            "--days",
            "7",
            "--format",
            "html",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    assert!(said.contains("week.html"), "{said}");
    let html = std::fs::read_to_string(&out).expect("written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.matches("<svg").count() >= 4, "charts drawn inline");
    assert!(!html.contains("<script>"), "the title is escaped");
    assert!(html.contains("&lt;script&gt;"));
    for outside in ["src=", "href=", "@import", "url("] {
        assert!(
            !html.contains(outside),
            "nothing loaded from outside: {outside}"
        );
    }
}

#[test]
fn csv_sections_are_tidy_and_formula_proof() {
    let s = desk();
    let csv = ok(&s, &["report", "weekly", "--days", "7", "--format", "csv"]);
    let blocks: Vec<&str> = csv.split("\n\n").collect();
    assert!(blocks.len() >= 6, "{csv}");
    for block in &blocks {
        let mut lines = block.lines();
        let header = lines.next().expect("header");
        assert!(header.starts_with("section,"), "{header}");
        let columns = header.split(',').count();
        for l in lines.filter(|l| !l.contains('"')) {
            assert_eq!(l.split(',').count(), columns, "{l}");
        }
    }
    assert!(csv.contains("headline,created,2,"), "{csv}");
    let worst = csv
        .lines()
        .find(|l| l.starts_with("worst,"))
        .expect("worst row");
    assert!(worst.contains("\"'=HYPERLINK"), "neutralised: {worst}");
}

#[test]
fn json_is_versioned_and_holds_the_figures() {
    let s = desk();
    let json: serde_json::Value = serde_json::from_str(&ok(
        &s,
        &["report", "weekly", "--days", "7", "--format", "json"],
    ))
    .expect("json");
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["scope"]["kind"], "desk");
    assert_eq!(json["metrics"]["current"]["created"], 2);
    assert_eq!(json["metrics"]["current"]["solved"], 1);
    assert_eq!(json["metrics"]["pareto_causes"][0]["key"], "payment");
    assert_eq!(json["metrics"]["period"]["kind"], "days");
    assert!(json["metrics"]["daily"].as_array().expect("days").len() == 30);
}

#[test]
fn per_ticket_metrics_come_as_csv_or_json_lines() {
    let s = desk();
    let csv = ok(&s, &["report", "tickets", "--days", "7"]);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .expect("header")
            .starts_with("id,status,open,priority")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(rows[0].starts_with("1,new,true,"), "{}", rows[0]);
    assert!(
        rows[1].starts_with("2,resolved,false,")
            || rows[1].starts_with("2,pending_acceptance,false,"),
        "{}",
        rows[1]
    );
    assert!(rows[1].contains(",payment,"), "the cause: {}", rows[1]);
    let json = ok(
        &s,
        &["report", "tickets", "--days", "7", "--format", "json"],
    );
    let second: serde_json::Value =
        serde_json::from_str(json.lines().nth(1).expect("two rows")).expect("json line");
    assert_eq!(second["id"], 2);
    assert_eq!(second["replies"], 1);
    assert!(second["response_secs"].is_i64() && second["resolve_secs"].is_i64());
}

#[test]
fn periods_and_formats_are_checked_with_a_clear_sentence() {
    let s = desk();
    for (args, says) in [
        (vec!["report", "weekly", "--week", "2026-W60"], "2026-W47"),
        (vec!["report", "weekly", "--month", "2026-13"], "2026-11"),
        (
            vec!["report", "weekly", "--since", "yesterday"],
            "2026-11-01",
        ),
        (
            vec![
                "report",
                "weekly",
                "--since",
                "2026-11-09",
                "--until",
                "2026-11-01",
            ],
            "--since",
        ),
        (
            vec!["report", "weekly", "--format", "pdf"],
            "md, html, csv, json",
        ),
        (vec!["report", "tickets", "--format", "xlsx"], "csv, json"),
        (vec!["report", "weekly", "--days", "0"], "1 … 3660"),
        (vec!["report", "tickets", "--days", "99999999"], "1 … 3660"),
        (vec!["report", "weekly", "--week", "2040-W10"], "begun"),
        (vec!["report", "weekly", "--since", "1900-01-01"], "1970"),
    ] {
        let out = s.tdesk(&args);
        assert_ne!(code(&out), 0, "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    }
    let week = ok(
        &s,
        &["report", "weekly", "--week", "2026-W47", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&week).expect("json");
    assert_eq!(json["period_label"], "2026-W47");
    assert_eq!(json["previous_label"], "2026-W46");
}

#[test]
fn an_admin_can_store_every_tickets_clock_outcomes_again() {
    let s = desk();
    let said = ok(&s, &["sla", "recompute"]);
    assert!(said.contains("2 tickets"), "{said}");
}

#[test]
fn names_others_wrote_reach_the_csv_as_plain_one_line_cells() {
    let s = desk();
    ok(
        &s,
        &[
            "add",
            "--title",
            "x",
            "--category",
            "x\u{1b}]52;c;SGVsbG8=\u{7}y\nheadline,solved,9999,0",
        ],
    );
    ok(
        &s,
        &["add", "--title", "y", "--team", "\u{1b}]0;PWN\u{7}=cmd"],
    );
    let csv = ok(&s, &["report", "weekly", "--days", "7", "--format", "csv"]);
    assert!(!csv.contains('\u{1b}') && !csv.contains('\u{7}'), "{csv:?}");
    assert!(
        !csv.lines().any(|l| l.starts_with("headline,solved,9999")),
        "a name cannot add a row: {csv}"
    );
}

#[test]
fn a_report_is_never_written_over_the_desks_own_files() {
    let s = desk();
    let dir = s.db().parent().expect("dir").to_path_buf();
    for name in [
        "desk.db",
        "desk.db-wal",
        "desk.db-journal",
        "desk.db-presence",
    ] {
        let target = dir.join(name);
        let out = s.tdesk(&[
            "report",
            "weekly",
            "--format",
            "csv",
            "--out",
            target.to_str().expect("utf-8"),
        ]);
        assert_eq!(code(&out), 4, "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains("desk's own"), "{}", stderr(&out));
    }
    // The desk is as it was, and a file beside a personal desk is fine.
    ok(&s, &["show", "1"]);
    let beside = dir.join("week.md");
    ok(
        &s,
        &["report", "weekly", "--out", beside.to_str().expect("utf-8")],
    );
}

#[test]
fn nothing_a_member_writes_lands_in_a_team_desks_directory() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    let team = s.dir.path().join("team");
    std::fs::create_dir(&team).expect("dir");
    std::fs::set_permissions(&team, std::fs::Permissions::from_mode(0o1770)).expect("sticky");
    let db = team.join("desk.db");
    let db = db.to_str().expect("utf-8");
    let out = s.tdesk(&["--db", db, "init"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let target = team.join("evil.csv");
    let out = s.tdesk(&[
        "--db",
        db,
        "export",
        "csv",
        "--out",
        target.to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(!target.exists());
}

#[test]
fn the_attachment_store_is_out_of_reach_and_a_changed_file_is_not_handed_out() {
    let s = desk();
    let file = s.dir.path().join("hello.txt");
    std::fs::write(&file, b"hello").expect("file");
    ok(
        &s,
        &["attachment", "add", "1", file.to_str().expect("utf-8")],
    );
    let store = s.db().parent().expect("dir").join("attachments");
    let fan = std::fs::read_dir(&store)
        .expect("store")
        .flatten()
        .find(|e| e.path().is_dir())
        .expect("a fan directory")
        .path();
    let blob = std::fs::read_dir(&fan)
        .expect("fan")
        .flatten()
        .next()
        .expect("the blob")
        .path();
    for target in [blob.clone(), fan.join("x.md"), store.join("y.csv")] {
        let out = s.tdesk(&["report", "weekly", "--out", target.to_str().expect("utf-8")]);
        assert_eq!(code(&out), 4, "{target:?}: {}", stderr(&out));
    }
    assert_eq!(std::fs::read(&blob).expect("blob"), b"hello");
    // Changed behind tdesk's back: refused, never handed out as the file.
    std::fs::write(&blob, b"something else").expect("tamper");
    let saved = s.dir.path().join("saved.txt");
    let out = s.tdesk(&[
        "attachment",
        "save",
        "1",
        "--out",
        saved.to_str().expect("utf-8"),
    ]);
    assert_ne!(code(&out), 0);
    assert!(stderr(&out).contains("changed on disk"), "{}", stderr(&out));
    assert!(!saved.exists());
}

#[test]
fn a_period_never_reaches_past_now() {
    let s = desk();
    let json: serde_json::Value = serde_json::from_str(&ok(
        &s,
        &[
            "report",
            "weekly",
            "--since",
            "2026-01-01",
            "--until",
            "2099-12-31",
            "--format",
            "json",
        ],
    ))
    .expect("json");
    let now = chrono::Utc::now().timestamp_millis();
    let end = json["metrics"]["period"]["end"].as_i64().expect("end");
    assert!(end <= now + 1, "clipped to now: {end} vs {now}");
    let out = s.tdesk(&["report", "weekly", "--since", "2099-01-01"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("begun"), "{}", stderr(&out));
}
