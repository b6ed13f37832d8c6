//! `tdesk kb …`: the knowledge base from the command line — add (from a
//! resolved ticket, a file, flags or the editor), list, show, search, edit,
//! rm, suggest for a ticket, record which article solved a ticket, and
//! export/import as a folder of Markdown files.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::args::{KbAddArgs, KbCommand, ReportCommand};
use super::output::{self, Table, block, line};
use super::{Session, Streams, text_arg};
use crate::domain::{Article, Category, Visibility};
use crate::error::{Error, Result};
use crate::interchange::kb::write_article;
use crate::present::markdown;
use crate::service::{Desk, KbHit};
use crate::text::sanitize_line;

#[derive(Serialize)]
struct HitJson<'a> {
    id: &'a str,
    lang: &'a str,
    title: &'a str,
    category: Option<&'a str>,
    visibility: &'a str,
    helpful: i64,
    score: f64,
}

fn hit_json(h: &KbHit) -> HitJson<'_> {
    let a = &h.article;
    HitJson {
        id: &a.slug,
        lang: &a.lang,
        title: &a.title,
        category: a.category.as_ref().map(Category::as_str),
        visibility: a.visibility.as_str(),
        helpful: a.helpful,
        score: (h.score * 100.0).round() / 100.0,
    }
}

pub fn run(desk: &mut Desk, c: KbCommand, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    match c {
        KbCommand::List {
            category,
            lang,
            json,
        } => {
            let list = desk.kb_list(category.as_deref(), lang.as_deref())?;
            let hits: Vec<KbHit> = list
                .into_iter()
                .map(|article| KbHit {
                    article,
                    score: 0.0,
                })
                .collect();
            print_hits(desk, &hits, json, s, io)
        }
        KbCommand::Search { text, lang, json } => {
            let hits = desk.kb_search(&text.join(" "), lang.as_deref())?;
            print_hits(desk, &hits, json, s, io)
        }
        KbCommand::Suggest { id, json } => {
            let hits = desk.kb_suggest(id.0)?;
            print_hits(desk, &hits, json, s, io)
        }
        KbCommand::Show {
            id,
            lang,
            raw,
            json,
        } => {
            let a = desk.kb_article(&id, lang.as_deref())?;
            if json {
                return output::json(io.out, &a);
            }
            if raw {
                return block(io.out, &write_article(&a), "");
            }
            show(desk, &a, s, io)
        }
        KbCommand::Add(a) => {
            // Without --language, the language the title (or the
            // ticket it comes from) is written in, not the interface's.
            let lang = a.lang.as_deref();
            let text = match (&a.file, &a.body) {
                (Some(f), _) => crate::userfile::read_text(f)?,
                (None, Some(body)) => {
                    let body = text_arg(body, io)?;
                    flags_article(desk, &a, lang, &body)?
                }
                (None, None) => {
                    let draft = desk.kb_draft(a.title.as_deref(), lang, a.from.map(|n| n.0))?;
                    match edit(&draft, s)? {
                        Some(text) => text,
                        None => return line(io.out, s.cat.t("kb.not_saved")),
                    }
                }
            };
            let a = desk.kb_add(&text, "article")?;
            line(
                io.out,
                &s.cat.f("kb.saved", &[("id", &a.slug), ("lang", &a.lang)]),
            )
        }
        KbCommand::Edit { id, lang, file } => {
            let current = desk.kb_article(&id, lang.as_deref())?;
            let text = match file {
                Some(f) => crate::userfile::read_text(&f)?,
                None => match edit(&write_article(&current), s)? {
                    Some(text) => text,
                    None => return line(io.out, s.cat.t("kb.not_saved")),
                },
            };
            let a = desk.kb_edit(&id, &text, &id)?;
            line(
                io.out,
                &s.cat.f("kb.saved", &[("id", &a.slug), ("lang", &a.lang)]),
            )
        }
        KbCommand::Rm { id, lang } => {
            let n = desk.kb_remove(&id, lang.as_deref())?;
            line(
                io.out,
                &s.cat.f("kb.removed", &[("id", &id), ("count", &n)]),
            )
        }
        KbCommand::Solved { ticket, id } => {
            desk.kb_solved(ticket.0, &id)?;
            line(
                io.out,
                &s.cat.f("kb.solved", &[("ticket", &ticket.0), ("id", &id)]),
            )
        }
        KbCommand::Export { dir } => {
            let files = desk.kb_export()?;
            crate::userfile::create_dir_all(&dir)?;
            for (name, text) in &files {
                crate::userfile::write(
                    &dir.join(name),
                    text.as_bytes(),
                    crate::userfile::Overwrite::Replace,
                )?;
            }
            line(
                io.out,
                &s.cat.f(
                    "kb.exported",
                    &[("count", &files.len()), ("dir", &dir.display())],
                ),
            )
        }
        KbCommand::Import { paths } => {
            let files = read_article_files(&paths)?;
            let r = desk.kb_import(&files)?;
            line(
                io.out,
                &s.cat.f(
                    "kb.imported",
                    &[
                        ("added", &r.added),
                        ("updated", &r.updated),
                        ("unchanged", &r.unchanged),
                    ],
                ),
            )
        }
    }
}

