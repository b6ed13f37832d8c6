//! A team desk members can trust: what the outside audit found, replayed
//! against the service as a hostile member would try it. Who sends mail and
//! with which program; letters, customers and notices of tickets a member
//! may not see; records an import brings in.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use tdesk::Error;
use tdesk::domain::{NewTicket, Role};
use tdesk::mailer::{CommandSource, MailCommands};
use tdesk::service::{Desk, FixedClock, Identity};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("valid")
}

fn who(login: &str) -> Identity {
    Identity {
        login: login.into(),
        display_name: login.into(),
    }
}

fn open(path: &Path, login: &str) -> Desk {
    Desk::open(path, &who(login), Arc::new(FixedClock::new(now())))
        .expect("open")
        .0
}

/// A team desk (group-writable, as `init --shared` leaves it) with an admin
/// `root`, agents `ann` (eu) and `bob` (cn), supervisor `sue` (eu) and a
/// mailbox account `support`; ticket 1 is eu's, ticket 2 cn's, both by mail.
fn team_desk(dir: &Path) -> PathBuf {
    let path = dir.join("desk.db");
    let (mut admin, _) =
        Desk::create(&path, &who("root"), Arc::new(FixedClock::new(now()))).expect("create");
    for (login, role, team) in [
        ("ann", Role::Agent, Some("eu")),
        ("bob", Role::Agent, Some("cn")),
        ("sue", Role::Supervisor, Some("eu")),
        ("support", Role::Supervisor, None),
    ] {
        admin.add_user(login, None, role, team).expect("member");
    }
    admin
        .set_mail(Some("Shop <support@shop.example>"), None)
        .expect("from");
    for (title, team, customer) in [
        ("Refund for order 17", "eu", "lena@example.de"),
        ("Confidential: chargeback", "cn", "wang@example.cn"),
    ] {
        let id = admin
            .create_ticket(NewTicket {
                title: title.into(),
                team: Some(team.into()),
                customer_email: Some(customer.into()),
                channel: Some(tdesk::domain::Channel::Email),
                ..Default::default()
            })
            .expect("ticket");
        admin.comment(id, "We are on it.", false).expect("reply");
    }
    drop(admin);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o660)).expect("chmod");
    path
}

#[test]
fn a_team_desk_keeps_no_mail_command_and_only_its_sender_sends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = team_desk(dir.path());
    let mut admin = open(&path, "root");
    assert!(!admin.is_private(), "a group-writable desk is a team desk");
    // Nobody's account sends until an admin names one.
    let mut ann = open(&path, "ann");
    let commands = MailCommands {
        system: Some("/usr/bin/msmtp -t".into()),
        ..Default::default()
    };
    assert_eq!(
        tdesk::mailer::send_due(&mut ann, &commands).expect_err("not the sender"),
        Error::NotMailSender(None)
    );
    // The command that every member's account would run is not kept here.
    assert_eq!(
        admin.set_mail(None, Some("touch /tmp/owned")),
        Err(Error::MailCommandNotInDesk)
    );
    admin.set_mail_sender("support").expect("sender");
    let err = tdesk::mailer::send_due(&mut ann, &commands).expect_err("not the sender");
    assert_eq!(err, Error::NotMailSender(Some("support".into())));
    assert_eq!(err.exit_code(), 4);
    assert!(
        ann.mail_due(10).is_err(),
        "an agent reads no other team's letters"
    );
    // The sender's own command must name its program by absolute path: no
    // PATH (the sender's or anyone's) picks what runs.
    let support = open(&path, "support");
    let relative = MailCommands {
        own: Some("msmtp -t".into()),
        ..Default::default()
    };
    assert!(matches!(
        tdesk::mailer::command(&support, &relative),
        Err(Error::MailCommandNotAbsolute(_))
    ));
    let own = MailCommands {
        own: Some("/usr/bin/msmtp -t".into()),
        ..Default::default()
    };
    assert_eq!(
        tdesk::mailer::command(&support, &own).expect("command"),
        Some(("/usr/bin/msmtp -t".into(), CommandSource::Own))
    );
    // The system config wins over the account's own.
    assert_eq!(
        tdesk::mailer::command(&support, &commands)
            .expect("command")
            .map(|(_, s)| s),
        Some(CommandSource::System)
    );
    assert_eq!(support.mail_due(10).expect("letters").len(), 2);
    // Named by the desk is not enough: the account itself must agree, or
    // root must name it (a member with sqlite3 could name anyone).
    let mut support = support;
    assert_eq!(
        tdesk::mailer::send_due(&mut support, &own).expect_err("not agreed"),
        Error::SenderNotAgreed("support".into())
    );
    for agreed in [
        MailCommands {
            own_sender: Some("support".into()),
            ..own.clone()
        },
        MailCommands {
            system_sender: Some("support".into()),
            ..own.clone()
        },
    ] {
        assert!(tdesk::mailer::agreed(&support, &agreed));
    }
    let someone_else = MailCommands {
        own_sender: Some("ann".into()),
        ..own
    };
    assert!(!tdesk::mailer::agreed(&support, &someone_else));
}

