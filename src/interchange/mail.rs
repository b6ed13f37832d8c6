//! One e-mail message read into what the desk needs: who wrote, which
//! thread it belongs to, the new text (HTML turned into text, the quoted
//! tail of a reply folded away), attachments, and — for marketplace relay
//! mail — the marketplace and the order numbers. Charsets (GBK/GB18030,
//! Big5, Shift_JIS, ISO-2022-JP, …), quoted-printable and base64 are
//! decoded by mail-parser. Pure over bytes.

use chrono::{DateTime, TimeZone, Utc};
use mail_parser::{MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

/// Longest text kept from one message, in bytes: the desk's body limit
/// less room for notes on attachments too big to keep. The whole message
/// stays in the attached original.
pub const TEXT_MAX_BYTES: usize = (1 << 20) - (16 << 10);

/// A message read from its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct MailIn {
    /// Message-ID without brackets; a hash of the bytes when it has none.
    pub message_id: String,
    /// In-Reply-To and References, nearest first.
    pub parents: Vec<String>,
    pub from_name: Option<String>,
    pub from_address: String,
    pub subject: String,
    pub date: Option<DateTime<Utc>>,
    /// The new text of the message.
    pub text: String,
    /// Lines of quoted earlier mail folded away from `text`.
    pub folded_lines: usize,
    /// `[#123]` in the subject.
    pub ticket_ref: Option<i64>,
    /// The marketplace whose relay sent this, e.g. `amazon`.
    pub marketplace: Option<&'static str>,
    /// Order numbers found in the subject or text.
    pub orders: Vec<String>,
    pub attachments: Vec<MailAttachment>,
    /// The first language-ish hint: the text holds CJK characters.
    pub cjk: bool,
}

/// A file that came with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailAttachment {
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// Why a message cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailError {
    /// Not a mail message at all (no headers to speak of).
    NotMail,
    /// No sender address.
    NoSender,
}

/// Marketplace relay domains: mail from these is a buyer writing through
/// the marketplace; the relay address stands for the buyer.
const RELAYS: [(&str, &str); 8] = [
    ("marketplace.amazon.", "amazon"),
    ("members.ebay.", "ebay"),
    ("ebay.com", "ebay"),
    ("messaging.aliexpress.com", "aliexpress"),
    ("relay.walmart.com", "walmart"),
    ("messages.etsy.com", "etsy"),
    ("mail.shopee.", "shopee"),
    ("lazada.", "lazada"),
];

/// Parents (In-Reply-To, then References from the newest) a message is
/// threaded by.
pub const MAX_PARENTS: usize = 50;

/// A report that a letter could not be delivered (a bounce).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounce {
    /// Message-IDs the report names (the letter that bounced among them).
    pub refers_to: Vec<String>,
    /// The address that did not take it, when the report says.
    pub recipient: Option<String>,
    /// Why, in the receiving server's words (or the report's subject).
    pub reason: String,
}

/// Most Message-IDs read from one report.
const BOUNCE_IDS: usize = 20;

