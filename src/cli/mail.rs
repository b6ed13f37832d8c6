//! `tdesk mail`, `tdesk attachment` and `tdesk replies`: the outgoing
//! mail queue and its settings, a ticket's files, canned replies.

use std::path::PathBuf;

use super::args::{AttachmentCommand, MailCommand, RepliesCommand};
use super::output::{self, Table, json, line};
use super::{Session, Streams};
use crate::error::{Error, Result};
use crate::present::human_size;
use crate::service::Desk;
use crate::text::sanitize_line;
use crate::userfile;

/// "25MB", "500k", "1048576" → bytes.
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_lowercase();
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    let n: u64 = digits.parse().ok()?;
    let unit = t[digits.len()..]
        .trim()
        .trim_end_matches("ib")
        .trim_end_matches('b');
    let factor = match unit {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(factor)
}

pub fn mail(desk: &mut Desk, c: MailCommand, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let cat = &s.cat;
    match c {
        MailCommand::Show => {
            let m = desk.mail_settings()?;
            let none = cat.t("mail.not_set").to_string();
            let admin = desk.me()?.role == crate::domain::Role::Admin;
            let command = match crate::mailer::command(desk, &s.mail_commands()) {
                Ok(Some((text, source))) => {
                    let key = match source {
                        crate::mailer::CommandSource::System => "mail.from_system",
                        crate::mailer::CommandSource::Own => "mail.from_own",
                        crate::mailer::CommandSource::Desk => "mail.from_desk",
                    };
                    // It may hold credentials: its text is for admins, and
                    // for the member whose own config it is.
                    let shown = admin || source == crate::mailer::CommandSource::Own;
                    let text = if shown {
                        text
                    } else {
                        cat.t("mail.hidden").to_string()
                    };
                    format!("{text} {}", cat.t(key))
                }
                Ok(None) => none.clone(),
                Err(e) => e.message(cat),
            };
            let sender = match &m.sender {
                Some(login) => login.clone(),
                None => cat.t("mail.no_sender").to_string(),
            };
            let mut rows = vec![
                (
                    cat.t("mail.from").to_string(),
                    m.from.unwrap_or(none.clone()),
                ),
                (cat.t("mail.sender").to_string(), sender),
                (cat.t("mail.command").to_string(), command),
            ];
            if m.command.is_some() && !m.private {
                rows.push((
                    cat.t("mail.note").to_string(),
                    cat.t("mail.desk_command_ignored").to_string(),
                ));
            }
            rows.push((
                cat.t("mail.attachment_limit").to_string(),
                human_size(m.attachment_limit),
            ));
            rows.push((
                cat.t("mail.queue").to_string(),
                cat.f(
                    "mail.queue_counts",
                    &[("waiting", &m.waiting), ("failing", &m.failing)],
                ),
            ));
            output::fields(io.out, &rows)
        }
        MailCommand::Set {
            from,
            command,
            sender,
            attachment_limit,
        } => {
            if from.is_some() || command.is_some() {
                desk.set_mail(from.as_deref(), command.as_deref())?;
            }
            if let Some(login) = sender {
                desk.set_mail_sender(&login)?;
            }
            if let Some(limit) = attachment_limit {
                let bytes = parse_size(&limit).ok_or_else(|| {
                    Error::Invalid(crate::domain::InvalidValue::new(
                        "attachment",
                        &limit,
                        "a size like 25MB or 500KB",
                    ))
                })?;
                desk.set_attachment_limit(bytes)?;
            }
            line(io.out, cat.t("mail.saved"))
        }
        MailCommand::Send => {
            let done = crate::mailer::send_due(desk, &s.mail_commands())?;
            line(
                io.out,
                &cat.f(
                    "mail.sent",
                    &[("sent", &done.sent), ("failed", &done.failed)],
                ),
            )?;
            // Non-zero for cron and scripts: something needs a look.
            match done.failed {
                0 => Ok(()),
                n => Err(Error::MailUndelivered(n)),
            }
        }
        MailCommand::Queue { id } => {
            let list = desk.mail_queue(id)?;
            let mut t = Table::new(&[
                cat.t("col.number"),
                cat.t("mail.ticket"),
                cat.t("mail.to"),
                cat.t("mail.state"),
                cat.t("mail.error"),
            ])
            .flex(4);
            for m in list {
                let withdrawn = m.error.as_deref().is_some_and(crate::domain::is_withdrawn);
                let bounced = m.error.as_deref().is_some_and(crate::domain::is_bounced);
                let state = match m.sent_at {
                    _ if bounced => cat.t("mail.state_bounced").to_string(),
                    Some(at) => cat.f("mail.state_sent", &[("at", &at.format("%Y-%m-%d %H:%M"))]),
                    None if withdrawn => cat.t("mail.state_withdrawn").to_string(),
                    None => cat.f("mail.state_waiting", &[("attempts", &m.attempts)]),
                };
                t.push(vec![
                    m.id.to_string(),
                    format!("#{}", m.ticket),
                    sanitize_line(&m.recipient).into_owned(),
                    state,
                    sanitize_line(m.error.as_deref().unwrap_or("")).into_owned(),
                ]);
            }
            line(io.out, t.render(s.width).trim_end())
        }
        MailCommand::Retry { id } => {
            desk.retry_mail(id)?;
            line(io.out, &cat.f("mail.retrying", &[("id", &id)]))
        }
    }
}