#[test]
fn a_command_written_into_a_team_desk_behind_its_back_is_never_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = team_desk(dir.path());
    // A group member with sqlite3 writes a command into the settings.
    tdesk::store::Store::execute_raw(
        &path,
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('mail.command', 'touch /tmp/owned'),
                                                            ('mail.sender', 'support');",
    )
    .expect("tamper");
    let support = open(&path, "support");
    assert_eq!(support.desk_mail_command().expect("read"), None);
    assert_eq!(
        tdesk::mailer::command(&support, &MailCommands::default()).expect("command"),
        None,
        "the desk's command is not run on a team desk"
    );
    // Members other than admins do not see a command (it may hold a password).
    let settings = open(&path, "sue").mail_settings().expect("settings");
    assert_eq!(settings.command, None);
    assert_eq!(settings.sender.as_deref(), Some("support"));
}

#[test]
fn a_personal_desk_keeps_its_command_and_its_owner_sends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mine").join("desk.db");
    tdesk::deskdir::create_private(&path).expect("private");
    let (mut me, _) =
        Desk::create(&path, &who("me"), Arc::new(FixedClock::new(now()))).expect("create");
    assert!(me.is_private());
    me.set_mail(Some("me@shop.example"), Some("msmtp -t"))
        .expect("a personal desk keeps its command");
    assert_eq!(me.mail_sender().expect("sender").as_deref(), Some("me"));
    assert_eq!(
        tdesk::mailer::command(&me, &MailCommands::default()).expect("command"),
        Some(("msmtp -t".into(), CommandSource::Desk))
    );
}

#[test]
fn letters_of_hidden_tickets_look_exactly_like_missing_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = team_desk(dir.path());
    let mut sue = open(&path, "sue");
    let queue = sue.mail_queue(None).expect("queue");
    assert_eq!(
        queue.iter().map(|m| m.ticket).collect::<Vec<_>>(),
        vec![1],
        "a supervisor sees the letters of their team only"
    );
    let hidden = open(&path, "root").mail_queue(Some(2)).expect("cn's")[0].id;
    let missing = hidden + 100;
    let a = sue.retry_mail(hidden).expect_err("hidden");
    let b = sue.retry_mail(missing).expect_err("missing");
    assert_eq!(a, Error::LetterNotFound(hidden));
    assert_eq!(b, Error::LetterNotFound(missing));
    assert_eq!(a.exit_code(), b.exit_code());
}

#[test]
fn notices_about_a_ticket_that_left_a_members_sight_are_not_counted_or_delivered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = team_desk(dir.path());
    let mut admin = open(&path, "root");
    admin.assign(1, Some("ann"), None).expect("to ann");
    let mut ann = open(&path, "ann");
    assert_eq!(ann.unread_count().expect("count"), 1);
    // The ticket goes to another team's agent: ann may no longer see it.
    admin.assign(1, Some("bob"), None).expect("to bob");
    admin
        .edit(
            1,
            &tdesk::domain::TicketChanges {
                team: Some(Some("cn".into())),
                ..Default::default()
            },
            None,
        )
        .expect("to cn");
    assert!(matches!(ann.detail(1), Err(Error::TicketNotFound(1))));
    assert_eq!(
        ann.unread_count().expect("count"),
        0,
        "the count would leak it"
    );
    assert!(ann.inbox(true, 50).expect("inbox").is_empty());
    assert!(
        ann.pending_hooks(50).expect("hooks").is_empty(),
        "the hook never hears of it"
    );
    // Withheld for good: it does not come back or block the hook's queue.
    admin.assign(1, Some("ann"), None).expect("back to ann");
    let pending = ann.pending_hooks(50).expect("hooks");
    assert_eq!(pending.len(), 1, "only the new assignment: {pending:?}");
}