/// A bounce, if `bytes` is one: a delivery-status report
/// (`multipart/report`), or mail from `MAILER-DAEMON`/`postmaster`, or
/// mail with an empty return path — never a customer's message.
pub fn bounce_of(bytes: &[u8]) -> Option<Bounce> {
    let msg = MessageParser::default().parse(bytes)?;
    let report = msg.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });
    let daemon = msg
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .and_then(|a| a.split('@').next())
        .is_some_and(|local| {
            local.eq_ignore_ascii_case("mailer-daemon") || local.eq_ignore_ascii_case("postmaster")
        });
    let text = String::from_utf8_lossy(bytes);
    let empty_return = text.lines().take_while(|l| !l.trim().is_empty()).any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("return-path:") && l[12..].trim() == "<>"
    });
    if !(report || daemon || empty_return) {
        return None;
    }
    let own = msg
        .message_id()
        .map(|id| id.trim().trim_matches(['<', '>']).to_string());
    let mut refers_to: Vec<String> = Vec::new();
    let mut recipient = None;
    let mut diagnostic = None;
    let mut status = None;
    // The report's own parts and the returned headers are read as text:
    // where the original's Message-ID is and what went wrong.
    let parts: Vec<String> = std::iter::once(text.to_string())
        .chain((0..msg.parts.len()).filter_map(|i| msg.body_text(i).map(|t| t.into_owned())))
        .collect();
    for part in &parts {
        for line in part.lines() {
            let lower = line.to_ascii_lowercase();
            let value = |name: &str| line[name.len()..].trim().to_string();
            if [
                "message-id:",
                "original-message-id:",
                "in-reply-to:",
                "references:",
            ]
            .iter()
            .any(|h| lower.starts_with(h))
            {
                for id in line.split('<').skip(1).filter_map(|s| s.split('>').next()) {
                    let id = id.trim().to_string();
                    if !id.is_empty()
                        && Some(&id) != own.as_ref()
                        && !refers_to.contains(&id)
                        && refers_to.len() < BOUNCE_IDS
                    {
                        refers_to.push(id);
                    }
                }
            } else if recipient.is_none()
                && (lower.starts_with("final-recipient:")
                    || lower.starts_with("original-recipient:")
                    || lower.starts_with("x-failed-recipients:"))
            {
                let v = value(if lower.starts_with("x-failed-recipients:") {
                    "x-failed-recipients:"
                } else if lower.starts_with("final-recipient:") {
                    "final-recipient:"
                } else {
                    "original-recipient:"
                });
                let address = v.rsplit(';').next().unwrap_or(&v).trim().to_lowercase();
                recipient = address.contains('@').then_some(address);
            } else if diagnostic.is_none() && lower.starts_with("diagnostic-code:") {
                let v = value("diagnostic-code:");
                diagnostic = Some(
                    v.split_once(';')
                        .map_or(v.clone(), |(_, d)| d.trim().to_string()),
                );
            } else if status.is_none() && lower.starts_with("status:") && report {
                status = Some(value("status:"));
            }
        }
    }
    let reason = diagnostic
        .or(status)
        .unwrap_or_else(|| clean_line(msg.subject().unwrap_or("undelivered")));
    let reason: String = crate::text::sanitize_line(&reason)
        .chars()
        .take(300)
        .collect();
    Some(Bounce {
        refers_to,
        recipient,
        reason,
    })
}

/// Reads one message.
pub fn parse(bytes: &[u8]) -> Result<MailIn, MailError> {
    let msg = MessageParser::default()
        .parse(bytes)
        .ok_or(MailError::NotMail)?;
    if msg.headers().is_empty() {
        return Err(MailError::NotMail);
    }
    let from = msg
        .from()
        .and_then(|a| a.first())
        .or_else(|| msg.sender().and_then(|a| a.first()))
        .ok_or(MailError::NoSender)?;
    let from_address = from
        .address()
        .map(|a| a.trim().to_lowercase())
        .filter(|a| a.contains('@'))
        .ok_or(MailError::NoSender)?;
    let marketplace = relay_of(&from_address);
    let from_name = from
        .name()
        .map(|n| clean_name(n, marketplace))
        .filter(|n| !n.is_empty());
    let message_id = msg
        .message_id()
        .map(|id| id.trim().trim_matches(['<', '>']).to_string())
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| format!("sha256:{}", hex(&Sha256::digest(bytes))));
    let mut parents: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for header in [msg.in_reply_to(), msg.references()] {
        let ids: Vec<String> = match header {
            mail_parser::HeaderValue::Text(t) => vec![t.to_string()],
            mail_parser::HeaderValue::TextList(l) => l.iter().map(|t| t.to_string()).collect(),
            _ => Vec::new(),
        };
        // References run oldest first: the nearest parent is the last.
        // Only the nearest few thread a message; a header of a hundred
        // thousand must not cost a lookup (or a comparison) each.
        for id in ids.into_iter().rev() {
            if parents.len() >= MAX_PARENTS {
                break;
            }
            let id = id.trim().trim_matches(['<', '>']).to_string();
            if !id.is_empty() && seen.insert(id.clone()) {
                parents.push(id);
            }
        }
    }
    let subject = clean_line(msg.subject().unwrap_or_default());
    let date = msg
        .date()
        .and_then(|d| Utc.timestamp_opt(d.to_timestamp(), 0).single());
    let body = msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    let body = normalise(&body);
    let (text, folded_lines) = fold_quoted(&body);
    let text = cap(text.trim().to_string());
    let mut attachments = Vec::new();
    for part in msg.attachments() {
        // Inline text parts are the body, already read.
        if part.is_text() && part.attachment_name().is_none() {
            continue;
        }
        let mime = part
            .content_type()
            .map(|ct| match ct.subtype() {
                Some(sub) => format!("{}/{}", ct.ctype(), sub),
                None => ct.ctype().to_string(),
            })
            .unwrap_or_else(|| "application/octet-stream".into());
        let name = part
            .attachment_name()
            .map(clean_line)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("attachment-{}", attachments.len() + 1));
        attachments.push(MailAttachment {
            name: safe_file_name(&name),
            mime: mime.to_lowercase(),
            bytes: part.contents().to_vec(),
        });
    }
    let mut orders = find_orders(&subject);
    for o in find_orders(&text) {
        if !orders.contains(&o) {
            orders.push(o);
        }
    }
    let cjk = text.chars().chain(subject.chars()).any(is_cjk);
    Ok(MailIn {
        message_id,
        parents,
        from_name,
        from_address,
        ticket_ref: ticket_ref(&subject),
        subject,
        date,
        text,
        folded_lines,
        marketplace,
        orders,
        attachments,
        cjk,
    })
}

