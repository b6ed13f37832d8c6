//! Where tickets came from and how they talk to the outside: external ids
//! of imported tickets, mail messages seen or sent (for threading and so a
//! message is never imported twice), attachment records and the outgoing
//! mail queue.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::rows::{from_ms, to_ms};
use super::{Reader, Writer};
use crate::domain::{Attachment, OutgoingMail};
use crate::error::Result;

const ATTACHMENT_COLUMNS: &str = "id, ticket_id, comment_id, name, mime, size, sha256, created_at";

fn attachment(r: &rusqlite::Row) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(0)?,
        ticket: r.get(1)?,
        comment: r.get(2)?,
        name: r.get(3)?,
        mime: r.get(4)?,
        size: r.get::<_, i64>(5)?.max(0) as u64,
        sha256: r.get(6)?,
        created_at: from_ms(r.get(7)?),
    })
}

const OUTBOX_COLUMNS: &str =
    "id, ticket_id, comment_id, message_id, recipient, attempts, next_at, sent_at, error";

fn outgoing(r: &rusqlite::Row) -> rusqlite::Result<OutgoingMail> {
    Ok(OutgoingMail {
        id: r.get(0)?,
        ticket: r.get(1)?,
        comment: r.get(2)?,
        message_id: r.get(3)?,
        recipient: r.get(4)?,
        attempts: r.get(5)?,
        next_at: from_ms(r.get(6)?),
        sent_at: r.get::<_, Option<i64>>(7)?.map(from_ms),
        error: r.get(8)?,
    })
}

/// An attachment record about to be written (its bytes are already stored).
pub struct NewAttachment<'a> {
    pub ticket: i64,
    pub comment: Option<i64>,
    pub name: &'a str,
    pub mime: &'a str,
    pub size: u64,
    pub sha256: &'a str,
    pub at: DateTime<Utc>,
}

