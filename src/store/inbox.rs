//! Watches and notifications: who follows which ticket, and each member's
//! inbox with the delivery state of their notify hook.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::rows::{from_ms, to_ms};
use super::{Reader, Writer};
use crate::domain::{NoticeKind, Notification};
use crate::error::Result;

const NOTICE_COLUMNS: &str = "id, ticket_id, kind, actor, at, detail, read_at IS NOT NULL";

fn notice(r: &Row) -> rusqlite::Result<Notification> {
    let kind: String = r.get(2)?;
    Ok(Notification {
        id: r.get(0)?,
        ticket: r.get(1)?,
        kind: NoticeKind::parse(&kind).unwrap_or(NoticeKind::Watched),
        actor: r.get(3)?,
        at: from_ms(r.get(4)?),
        detail: r.get(5)?,
        read: r.get(6)?,
    })
}

/// A notification about to be stored.
#[derive(Debug, Clone)]
pub struct NewNotice<'a> {
    pub login: &'a str,
    pub ticket: Option<i64>,
    pub kind: NoticeKind,
    pub actor: &'a str,
    pub at: DateTime<Utc>,
    pub change: Option<i64>,
    pub detail: Option<&'a str>,
}

/// What a notice is about, as far as who may see it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeAbout {
    /// No ticket (a desk-wide notice).
    Nothing,
    /// A ticket that is no longer there.
    Gone,
    /// A ticket with this assignee and team.
    Ticket {
        assignee: Option<String>,
        team: Option<String>,
        /// A notice of a step given to the member, who owns a step of the
        /// ticket (and may see that much of it).
        own_step: bool,
    },
}

