//! `tdesk import csv|json|eml|mbox|maildir`: read and check the whole
//! input first (a file with a problem imports nothing unless --skip-bad),
//! then hand it to the desk in chunks, with a progress bar on a terminal.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::args::{ImportCommand, ImportFlags};
use super::output::{json, line};
use super::{Session, Streams};
use crate::error::{Error, Result, issue_text};
use crate::interchange::mail::{self, MailIn, hex};
use crate::interchange::{Issue, Problem, csv, json as tdesk_json, mapping};
use crate::service::{Desk, ImportOptions, ImportReport, MailOutcome};

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| io_error(path, e))
}

fn options(f: ImportFlags) -> ImportOptions {
    ImportOptions {
        dry_run: f.dry_run,
        skip_bad: f.skip_bad,
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
            flags,
        } => {
            let name = file.display().to_string();
            let report = {
                let mut bar = Bar { err: io.err, on };
                let source = CsvSource {
                    file: &file,
                    map: map.as_deref(),
                    encoding: encoding.as_deref(),
                };
                import_csv(desk, &source, flags, &mut bar)?
            };
            print_report(&name, &report, flags, s, io)
        }
        ImportCommand::Json { file, flags } => {
            let name = file.display().to_string();
            let bytes = read(&file)?;
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
                sources.push((f.display().to_string(), read(f)?));
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
                sources.push((p.display().to_string(), read(p)?));
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

/// A CSV file to import, its map file and its encoding, when given.
struct CsvSource<'a> {
    file: &'a Path,
    map: Option<&'a Path>,
    encoding: Option<&'a str>,
}

fn import_csv(
    desk: &mut Desk,
    source: &CsvSource<'_>,
    flags: ImportFlags,
    bar: &mut Bar<'_>,
) -> Result<ImportReport> {
    let (file, map_file) = (source.file, source.map);
    let name = file.display().to_string();
    let fail = |problems: Vec<Problem>| Error::Import {
        file: name.clone(),
        problems,
    };
    let bytes = read(file)?;
    let table = csv::parse_as(&bytes, source.encoding)
        .map_err(|e| fail(vec![Problem::new(e.line, Issue::Csv(e.kind))]))?;
    let map = match map_file {
        Some(p) => {
            let text =
                String::from_utf8(read(p)?).map_err(|_| Error::NotUtf8(p.display().to_string()))?;
            mapping::parse_map(&text).map_err(|message| Error::Config {
                file: p.display().to_string(),
                message,
            })?
        }
        None => mapping::detect(&table.header),
    };
    let wrong: Vec<Problem> = mapping::check_map(&map, &table.header)
        .into_iter()
        .map(|p| Problem::new(p.line, Issue::Map(p.message)))
        .collect();
    // A map that does not fit the file fails every row: never skipped.
    if !wrong.is_empty() {
        return Err(fail(wrong));
    }
    // Rows without an id column are known by their content, so importing
    // the same file again creates nothing.
    let (rows, bad) = mapping::map_rows(&table, &map, |row| {
        let digest = Sha256::digest(row.cells.join("\u{1f}").as_bytes());
        format!("csv:{}", &hex(&digest)[..24])
    });
    let problems = bad
        .into_iter()
        .map(|p| Problem::new(p.line, Issue::Map(p.message)))
        .collect();
    desk.import_rows(&name, rows, problems, options(flags), &mut |d, t| {
        bar.draw(d, t)
    })
}

/// Reads every message of an mbox, labelled `FILE #N`.
fn read_mbox(file: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let f = std::fs::File::open(file).map_err(|e| io_error(file, e))?;
    let mut out = Vec::new();
    for (i, m) in
        mail_parser::mailbox::mbox::MessageIterator::new(std::io::BufReader::new(f)).enumerate()
    {
        let m = m.map_err(|e| io_error(file, e))?;
        out.push((
            format!("{} #{}", file.display(), i + 1),
            m.unwrap_contents(),
        ));
    }
    Ok(out)
}

/// The messages waiting in a Maildir's new/, oldest name first.
fn maildir_new(dir: &Path) -> Result<Vec<PathBuf>> {
    let new = dir.join("new");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&new)
        .map_err(|e| io_error(&new, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    paths.sort();
    Ok(paths)
}

/// new/NAME → cur/NAME:2,S (seen), as a mail reader would.
fn move_to_cur(dir: &Path, path: &Path) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let info = if name.contains(":2,") { "" } else { ":2,S" };
    let cur = dir.join("cur");
    if !cur.exists() {
        std::fs::create_dir_all(&cur).map_err(|e| io_error(&cur, e))?;
    }
    let target = cur.join(format!("{name}{info}"));
    std::fs::rename(path, &target).map_err(|e| io_error(&target, e))
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
    let mut problems = Vec::new();
    for (i, (source, raw)) in sources.into_iter().enumerate() {
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
        report.planned = parsed
            .iter()
            .map(|(i, m, _)| (i + 1, m.subject.clone()))
            .collect();
        return Ok((report, Vec::new()));
    }
    let total = parsed.len();
    let mut bar = Bar { err: io.err, on };
    let mut done = Vec::new();
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
