//! Backups and restores: a backup taken while four members keep writing
//! opens, passes SQLite's integrity check and holds every write
//! acknowledged before it began; a restore checks the backup, refuses a
//! newer schema or a damaged file, keeps the desk it replaces and brings
//! attachments back; `--keep` rotates.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tdesk::domain::{NewTicket, Role};
use tdesk::service::{Desk, Identity, SystemClock};
use tdesk::store::Store;

use crate::common::{Scratch, code, stderr, stdout};

fn who(login: &str) -> Identity {
    Identity {
        login: login.into(),
        display_name: login.into(),
    }
}

/// A new desk on disk whose admin is `root`, with `members` added.
fn admin_desk(members: &[(&str, Role)]) -> (tempfile::TempDir, std::path::PathBuf, Desk) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    let mut admin = Desk::create(&path, &who("root"), Arc::new(SystemClock))
        .expect("create")
        .0;
    for (login, role) in members {
        admin.add_user(login, None, *role, None).expect("member");
    }
    (dir, path, admin)
}

fn open(path: &Path, login: &str) -> Desk {
    Desk::open(path, &who(login), Arc::new(SystemClock))
        .expect("open")
        .0
}

#[test]
fn a_backup_taken_while_four_members_write_holds_every_acknowledged_write() {
    let members = ["w0", "w1", "w2", "w3"].map(|w| (w, Role::Agent));
    let (dir, path, admin) = admin_desk(&members);
    let acked: Arc<Mutex<Vec<i64>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|n| {
            let (path, acked, stop) = (path.clone(), acked.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut desk = open(&path, &format!("w{n}"));
                let mut written = 0;
                while !stop.load(Ordering::Relaxed) && written < 400 {
                    let id = desk
                        .create_ticket(NewTicket {
                            title: format!("Parcel {n}-{written}"),
                            ..Default::default()
                        })
                        .expect("write");
                    // Acknowledged: committed and returned.
                    acked.lock().expect("acked").push(id);
                    written += 1;
                }
            })
        })
        .collect();
    while acked.lock().expect("acked").len() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let before: Vec<i64> = acked.lock().expect("acked").clone();
    let target = dir.path().join("backup.db");
    let done = admin.backup(&target, None).expect("backup");
    let during = acked.lock().expect("acked").len();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().expect("writer");
    }
    assert!(during > before.len(), "the writers kept writing meanwhile");
    let check = Store::inspect(&target).expect("inspect");
    assert_eq!(check.integrity, "ok");
    assert!(check.tickets >= before.len() as i64);
    assert_eq!(done.tickets, check.tickets);
    let copy = open(&target, "root");
    for id in before {
        copy.detail(id)
            .expect("acknowledged before the backup: in it");
    }
}

