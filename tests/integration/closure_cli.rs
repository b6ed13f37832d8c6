//! Closing the loop from the command line, on the real binary: the
//! resolution record, the customer's verdict (entered, mailed, surveyed),
//! the ticket report, and the knowledge base kept as files.

use crate::common::{Scratch, code, stderr, stdout};

fn ok(s: &Scratch, args: &[&str]) -> String {
    let out = s.tdesk(args);
    assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// A desk whose admin is the test's account, with ticket #1 in progress.
fn desk_with_ticket() -> Scratch {
    let s = Scratch::with_desk();
    ok(
        &s,
        &[
            "add",
            "--title",
            "Parcel stuck in customs",
            "--category",
            "logistics/customs",
        ],
    );
    let me = std::env::var("USER").unwrap_or_else(|_| "root".into());
    let me = if me.is_empty() {
        "root".to_string()
    } else {
        me
    };
    ok(&s, &["assign", "1", &me]);
    s
}

/// Ticket `id` as `show --json` gives it.
fn ticket(s: &Scratch, id: &str) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_str(&ok(s, &["show", id, "--json"])).expect("json");
    json["ticket"].clone()
}

fn resolve(s: &Scratch) {
    ok(
        s,
        &[
            "move",
            "1",
            "resolved",
            "--resolution",
            "Invoice re-sent",
            "--cause",
            "物流问题",
            "--prevention",
            "Invoice printed on every parcel",
        ],
    );
}

#[test]
fn a_resolution_needs_a_root_cause_from_the_desks_list() {
    let s = desk_with_ticket();
    let out = s.tdesk(&["move", "1", "resolved", "--note", "Done"]);
    assert_eq!(code(&out), 4);
    assert!(
        stderr(&out).contains("root cause (--cause"),
        "{}",
        stderr(&out)
    );
    let out = s.tdesk(&[
        "move", "1", "resolved", "--note", "Done", "--cause", "aliens",
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("product-defect, logistics"),
        "{}",
        stderr(&out)
    );
    resolve(&s);
    let shown = ok(&s, &["show", "1"]);
    assert!(shown.contains("Logistics (logistics)"), "{shown}");
    assert!(shown.contains("Invoice printed on every parcel"), "{shown}");
    let listed = ok(&s, &["list", "cause:logistics"]);
    assert!(listed.contains("Parcel stuck in customs"), "{listed}");
    assert!(!ok(&s, &["list", "cause:payment"]).contains("Parcel"));
    let causes = ok(&s, &["workflow", "causes"]);
    assert!(causes.contains("customer-misunderstanding"), "{causes}");
    let csv = ok(&s, &["export", "csv"]);
    assert!(
        csv.lines()
            .next()
            .is_some_and(|h| h.contains("cause,prevention,accepted_by,reopens")),
        "{csv}"
    );
    assert!(
        csv.contains("logistics,Invoice printed on every parcel"),
        "{csv}"
    );
}

#[test]
fn a_good_rating_with_the_customers_words_closes_and_a_bad_one_reopens() {
    let s = desk_with_ticket();
    resolve(&s);
    // The default automation asked for the verdict: pending acceptance.
    let bad = ok(&s, &["csat", "1", "2", "--comment", "Still no parcel"]);
    assert!(bad.contains("not satisfied"), "{bad}");
    let json = ticket(&s, "1");
    assert_eq!(json["status"], "in_progress");
    assert_eq!(json["reopens"], 1);
    resolve(&s);
    let good = ok(&s, &["csat", "1", "5", "--comment", "Arrived, thanks!"]);
    assert!(good.contains("#1 is now Closed"), "{good}");
    let shown = ok(&s, &["show", "1"]);
    assert!(shown.contains("★★★★★ · by the customer"), "{shown}");
    let history = ok(&s, &["history", "1"]);
    assert!(
        history.contains("customer's verdict: ★★☆☆☆ (entered by an agent)"),
        "{history}"
    );
}

#[test]
fn the_ticket_report_tells_the_whole_story_in_markdown_and_html() {
    let s = desk_with_ticket();
    ok(
        &s,
        &["edit", "1", "--title", "Parcel <b>stuck</b> in customs"],
    );
    resolve(&s);
    ok(&s, &["csat", "1", "5", "--comment", "Arrived"]);
    let md = ok(&s, &["report", "ticket", "1"]);
    for part in [
        "“Arrived”",
        "resolution report",
        "## Timeline",
        "Root cause:** Logistics",
        "★★★★★",
        "First response SLA",
    ] {
        assert!(md.contains(part), "{part}: {md}");
    }
    assert!(
        md.contains("\\<b\\>"),
        "Markdown escapes the customer's text: {md}"
    );
    let file = s.dir.path().join("r.html");
    ok(
        &s,
        &[
            "report",
            "ticket",
            "1",
            "--format",
            "html",
            "--out",
            file.to_str().expect("p"),
        ],
    );
    let html = std::fs::read_to_string(&file).expect("html");
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("&lt;b&gt;stuck"),
        "{html}"
    );
    assert!(!html.contains("<script"));
    let out = s.tdesk(&["report", "ticket", "1", "--format", "pdf"]);
    assert_eq!(code(&out), 2);
    assert_eq!(code(&s.tdesk(&["report", "ticket", "99"])), 3);
}

