//! `tdesk import csv|json|eml|mbox|maildir`: read and check the whole
//! input first (a file with a problem imports nothing unless --skip-bad),
//! then hand it to the desk in chunks, with a progress bar on a terminal.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::args::{ImportCommand, ImportFlags};
use super::output::{self, json, line};
use super::{Session, Streams};
use crate::error::{Error, Result, issue_text};
use crate::interchange::mail::{self, MailIn};
use crate::interchange::{Issue, Problem, json as tdesk_json};
use crate::service::{
    BounceOutcome, CsvInput, Desk, ImportOptions, ImportReport, MailOutcome, csv_map,
};
use crate::userfile;

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// One file to import, read as the member, at most `limit` bytes.
fn read(path: &Path, limit: u64) -> Result<Vec<u8>> {
    crate::userfile::read(path, limit)
}

fn options(f: ImportFlags) -> ImportOptions {
    ImportOptions {
        dry_run: f.dry_run,
        skip_bad: f.skip_bad,
        add_types: false,
    }
}

/// A progress bar on standard error, drawn only on a terminal.
struct Bar<'a> {
    err: &'a mut dyn Write,
    on: bool,
}

impl Bar<'_> {
    fn draw(&mut self, done: usize, total: usize) {
        if !self.on || total == 0 {
            return;
        }
        const WIDTH: usize = 30;
        let filled = done * WIDTH / total;
        let _ = write!(
            self.err,
            "\r[{}{}] {done}/{total}",
            "#".repeat(filled),
            "-".repeat(WIDTH - filled)
        );
        if done >= total {
            let _ = write!(self.err, "\r{}\r", " ".repeat(WIDTH + 24));
        }
        let _ = self.err.flush();
    }
}

pub fn run(desk: &mut Desk, c: ImportCommand, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let on = s.width.is_some();
    match c {
        ImportCommand::Csv {
            file,
            map,
            encoding,
            print_map,
            add_types,
            flags,
        } => {
            let name = file.display().to_string();
            let map_file = map.as_ref().map(|p| p.display().to_string());
            let map_text = match &map {
                Some(p) => Some(userfile::read_text(p)?),
                None => None,
            };
            let bytes = read(&file, userfile::TABLE_LIMIT)?;
            let input = CsvInput {
                name: &name,
                bytes: &bytes,
                map: map_file.as_deref().zip(map_text.as_deref()),
                encoding: encoding.as_deref(),
            };
            if print_map {
                return output::source(io.out, &csv_map(&input)?, s.width.is_some());
            }
            let report = {
                let mut bar = Bar { err: io.err, on };
                let opts = ImportOptions {
                    add_types,
                    ..options(flags)
                };
                desk.import_csv(&input, opts, &mut |d, t| bar.draw(d, t))?
            };
            print_report(&name, &report, flags, s, io)
        }
        ImportCommand::Survey {
            file,
            encoding,
            dry_run,
            skip_bad,
        } => {
            let how = super::survey::How { dry_run, skip_bad };
            super::survey::run(desk, &file, encoding.as_deref(), how, s, io)
        }
        ImportCommand::Json { file, flags } => {
            let name = file.display().to_string();
            let bytes = read(&file, userfile::TABLE_LIMIT)?;
            let doc = tdesk_json::parse(&bytes).map_err(|e| {
                let at = match &e {
                    tdesk_json::JsonError::Syntax { line, .. } => *line,
                    _ => 0,
                };
                Error::Import {
                    file: name.clone(),
                    problems: vec![Problem::new(at, Issue::Json(e))],
                }
            })?;
            let report = {
                let mut bar = Bar { err: io.err, on };
                desk.import_document(doc, options(flags), &mut |d, t| bar.draw(d, t))?
            };
            print_report(&name, &report, flags, s, io)
        }
        ImportCommand::Eml { files, flags } => {
            let mut sources = Vec::new();
            for f in &files {
                sources.push((f.display().to_string(), read(f, userfile::MESSAGE_LIMIT)?));
            }
            let label = match files.as_slice() {
                [one] => one.display().to_string(),
                _ => format!("{} files", files.len()),
            };
            let (report, _) = import_messages(desk, &label, sources, flags, on, io)?;
            print_report(&label, &report, flags, s, io)
        }
        ImportCommand::Mbox { file, flags } => {
            let name = file.display().to_string();
            let sources = read_mbox(&file)?;
            let (report, _) = import_messages(desk, &name, sources, flags, on, io)?;
            print_report(&name, &report, flags, s, io)
        }
        ImportCommand::Maildir { dir, flags } => {
            let name = dir.display().to_string();
            let paths = maildir_new(&dir)?;
            let mut sources = Vec::new();
            for p in &paths {
                sources.push((p.display().to_string(), read(p, userfile::MESSAGE_LIMIT)?));
            }
            let (report, done) = import_messages(desk, &name, sources, flags, on, io)?;
            if !flags.dry_run {
                for i in done {
                    move_to_cur(&dir, &paths[i])?;
                }
            }
            print_report(&name, &report, flags, s, io)
        }
    }
}