fn ok(s: &Scratch, args: &[&str]) -> String {
    let out = s.tdesk(args);
    assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn a_restore_checks_the_backup_keeps_the_old_desk_and_brings_attachments_back() {
    let s = Scratch::with_desk();
    ok(&s, &["add", "--title", "Parcel late"]);
    let file = s.dir.path().join("label.txt");
    std::fs::write(&file, b"return label").expect("file");
    ok(
        &s,
        &["attachment", "add", "1", file.to_str().expect("utf-8")],
    );
    let folder = s.dir.path().join("backups");
    std::fs::create_dir(&folder).expect("folder");
    let said = ok(&s, &["backup", folder.to_str().expect("utf-8")]);
    assert!(said.contains("1 copied"), "{said}");
    let again = ok(&s, &["backup", folder.to_str().expect("utf-8")]);
    assert!(
        again.contains("0 copied, 1 already there"),
        "incremental: {again}"
    );
    let backup = std::fs::read_dir(&folder)
        .expect("folder")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "db"))
        .expect("a backup");
    let backup = backup.to_str().expect("utf-8");
    ok(&s, &["add", "--title", "Written after the backup"]);
    // Without --yes: checked, nothing changed.
    let would = ok(&s, &["restore", backup]);
    assert!(would.contains("--yes"), "{would}");
    assert!(ok(&s, &["list"]).contains("Written after the backup"));
    // The attachment's file goes missing from the desk's store.
    let store = s.db().parent().expect("dir").join("attachments");
    std::fs::remove_dir_all(&store).expect("lose the store");
    let restored = ok(&s, &["restore", backup, "--yes"]);
    assert!(
        restored.contains("1 attachments brought back"),
        "{restored}"
    );
    let list = ok(&s, &["list"]);
    assert!(!list.contains("Written after the backup"), "{list}");
    let saved = s.dir.path().join("again.txt");
    ok(
        &s,
        &[
            "attachment",
            "save",
            "1",
            "--out",
            saved.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(std::fs::read(&saved).expect("saved"), b"return label");
    // The desk as it was is kept, and doctor knows the file.
    let kept: Vec<_> = std::fs::read_dir(s.db().parent().expect("dir"))
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("-before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1);
    let check = Store::inspect(&kept[0].path()).expect("kept desk");
    assert_eq!((check.integrity.as_str(), check.tickets), ("ok", 2));
}

#[test]
fn a_newer_or_damaged_backup_is_refused_and_the_desk_left_alone() {
    let s = Scratch::with_desk();
    ok(&s, &["add", "--title", "Parcel late"]);
    let newer = s.dir.path().join("newer.db");
    ok(&s, &["backup", newer.to_str().expect("utf-8")]);
    Store::execute_raw(&newer, "PRAGMA user_version = 999").expect("newer");
    let out = s.tdesk(&["restore", newer.to_str().expect("utf-8"), "--yes"]);
    assert_ne!(code(&out), 0);
    assert!(stderr(&out).contains("999"), "{}", stderr(&out));
    let junk = s.dir.path().join("junk.db");
    std::fs::write(&junk, vec![0x55u8; 8192]).expect("junk");
    let out = s.tdesk(&["restore", junk.to_str().expect("utf-8"), "--yes"]);
    assert_ne!(code(&out), 0);
    assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
    assert!(ok(&s, &["list"]).contains("Parcel late"));
    // Never over an existing file, never into the desk's own directory.
    let out = s.tdesk(&["backup", newer.to_str().expect("utf-8")]);
    assert_ne!(code(&out), 0);
    let inside = s.db().parent().expect("dir").join("desk.db-copy");
    let out = s.tdesk(&["backup", inside.to_str().expect("utf-8")]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
}

#[test]
fn keep_rotates_the_backups_in_a_folder() {
    let s = Scratch::with_desk();
    ok(&s, &["add", "--title", "Parcel late"]);
    let folder = s.dir.path().join("nightly");
    std::fs::create_dir(&folder).expect("folder");
    let f = folder.to_str().expect("utf-8");
    for _ in 0..4 {
        ok(&s, &["backup", f, "--keep", "2"]);
    }
    let left = std::fs::read_dir(&folder)
        .expect("folder")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".db"))
        .count();
    assert_eq!(left, 2);
}

#[test]
fn only_an_admin_backs_up_or_restores() {
    let (dir, path, admin) = admin_desk(&[("ann", Role::Supervisor)]);
    let backup = dir.path().join("b.db");
    admin.backup(&backup, None).expect("admin backs up");
    let mut ann = open(&path, "ann");
    let other = dir.path().join("c.db");
    assert!(matches!(
        ann.backup(&other, None),
        Err(tdesk::Error::Forbidden { .. })
    ));
    assert!(!other.exists());
    assert!(matches!(
        ann.restore(&backup),
        Err(tdesk::Error::Forbidden { .. })
    ));
}

/// One writer and six busy readers: the readers' short snapshots leave the
/// checkpointer room, so the write-ahead log stays bounded (≤ 64 MiB).
#[test]
fn the_wal_stays_bounded_with_one_writer_and_six_readers() {
    let (dir, path, mut admin) = admin_desk(&[]);
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..6)
        .map(|_| {
            let (path, stop) = (path.clone(), stop.clone());
            std::thread::spawn(move || {
                let desk = open(&path, "root");
                let query = desk.parse_query("status:open").expect("query");
                while !stop.load(Ordering::Relaxed) {
                    let _ = desk.count(&query);
                }
            })
        })
        .collect();
    let body = "x".repeat(4000);
    for n in 0..1500 {
        admin
            .create_ticket(NewTicket {
                title: format!("Parcel {n}"),
                description: body.clone(),
                ..Default::default()
            })
            .expect("write");
    }
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().expect("reader");
    }
    let wal = std::fs::metadata(dir.path().join("desk.db-wal")).map_or(0, |m| m.len());
    assert!(wal <= 64 << 20, "WAL grew to {wal} bytes");
}

