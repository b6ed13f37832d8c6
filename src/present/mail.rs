//! Attachments and the mail state of replies, in words, for the detail
//! pane and `tdesk show`.

use chrono::TimeZone;

use super::local_time;
use crate::domain::{Attachment, OutgoingMail};
use crate::i18n::Catalog;
use crate::text::sanitize_line;

/// A size for people: `812 B`, `1.5 KiB`, `3.2 MiB`.
pub fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// `Attachment 3: photo.png (1.5 KiB)`.
pub fn attachment_line(cat: &Catalog, a: &Attachment) -> String {
    cat.f(
        "detail.attachment",
        &[
            ("id", &a.id),
            ("name", &sanitize_line(&a.name)),
            ("size", &human_size(a.size)),
        ],
    )
}

/// Where a reply's mail is, and whether that needs attention (it failed).
pub fn mail_state<Tz: TimeZone>(
    cat: &Catalog,
    m: &OutgoingMail,
    tz: &Tz,
    ready: bool,
) -> (String, bool)
where
    Tz::Offset: std::fmt::Display,
{
    let to = sanitize_line(&m.recipient);
    match (&m.sent_at, &m.error) {
        // Sent, and came back: the customer never had it.
        (_, Some(error)) if crate::domain::is_bounced(error) => (
            cat.f(
                "detail.mail_bounced",
                &[
                    ("to", &to),
                    (
                        "reason",
                        &sanitize_line(&error[crate::domain::BOUNCED.len()..]),
                    ),
                ],
            ),
            true,
        ),
        (Some(at), _) => (
            cat.f(
                "detail.mail_sent",
                &[("to", &to), ("at", &local_time(*at, tz))],
            ),
            false,
        ),
        (None, Some(error)) if crate::domain::is_withdrawn(error) => {
            (cat.f("detail.mail_withdrawn", &[("to", &to)]), false)
        }
        (None, Some(error)) => (
            cat.f(
                "detail.mail_failed",
                &[
                    ("to", &to),
                    ("attempts", &m.attempts),
                    ("error", &sanitize_line(error)),
                    ("next", &local_time(m.next_at, tz)),
                ],
            ),
            true,
        ),
        // Written before mail was set up: kept, and said so where it shows.
        (None, None) if !ready => (cat.f("detail.mail_not_set_up", &[("to", &to)]), true),
        (None, None) => (cat.f("detail.mail_queued", &[("to", &to)]), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use chrono::{DateTime, Utc};

    fn mail(sent: bool, error: Option<&str>) -> OutgoingMail {
        OutgoingMail {
            id: 1,
            ticket: 2,
            comment: 3,
            message_id: "m@x".into(),
            recipient: "lena@example.de\u{1b}[2J".into(),
            attempts: 2,
            next_at: DateTime::<Utc>::UNIX_EPOCH,
            sent_at: sent.then_some(DateTime::<Utc>::UNIX_EPOCH),
            error: error.map(String::from),
        }
    }

    #[test]
    fn sizes_read_as_people_count_them() {
        assert_eq!(human_size(812), "812 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(3 << 20), "3.0 MiB");
    }

    #[test]
    fn failed_mail_needs_attention_and_names_the_error_safely() {
        let cat = Catalog::new(Lang::En);
        let (text, alert) = mail_state(&cat, &mail(false, Some("msmtp: not found")), &Utc, true);
        assert!(alert);
        assert!(text.contains("msmtp: not found"), "{text}");
        assert!(text.contains('2'), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        let (sent, alert) = mail_state(&cat, &mail(true, None), &Utc, true);
        assert!(!alert);
        assert!(sent.contains("1970-01-01 00:00"), "{sent}");
        let (queued, alert) = mail_state(&cat, &mail(false, None), &Utc, true);
        assert!(!alert && queued != sent);
    }
}