/// The marketplace whose relay `address` belongs to.
pub fn relay_of(address: &str) -> Option<&'static str> {
    let domain = address.rsplit('@').next()?;
    RELAYS
        .iter()
        .find(|(pattern, _)| {
            domain.starts_with(pattern)
                || domain.contains(&format!(".{pattern}"))
                || domain == pattern.trim_end_matches('.')
        })
        .map(|(_, name)| *name)
}

/// "Lena K - Amazon Marketplace" → "Lena K".
fn clean_name(name: &str, marketplace: Option<&str>) -> String {
    let name = clean_line(name);
    match marketplace {
        Some(_) => name
            .split(" - ")
            .next()
            .unwrap_or(&name)
            .trim_matches(['"', ' '])
            .to_string(),
        None => name.trim_matches(['"', ' ']).to_string(),
    }
}

/// One line, control characters dropped.
fn clean_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A name that cannot climb out of a directory or hide as a dot file.
/// A file name safe to store and to show: no path, no leading dots, no
/// control characters, at most 120 characters.
pub fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base: String = base
        .chars()
        .filter(|&c| !c.is_control() && !crate::text::is_bidi_control(c))
        .collect();
    let base: String = base
        .trim()
        .trim_start_matches('.')
        .trim()
        .chars()
        .take(120)
        .collect();
    if base.is_empty() {
        "attachment".into()
    } else {
        base.to_string()
    }
}

/// Line ends to `\n`, NUL and other C0 controls (but tab) out.
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

/// Ends a text cut to the limit: the reader learns where the rest is.
pub const CUT_MARK: &str = "\n[… cut here; the whole message is in original.eml]";

fn cap(mut text: String) -> String {
    if text.len() > TEXT_MAX_BYTES {
        let mut end = TEXT_MAX_BYTES - CUT_MARK.len();
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str(CUT_MARK);
    }
    text
}

/// Splits off the quoted tail of a reply: from the attribution line
/// ("On … wrote:", "在 … 写道：", "-----Original Message-----",
/// Outlook's "From:" block, "发件人：") or the trailing `>` lines. Returns
/// the new text and how many lines were folded.
pub fn fold_quoted(body: &str) -> (String, usize) {
    let lines: Vec<&str> = body.lines().collect();
    let cut = lines
        .iter()
        .position(|l| is_attribution(l))
        .or_else(|| {
            // A block of `>` lines (and blanks) running to the end.
            let mut start = None;
            for (i, l) in lines.iter().enumerate().rev() {
                let t = l.trim();
                if t.starts_with('>') {
                    start = Some(i);
                } else if !t.is_empty() {
                    break;
                }
            }
            start
        })
        .filter(|&i| lines[..i].iter().any(|l| !l.trim().is_empty()));
    match cut {
        Some(i) => (lines[..i].join("\n"), lines.len() - i),
        None => (lines.join("\n"), 0),
    }
}

fn is_attribution(line: &str) -> bool {
    let t = line.trim();
    let lower = t.to_lowercase();
    (lower.starts_with("on ") && lower.ends_with("wrote:"))
        || (lower.starts_with("am ") && lower.ends_with("schrieb:"))
        || (lower.starts_with("le ") && lower.ends_with("a écrit :"))
        || (t.starts_with('在') && (t.ends_with("写道：") || t.ends_with("写道:")))
        || lower.starts_with("-----original message-----")
        || lower.starts_with("----- original message -----")
        || t.starts_with("-----原始邮件-----")
        || t.starts_with("------------------ 原始邮件 ------------------")
        || t.starts_with("发件人：")
        || t.starts_with("发件人:")
        || (lower.starts_with("from:") && lower.contains('@'))
}