/// `doctor` finds a damaged desk without writing a byte to it.
#[test]
fn doctor_finds_a_damaged_desk_and_never_writes_to_it() {
    let s = Scratch::with_desk();
    for n in 0..200 {
        ok(
            &s,
            &["add", "--title", &format!("Parcel {n} stuck in customs")],
        );
    }
    // Checkpointed into the file, then a page in the middle overwritten,
    // its header too (the unused room of an empty table's page would go
    // unnoticed, rightly).
    let db = s.db();
    Store::execute_raw(&db, "PRAGMA wal_checkpoint(TRUNCATE)").expect("checkpoint");
    let mut bytes = std::fs::read(&db).expect("read");
    let middle = bytes.len() / 2 / 8192 * 8192;
    for b in &mut bytes[middle..middle + 4000] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).expect("damage");
    let out = s.tdesk(&["doctor"]);
    assert_ne!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("PROBLEM"), "{}", stdout(&out));
    assert!(stdout(&out).contains("tdesk restore"), "{}", stdout(&out));
    assert_eq!(std::fs::read(&db).expect("read"), bytes, "not written");
}

/// A restore while members keep writing loses nothing they were told was
/// saved: each acknowledged ticket is in the desk kept aside or in the
/// restored one.
#[test]
fn a_restore_during_writes_loses_no_acknowledged_change() {
    let (dir, path, mut admin) = admin_desk(&[("w0", Role::Agent)]);
    let backup = dir.path().join("b.db");
    admin.backup(&backup, None).expect("backup");
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (path, acked, stop) = (path.clone(), acked.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut desk = open(&path, "w0");
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let title = format!("during-{n}");
                if desk
                    .create_ticket(NewTicket {
                        title: title.clone(),
                        ..Default::default()
                    })
                    .is_ok()
                {
                    acked.lock().expect("acked").push(title);
                }
                n += 1;
            }
        })
    };
    while acked.lock().expect("acked").len() < 50 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let done = admin.restore(&backup).expect("restore");
    std::thread::sleep(std::time::Duration::from_millis(100));
    stop.store(true, Ordering::Relaxed);
    writer.join().expect("writer");
    let titles = |p: &Path| -> Vec<String> {
        let conn = rusqlite::Connection::open(p).expect("open");
        let mut stmt = conn.prepare("SELECT title FROM tickets").expect("select");
        stmt.query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("titles")
    };
    let kept = titles(&done.kept);
    let now = titles(&path);
    for t in acked.lock().expect("acked").iter() {
        assert!(
            kept.contains(t) || now.contains(t),
            "{t} was acknowledged but is in neither desk"
        );
    }
}

