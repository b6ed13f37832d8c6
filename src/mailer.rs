//! Sending mail: each due letter is written as an RFC 5322 message (UTF-8
//! headers as RFC 2047 encoded words, the body base64) and piped to a
//! sendmail-compatible command (`msmtp -t`, `sendmail -t`), which reads the
//! recipients from the headers. A failure is recorded on the letter and
//! tried again later, never lost.
//!
//! Who sends, and with what: only the desk's mail sender (see
//! [`Desk::require_mail_sender`]) — on a team desk the one account an admin
//! named, which runs `tdesk mail send` from its cron; everybody else's
//! replies wait in the queue. The command comes from the system config
//! (root's) or the sender's own config; a command kept in the desk is run
//! only on a private desk, where nobody else could have put it there. On a
//! team desk it must name its program by absolute path.

use std::time::Duration;

use crate::error::{Error, Result};
use crate::service::{Desk, Letter};

/// Longest the command may take for one message.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);
/// Letters per run.
const BATCH: usize = 50;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub failed: usize,
}

/// What the sending account's configs say about mail: the commands, and
/// whether the account agreed to send (outside the desk, which other
/// members can change).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailCommands {
    /// `mail_command` of /etc/tdesk/config.toml.
    pub system: Option<String>,
    /// `mail_command` of the account's own config.
    pub own: Option<String>,
    /// `mail_sender` of /etc/tdesk/config.toml: the login root lets send.
    pub system_sender: Option<String>,
    /// `mail_sender` of the account's own config: its own login, to agree.
    pub own_sender: Option<String>,
}

/// Whether this account agreed, outside the desk, to send the desk's mail:
/// on a team desk the desk's own setting (`mail set --sender`) only names
/// an account, which must also say so itself (`mail_sender = "LOGIN"` in
/// its config) or be named by root (in /etc/tdesk/config.toml). Otherwise
/// any member who can write the desk could make another member's account
/// send mail — through that account's mail program and credentials.
pub fn agreed(desk: &Desk, commands: &MailCommands) -> bool {
    let me = Some(desk.login());
    desk.is_private()
        || commands.system_sender.as_deref() == me
        || commands.own_sender.as_deref() == me
}

/// Where the command in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandSource {
    System,
    Own,
    Desk,
}

/// The command this account sends with, and where it comes from: the
/// system config, then its own config, then — on a private desk only — the
/// desk's setting. On a team desk it must start with an absolute path.
pub fn command(desk: &Desk, commands: &MailCommands) -> Result<Option<(String, CommandSource)>> {
    let clean = |c: &Option<String>| c.clone().filter(|c| !c.trim().is_empty());
    let chosen = match (clean(&commands.system), clean(&commands.own)) {
        (Some(c), _) => Some((c, CommandSource::System)),
        (None, Some(c)) => Some((c, CommandSource::Own)),
        (None, None) => desk.desk_mail_command()?.map(|c| (c, CommandSource::Desk)),
    };
    if let Some((c, _)) = &chosen
        && !desk.is_private()
        && !c.trim_start().starts_with('/')
    {
        return Err(Error::MailCommandNotAbsolute(c.clone()));
    }
    Ok(chosen)
}

/// Sends every letter that is due, as the desk's mail sender (anyone else
/// gets [`Error::NotMailSender`] and sends nothing). Without a command each
/// due letter is marked failed with that reason (and kept).
pub fn send_due(desk: &mut Desk, commands: &MailCommands) -> Result<Sent> {
    desk.require_mail_sender()?;
    if !agreed(desk, commands) {
        return Err(Error::SenderNotAgreed(desk.login().to_string()));
    }
    let command = command(desk, commands)?.map(|(c, _)| c);
    let settings = desk.mail_settings()?;
    let mut done = Sent::default();
    let letters = match desk.mail_due(BATCH) {
        Err(Error::MailNotConfigured) if settings.waiting == 0 => return Ok(done),
        other => other?,
    };
    for letter in letters {
        // Longer than one try may take: a sender killed mid-way leaves the
        // letter to the next run after the lease, not lost.
        if !desk.claim_mail(letter.id, SEND_TIMEOUT * 2)? {
            continue;
        }
        let outcome = match (&letter.problem, &command) {
            (Some(problem), _) => Err(problem.clone()),
            (None, _) if !crate::service::plain_address(&letter.to) => {
                Err(format!("{:?} is not an address a letter can go to", letter.to))
            }
            (None, Some(command)) => {
                crate::hook::run_piped(command, render(&letter).as_bytes(), SEND_TIMEOUT)
            }
            (None, None) => Err(
                "no mail command (mail_command in /etc/tdesk/config.toml or in the sender's config)"
                    .to_string(),
            ),
        };
        match outcome {
            Ok(()) => {
                desk.mail_delivered(letter.id)?;
                done.sent += 1;
            }
            Err(e) => {
                desk.mail_undelivered(letter.id, &e)?;
                done.failed += 1;
            }
        }
    }
    Ok(done)
}

