//! Customers.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::rows::{self, CUSTOMER_COLUMNS};
use super::{Reader, Writer};
use crate::domain::{Customer, NewCustomer};
use crate::error::Result;

impl Reader<'_> {
    pub fn customer(&self, id: i64) -> Result<Option<Customer>> {
        let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?1");
        Ok(self.conn.query_row(&sql, [id], rows::customer).optional()?)
    }

    /// Finds a customer by email, case-insensitively.
    pub fn customer_by_email(&self, email: &str) -> Result<Option<Customer>> {
        let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE email = ?1");
        Ok(self
            .conn
            .query_row(&sql, [email.trim()], rows::customer)
            .optional()?)
    }

    pub fn customer_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?)
    }
}

impl Writer<'_> {
    pub fn insert_customer(&mut self, c: &NewCustomer, now: DateTime<Utc>) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO customers (name, email, phone, tier, country, timezone, language, created_at, name_pinyin) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                c.name,
                c.email,
                c.phone,
                c.tier.as_str(),
                c.country,
                c.timezone,
                c.language,
                rows::to_ms(now),
                crate::text::pinyin_keys(&c.name)
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }
}