#[test]
fn customers_are_seen_through_the_tickets_a_member_may_see() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = team_desk(dir.path());
    let mut admin = open(&path, "root");
    // Lena also has a cn ticket; Wang has only the cn one.
    let lena = admin.find_customer("lena@example.de").expect("lena");
    admin
        .create_ticket(NewTicket {
            title: "Second problem".into(),
            team: Some("cn".into()),
            customer_id: Some(lena),
            ..Default::default()
        })
        .expect("cn ticket of lena");
    let walk_in = admin
        .add_customer(
            &tdesk::domain::NewCustomer {
                name: "Walk-in".into(),
                ..Default::default()
            },
            &Default::default(),
        )
        .expect("a contact without tickets");
    let sue = open(&path, "sue");
    let names: Vec<String> = sue
        .customers(None, 50)
        .expect("list")
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert!(names.iter().any(|n| n.contains("lena")), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("wang")), "{names:?}");
    assert!(names.iter().any(|n| n == "Walk-in"), "{names:?}");
    // By handle or number, a hidden customer is exactly a missing one.
    let hidden = sue.find_customer("wang@example.cn").expect_err("hidden");
    let missing = sue.find_customer("nobody@example.cn").expect_err("missing");
    assert!(matches!(hidden, Error::CustomerNotFound(_)));
    assert_eq!(hidden.exit_code(), missing.exit_code());
    let wang = admin.find_customer("wang@example.cn").expect("wang");
    assert!(matches!(
        sue.customer_profile(wang),
        Err(Error::CustomerNotFound(_))
    ));
    // Lena is sue's through ticket 1; her cn ticket, orders and notes are not.
    let profile = sue.customer_profile(lena).expect("lena");
    assert_eq!(
        profile.tickets.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![1]
    );
    assert!(profile.withheld && profile.orders.is_empty() && profile.notes.is_empty());
    assert!(
        profile.handles.is_empty(),
        "no other address, phone or buyer id"
    );
    // Nor through a canned reply: {{order}} stays empty.
    let order = "111-2222222-3333333";
    tdesk::store::Store::execute_raw(
        &path,
        &format!("INSERT INTO customer_orders (customer_id, order_ref) VALUES ({lena}, '{order}')"),
    )
    .expect("an order from the hidden ticket");
    let filled = sue.fill_reply("refund", 1).expect("filled");
    assert!(!filled.contains(order), "{filled}");
    assert!(
        admin
            .fill_reply("refund", 1)
            .expect("filled")
            .contains(order)
    );
    // A supervisor cannot merge a customer whose other tickets are hidden:
    // it would move another team's ticket behind its back.
    let mut sue = sue;
    let err = sue.merge_customers(walk_in, lena).expect_err("refused");
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
    assert_eq!(
        admin.customer_profile(lena).expect("lena").tickets.len(),
        2,
        "nothing moved"
    );
    // An admin's merge says so in each moved ticket's history.
    let wang = admin.find_customer("wang@example.cn").expect("wang");
    admin.merge_customers(wang, lena).expect("merged");
    let history = admin.history(1).expect("history");
    assert!(
        history
            .iter()
            .any(|e| e.field.as_deref() == Some("customer")),
        "{history:?}"
    );
}

mod cli {
    use crate::common::{Scratch, code, stderr, stdout};

