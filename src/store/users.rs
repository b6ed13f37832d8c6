//! Desk members.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::rows::{self, USER_COLUMNS};
use super::{Reader, Writer};
use crate::domain::{Role, User};
use crate::error::Result;

impl Reader<'_> {
    pub fn user(&self, login: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE login = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row([login], rows::user).optional()?)
    }

    /// Every member, admins first, then by login.
    pub fn users(&self) -> Result<Vec<User>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY \
             CASE role WHEN 'admin' THEN 0 WHEN 'supervisor' THEN 1 ELSE 2 END, login"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let users = stmt
            .query_map([], rows::user)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(users)
    }

    pub fn count_admins(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM users WHERE role = 'admin' AND active",
            [],
            |r| r.get(0),
        )?)
    }
}

impl Writer<'_> {
    pub fn insert_user(&mut self, user: &User, now: DateTime<Utc>) -> Result<()> {
        self.tx.execute(
            "INSERT INTO users (login, display_name, role, team, active, created_at, level) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                user.login,
                user.display_name,
                user.role.as_str(),
                user.team,
                user.active,
                rows::to_ms(now),
                user.level.as_str()
            ],
        )?;
        Ok(())
    }

    pub fn set_role(&mut self, login: &str, role: Role) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET role = ?2 WHERE login = ?1",
            params![login, role.as_str()],
        )?;
        Ok(())
    }

    /// Rewrites a member's name, role, team and whether they are active.
    pub fn update_member(&mut self, user: &User) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET display_name = ?2, role = ?3, team = ?4, active = ?5, level = ?6 \
             WHERE login = ?1",
            params![
                user.login,
                user.display_name,
                user.role.as_str(),
                user.team,
                user.active,
                user.level.as_str()
            ],
        )?;
        Ok(())
    }
}