/// The whole message, CRLF line ends.
pub fn render(l: &Letter) -> String {
    let mut h = vec![
        format!("From: {}", address_header(&l.from)),
        format!("To: {}", one_line(&l.to)),
        format!("Subject: {}", encode_word(&l.subject)),
        format!("Date: {}", l.date.to_rfc2822()),
        format!("Message-ID: <{}>", l.message_id),
    ];
    // Message-IDs came in with the customer's mail: only well-formed ones
    // reach a header, never raw text (a CR there starts a header of its own).
    if let Some(parent) = l.in_reply_to.as_deref().filter(|id| is_msg_id(id)) {
        h.push(format!("In-Reply-To: <{parent}>"));
    }
    let refs: Vec<String> = l
        .references
        .iter()
        .filter(|r| is_msg_id(r))
        .map(|r| format!("<{r}>"))
        .collect();
    // The newest are the ones that thread; a hundred thousand would not.
    let refs = &refs[refs.len().saturating_sub(MAX_REFERENCES)..];
    if !refs.is_empty() {
        h.push(format!("References: {}", refs.join("\r\n ")));
    }
    h.push("MIME-Version: 1.0".into());
    h.push(format!("X-Tdesk-Ticket: {}", l.ticket));
    let text = base64_lines(l.body.replace('\n', "\r\n").as_bytes());
    if l.files.is_empty() {
        h.push("Content-Type: text/plain; charset=UTF-8".into());
        h.push("Content-Transfer-Encoding: base64".into());
        return format!("{}\r\n\r\n{text}\r\n", h.join("\r\n"));
    }
    // Base64 never contains "=_", so the boundary cannot occur in a part.
    let boundary = format!("=_tdesk_{}", l.id);
    h.push(format!(
        "Content-Type: multipart/mixed; boundary=\"{boundary}\""
    ));
    let mut out = format!("{}\r\n\r\n", h.join("\r\n"));
    out.push_str(&format!(
        "--{boundary}\r\nContent-Type: text/plain; charset=UTF-8\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{text}\r\n"
    ));
    for f in &l.files {
        let mime = one_line(&f.mime);
        out.push_str(&format!(
            "--{boundary}\r\nContent-Type: {mime}; name=\"{name}\"\r\n\
             Content-Disposition: attachment; filename=\"{name}\"; filename*={star}\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{body}\r\n",
            name = quoted_name(&f.name),
            star = rfc2231(&f.name),
            body = base64_lines(&f.bytes),
        ));
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out
}

/// References kept in a letter's header.
const MAX_REFERENCES: usize = 20;

/// The inside of an RFC 5322 msg-id, `id-left@id-right`, as dot-atoms of
/// printable ASCII: no space, control, angle bracket or second `@`.
pub fn is_msg_id(id: &str) -> bool {
    let atom = |part: &str| {
        !part.is_empty()
            && !part.starts_with('.')
            && !part.ends_with('.')
            && !part.contains("..")
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~.".contains(&b))
    };
    id.len() <= 250
        && id
            .split_once('@')
            .is_some_and(|(left, right)| atom(left) && atom(right))
}

/// Base64 in lines of 76 characters, CRLF between them.
fn base64_lines(bytes: &[u8]) -> String {
    let encoded = base64(bytes);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    lines.join("\r\n")
}

/// A file name as a quoted parameter: ASCII with quotes escaped, anything
/// else as one RFC 2047 word (what Gmail and Thunderbird write and every
/// mail program reads; `filename*` carries the RFC 2231 form as well).
fn quoted_name(name: &str) -> String {
    let name = one_line(name);
    if name.is_ascii() {
        name.replace('\\', "\\\\").replace('"', "\\\"")
    } else {
        format!("=?UTF-8?B?{}?=", base64(name.as_bytes()))
    }
}

/// RFC 2231 `UTF-8''percent-encoded` form of a file name.
fn rfc2231(name: &str) -> String {
    let mut out = String::from("UTF-8''");
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// "Shop Support <s@x>" with the name encoded when it is not plain ASCII.
fn address_header(from: &str) -> String {
    let from = one_line(from);
    match from.rfind('<') {
        Some(i) if i > 0 => {
            let name = from[..i].trim().trim_matches('"');
            format!("{} {}", encode_word(name), &from[i..])
        }
        _ => from,
    }
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// RFC 2047: ASCII as it is; anything else as UTF-8 base64 words of at
/// most 75 characters each, folded onto continuation lines.
pub fn encode_word(text: &str) -> String {
    let text = one_line(text);
    if text.is_ascii() {
        return text;
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        // 45 bytes of UTF-8 make 60 base64 characters: 72 with the wrapper.
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn letter() -> Letter {
        Letter {
            id: 1,
            ticket: 42,
            from: "小店客服 <support@shop.example>".into(),
            to: "lena@example.de".into(),
            subject: "Re: [#42] 包裹还没到 — parcel".into(),
            body: "您好，\n已补发。".into(),
            message_id: "tdesk.42.7.1@shop.example".into(),
            in_reply_to: Some("abc@mail.example".into()),
            references: vec!["abc@mail.example".into()],
            date: chrono::Utc
                .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .expect("date"),
            files: Vec::new(),
            problem: None,
        }
    }

    #[test]
    fn files_go_as_attachments_that_read_back_whole() {
        let mut l = letter();
        let pdf = b"%PDF-1.4\n\x00\xff binary".to_vec();
        l.files = vec![
            crate::service::LetterFile {
                name: "退货标签 label.pdf".into(),
                mime: "application/pdf".into(),
                bytes: pdf.clone(),
            },
            crate::service::LetterFile {
                name: "a\"b.txt".into(),
                mime: "text/plain".into(),
                bytes: b"hello".to_vec(),
            },
        ];
        let raw = render(&l);
        assert!(raw.contains("multipart/mixed"));
        let parsed = crate::interchange::mail::parse(raw.as_bytes()).expect("parses");
        assert_eq!(parsed.text, "您好，\n已补发。");
        let names: Vec<&str> = parsed.attachments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["退货标签 label.pdf", "a\"b.txt"]);
        assert_eq!(parsed.attachments[0].bytes, pdf);
        assert!(raw.lines().all(|line| line.len() <= 998));
    }

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn a_rendered_letter_reads_back_with_its_thread_and_text() {
        let raw = render(&letter());
        let parsed = crate::interchange::mail::parse(raw.as_bytes()).expect("our own mail parses");
        assert_eq!(parsed.subject, "Re: [#42] 包裹还没到 — parcel");
        assert_eq!(parsed.ticket_ref, Some(42));
        assert_eq!(parsed.from_address, "support@shop.example");
        assert_eq!(parsed.from_name.as_deref(), Some("小店客服"));
        assert_eq!(parsed.message_id, "tdesk.42.7.1@shop.example");
        assert_eq!(parsed.parents, ["abc@mail.example"]);
        assert_eq!(parsed.text, "您好，\n已补发。");
        assert!(
            raw.lines().all(|l| l.len() <= 998),
            "no line over the RFC limit"
        );
    }

    #[test]
    fn headers_cannot_be_injected_through_a_title() {
        let mut l = letter();
        l.subject = "Hi\r\nBcc: everyone@example.com".into();
        let raw = render(&l);
        assert!(!raw.contains("\r\nBcc:"));
    }

    #[test]
    fn message_ids_from_incoming_mail_never_inject_a_header() {
        let mut l = letter();
        l.in_reply_to = Some("a\rBcc: x@y".into());
        l.references = vec![
            "ok@mail.example".into(),
            "a\r\nBcc: spy@evil.example".into(),
            "nul\0@x.y".into(),
            "esc\u{1b}[2J@x.y".into(),
            "sp ace@x.y".into(),
            "<angle>@x.y".into(),
        ];
        let raw = render(&l);
        let head = raw.split("\r\n\r\n").next().expect("headers");
        assert!(!head.contains("Bcc"), "{head}");
        assert!(!head.contains('\0') && !head.contains('\u{1b}'), "{head}");
        assert!(!head.contains("In-Reply-To"), "{head}");
        assert!(head.contains("References: <ok@mail.example>"), "{head}");
        assert!(
            !head.contains("sp ace") && !head.contains("<angle>"),
            "{head}"
        );
        for line in head.split("\r\n") {
            assert!(!line.contains('\r') && !line.contains('\n'), "{line:?}");
        }
    }

    #[test]
    fn a_long_thread_keeps_its_newest_references() {
        let mut l = letter();
        l.references = (0..100_000).map(|i| format!("m{i}@x.example")).collect();
        let raw = render(&l);
        let refs = raw
            .lines()
            .skip_while(|line| !line.starts_with("References:"))
            .take_while(|line| line.starts_with("References:") || line.starts_with(' '))
            .count();
        assert_eq!(refs, MAX_REFERENCES);
        assert!(raw.contains("<m99999@x.example>"));
    }

    #[test]
    fn msg_ids_are_checked_by_their_syntax() {
        for good in ["abc@mail.example", "tdesk.1.2.3@shop.example", "a+b=c@x"] {
            assert!(is_msg_id(good), "{good}");
        }
        for bad in [
            "", "no-at", "@x", "x@", "a@b@c", "a b@c", "a\r@b", "a@b\n", "<a@b>", "a..b@c",
        ] {
            assert!(!is_msg_id(bad), "{bad:?}");
        }
    }
}