/// Reads every message of an mbox, labelled `FILE #N`: line by line, so a
/// message past [`userfile::MESSAGE_LIMIT`], or a mailbox past
/// [`MBOX_LIMIT`], stops with a clear error instead of taking the memory.
fn read_mbox(file: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let reader = std::io::BufReader::new(userfile::open(file)?);
    let messages =
        split_mbox(reader, userfile::MESSAGE_LIMIT, MBOX_LIMIT).map_err(|e| match e {
            MboxError::TooLarge(max) => Error::FileTooLarge {
                path: file.display().to_string(),
                max,
            },
            MboxError::Io(e) => io_error(file, e),
        })?;
    if messages.is_empty() {
        // Bytes, but no "From " line: not a mailbox (an empty file is one).
        let empty = userfile::read(file, 1).is_ok_and(|b| b.is_empty());
        if !empty {
            return Err(Error::Import {
                file: file.display().to_string(),
                problems: vec![Problem::new(0, Issue::Mail(mail::MailError::NotMail))],
            });
        }
    }
    Ok(messages
        .into_iter()
        .enumerate()
        .map(|(i, m)| (format!("{} #{}", file.display(), i + 1), m))
        .collect())
}

/// Largest mailbox read in one go (every message is held until imported).
const MBOX_LIMIT: u64 = 1 << 30;

#[derive(Debug)]
enum MboxError {
    TooLarge(u64),
    Io(std::io::Error),
}

/// Splits an mbox at its `From ` lines; `>From ` quoting is undone (mboxrd).
fn split_mbox(
    mut reader: impl std::io::BufRead,
    message_limit: u64,
    total_limit: u64,
) -> std::result::Result<Vec<Vec<u8>>, MboxError> {
    use std::io::Read;
    let mut messages = Vec::new();
    let mut current: Option<Vec<u8>> = None;
    let mut total = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = std::io::BufRead::read_until(
            &mut (&mut reader).take(message_limit.saturating_add(1)),
            b'\n',
            &mut line,
        )
        .map_err(MboxError::Io)?;
        if read == 0 {
            break;
        }
        total += read as u64;
        if total > total_limit {
            return Err(MboxError::TooLarge(total_limit));
        }
        if line.starts_with(b"From ") {
            messages.extend(current.replace(Vec::new()));
            continue;
        }
        let Some(message) = current.as_mut() else {
            continue; // text before the first separator is no message
        };
        let unquoted = match line.iter().position(|&b| b != b'>') {
            Some(n) if n > 0 && line[n..].starts_with(b"From ") => &line[1..],
            _ => &line[..],
        };
        if (message.len() + unquoted.len()) as u64 > message_limit {
            return Err(MboxError::TooLarge(message_limit));
        }
        message.extend_from_slice(unquoted);
    }
    messages.extend(current);
    Ok(messages)
}