impl Reader<'_> {
    /// Open tickets assigned to `login` (`open`: the open states).
    pub fn open_load(&self, login: &str, open: &[&str]) -> Result<i64> {
        let marks: Vec<String> = (2..open.len() + 2).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "SELECT count(*) FROM tickets WHERE assignee = ?1 AND status IN ({})",
            marks.join(", ")
        );
        let mut params: Vec<rusqlite::types::Value> = vec![login.to_string().into()];
        params.extend(
            open.iter()
                .map(|s| rusqlite::types::Value::from(s.to_string())),
        );
        Ok(self
            .conn
            .query_row(&sql, rusqlite::params_from_iter(params), |r| r.get(0))?)
    }

    /// When a rule last routed a ticket to `login` (ms; 0: never).
    pub fn last_routed(&self, login: &str) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT at FROM routed WHERE login = ?1", [login], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(0))
    }

    /// Open tickets by team and assignee.
    pub fn open_by_team_and_agent(
        &self,
        open: &[&str],
    ) -> Result<Vec<(String, Option<String>, i64)>> {
        let marks: Vec<String> = (1..=open.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "SELECT coalesce(team, ''), assignee, count(*) FROM tickets WHERE status IN ({}) \
             GROUP BY 1, 2 ORDER BY 1, 2",
            marks.join(", ")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(open.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// An agent's routing profile: languages (comma list), time zone, shift.
    pub fn agent_profile(&self, login: &str) -> Result<(String, Option<String>, Option<String>)> {
        Ok(self
            .conn
            .query_row(
                "SELECT languages, timezone, shift FROM agent_profiles WHERE login = ?1",
                [login],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .unwrap_or_default())
    }

    /// The escalation steps `ticket` has taken.
    pub fn escalations(&self, ticket: i64) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT step FROM escalations WHERE ticket_id = +?1 ORDER BY step")?;
        let rows = stmt
            .query_map([ticket], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Logins watching `ticket`.
    pub fn watchers(&self, ticket: i64) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT login FROM watches WHERE ticket_id = +?1 ORDER BY login")?;
        let rows = stmt
            .query_map([ticket], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn is_watching(&self, login: &str, ticket: i64) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM watches WHERE login = ?1 AND ticket_id = ?2",
                params![login, ticket],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// `login`'s notifications, newest first; only unread ones with `unread`.
    pub fn inbox(&self, login: &str, unread: bool, limit: usize) -> Result<Vec<Notification>> {
        let filter = if unread { "AND read_at IS NULL" } else { "" };
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM notifications WHERE login = ?1 {filter} ORDER BY id DESC LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(
                params![login, i64::try_from(limit).unwrap_or(i64::MAX)],
                notice,
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// What each of `login`'s unread notices is about, for counting what
    /// the member may see.
    pub fn unread_tickets(&self, login: &str) -> Result<Vec<NoticeAbout>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT n.ticket_id IS NULL, t.id IS NOT NULL, t.assignee, t.team, \
             n.kind = 'step' AND EXISTS (SELECT 1 FROM subtasks s \
                 WHERE s.ticket_id = n.ticket_id AND s.assignee = ?1) \
             FROM notifications n LEFT JOIN tickets t ON t.id = n.ticket_id \
             WHERE n.login = ?1 AND n.read_at IS NULL",
        )?;
        let rows = stmt
            .query_map([login], |r| {
                let no_ticket: bool = r.get(0)?;
                let found: bool = r.get(1)?;
                Ok(match (no_ticket, found) {
                    (true, _) => NoticeAbout::Nothing,
                    (false, false) => NoticeAbout::Gone,
                    (false, true) => NoticeAbout::Ticket {
                        assignee: r.get(2)?,
                        team: r.get(3)?,
                        own_step: r.get(4)?,
                    },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// `login`'s notifications their hook has not had yet and may try now.
    pub fn hook_pending(
        &self,
        login: &str,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Notification>> {
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM notifications WHERE login = ?1 AND hook_done_at IS NULL \
             AND (hook_next_at IS NULL OR hook_next_at <= ?2) ORDER BY id LIMIT ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(
                params![login, to_ms(now), i64::try_from(limit).unwrap_or(i64::MAX)],
                notice,
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// How many hook attempts a notification has had, and the last error.
    pub fn hook_state(&self, id: i64) -> Result<(i64, Option<String>)> {
        Ok(self.conn.query_row(
            "SELECT hook_attempts, hook_error FROM notifications WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}

impl Writer<'_> {
    pub fn set_agent_profile(
        &mut self,
        login: &str,
        languages: &str,
        timezone: Option<&str>,
        shift: Option<&str>,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO agent_profiles (login, languages, timezone, shift) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT(login) DO UPDATE SET languages = excluded.languages, \
             timezone = excluded.timezone, shift = excluded.shift",
            params![login, languages, timezone, shift],
        )?;
        Ok(())
    }

    /// Remembers that a rule just routed a ticket to `login` (round-robin).
    pub fn note_routed(&mut self, login: &str, now: DateTime<Utc>) -> Result<()> {
        self.tx.execute(
            "INSERT INTO routed (login, at) VALUES (?1, ?2) \
             ON CONFLICT(login) DO UPDATE SET at = excluded.at",
            params![login, to_ms(now)],
        )?;
        Ok(())
    }

    /// Takes escalation `step` of `ticket` if nobody has: true only for the
    /// one transaction that took it.
    pub fn claim_escalation(
        &mut self,
        ticket: i64,
        step: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self.tx.execute(
            "INSERT OR IGNORE INTO escalations (ticket_id, step, fired_at) VALUES (?1, ?2, ?3)",
            params![ticket, step, to_ms(now)],
        )?;
        Ok(n == 1)
    }

    pub fn set_watch(&mut self, login: &str, ticket: i64, on: bool) -> Result<()> {
        if on {
            self.tx.execute(
                "INSERT OR IGNORE INTO watches (login, ticket_id) VALUES (?1, ?2)",
                params![login, ticket],
            )?;
        } else {
            self.tx.execute(
                "DELETE FROM watches WHERE login = ?1 AND ticket_id = ?2",
                params![login, ticket],
            )?;
        }
        Ok(())
    }

    pub fn add_notice(&mut self, n: &NewNotice<'_>) -> Result<()> {
        self.tx.execute(
            "INSERT INTO notifications (login, ticket_id, kind, actor, at, change_id, detail) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                n.login,
                n.ticket,
                n.kind.as_str(),
                n.actor,
                to_ms(n.at),
                n.change,
                n.detail
            ],
        )?;
        Ok(())
    }

    /// Marks `login`'s notifications read: the given ones, or all.
    pub fn mark_read(
        &mut self,
        login: &str,
        ids: Option<&[i64]>,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let n = match ids {
            None => self.tx.execute(
                "UPDATE notifications SET read_at = ?2 WHERE login = ?1 AND read_at IS NULL",
                params![login, to_ms(now)],
            )?,
            Some(ids) => {
                let mut n = 0;
                for id in ids {
                    n += self.tx.execute(
                        "UPDATE notifications SET read_at = ?3 \
                         WHERE login = ?1 AND id = ?2 AND read_at IS NULL",
                        params![login, id, to_ms(now)],
                    )?;
                }
                n
            }
        };
        Ok(n)
    }

    pub fn hook_done(&mut self, id: i64, now: DateTime<Utc>) -> Result<()> {
        self.tx.execute(
            "UPDATE notifications SET hook_done_at = ?2, hook_error = NULL WHERE id = ?1",
            params![id, to_ms(now)],
        )?;
        Ok(())
    }

    pub fn hook_failed(&mut self, id: i64, error: &str, retry_at: DateTime<Utc>) -> Result<()> {
        self.tx.execute(
            "UPDATE notifications SET hook_attempts = hook_attempts + 1, hook_error = ?2, \
             hook_next_at = ?3 WHERE id = ?1",
            params![id, error, to_ms(retry_at)],
        )?;
        Ok(())
    }
}
