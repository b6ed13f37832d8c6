//! Exports from the real binary: CSV safe for spreadsheets, JSON with
//! everything, files written whole; agents may not export.

use std::sync::Arc;

use tdesk::domain::{NewTicket, Query, Role};
use tdesk::service::{Desk, FixedClock, Identity};

use crate::common::{Scratch, code, stderr, stdout};

#[test]
fn csv_neutralises_formulas_and_quotes_what_it_must() {
    let s = Scratch::with_desk();
    for title in [
        "=HYPERLINK(\"http://evil\",\"click\")",
        "Refund, please",
        "+1 more",
    ] {
        let out = s.tdesk(&["add", "--title", title]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    let out = s.tdesk(&["export", "csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let csv = stdout(&out);
    assert!(csv.starts_with("number,title,status"), "{csv}");
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\""),
        "{csv}"
    );
    assert!(csv.contains("\"Refund, please\""), "{csv}");
    assert!(csv.contains(",'+1 more,"), "{csv}");
}

#[test]
fn csv_for_excel_starts_with_a_bom_and_carries_the_customers_verdict() {
    let s = Scratch::with_desk();
    let me = Identity::current().login;
    for args in [
        vec!["add", "--title", "包裹卡在海关"],
        vec!["assign", "1", &me],
        vec![
            "move",
            "1",
            "resolved",
            "--note",
            "Released by customs",
            "--cause",
            "logistics",
        ],
        vec!["accept", "1", "--rating", "4"],
    ] {
        let out = s.tdesk(&args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    }
    let file = s.dir.path().join("excel.csv");
    let out = s.tdesk(&[
        "export",
        "csv",
        "--excel",
        "--out",
        file.to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let bytes = std::fs::read(&file).expect("file");
    assert!(
        bytes.starts_with("\u{FEFF}number,".as_bytes()),
        "{:?}",
        &bytes[..8]
    );
    let text = String::from_utf8(bytes).expect("utf-8");
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .expect("header")
        .trim_start_matches('\u{FEFF}')
        .split(',')
        .collect();
    let row: Vec<&str> = lines.next().expect("row").split(',').collect();
    let cell = |name: &str| row[header.iter().position(|h| *h == name).expect(name)];
    assert_eq!(cell("title"), "包裹卡在海关");
    assert_eq!(cell("rating"), "4");
    assert_eq!(cell("resolution"), "Released by customs");
    assert!(cell("accepted").starts_with("20"), "{}", cell("accepted"));
    // Plain CSV has no mark; JSON has no Excel flavour.
    assert!(stdout(&s.tdesk(&["export", "csv"])).starts_with("number,"));
    assert_eq!(code(&s.tdesk(&["export", "json", "--excel"])), 2);
}

#[test]
fn json_carries_conversations_and_a_file_is_written_whole() {
    let s = Scratch::with_desk();
    assert_eq!(
        code(&s.tdesk(&["add", "--title", "Parcel stuck in customs"])),
        0
    );
    assert_eq!(
        code(&s.tdesk(&["comment", "1", "--body", "Asked the carrier."])),
        0
    );
    let file = s.dir.path().join("out.json");
    let out = s.tdesk(&["export", "json", "--out", file.to_str().expect("utf-8")]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Exported 1 tickets"),
        "{}",
        stdout(&out)
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("file")).expect("json");
    assert_eq!(json["format"], "tdesk");
    assert_eq!(
        json["tickets"][0]["ticket"]["title"],
        "Parcel stuck in customs"
    );
    assert_eq!(
        json["tickets"][0]["comments"][0]["body"],
        "Asked the carrier."
    );
    assert!(!s.dir.path().join("out.json.part").exists());
    let bad = s.tdesk(&["export", "xml"]);
    assert_eq!(code(&bad), 2);
}

#[test]
fn agents_may_not_export_and_supervisors_export_their_team_only() {
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    let who = |l: &str| Identity {
        login: l.into(),
        display_name: l.into(),
    };
    let (mut admin, _) = Desk::create(&path, &who("root"), clock.clone()).expect("admin");
    admin
        .add_user("ann", None, Role::Agent, Some("eu"))
        .expect("ann");
    admin
        .add_user("sue", None, Role::Supervisor, Some("eu"))
        .expect("sue");
    for team in ["eu", "cn"] {
        admin
            .create_ticket(NewTicket {
                title: format!("For {team}"),
                team: Some(team.into()),
                ..Default::default()
            })
            .expect("ticket");
    }
    let (ann, _) = Desk::open(&path, &who("ann"), clock.clone()).expect("ann");
    assert!(matches!(
        ann.export_each(&Query::default(), |_| Ok(())),
        Err(tdesk::Error::Forbidden { .. })
    ));
    let (sue, _) = Desk::open(&path, &who("sue"), clock).expect("sue");
    let mut titles = Vec::new();
    sue.export_each(&Query::default(), |d| {
        titles.push(d.ticket.title.clone());
        Ok(())
    })
    .expect("export");
    assert_eq!(titles, vec!["For eu"]);
}

#[test]
fn customers_have_every_handle_and_merge_into_one() {
    let s = Scratch::with_desk();
    let out = s.tdesk(&[
        "customer",
        "add",
        "林美华",
        "--email",
        "lin@example.cn",
        "--email",
        "mh.lin@qq.com",
        "--buyer",
        "tmall:lmh88",
        "--order",
        "C20931",
        "--tier",
        "vip",
        "--country",
        "tw",
        "--timezone",
        "Asia/Taipei",
        "--language",
        "zh",
        "--note",
        "Prefers WeChat.",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Added customer #1."),
        "{}",
        stdout(&out)
    );
    // The same address again is refused, naming it.
    let again = s.tdesk(&["customer", "add", "Lin", "--email", "MH.LIN@qq.com"]);
    assert_ne!(code(&again), 0);
    assert!(stderr(&again).contains("already has"), "{}", stderr(&again));
    // A ticket under another address becomes the same customer after a merge.
    let out = s.tdesk(&[
        "add",
        "--title",
        "包裹在海关滞留两周",
        "--customer",
        "lin.backup@example.cn",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = s.tdesk(&[
        "customer",
        "merge",
        "lin@example.cn",
        "lin.backup@example.cn",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("1 tickets moved"), "{}", stdout(&out));
    let shown = stdout(&s.tdesk(&["customer", "show", "tmall:lmh88"]));
    for want in [
        "林美华",
        "email: mh.lin@qq.com",
        "buyer: tmall:lmh88",
        "Orders: C20931",
        "Prefers WeChat.",
        "Asia/Taipei",
        "1 tickets, 1 open",
        "包裹在海关滞留两周",
    ] {
        assert!(shown.contains(want), "{want}: {shown}");
    }
    let listed = stdout(&s.tdesk(&["customer", "list", "linmeihua"]));
    assert!(listed.contains("林美华"), "pinyin finds her: {listed}");
    assert_eq!(
        code(&s.tdesk(&["customer", "show", "nobody@example.com"])),
        3
    );
}

#[test]
fn merging_a_duplicate_moves_its_conversation_and_closes_it_as_a_link() {
    let s = Scratch::with_desk();
    for title in ["Parcel stuck in customs", "Re: parcel stuck in customs"] {
        assert_eq!(code(&s.tdesk(&["add", "--title", title])), 0);
    }
    assert_eq!(
        code(&s.tdesk(&["comment", "2", "--body", "Sent the invoice again."])),
        0
    );
    let out = s.tdesk(&["merge", "2", "#1"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Merged #2 into #1"),
        "{}",
        stdout(&out)
    );
    let target = stdout(&s.tdesk(&["show", "1"]));
    assert!(target.contains("Sent the invoice again."), "{target}");
    let source = stdout(&s.tdesk(&["show", "2", "--json"]));
    let json: serde_json::Value = serde_json::from_str(&source).expect("json");
    assert_eq!(json["ticket"]["status"], "closed");
    // What is left there is the link: the reason it was closed.
    let bodies: Vec<&str> = json["comments"]
        .as_array()
        .map(|c| c.iter().filter_map(|x| x["body"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(bodies, vec!["Merged into #1"]);
    assert!(
        json["ticket"]["tags"]
            .as_array()
            .is_some_and(|t| t.iter().any(|x| x == "merged"))
    );
    let history = stdout(&s.tdesk(&["history", "1", "--json"]));
    assert!(history.contains("merged_from"), "{history}");
    let undo = s.tdesk(&["undo"]);
    assert_ne!(code(&undo), 0);
    assert!(
        stderr(&undo).contains("cannot be undone"),
        "{}",
        stderr(&undo)
    );
    assert_eq!(code(&s.tdesk(&["merge", "1", "1"])), 2);
}

#[test]
fn possible_duplicates_are_the_same_customers_tickets_about_the_same_thing() {
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let who = Identity {
        login: "li.na".into(),
        display_name: "Li Na".into(),
    };
    let mut desk = Desk::open_in_memory(&who, clock).expect("desk");
    let lena = desk
        .add_customer(
            &tdesk::domain::NewCustomer {
                name: "Lena".into(),
                email: Some("lena@example.de".into()),
                ..Default::default()
            },
            &tdesk::service::CustomerExtras {
                orders: vec!["A11873".into()],
                ..Default::default()
            },
        )
        .expect("lena");
    let mut add = |title: &str, customer: Option<i64>| {
        desk.create_ticket(NewTicket {
            title: title.into(),
            customer_id: customer,
            ..Default::default()
        })
        .expect("ticket")
    };
    let first = add("Parcel stuck in customs", Some(lena));
    let same_thing = add("Customs still holding my parcel", Some(lena));
    let same_order = add("Refund for A11873", Some(lena));
    let _unrelated_same_customer = add("Invoice copy please", Some(lena));
    let _same_words_other_customer = add("Parcel stuck in customs since Monday", None);
    let order_first = add("Where is A11873?", Some(lena));
    let ids = |id| -> Vec<i64> {
        desk.similar(id)
            .expect("similar")
            .iter()
            .map(|r| r.id)
            .collect()
    };
    // The same customer AND the same words or order: nothing else.
    assert_eq!(ids(first), vec![same_thing]);
    assert_eq!(ids(order_first), vec![same_order]);
}