/// `[#123]` anywhere in the subject.
pub fn ticket_ref(subject: &str) -> Option<i64> {
    let start = subject.find("[#")? + 2;
    let rest = &subject[start..];
    let end = rest.find(']')?;
    rest[..end].trim().parse().ok().filter(|n: &i64| *n > 0)
}

/// Order numbers: Amazon's 123-1234567-1234567, eBay's 12-12345-12345, and
/// whatever follows "order"/"订单号" with a digit in it.
/// Where `needle` starts in `hay`, ASCII letters matched in any case, other
/// characters exactly. Offsets are `hay`'s own: lower-casing the whole text
/// first would move them (some letters change length) and slice wrongly.
fn find_ignoring_ascii_case(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?)
        .find(|&i| hay.is_char_boundary(i) && h[i..i + n.len()].eq_ignore_ascii_case(n))
}

pub fn find_orders(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut push = |o: String| {
        if !found.contains(&o) {
            found.push(o);
        }
    };
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        let groups: Vec<usize> = word.split('-').map(str::len).collect();
        let digits = word.chars().all(|c| c.is_ascii_digit() || c == '-');
        if digits && (groups == [3, 7, 7] || groups == [2, 5, 5]) {
            push(word.to_string());
        }
    }
    for marker in [
        "order #",
        "order no.",
        "order number",
        "order:",
        "commande n°",
        "commande nº",
        "bestellnummer",
        "pedido nº",
        "pedido n°",
        "订单号",
        "订单编号",
        "注文番号",
    ] {
        let mut from = 0;
        while let Some(pos) = find_ignoring_ascii_case(&text[from..], marker) {
            let after = from + pos + marker.len();
            let word: String = text[after..]
                .trim_start_matches([' ', ':', '：', '#', '.', '°', 'º'])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if word.len() >= 4 && word.chars().any(|c| c.is_ascii_digit()) {
                push(word);
            }
            from = after;
        }
    }
    found
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x3040..=0x30FF)
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_tails_fold_in_several_mail_programs() {
        let gmail = "Still nothing.\n\nOn Mon, 2 Mar 2026 at 10:00, Shop <s@x.com> wrote:\n> Any news?\n> Shop";
        assert_eq!(fold_quoted(gmail), ("Still nothing.\n".into(), 3));
        let qq = "还没收到\n\n------------------ 原始邮件 ------------------\n发件人: shop";
        assert_eq!(fold_quoted(qq).0, "还没收到\n");
        let outlook = "Thanks\nFrom: Shop <s@x.com>\nSent: Monday";
        assert_eq!(fold_quoted(outlook).0, "Thanks");
        let plain = "> earlier\nmy answer below a quote\n";
        assert_eq!(fold_quoted(plain).1, 0, "a quote in the middle stays");
        assert_eq!(
            fold_quoted("> only a quote").1,
            0,
            "nothing left would be empty"
        );
    }

    #[test]
    fn a_huge_references_header_threads_by_its_nearest_parents_only() {
        let refs: Vec<String> = (0..100_000).map(|i| format!("<m{i}@x.example>")).collect();
        let raw = format!(
            "From: a@b.example\r\nIn-Reply-To: <m99999@x.example>\r\nReferences: {}\r\nSubject: hi\r\n\r\nbody\r\n",
            refs.join(" ")
        );
        let m = parse(raw.as_bytes()).expect("parses");
        assert_eq!(m.parents.len(), MAX_PARENTS);
        assert_eq!(m.parents[0], "m99999@x.example", "the direct parent first");
        assert_eq!(
            m.parents[1], "m99998@x.example",
            "then the newest references"
        );
    }

    #[test]
    fn ticket_references_and_orders_are_found() {
        assert_eq!(ticket_ref("Re: [#123] Parcel stuck"), Some(123));
        assert_eq!(ticket_ref("[#abc]"), None);
        assert_eq!(
            find_orders("Order 302-1234567-7654321 and eBay 12-12345-54321"),
            ["302-1234567-7654321", "12-12345-54321"]
        );
        assert_eq!(find_orders("订单号：SO20260301 没到"), ["SO20260301"]);
        assert_eq!(find_orders("Order #A1B2C3 please"), ["A1B2C3"]);
        assert!(find_orders("call 555-1234").is_empty());
        assert_eq!(
            find_orders("Ma commande n° FR-88213 est en retard"),
            ["FR-88213"]
        );
        assert_eq!(find_orders("Bestellnummer: DE4711X"), ["DE4711X"]);
        assert_eq!(find_orders("注文番号：JP20260301"), ["JP20260301"]);
        // Letters that change length when lower-cased come first.
        assert_eq!(find_orders("İİİ ẞ ORDER #Ab12cd"), ["Ab12cd"]);
    }

    #[test]
    fn relay_addresses_are_recognised() {
        assert_eq!(relay_of("x7k2@marketplace.amazon.de"), Some("amazon"));
        assert_eq!(relay_of("buyer@members.ebay.com"), Some("ebay"));
        assert_eq!(relay_of("lena@example.de"), None);
        assert_eq!(
            clean_name("Lena K - Amazon Marketplace", Some("amazon")),
            "Lena K"
        );
    }

    #[test]
    fn attachment_names_cannot_escape() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(safe_file_name(".hidden"), "hidden");
        assert_eq!(safe_file_name(""), "attachment");
    }

    #[test]
    fn a_message_without_an_id_gets_a_stable_one() {
        let raw = b"From: a@b.c\r\nSubject: hi\r\n\r\nbody\r\n";
        let one = parse(raw).expect("mail");
        assert!(one.message_id.starts_with("sha256:"));
        assert_eq!(one.message_id, parse(raw).expect("mail").message_id);
    }

    #[test]
    fn junk_is_refused_not_panicked_on() {
        assert!(parse(b"").is_err());
        assert_eq!(
            parse(b"Subject: no sender\r\n\r\nx").err(),
            Some(MailError::NoSender)
        );
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_parse_or_fail_cleanly(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
            if let Ok(m) = parse(&bytes) {
                proptest::prop_assert!(m.from_address.contains('@'));
                proptest::prop_assert!(!m.text.contains('\0'));
            }
        }

        #[test]
        fn header_shaped_junk_never_panics(head in "(From|To|Subject|Message-ID|References|Content-Type): [ -~]{0,40}", body in "[ -~\n]{0,80}") {
            let raw = format!("From: x@y.z\r\n{head}\r\n\r\n{body}");
            let _ = parse(raw.as_bytes());
        }

        #[test]
        fn orders_are_found_in_any_text_without_panicking(
            before in "[İẞßÀ-ÿ一-龥 a-zA-Z]{0,12}",
            marker in r"(order #|ORDER NO\.|订单号|commande n°)",
            number in "[A-Za-z0-9]{1,3}[0-9][A-Za-z0-9-]{2,10}",
        ) {
            let text = format!("{before}{marker}{number} ok");
            let found = find_orders(&text);
            proptest::prop_assert!(found.iter().any(|o| number.starts_with(o.as_str())), "{found:?} in {text:?}");
        }
    }
}