impl Reader<'_> {
    /// The ticket an import created under `external_id`.
    pub fn ticket_by_external(&self, external_id: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM tickets WHERE external_id = +?1")?
            .query_row([external_id], |r| r.get(0))
            .optional()?)
    }

    /// Which of `external_ids` an import created a ticket for already: one
    /// query per few thousand, not a read (and a lock) per row.
    pub fn known_external_ids<'a>(
        &self,
        external_ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<std::collections::HashSet<String>> {
        let all: Vec<&str> = external_ids.into_iter().collect();
        let mut known = std::collections::HashSet::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT external_id FROM tickets WHERE external_id IN (SELECT value FROM json_each(?1))",
        )?;
        for batch in all.chunks(5_000) {
            let list = serde_json::to_string(batch)
                .map_err(|e| crate::error::Error::Database(e.to_string()))?;
            for id in stmt.query_map([list], |r| r.get::<_, String>(0))? {
                known.insert(id?);
            }
        }
        Ok(known)
    }

    pub fn external_id(&self, ticket: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT external_id FROM tickets WHERE id = ?1")?
            .query_row([ticket], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// A customer by exact name (case-insensitive), the oldest if several.
    pub fn customer_by_name(&self, name: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM customers WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
            )?
            .query_row([name.trim()], |r| r.get(0))
            .optional()?)
    }

    /// The letter the desk sent with one of these Message-IDs, if any.
    pub fn letter_with_message_id(&self, ids: &[String]) -> Result<Option<OutgoingMail>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE message_id = ?1 OR message_id = ?2 LIMIT 1"
        ))?;
        for id in ids {
            let bracketed = format!("<{id}>");
            if let Some(letter) = stmt
                .query_row(params![id, bracketed], outgoing)
                .optional()?
            {
                return Ok(Some(letter));
            }
        }
        Ok(None)
    }

    /// The ticket a mail message (by Message-ID) belongs to.
    pub fn ticket_of_message(&self, message_id: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT ticket_id FROM mail_messages WHERE message_id = ?1")?
            .query_row([message_id], |r| r.get(0))
            .optional()?)
    }

    /// The Message-IDs of a ticket's mail, oldest first, each with whether
    /// we sent it (for In-Reply-To and References).
    pub fn message_ids(&self, ticket: i64) -> Result<Vec<(String, bool)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT message_id, outgoing FROM mail_messages WHERE ticket_id = +?1 ORDER BY at, message_id",
        )?;
        let ids = stmt
            .query_map([ticket], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Does this ticket have any mail (so replies go out by mail)?
    pub fn has_mail(&self, ticket: i64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM mail_messages WHERE ticket_id = ?1 LIMIT 1")?
            .query_row([ticket], |_| Ok(()))
            .optional()?
            .is_some())
    }

    pub fn attachments(&self, ticket: i64) -> Result<Vec<Attachment>> {
        let sql = format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE ticket_id = +?1 ORDER BY id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let list = stmt
            .query_map([ticket], attachment)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    pub fn attachment(&self, id: i64) -> Result<Option<Attachment>> {
        let sql = format!("SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE id = ?1");
        Ok(self.conn.query_row(&sql, [id], attachment).optional()?)
    }

    /// Every stored hash, to find files no record points at.
    pub fn attachment_hashes(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT sha256 FROM attachments ORDER BY sha256")?;
        let list = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    /// Unsent mail whose next try is due at `now`, oldest first.
    pub fn mail_due(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutgoingMail>> {
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE sent_at IS NULL AND next_at <= ?1 \
             ORDER BY next_at, id LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let list = stmt
            .query_map(params![to_ms(now), limit as i64], outgoing)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    /// A ticket's outgoing mail, sent or not, oldest first.
    pub fn outgoing_mail(&self, id: i64) -> Result<Option<OutgoingMail>> {
        let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = ?1");
        Ok(self.conn.query_row(&sql, [id], outgoing).optional()?)
    }

    /// Every letter that needs attention, oldest first: the unsent ones
    /// and the ones that came back undelivered.
    pub fn mail_unsent(&self, limit: usize) -> Result<Vec<OutgoingMail>> {
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox \
             WHERE sent_at IS NULL OR substr(error, 1, {}) = ?2 ORDER BY id LIMIT ?1",
            crate::domain::BOUNCED.len()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let list = stmt
            .query_map(params![limit as i64, crate::domain::BOUNCED], outgoing)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    pub fn ticket_mail(&self, ticket: i64) -> Result<Vec<OutgoingMail>> {
        let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE ticket_id = +?1 ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let list = stmt
            .query_map([ticket], outgoing)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    /// Unsent mail of the whole desk: (waiting, failed at least once);
    /// withdrawn letters wait for nothing and count in neither.
    pub fn mail_backlog(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(sum(attempts > 0), 0) FROM outbox \
             WHERE sent_at IS NULL AND error IS NOT ?1",
            [crate::domain::WITHDRAWN],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}

impl Writer<'_> {
    pub fn set_external_id(&mut self, ticket: i64, external_id: &str) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE tickets SET external_id = ?2 WHERE id = ?1")?
            .execute(params![ticket, external_id])?;
        Ok(())
    }

    /// Records a mail message; false when that Message-ID is known already.
    pub fn record_message(
        &mut self,
        message_id: &str,
        ticket: i64,
        comment: Option<i64>,
        outgoing: bool,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO mail_messages (message_id, ticket_id, comment_id, outgoing, at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![message_id, ticket, comment, outgoing, to_ms(at)])?;
        Ok(n == 1)
    }

    pub fn insert_attachment(&mut self, a: &NewAttachment<'_>) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO attachments (ticket_id, comment_id, name, mime, size, sha256, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                a.ticket,
                a.comment,
                a.name,
                a.mime,
                a.size as i64,
                a.sha256,
                to_ms(a.at)
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// A merged comment's attachments and mail follow it to its new place.
    pub fn move_comment_links(&mut self, from: i64, to: i64, ticket: i64) -> Result<()> {
        for table in ["attachments", "mail_messages", "outbox"] {
            self.tx.execute(
                &format!(
                    "UPDATE {table} SET comment_id = ?2, ticket_id = ?3 WHERE comment_id = ?1"
                ),
                params![from, to, ticket],
            )?;
        }
        Ok(())
    }

    /// Whatever of `from` is not tied to a comment moves to `to` (a merge):
    /// later replies to the source's mail thread then land on the target.
    pub fn move_ticket_links(&mut self, from: i64, to: i64) -> Result<()> {
        for table in ["attachments", "mail_messages"] {
            self.tx.execute(
                &format!("UPDATE {table} SET ticket_id = ?2 WHERE ticket_id = ?1"),
                params![from, to],
            )?;
        }
        Ok(())
    }

    /// Holds back the unsent letters an automation wrote on ticket `ticket`
    /// (a satisfaction request): it was reopened, and "we believe it is
    /// solved" must not reach the customer now. Kept in the queue, failed
    /// with the reason, for `mail retry` if someone wants it sent after all.
    /// Marks letter `id` as come back undelivered (`error` says why); its
    /// send time stays, and it is never sent again.
    pub fn mark_bounced(&mut self, id: i64, error: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE outbox SET error = ?2, next_at = ?3 WHERE id = ?1",
            params![id, error, 253_402_300_799_000_i64],
        )?;
        Ok(())
    }

    pub fn withdraw_automation_mail(&mut self, ticket: i64) -> Result<usize> {
        Ok(self.tx.execute(
            "UPDATE outbox SET next_at = ?2, error = ?3 \
             WHERE ticket_id = ?1 AND sent_at IS NULL AND comment_id IN \
             (SELECT id FROM comments WHERE ticket_id = ?1 AND author LIKE 'automation:%')",
            // The last moment a date can name: never due.
            params![ticket, 253_402_300_799_000_i64, crate::domain::WITHDRAWN],
        )?)
    }

    /// Queues a reply for the mail command.
    pub fn queue_mail(
        &mut self,
        ticket: i64,
        comment: i64,
        message_id: &str,
        recipient: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO outbox (ticket_id, comment_id, message_id, recipient, next_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![ticket, comment, message_id, recipient, to_ms(now)])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn mail_sent(&mut self, id: i64, now: DateTime<Utc>) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1, error = NULL WHERE id = ?1",
            )?
            .execute(params![id, to_ms(now)])?;
        Ok(())
    }

    pub fn mail_failed(&mut self, id: i64, error: &str, next_at: DateTime<Utc>) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE outbox SET attempts = attempts + 1, error = ?2, next_at = ?3 WHERE id = ?1",
            )?
            .execute(params![id, error, to_ms(next_at)])?;
        Ok(())
    }

    /// Takes letter `id` for sending until `until`, unless another process
    /// took it or it went out meanwhile: two senders never send it twice.
    pub fn claim_mail(
        &mut self,
        id: i64,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached(
                "UPDATE outbox SET next_at = ?3 \
                 WHERE id = ?1 AND sent_at IS NULL AND next_at <= ?2",
            )?
            .execute(params![id, to_ms(now), to_ms(until)])?;
        Ok(n == 1)
    }

    /// Tries a failed mail again now.
    pub fn mail_retry(&mut self, id: i64, now: DateTime<Utc>) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached("UPDATE outbox SET next_at = ?2 WHERE id = ?1 AND sent_at IS NULL")?
            .execute(params![id, to_ms(now)])?;
        Ok(n == 1)
    }
}
