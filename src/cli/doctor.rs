//! `tdesk doctor`: checks a desk — the modes and group of its directory and
//! files, WAL, schema version, SQLite's integrity check, the search index,
//! members without a Unix account, and who you are on it — and prints every
//! problem with the command that fixes it. Exits non-zero when it found any.

use super::output::line;
use super::{Cli, Session, Streams};
use crate::deskdir::{FileFinding, check_files};
use crate::error::{Error, Result};
use crate::present::role_label;
use crate::service::{Desk, account_exists};

/// One line of the report: fine, or a problem and its fix.
enum Line {
    Ok(String),
    Problem { what: String, fix: String },
}

/// What to repair before checking.
#[derive(Debug, Clone, Copy, Default)]
pub struct Repairs {
    pub repair_search: bool,
    pub end_restore: bool,
}

pub fn run(cli: &Cli, repairs: Repairs, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let cat = &s.cat;
    let (db, _) = s.desk_path(cli.db.as_deref())?;
    if !db.exists() {
        return Err(Error::NoDesk(db.display().to_string()));
    }
    let mut report = Vec::new();
    // The files as they are, before opening the desk adds its WAL.
    let files = check_files(&db)?;
    // First read-only: a damaged file is reported, never opened for
    // writing (no migration, statistics or presence written into it).
    let damage = match Desk::inspect_file(&db) {
        Ok(check) if check.integrity != "ok" => Some(check.integrity),
        Err(Error::Database(message)) => Some(message),
        _ => None,
    };
    if let Some(damage) = damage {
        // Who is an admin cannot be read from a damaged desk: in enforced
        // mode its files stay unnamed.
        if !s.enforced {
            for finding in &files {
                report.push(file_line(finding, s));
            }
        }
        report.push(Line::Problem {
            what: cat.f("doctor.corrupt", &[("message", &damage)]),
            fix: cat.t("doctor.fix_corrupt").to_string(),
        });
        return finish(report, s, io);
    }
    let mut opened = Desk::open(&db, &s.identity, s.clock.clone());
    if repairs.end_restore
        && let Ok((desk, _)) = &mut opened
    {
        let ended = desk.end_restore()?;
        line(
            io.out,
            cat.t(if ended {
                "doctor.restore_ended"
            } else {
                "doctor.no_restore"
            }),
        )?;
    }
    if repairs.repair_search
        && let Ok((desk, _)) = &mut opened
    {
        desk.rebuild_search()?;
        line(io.out, cat.t("doctor.search_rebuilt"))?;
    }
    // In enforced mode the directory is closed to members: only an admin
    // sees what is in it (names of files included), through doctor.
    let admin = opened
        .as_ref()
        .ok()
        .and_then(|(d, _)| d.me().ok())
        .is_some_and(|me| me.role == crate::domain::Role::Admin);
    if s.enforced && !admin {
        report.push(Line::Ok(cat.t("doctor.files_admin_only").to_string()));
    } else {
        for finding in &files {
            report.push(file_line(finding, s));
        }
    }
    match opened {
        Ok((desk, _)) => desk_lines(&desk, s, &mut report)?,
        Err(e) => {
            let fix = match &e {
                Error::UnsafeDeskFile(path) => cat.f("doctor.fix_unsafe", &[("path", path)]),
                _ => cat.t("doctor.fix_open").to_string(),
            };
            report.push(Line::Problem {
                what: e.message(cat),
                fix,
            })
        }
    }
    finish(report, s, io)
}

/// Prints the report; an error when it holds problems.
fn finish(report: Vec<Line>, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let cat = &s.cat;
    let mut problems = 0;
    for l in &report {
        match l {
            Line::Ok(text) => line(io.out, &format!("ok       {text}"))?,
            Line::Problem { what, fix } => {
                problems += 1;
                line(io.out, &format!("PROBLEM  {what}"))?;
                line(
                    io.out,
                    &format!("         {}", cat.f("doctor.fix", &[("fix", fix)])),
                )?;
            }
        }
    }
    if problems == 0 {
        line(io.out, cat.t("doctor.healthy"))
    } else {
        Err(Error::Unhealthy(problems))
    }
}

