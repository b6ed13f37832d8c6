//! `tdesk backup` and `tdesk restore`.

use std::path::Path;

use super::output::line;
use super::{Session, Streams};
use crate::error::Result;
use crate::service::Desk;

/// `tdesk backup TARGET [--keep N]`.
pub fn backup(
    desk: &Desk,
    target: &Path,
    keep: Option<usize>,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let done = desk.backup(target, keep)?;
    line(
        io.out,
        &s.cat.f(
            "backup.done",
            &[
                ("file", &done.file.display()),
                ("tickets", &done.tickets),
                ("copied", &done.copied),
                ("present", &done.present),
            ],
        ),
    )?;
    if done.missing > 0 {
        line(
            io.err,
            &s.cat.f("backup.store_missing", &[("n", &done.missing)]),
        )?;
    }
    for old in &done.removed {
        line(
            io.out,
            &s.cat.f("backup.removed", &[("file", &old.display())]),
        )?;
    }
    Ok(())
}

/// `tdesk restore FILE [--yes]`: without `--yes`, checks the backup and
/// says what would happen.
pub fn restore(
    desk: &mut Desk,
    file: &Path,
    yes: bool,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    if !yes {
        let check = desk.inspect_backup(file)?;
        return line(
            io.out,
            &s.cat.f(
                "backup.would_restore",
                &[("file", &file.display()), ("tickets", &check.tickets)],
            ),
        );
    }
    let done = desk.restore(file)?;
    line(
        io.out,
        &s.cat.f(
            "backup.restored",
            &[
                ("tickets", &done.tickets),
                ("kept", &done.kept.display()),
                ("attachments", &done.attachments),
            ],
        ),
    )?;
    if done.missing > 0 {
        line(
            io.err,
            &s.cat
                .f("backup.missing_attachments", &[("n", &done.missing)]),
        )?;
    }
    Ok(())
}