pub fn attachment(
    desk: &mut Desk,
    c: AttachmentCommand,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let cat = &s.cat;
    match c {
        AttachmentCommand::List { id, json: as_json } => {
            let list = desk.attachments(id)?;
            if as_json {
                return json(io.out, &list);
            }
            let mut t = Table::new(&[
                cat.t("col.number"),
                cat.t("attachment.name"),
                cat.t("attachment.type"),
                cat.t("attachment.size"),
            ])
            .flex(1);
            for a in list {
                t.push(vec![
                    a.id.to_string(),
                    sanitize_line(&a.name).into_owned(),
                    sanitize_line(&a.mime).into_owned(),
                    human_size(a.size),
                ]);
            }
            line(io.out, t.render(s.width).trim_end())
        }
        AttachmentCommand::Save { id, out, force } => {
            let (a, bytes) = desk.attachment_content(id)?;
            // The stored name is safe already; made safe again, in case it
            // came from an import that was not.
            let target = out.unwrap_or_else(|| {
                PathBuf::from(crate::interchange::mail::safe_file_name(&a.name))
            });
            let overwrite = if force {
                userfile::Overwrite::Replace
            } else {
                userfile::Overwrite::Never
            };
            userfile::write(&target, &bytes, overwrite)?;
            line(
                io.out,
                &cat.f("attachment.saved", &[("file", &target.display())]),
            )
        }
        AttachmentCommand::Open { id } => {
            let (a, bytes) = desk.attachment_to_open(id)?;
            crate::hook::open_with_system(&a.name, &bytes)
        }
        AttachmentCommand::Add { ticket, file } => {
            let bytes = userfile::read(&file, desk.attachment_limit()?)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "file".into());
            let id = desk.attach(ticket, &name, crate::domain::mime_for(&name), &bytes)?;
            line(
                io.out,
                &cat.f("attachment.added", &[("id", &id), ("ticket", &ticket)]),
            )
        }
    }
}

pub fn replies(
    desk: &mut Desk,
    c: RepliesCommand,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let read = super::admin::read_source;
    match c {
        RepliesCommand::Show => output::source(io.out, &desk.replies_source()?, s.width.is_some()),
        RepliesCommand::Check { file } => super::rules::check_file(
            io,
            &s.cat,
            &file,
            "replies.ok",
            |text| crate::rules::canned::parse(text).map(|r| r.len()),
            |file, errors| Error::Replies { file, errors },
        ),
        RepliesCommand::Set { file } => {
            let count = desk.set_replies(&read(&file)?, &file.display().to_string())?;
            line(
                io.out,
                &s.cat.f(
                    "replies.set",
                    &[("file", &file.display()), ("count", &count)],
                ),
            )
        }
        RepliesCommand::Fill { name, id } => {
            let text = desk.fill_reply(&name, id)?;
            output::block(io.out, &crate::text::sanitize_block(&text), "")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_common_units() {
        assert_eq!(parse_size("25MB"), Some(25 << 20));
        assert_eq!(parse_size("500 KiB"), Some(500 << 10));
        assert_eq!(parse_size("1024"), Some(1024));
        assert_eq!(parse_size("lots"), None);
    }
}
