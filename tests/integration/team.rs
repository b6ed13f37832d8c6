//! Team desks on the real binary: `init --shared` modes, a desk named by
//! its directory, and `doctor` finding and naming what is wrong.

use std::os::unix::fs::PermissionsExt;

use crate::common::{Scratch, code, stderr, stdout};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o7777
}

#[test]
fn a_shared_desk_is_group_writable_and_its_directory_names_it() {
    let s = Scratch::new();
    let team = s.dir.path().join("team");
    let dir = team.to_str().expect("utf-8 path");
    let out = s.tdesk_with(&["init", "--shared", dir], &[], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("Team desk in"), "{}", stdout(&out));
    assert_eq!(
        mode(&team),
        0o3770,
        "setgid, sticky, group rwx, nothing for others"
    );
    assert_eq!(mode(&team.join("desk.db")) & 0o777, 0o660);
    // The directory is enough to name the desk.
    let out = s.tdesk(&["--db", dir, "add", "--title", "Parcel stuck in customs"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = s.tdesk_with(&["list"], &[("TDESK_DB", dir)], None);
    assert!(
        stdout(&out).contains("Parcel stuck in customs"),
        "{}",
        stdout(&out)
    );
    let out = s.tdesk(&["--db", dir, "doctor"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let report = stdout(&out);
    assert!(report.contains("team desk"), "{report}");
    assert!(report.contains("journal mode WAL"), "{report}");
    assert!(report.contains("No problems found."), "{report}");
}

#[test]
fn doctor_names_each_problem_with_its_fix_and_fails() {
    let s = Scratch::new();
    let team = s.dir.path().join("team");
    let dir = team.to_str().expect("utf-8 path");
    assert_eq!(code(&s.tdesk(&["init", "--shared", dir])), 0);
    let db = team.join("desk.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    std::fs::set_permissions(&team, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::set_permissions(&team, std::fs::Permissions::from_mode(0o2750)).expect("chmod");
    let out = s.tdesk(&["--db", dir, "doctor"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let report = stdout(&out);
    assert!(report.contains("has mode 644"), "{report}");
    assert!(
        report.contains(&format!("fix: chmod 660 {}", db.display())),
        "{report}"
    );
    assert!(
        report.contains(&format!("fix: chmod 3770 {dir}")),
        "{report}"
    );
    assert!(
        stderr(&out).contains("doctor found 2 problem(s)."),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unknown_group_is_refused_with_a_hint() {
    let s = Scratch::new();
    let team = s.dir.path().join("team");
    let out = s.tdesk(&[
        "init",
        "--shared",
        team.to_str().expect("utf-8 path"),
        "--group",
        "no-such-group-tdesk",
    ]);
    assert_eq!(code(&out), 3);
    assert!(
        stderr(&out).contains("groupadd no-such-group-tdesk"),
        "{}",
        stderr(&out)
    );
    assert!(!team.exists(), "nothing created for a refused init");
}