#[cfg(test)]
mod bounce_tests {
    use super::*;

    const POSTFIX: &[u8] = include_bytes!("../../tests/mail/bounces/postfix-dsn.eml");
    const GMAIL: &[u8] = include_bytes!("../../tests/mail/bounces/gmail-daemon.eml");

    #[test]
    fn a_delivery_status_report_names_the_letter_the_address_and_why() {
        let b = bounce_of(POSTFIX).expect("a bounce");
        assert!(b.refers_to.contains(&"LETTER-ID@shop.example".to_string()));
        assert!(
            !b.refers_to.iter().any(|id| id.contains("4F1C2A0B1D")),
            "its own id is not one it names"
        );
        assert_eq!(b.recipient.as_deref(), Some("lena.k@example.de"));
        assert!(b.reason.contains("550 5.1.1"), "{}", b.reason);
    }

    #[test]
    fn a_mailer_daemon_notice_without_a_report_is_a_bounce_too() {
        let b = bounce_of(GMAIL).expect("a bounce");
        assert_eq!(b.refers_to, ["LETTER-ID@shop.example"]);
        assert_eq!(b.recipient.as_deref(), Some("lena.k@example.de"));
    }

    #[test]
    fn customers_messages_are_never_taken_for_bounces() {
        for bytes in [
            &include_bytes!("../../tests/mail/01-gmail-en.eml")[..],
            &include_bytes!("../../tests/mail/02-outlook-de-qp.eml")[..],
            &include_bytes!("../../tests/mail/03-qq-gbk-base64.eml")[..],
            &include_bytes!("../../tests/mail/04-foxmail-gb18030-reply.eml")[..],
        ] {
            assert_eq!(bounce_of(bytes), None);
        }
    }
}