    fn ok(s: &Scratch, args: &[&str]) -> String {
        let out = s.tdesk(args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        stdout(&out)
    }

    /// A desk with ticket 1 carrying one attachment, exported as JSON.
    fn exported_with_a_file() -> (Scratch, serde_json::Value) {
        let s = Scratch::with_desk();
        ok(&s, &["add", "--title", "Return label"]);
        let file = s.dir.path().join("label.txt");
        std::fs::write(&file, b"label").expect("file");
        ok(&s, &["attachment", "add", "1", &file.to_string_lossy()]);
        let doc = serde_json::from_str(&ok(&s, &["export", "json"])).expect("json");
        (s, doc)
    }

    #[test]
    fn an_import_cannot_point_attachment_records_outside_the_store() {
        let (s, doc) = exported_with_a_file();
        for bad in ["/etc/passwd", "../../../../etc/passwd", "AB"] {
            let mut doc = doc.clone();
            doc["tickets"][0]["attachments"][0]["sha256"] = bad.into();
            let path = s.dir.path().join("evil.json");
            std::fs::write(&path, doc.to_string()).expect("write");
            let copy = Scratch::with_desk();
            let out = copy.tdesk(&["import", "json", &path.to_string_lossy()]);
            assert_eq!(code(&out), 2, "{bad}: {}", stderr(&out));
            assert!(stderr(&out).contains("SHA-256"), "{}", stderr(&out));
            assert!(
                ok(&copy, &["list"]).trim().lines().count() <= 1,
                "nothing imported"
            );
        }
        // A name that climbs out is kept as its last part, dots and all gone.
        let mut doc = doc;
        doc["tickets"][0]["attachments"][0]["name"] = "../../../tmp/\u{202e}txt.exe".into();
        let path = s.dir.path().join("names.json");
        std::fs::write(&path, doc.to_string()).expect("write");
        let copy = Scratch::with_desk();
        ok(&copy, &["import", "json", &path.to_string_lossy()]);
        let files = ok(&copy, &["attachment", "list", "1", "--json"]);
        let list: serde_json::Value = serde_json::from_str(&files).expect("json");
        assert_eq!(list[0]["name"], "txt.exe", "no path, no bidi override");
    }

    #[test]
    fn saving_an_attachment_never_writes_over_a_file_or_through_a_link() {
        let (s, _) = exported_with_a_file();
        let victim = s.dir.path().join("victim.db");
        std::fs::write(&victim, b"precious").expect("victim");
        let out = s.tdesk(&[
            "attachment",
            "save",
            "1",
            "--out",
            &victim.to_string_lossy(),
        ]);
        assert_ne!(code(&out), 0);
        assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
        assert_eq!(std::fs::read(&victim).expect("victim"), b"precious");
        let link = s.dir.path().join("link");
        std::os::unix::fs::symlink(&victim, &link).expect("link");
        let out = s.tdesk(&["attachment", "save", "1", "--out", &link.to_string_lossy()]);
        assert_ne!(code(&out), 0);
        assert_eq!(std::fs::read(&victim).expect("victim"), b"precious");
        // --force replaces the link itself, never what it points to.
        ok(
            &s,
            &[
                "attachment",
                "save",
                "1",
                "--out",
                &link.to_string_lossy(),
                "--force",
            ],
        );
        assert_eq!(std::fs::read(&victim).expect("victim"), b"precious");
        assert_eq!(std::fs::read(&link).expect("saved"), b"label");
    }

    #[test]
    fn endless_or_huge_input_gets_a_clear_error_not_a_crash() {
        let s = Scratch::with_desk();
        for args in [
            vec!["import", "eml", "/dev/zero"],
            vec!["import", "mbox", "/dev/zero"],
            vec!["rules", "check", "/dev/zero"],
            vec!["rules", "simulate", "--synthetic", "4294967295"],
        ] {
            let out = s.tdesk(&args);
            let err = stderr(&out);
            assert!(matches!(code(&out), 1 | 2), "{args:?}: {err}");
            assert!(
                err.starts_with("tdesk: ") && err.lines().count() <= 2,
                "{args:?}: {err}"
            );
            assert!(
                !err.contains("panicked") && !err.contains("memory"),
                "{args:?}: {err}"
            );
        }
    }

    #[test]
    fn a_personal_desk_is_created_private_and_a_named_empty_file_is_not_a_desk() {
        use std::os::unix::fs::PermissionsExt;
        let s = Scratch::with_desk();
        let mode = std::fs::metadata(s.db())
            .expect("desk")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
        // A desk file someone emptied is not started again with a new admin.
        let empty = s.dir.path().join("emptied.db");
        std::fs::write(&empty, b"").expect("empty");
        let out = s.tdesk(&["--db", &empty.to_string_lossy(), "list"]);
        assert_eq!(code(&out), 3, "{}", stderr(&out));
        assert!(stderr(&out).contains("holds no desk"), "{}", stderr(&out));
        assert_eq!(std::fs::metadata(&empty).expect("file").len(), 0);
    }

    /// Whether text would act on a terminal.
    fn raw(text: &str) -> bool {
        text.chars()
            .any(|c| (c.is_control() && c != '\n') || tdesk::text::is_bidi_control(c))
    }

    #[test]
    fn errors_and_messages_never_echo_escape_sequences() {
        let s = Scratch::with_desk();
        let evil = "x\u{1b}]0;owned\u{7}\u{1b}[2J\u{202e}\u{9b}31m";
        let rules = s.dir.path().join("rules.toml");
        std::fs::write(
            &rules,
            format!("[[rule]]\nname = \"a\"\nwhen = {{ colour = \"{evil}\" }}\n"),
        )
        .expect("rules");
        let csv = s.dir.path().join("bad.csv");
        std::fs::write(&csv, format!("title,priority\nParcel,{evil}\n")).expect("csv");
        let config = s.dir.path().join("config.toml");
        std::fs::write(&config, format!("theme = \"{evil}\"\n")).expect("config");
        let cases: Vec<Vec<String>> = vec![
            vec![
                "add".into(),
                "--title".into(),
                "t".into(),
                "--category".into(),
                format!("a/{evil}"),
            ],
            vec![
                "add".into(),
                "--title".into(),
                "t".into(),
                "--type".into(),
                evil.into(),
            ],
            vec!["user".into(), "add".into(), evil.into()],
            vec![
                "view".into(),
                "save".into(),
                evil.into(),
                format!("colour:{evil}"),
            ],
            vec!["list".into(), format!("{evil}:x")],
            vec![
                "rules".into(),
                "check".into(),
                rules.to_string_lossy().into(),
            ],
            vec!["import".into(), "csv".into(), csv.to_string_lossy().into()],
            vec![
                "config".into(),
                "check".into(),
                config.to_string_lossy().into(),
            ],
            vec!["move".into(), "1".into(), evil.into()],
            vec!["customer".into(), "show".into(), evil.into()],
        ];
        ok(&s, &["add", "--title", "Parcel"]);
        for args in cases {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = s.tdesk(&args);
            assert!(!raw(&stderr(&out)), "{args:?}: {:?}", stderr(&out));
            assert!(!raw(&stdout(&out)), "{args:?}: {:?}", stdout(&out));
        }
    }

    #[test]
    fn what_other_people_wrote_is_inert_in_every_listing_and_json_escapes_it() {
        let s = Scratch::with_desk();
        let evil = "Lena\u{1b}[2J\u{9b}31m\u{7f}\u{202e}";
        ok(
            &s,
            &[
                "customer",
                "add",
                evil,
                "--email",
                "lena@example.de",
                "--country",
                evil,
            ],
        );
        ok(
            &s,
            &[
                "add",
                "--title",
                evil,
                "--customer",
                "lena@example.de",
                "--team",
                evil,
            ],
        );
        ok(&s, &["user", "add", "ann", "--team", evil]);
        for args in [
            vec!["customer", "show", "lena@example.de"],
            vec!["customer", "list"],
            vec!["user", "list"],
            vec!["rules", "explain", "1"],
            vec!["show", "1"],
            vec!["load"],
        ] {
            let out = s.tdesk(&args);
            assert!(!raw(&stdout(&out)), "{args:?}: {:?}", stdout(&out));
            assert!(!raw(&stderr(&out)), "{args:?}: {:?}", stderr(&out));
        }
        for args in [
            vec!["show", "1", "--json"],
            vec!["export", "json"],
            vec!["user", "list", "--json"],
        ] {
            let out = stdout(&s.tdesk(&args));
            assert!(!raw(&out), "{args:?} printed raw controls: {out:?}");
            assert!(
                out.contains("\\u009b") || out.contains("\\u001b"),
                "{args:?}: {out}"
            );
            let _: serde_json::Value = serde_json::from_str(&out).expect("still JSON");
        }
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&s.tdesk(&["show", "1", "--json"]))).expect("json");
        assert_eq!(json["ticket"]["title"], evil, "JSON keeps the exact data");
    }
}