fn file_line(finding: &FileFinding, s: &Session) -> Line {
    let cat = &s.cat;
    match finding {
        FileFinding::SharedDir { dir, group } => Line::Ok(cat.f(
            "doctor.shared_dir",
            &[("dir", &dir.display()), ("group", group)],
        )),
        FileFinding::PersonalDir { dir } => {
            Line::Ok(cat.f("doctor.personal_dir", &[("dir", &dir.display())]))
        }
        FileFinding::DirMode { dir, mode } => Line::Problem {
            what: cat.f(
                "doctor.dir_mode",
                &[("dir", &dir.display()), ("mode", &format!("{mode:o}"))],
            ),
            fix: format!("chmod 3770 {}", dir.display()),
        },
        FileFinding::FileMode { path, mode } => Line::Problem {
            what: cat.f(
                "doctor.file_mode",
                &[("path", &path.display()), ("mode", &format!("{mode:o}"))],
            ),
            fix: format!("chmod 660 {}", path.display()),
        },
        FileFinding::FileGroup { path, group, want } => Line::Problem {
            what: cat.f(
                "doctor.file_group",
                &[("path", &path.display()), ("group", group), ("want", want)],
            ),
            fix: format!("chgrp {want} {}", path.display()),
        },
        FileFinding::Unsafe { path } => Line::Problem {
            what: cat.f("doctor.unsafe_file", &[("path", &path.display())]),
            fix: cat.f("doctor.fix_unsafe", &[("path", &path.display())]),
        },
        FileFinding::NetworkFs { dir, kind } => Line::Problem {
            what: cat.f(
                "doctor.network_fs",
                &[("dir", &dir.display()), ("kind", kind)],
            ),
            fix: cat.t("doctor.fix_network_fs").to_string(),
        },
        FileFinding::Foreign { path } => Line::Problem {
            what: cat.f("doctor.foreign_file", &[("path", &path.display())]),
            fix: cat.f("doctor.fix_foreign", &[("path", &path.display())]),
        },
        FileFinding::OpenDir { path, mode } => Line::Problem {
            what: cat.f(
                "doctor.open_dir",
                &[("path", &path.display()), ("mode", &format!("{mode:o}"))],
            ),
            fix: format!("chmod o-rwx {}", path.display()),
        },
        FileFinding::PrivateOpen { path, mode } => Line::Problem {
            what: cat.f(
                "doctor.private_open",
                &[("path", &path.display()), ("mode", &format!("{mode:o}"))],
            ),
            fix: format!("chmod 600 {}", path.display()),
        },
    }
}

fn desk_lines(desk: &Desk, s: &Session, report: &mut Vec<Line>) -> Result<()> {
    let cat = &s.cat;
    let c = desk.checkup()?;
    report.push(if c.journal.eq_ignore_ascii_case("wal") {
        Line::Ok(cat.t("doctor.wal").to_string())
    } else {
        Line::Problem {
            what: cat.f("doctor.not_wal", &[("mode", &c.journal)]),
            fix: cat.t("doctor.fix_wal").to_string(),
        }
    });
    report.push(if c.schema == c.expected_schema {
        Line::Ok(cat.f("doctor.schema", &[("version", &c.schema)]))
    } else {
        Line::Problem {
            what: cat.f(
                "doctor.schema_behind",
                &[("version", &c.schema), ("expected", &c.expected_schema)],
            ),
            fix: cat.t("doctor.fix_schema").to_string(),
        }
    });
    report.push(if c.integrity == "ok" {
        Line::Ok(cat.t("doctor.integrity").to_string())
    } else {
        Line::Problem {
            what: cat.f("doctor.corrupt", &[("message", &c.integrity)]),
            fix: cat.t("doctor.fix_corrupt").to_string(),
        }
    });
    report.push(if c.search_ok {
        Line::Ok(cat.t("doctor.search").to_string())
    } else {
        Line::Problem {
            what: cat.t("doctor.search_broken").to_string(),
            fix: cat.t("doctor.fix_search").to_string(),
        }
    });
    if let Some((since, until)) = c.restore {
        let tz = chrono::Local::now().offset().to_owned();
        report.push(Line::Problem {
            what: cat.f(
                "doctor.restore_under_way",
                &[
                    ("since", &crate::present::local_time(since, &tz)),
                    ("until", &crate::present::local_time(until, &tz)),
                ],
            ),
            fix: cat.t("doctor.fix_restore").to_string(),
        });
    }
    for u in c.members.iter().filter(|u| !account_exists(&u.login)) {
        report.push(Line::Problem {
            what: cat.f("doctor.no_account", &[("login", &u.login)]),
            fix: format!("tdesk user rm {}", u.login),
        });
    }
    report.push(Line::Ok(cat.f(
        "doctor.me",
        &[
            ("login", &c.me.login),
            ("role", &role_label(cat, c.me.role)),
            ("team", &c.me.team.as_deref().unwrap_or("–")),
            ("members", &c.members.len()),
        ],
    )));
    Ok(())
}