/// An article file made from `kb add` flags.
fn flags_article(desk: &Desk, a: &KbAddArgs, lang: Option<&str>, body: &str) -> Result<String> {
    let title = a
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .ok_or(Error::Empty("field.title"))?;
    let draft = desk.kb_draft(Some(title), lang, a.from.map(|n| n.0))?;
    let doc = crate::interchange::kb::parse_article(&draft).map_err(|e| Error::FileLine {
        file: "draft".into(),
        line: e.line,
        key: e.key,
        value: e.value,
    })?;
    let category = match &a.category {
        Some(c) => Some(Category::parse(c)?),
        None => doc.category.and_then(|c| Category::parse(&c).ok()),
    };
    let now = chrono::Utc::now();
    let article = Article {
        slug: doc.id,
        lang: doc.lang,
        title: doc.title,
        body: body.to_string(),
        category,
        tags: a
            .tags
            .as_ref()
            .map(|t| {
                t.split([',', ' '])
                    .filter(|x| !x.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or(doc.tags),
        visibility: if a.shareable {
            Visibility::Shareable
        } else {
            Visibility::Internal
        },
        author: doc.author.unwrap_or_default(),
        created_at: now,
        updated_at: now,
        updated_by: String::new(),
        helpful: 0,
        tickets: doc.tickets,
    };
    Ok(write_article(&article))
}

/// The member's editor on an article file; `None` when it comes back
/// unchanged or empty (nothing to store).
fn edit(text: &str, s: &Session) -> Result<Option<String>> {
    use std::io::IsTerminal;
    // No terminal to edit in (a script, a pipe): say what to give instead.
    if !std::io::stdin().is_terminal() {
        return Err(Error::NoEditorTerminal);
    }
    let command = crate::editor::editor_command(s.config.editor.as_deref());
    let edited = crate::editor::edit(text, &command)?;
    let changed = !edited.trim().is_empty() && edited.trim() != text.trim();
    Ok(changed.then_some(edited))
}

/// Markdown files named on the command line, or found in a folder.
fn read_article_files(paths: &[PathBuf]) -> Result<Vec<(String, String)>> {
    let mut found = Vec::new();
    for p in paths {
        if crate::userfile::is_plain_file(p) {
            found.push(p.clone());
        } else {
            // In a folder, plain files only: a link planted there could
            // point at any file of the member's.
            let mut in_dir: Vec<PathBuf> = crate::userfile::list_dir(p)?
                .into_iter()
                .filter(|f| f.extension().is_some_and(|e| e == "md"))
                .filter(|f| crate::userfile::is_plain_file(f))
                .collect();
            in_dir.sort();
            found.extend(in_dir);
        }
    }
    found
        .iter()
        .map(|p| Ok((shown(p), crate::userfile::read_text(p)?)))
        .collect()
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

fn print_hits(
    desk: &Desk,
    hits: &[KbHit],
    json: bool,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    if json {
        let doc: Vec<HitJson> = hits.iter().map(hit_json).collect();
        return output::json(io.out, &doc);
    }
    if hits.is_empty() {
        return line(io.out, s.cat.t("kb.none"));
    }
    let cat = &s.cat;
    let mut t = Table::new(&[
        cat.t("col.article"),
        cat.t("col.lang"),
        cat.t("col.title"),
        cat.t("col.category"),
        cat.t("col.visibility"),
    ]);
    for h in hits {
        let a = &h.article;
        t.push(vec![
            a.slug.clone(),
            a.lang.clone(),
            a.title.clone(),
            crate::present::category_label(
                desk.workflow(),
                cat,
                a.category.as_ref().map(Category::as_str),
            ),
            cat.t(&format!("visibility.{}", a.visibility.as_str()))
                .to_string(),
        ]);
    }
    io.out
        .write_all(t.render(s.width).as_bytes())
        .map_err(output::io)
}

fn show(desk: &Desk, a: &Article, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let cat = &s.cat;
    line(io.out, &sanitize_line(&a.title))?;
    let facts = markdown::article_facts(desk.workflow(), cat, a, &chrono::Local);
    line(io.out, &facts)?;
    if !a.tickets.is_empty() {
        let list: Vec<String> = a.tickets.iter().map(|t| format!("#{t}")).collect();
        line(
            io.out,
            &cat.f("kb.from_tickets", &[("list", &list.join(" "))]),
        )?;
    }
    line(io.out, "")?;
    let cols = s.width.unwrap_or(80).max(20);
    for l in markdown::render(&a.body, cols) {
        line(io.out, &l.text)?;
    }
    Ok(())
}

/// `tdesk report weekly` (`weekly`) or `tdesk report tickets`.
fn period_report(
    desk: &Desk,
    weekly: bool,
    (period, format, out): (&super::args::PeriodArgs, &str, Option<&std::path::Path>),
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let asked = super::report::Asked {
        period,
        format,
        out,
    };
    if weekly {
        super::report::weekly(desk, &asked, s, io)
    } else {
        super::report::tickets(desk, &asked, s, io)
    }
}

/// `tdesk report ticket N`: the resolution report, to standard output or a file.
pub fn report(desk: &mut Desk, c: ReportCommand, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let (id, format, out) = match c {
        ReportCommand::Ticket { id, format, out } => (id, format, out),
        ReportCommand::Weekly {
            period,
            format,
            out,
        } => return period_report(desk, true, (&period, &format, out.as_deref()), s, io),
        ReportCommand::Tickets {
            period,
            format,
            out,
        } => return period_report(desk, false, (&period, &format, out.as_deref()), s, io),
    };
    let detail = desk.detail(id.0)?;
    let clocks = desk.sla_clocks(id.0).ok();
    let article = detail
        .ticket
        .closure
        .solved_by
        .as_deref()
        .and_then(|slug| desk.kb_article(slug, Some(s.cat.lang().code())).ok());
    let automations = desk.automation_labels();
    let report = crate::present::ticket_report::TicketReport {
        detail: &detail,
        clocks: clocks.as_ref(),
        article: article.as_ref(),
        automations: &automations,
        now: desk.now(),
    };
    let wf = desk.workflow();
    let text = match format.trim().to_ascii_lowercase().as_str() {
        "md" | "markdown" => {
            crate::present::ticket_report::markdown(wf, &s.cat, &report, &chrono::Local)
        }
        "html" => crate::present::ticket_report::html(wf, &s.cat, &report, &chrono::Local),
        other => {
            return Err(Error::UnknownValue {
                field: "format",
                value: other.to_string(),
                known: "md, html".into(),
            });
        }
    };
    match out {
        Some(path) => {
            crate::userfile::write(&path, text.as_bytes(), crate::userfile::Overwrite::Replace)?;
            line(
                io.out,
                &s.cat.f("report.written", &[("file", &path.display())]),
            )
        }
        None => io.out.write_all(text.as_bytes()).map_err(output::io),
    }
}