#[test]
fn a_survey_records_every_answer_and_names_what_it_skipped() {
    let s = desk_with_ticket();
    resolve(&s);
    ok(&s, &["add", "--title", "Second, still open"]);
    let file = s.dir.path().join("survey.csv");
    std::fs::write(&file, "工单号,评分,留言\n1,5,很满意\n2,4,\n").expect("write");
    let dry = ok(
        &s,
        &["import", "survey", "--dry-run", file.to_str().expect("p")],
    );
    assert!(dry.contains("1 would be recorded, 1 skipped"), "{dry}");
    let done = ok(&s, &["import", "survey", file.to_str().expect("p")]);
    assert!(
        done.contains("1 closed") && done.contains("line 3: #2 skipped"),
        "{done}"
    );
    let json = ticket(&s, "1");
    assert_eq!(json["accepted_by"], "customer");
    std::fs::write(&file, "Ticket,Rating\n1,5\nx,4\n2,great!!\n").expect("write");
    let out = s.tdesk(&["import", "survey", file.to_str().expect("p")]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains(":3:") && err.contains(":4:"),
        "every bad row at once: {err}"
    );
    let out = ok(
        &s,
        &["import", "survey", "--skip-bad", file.to_str().expect("p")],
    );
    assert!(
        out.contains("line 3: not read") && out.contains("line 4: not read"),
        "{out}"
    );
}

#[test]
fn the_knowledge_base_goes_to_files_and_back_without_changes() {
    let s = Scratch::with_desk();
    ok(&s, &["demo", "--tickets", "30"]);
    let listed = ok(&s, &["kb", "list", "--language", "en"]);
    assert!(listed.contains("customs-delay"), "{listed}");
    // The articles' language, not the interface's.
    let zh = ok(&s, &["kb", "list", "--language", "zh-CN"]);
    assert!(
        zh.starts_with("Article") && zh.contains("包裹卡在海关"),
        "{zh}"
    );
    let found = ok(&s, &["kb", "search", "清关"]);
    assert!(found.contains("customs-delay"), "{found}");
    let dir = s.dir.path().join("kb");
    let wrote = ok(&s, &["kb", "export", dir.to_str().expect("p")]);
    assert!(wrote.contains("32 article file(s)"), "{wrote}");
    let again = ok(&s, &["kb", "import", dir.to_str().expect("p")]);
    assert!(
        again.contains("0 added, 0 updated, 32 unchanged"),
        "{again}"
    );
    let file = dir.join("customs-delay.en.md");
    let text = std::fs::read_to_string(&file).expect("article");
    std::fs::write(
        &file,
        text.replace("## Why a parcel is held", "## Why customs holds a parcel"),
    )
    .expect("edit");
    let changed = ok(&s, &["kb", "import", dir.to_str().expect("p")]);
    assert!(
        changed.contains("0 added, 1 updated, 31 unchanged"),
        "{changed}"
    );
    let shown = ok(&s, &["kb", "show", "customs-delay"]);
    assert!(shown.contains("Why customs holds a parcel"), "{shown}");
    let new = s.dir.path().join("new.md");
    std::fs::write(&new, "+++\nid = \"wrong-address\"\nlang = \"en\"\ntitle = \"Wrong address\"\n+++\nCall the carrier.").expect("new");
    ok(&s, &["kb", "add", "--file", new.to_str().expect("p")]);
    assert!(ok(&s, &["kb", "show", "wrong-address"]).contains("Call the carrier"));
    let broken = s.dir.path().join("broken.md");
    std::fs::write(
        &broken,
        "+++\nid = \"x\"\nlang = \"en\"\ntitle = \"X\"\ncolour = 1\n+++\n",
    )
    .expect("b");
    let out = s.tdesk(&["kb", "import", broken.to_str().expect("p")]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("broken.md:5:"), "{}", stderr(&out));
    assert_eq!(code(&s.tdesk(&["kb", "show", "no-such-article"])), 3);
}

fn mail(from: &str, subject: &str, id: &str, body: &str) -> String {
    format!(
        "From: Lena <{from}>\r\nTo: support@shop.example\r\nSubject: {subject}\r\nMessage-ID: <{id}@mail.example>\r\nDate: Fri, 20 Nov 2026 09:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
}

/// Lena answers ticket #1 by mail (message `id`).
fn customer_writes(s: &Scratch, id: &str, body: &str) {
    let file = s.dir.path().join(format!("{id}.eml"));
    let text = mail("lena@example.de", "Re: [#1] Parcel missing", id, body);
    std::fs::write(&file, text).expect("eml");
    ok(s, &["import", "eml", file.to_str().expect("p")]);
}

#[test]
fn the_customers_mail_reply_is_their_verdict() {
    let s = Scratch::with_desk();
    let dir = s.dir.path();
    let first = dir.join("1.eml");
    std::fs::write(
        &first,
        mail(
            "lena@example.de",
            "Parcel missing",
            "a1",
            "Where is my parcel?",
        ),
    )
    .expect("eml");
    ok(&s, &["import", "eml", first.to_str().expect("p")]);
    let me = std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "root".into());
    ok(&s, &["assign", "1", &me]);
    resolve(&s);
    // The satisfaction request went into the mail queue, in English.
    let queue = ok(&s, &["mail", "queue"]);
    assert!(queue.contains("#1"), "{queue}");
    customer_writes(
        &s,
        "a2",
        "No, still nothing. 1/5\n\nOn Fri, Desk wrote:\n> rate 1-5",
    );
    let json = ticket(&s, "1");
    assert_eq!(
        (json["status"].as_str(), json["reopens"].as_i64()),
        (Some("in_progress"), Some(1))
    );
    // "We believe it is solved" no longer holds: held back, not sent.
    let queue = ok(&s, &["mail", "queue"]);
    assert!(queue.contains("withdrawn"), "{queue}");
    resolve(&s);
    customer_writes(&s, "a3", "Ja, angekommen. 5 Sterne!");
    let json = ticket(&s, "1");
    assert_eq!(json["status"], "closed");
    assert_eq!(json["rating"], 5);
    assert_eq!(json["accepted_by"], "customer");
}