#[test]
fn only_a_desk_with_an_admin_is_restored_and_keep_touches_only_its_own_backups() {
    let s = Scratch::with_desk();
    ok(&s, &["add", "--title", "Parcel late"]);
    // A sound SQLite file that is no desk.
    let other = s.dir.path().join("other.db");
    Store::execute_raw(&other, "PRAGMA page_size = 8192; CREATE TABLE t(x);").expect("other");
    let out = s.tdesk(&["restore", other.to_str().expect("utf-8"), "--yes"]);
    assert_ne!(code(&out), 0);
    assert!(
        stderr(&out).contains("not a tdesk desk"),
        "{}",
        stderr(&out)
    );
    assert!(ok(&s, &["list"]).contains("Parcel late"));
    // A look-alike: a members table with an admin, the right version, no desk.
    let fake = s.dir.path().join("fake.db");
    Store::execute_raw(
        &fake,
        &format!(
            "CREATE TABLE users (login TEXT, display_name TEXT, role TEXT, active INTEGER, created_at INTEGER);
             INSERT INTO users VALUES ('root', 'root', 'admin', 1, 0);
             PRAGMA user_version = {};",
            tdesk::store::SCHEMA_VERSION
        ),
    )
    .expect("fake");
    let out = s.tdesk(&["restore", fake.to_str().expect("utf-8"), "--yes"]);
    assert_ne!(code(&out), 0);
    assert!(
        stderr(&out).contains("not a tdesk desk"),
        "{}",
        stderr(&out)
    );
    assert!(ok(&s, &["list"]).contains("Parcel late"));
    // A fifo is refused at once, not waited on.
    let fifo = s.dir.path().join("fifo.db");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|st| st.success()) {
        let out = s.tdesk(&["restore", fifo.to_str().expect("utf-8")]);
        assert_ne!(code(&out), 0);
    }
    // --keep needs a folder; in one, others' files are left alone.
    let out = s.tdesk(&[
        "backup",
        s.dir.path().join("one.db").to_str().expect("utf-8"),
        "--keep",
        "2",
    ]);
    assert_ne!(code(&out), 0);
    let folder = s.dir.path().join("nightly");
    std::fs::create_dir(&folder).expect("folder");
    std::fs::write(folder.join("tdesk-notes.db"), b"mine").expect("notes");
    let f = folder.to_str().expect("utf-8");
    for _ in 0..3 {
        ok(&s, &["backup", f, "--keep", "1"]);
    }
    let names: Vec<String> = std::fs::read_dir(&folder)
        .expect("folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"tdesk-notes.db".to_string()), "{names:?}");
    assert_eq!(
        names
            .iter()
            .filter(|n| n.ends_with(".db") && *n != "tdesk-notes.db")
            .count(),
        1,
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.ends_with(".part")), "{names:?}");
}

#[test]
fn doctor_names_a_restore_that_was_stopped_and_an_admin_ends_it() {
    let s = Scratch::new();
    ok(&s, &["init"]);
    ok(&s, &["add", "--title", "before the restore"]);
    // A restore stopped (killed) after it raised its flag: changes are
    // refused meanwhile.
    let now_ms = chrono::Utc::now().timestamp_millis();
    rusqlite::Connection::open(s.db())
        .expect("open")
        .execute(
            "INSERT INTO settings (key, value) VALUES ('restore_under_way', ?1)",
            [now_ms.to_string()],
        )
        .expect("flag");
    let refused = s.tdesk(&["add", "--title", "during"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("restoring"));
    let doctor = s.tdesk(&["doctor"]);
    assert!(!doctor.status.success(), "a problem to report");
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert!(
        report.contains("restore began") && report.contains("--end-restore"),
        "{report}"
    );
    let ended = s.tdesk(&["doctor", "--end-restore"]);
    assert!(
        String::from_utf8_lossy(&ended.stdout).contains("Changes are taken again"),
        "{}",
        String::from_utf8_lossy(&ended.stdout)
    );
    ok(&s, &["add", "--title", "after"]);
    assert!(s.tdesk(&["doctor"]).status.success());
    let again = ok(&s, &["doctor", "--end-restore"]);
    assert!(again.contains("No restore was under way"), "{again}");
}
