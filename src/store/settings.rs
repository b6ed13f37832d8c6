//! Desk-wide settings stored in the database (e.g. a replaced workflow).

use rusqlite::{OptionalExtension, params};

use super::{Reader, Writer};
use crate::error::Result;

impl Reader<'_> {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }
}

impl Writer<'_> {
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn delete_setting(&mut self, key: &str) -> Result<()> {
        self.tx
            .execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }
}