/// The messages waiting in a Maildir's new/, oldest name first.
fn maildir_new(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(userfile::list_dir(&dir.join("new"))?
        .into_iter()
        .filter(|p| {
            userfile::is_plain_file(p)
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect())
}

/// new/NAME → cur/NAME:2,S (seen), as a mail reader would.
fn move_to_cur(dir: &Path, path: &Path) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let info = if name.contains(":2,") { "" } else { ":2,S" };
    let cur = dir.join("cur");
    userfile::create_dir_all(&cur)?;
    userfile::rename(path, &cur.join(format!("{name}{info}")))
}

/// Reads every message first; then imports them one by one. Returns the
/// report and the positions of the messages that are now in the desk
/// (imported now or before).
fn import_messages(
    desk: &mut Desk,
    label: &str,
    sources: Vec<(String, Vec<u8>)>,
    flags: ImportFlags,
    on: bool,
    io: &mut Streams<'_>,
) -> Result<(ImportReport, Vec<usize>)> {
    let mut parsed: Vec<(usize, MailIn, Vec<u8>)> = Vec::new();
    let mut bounces: Vec<(usize, mail::Bounce)> = Vec::new();
    let mut problems = Vec::new();
    for (i, (source, raw)) in sources.into_iter().enumerate() {
        // A delivery report is about a letter the desk sent, never a
        // customer's problem: it marks that letter, it makes no ticket.
        if let Some(bounce) = mail::bounce_of(&raw) {
            bounces.push((i, bounce));
            continue;
        }
        match mail::parse(&raw) {
            Ok(m) => parsed.push((i, m, raw)),
            Err(e) => problems.push(Problem::new(
                0,
                Issue::File(source, Box::new(Issue::Mail(e))),
            )),
        }
    }
    if !problems.is_empty() && !flags.skip_bad {
        return Err(Error::Import {
            file: label.to_string(),
            problems,
        });
    }
    let mut report = ImportReport {
        skipped: problems,
        ..ImportReport::default()
    };
    if flags.dry_run {
        report.bounces_unknown = bounces.len();
        // What the import would do, message by message, as it would do it.
        for (i, m, _) in &parsed {
            match desk.plan_mail(m)? {
                MailOutcome::Created { .. } => report.planned.push((i + 1, m.subject.clone())),
                MailOutcome::Reply { ticket, .. } => report.replies.push(ticket),
                MailOutcome::Duplicate => report.unchanged += 1,
            }
        }
        return Ok((report, Vec::new()));
    }
    let total = parsed.len();
    let mut bar = Bar { err: io.err, on };
    let mut done = Vec::new();
    for (i, bounce) in &bounces {
        match desk.record_bounce(bounce)? {
            BounceOutcome::Recorded { ticket, .. } => report.bounced.push(ticket),
            BounceOutcome::Unknown => report.bounces_unknown += 1,
        }
        done.push(*i);
    }
    for (n, (i, m, raw)) in parsed.into_iter().enumerate() {
        let outcome = desk.import_mail(&m, &raw)?;
        match outcome {
            MailOutcome::Created { ticket, .. } => report.created.push(ticket),
            MailOutcome::Reply { ticket, .. } => report.replies.push(ticket),
            MailOutcome::Duplicate => report.unchanged += 1,
        }
        report.customers += usize::from(outcome.new_customer());
        done.push(i);
        if n % 50 == 49 || n + 1 == total {
            bar.draw(n + 1, total);
        }
    }
    Ok((report, done))
}

fn print_report(
    file: &str,
    report: &ImportReport,
    flags: ImportFlags,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    if flags.json {
        return json(io.out, report);
    }
    let cat = &s.cat;
    let clean = |t: &str| crate::text::sanitize_line(t).into_owned();
    if flags.dry_run {
        line(
            io.out,
            &cat.f(
                "cli.import_dry",
                &[
                    ("file", &clean(file)),
                    ("count", &report.planned.len()),
                    ("replies", &report.replies.len()),
                    ("unchanged", &report.unchanged),
                ],
            ),
        )?;
        for (at, title) in &report.planned {
            line(
                io.out,
                &cat.f(
                    "cli.import_planned",
                    &[("line", at), ("title", &clean(title))],
                ),
            )?;
        }
    } else {
        line(
            io.out,
            &cat.f(
                "cli.import_done",
                &[
                    ("file", &clean(file)),
                    ("created", &report.created.len()),
                    ("replies", &report.replies.len()),
                    ("unchanged", &report.unchanged),
                    ("customers", &report.customers),
                ],
            ),
        )?;
    }
    if !report.bounced.is_empty() {
        let tickets: Vec<String> = report.bounced.iter().map(|t| format!("#{t}")).collect();
        line(
            io.out,
            &cat.f(
                "cli.import_bounced",
                &[
                    ("count", &report.bounced.len()),
                    ("tickets", &tickets.join(", ")),
                ],
            ),
        )?;
    }
    if report.bounces_unknown > 0 {
        let key = if flags.dry_run {
            "cli.import_bounces_would"
        } else {
            "cli.import_bounces_unknown"
        };
        line(io.out, &cat.f(key, &[("count", &report.bounces_unknown)]))?;
    }
    if !report.columns_left_out.is_empty() {
        let columns: Vec<String> = report.columns_left_out.iter().map(|c| clean(c)).collect();
        line(
            io.out,
            &cat.f(
                "cli.import_columns_left_out",
                &[("columns", &columns.join(", "))],
            ),
        )?;
    }
    if !report.types_added.is_empty() {
        let key = if flags.dry_run {
            "cli.import_types_would_add"
        } else {
            "cli.import_types_added"
        };
        line(
            io.out,
            &cat.f(key, &[("types", &report.types_added.join(", "))]),
        )?;
    }
    if !report.skipped.is_empty() {
        line(
            io.out,
            &cat.f("cli.import_skipped", &[("count", &report.skipped.len())]),
        )?;
        for p in &report.skipped {
            let what = clean(&issue_text(cat, &p.issue));
            let text = if p.at == 0 {
                format!("  {what}")
            } else {
                format!("  {}:{}: {what}", clean(file), p.at)
            };
            line(io.out, &text)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_mbox_splits_at_from_lines_and_unquotes_them() {
        let mbox = b"From a@x Mon Nov 23 10:00:00 2026\nSubject: one\n\n>From here\nbody\nFrom b@y Mon Nov 23 11:00:00 2026\nSubject: two\n\nbye\n";
        let messages = split_mbox(&mbox[..], 1 << 20, 1 << 20).expect("splits");
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0], b"Subject: one\n\nFrom here\nbody\n");
        assert_eq!(messages[1], b"Subject: two\n\nbye\n");
    }

    #[test]
    fn an_endless_mbox_or_message_stops_at_its_limit() {
        let mut one = b"From a@x\n".to_vec();
        one.extend(std::iter::repeat_n(b'x', 5000));
        assert!(matches!(
            split_mbox(&one[..], 1000, 1 << 20),
            Err(MboxError::TooLarge(1000))
        ));
        let many = b"From a@x\nshort\n".repeat(1000);
        assert!(matches!(
            split_mbox(&many[..], 1000, 4000),
            Err(MboxError::TooLarge(4000))
        ));
        // A device without end never runs out of memory.
        let zero = std::io::BufReader::new(std::io::Read::take(std::io::repeat(b'F'), 1 << 24));
        assert!(split_mbox(zero, 1 << 16, 1 << 20).is_err());
    }
}
