//! Customers.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::rows::{self, CUSTOMER_COLUMNS};
use super::{Reader, Writer};
use crate::domain::{Customer, NewCustomer, handle_key};
use crate::error::Result;

/// A customer's handles (kind, value), order references and notes.
pub type CustomerExtrasRow = (Vec<(String, String)>, Vec<String>, String);

impl Reader<'_> {
    pub fn customer(&self, id: i64) -> Result<Option<Customer>> {
        let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row([id], rows::customer).optional()?)
    }

    /// Finds a customer by email, case-insensitively.
    pub fn customer_by_email(&self, email: &str) -> Result<Option<Customer>> {
        let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE email = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row([email.trim()], rows::customer).optional()?)
    }

    /// The customer who owns a handle (`email`, `phone`, `buyer`, `social`).
    pub fn customer_by_handle(&self, kind: &str, value: &str) -> Result<Option<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT customer_id FROM customer_handles WHERE kind = ?1 AND value = ?2",
        )?;
        Ok(stmt
            .query_row(params![kind, handle_key(kind, value)], |r| r.get(0))
            .optional()?)
    }

    /// A customer's handles (kind, value), orders and notes.
    pub fn customer_extras(&self, id: i64) -> Result<CustomerExtrasRow> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, value FROM customer_handles WHERE customer_id = ?1 ORDER BY kind, value",
        )?;
        let handles = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT order_ref FROM customer_orders WHERE customer_id = ?1 ORDER BY order_ref",
        )?;
        let orders = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let notes: String = self
            .conn
            .query_row("SELECT notes FROM customers WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or_default();
        Ok((handles, orders, notes))
    }

    /// Customers whose name, pinyin or handle contains `text` (all without
    /// it), by name.
    pub fn customers(
        &self,
        text: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Customer>> {
        let like = text.map(|t| format!("%{}%", t.replace(['%', '_'], "")));
        let sql = format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE ?1 IS NULL OR name LIKE ?1 \
             OR name_pinyin LIKE ?1 OR id IN (SELECT customer_id FROM customer_handles WHERE value LIKE ?1) \
             ORDER BY name COLLATE NOCASE, id LIMIT ?2 OFFSET ?3"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(params![like, n(limit), n(offset)], rows::customer)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The numbers of a customer's tickets, newest first.
    /// (assignee, team) of each of a customer's tickets: who may see them.
    pub fn customer_ticket_owners(&self, id: i64) -> Result<Vec<(Option<String>, Option<String>)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT assignee, team FROM tickets WHERE customer_id = ?1")?;
        let rows = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn customer_tickets(&self, id: i64) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM tickets WHERE customer_id = ?1 ORDER BY id DESC")?;
        let rows = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The latest messages a customer wrote on their tickets (comments
    /// whose author is an address, as mail import records them).
    pub fn customer_messages(&self, id: i64, limit: usize) -> Result<Vec<crate::domain::Comment>> {
        let sql = format!(
            "SELECT {} FROM comments \
             WHERE ticket_id IN (SELECT id FROM tickets WHERE customer_id = ?1) \
               AND internal = 0 AND author LIKE '%@%' \
             ORDER BY created_at DESC, id DESC LIMIT ?2",
            rows::COMMENT_COLUMNS
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let list = stmt
            .query_map(params![id, limit as i64], rows::comment)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    pub fn customer_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?)
    }
}

impl Writer<'_> {
    /// Adds a handle; false when another customer already has it.
    pub fn add_handle(&mut self, id: i64, kind: &str, value: &str) -> Result<bool> {
        let n = self.tx
            .prepare_cached("INSERT OR IGNORE INTO customer_handles (customer_id, kind, value) VALUES (?1, ?2, ?3)")?
            .execute(params![id, kind, handle_key(kind, value)])?;
        Ok(n == 1 || self.reader().customer_by_handle(kind, value)? == Some(id))
    }

    pub fn add_order(&mut self, id: i64, order: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO customer_orders (customer_id, order_ref) VALUES (?1, ?2)",
            )?
            .execute(params![id, order.trim()])?;
        Ok(())
    }

    pub fn set_customer_notes(&mut self, id: i64, notes: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE customers SET notes = ?2 WHERE id = ?1",
            params![id, notes],
        )?;
        Ok(())
    }

    /// Moves everything of customer `gone` to `keep` and deletes `gone`:
    /// tickets, handles, orders, notes appended. Returns tickets moved.
    pub fn merge_customers(&mut self, keep: i64, gone: i64) -> Result<usize> {
        // The tickets' search keys carry the customer's name: the kept one's now.
        let name = self.reader().customer(keep)?.map(|c| c.name);
        let keys = super::customer_keys(name.as_deref());
        let moved = self.tx.execute(
            "UPDATE tickets SET customer_id = ?1, customer_keys = ?3 WHERE customer_id = ?2",
            params![keep, gone, keys],
        )?;
        self.tx.execute_batch(&format!(
            "UPDATE OR IGNORE customer_handles SET customer_id = {keep} WHERE customer_id = {gone};
             UPDATE OR IGNORE customer_orders SET customer_id = {keep} WHERE customer_id = {gone};
             UPDATE customers SET notes = trim(notes || char(10) || (SELECT notes FROM customers WHERE id = {gone}))
                 WHERE id = {keep};
             DELETE FROM customers WHERE id = {gone};"
        ))?;
        Ok(moved)
    }

    pub fn insert_customer(&mut self, c: &NewCustomer, now: DateTime<Utc>) -> Result<i64> {
        self.insert_customer_as(c, now, None)
    }

    /// Inserts a customer with number `id` (a restore), or the next one.
    pub fn insert_customer_as(
        &mut self,
        c: &NewCustomer,
        now: DateTime<Utc>,
        id: Option<i64>,
    ) -> Result<i64> {
        self.tx
            .prepare_cached("INSERT INTO customers (name, email, phone, tier, country, timezone, language, created_at, name_pinyin, id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")?
            .execute(params![
                c.name,
                c.email,
                c.phone,
                c.tier.as_str(),
                c.country,
                c.timezone,
                c.language,
                rows::to_ms(now),
                crate::text::pinyin_keys(&c.name),
                id
            ])?;
        let id = self.tx.last_insert_rowid();
        // The customer is found by the address and number it came with
        // (one another customer has already stays theirs).
        for (kind, value) in [("email", &c.email), ("phone", &c.phone)] {
            if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                self.add_handle(id, kind, v)?;
            }
        }
        Ok(id)
    }

    /// Rewrites a customer's own fields (name, tier, country, zone,
    /// language) and keeps the search keys of their tickets in step.
    pub fn update_customer(&mut self, id: i64, c: &NewCustomer) -> Result<()> {
        self.tx.execute(
            "UPDATE customers SET name = ?2, tier = ?3, country = ?4, timezone = ?5, language = ?6, \
             name_pinyin = ?7 WHERE id = ?1",
            params![
                id,
                c.name,
                c.tier.as_str(),
                c.country,
                c.timezone,
                c.language,
                crate::text::pinyin_keys(&c.name)
            ],
        )?;
        self.tx.execute(
            "UPDATE tickets SET customer_keys = ?2 WHERE customer_id = ?1",
            params![id, super::customer_keys(Some(&c.name))],
        )?;
        Ok(())
    }

    /// Takes a handle off a customer; the first e-mail left becomes their address.
    pub fn remove_handle(&mut self, id: i64, kind: &str, value: &str) -> Result<bool> {
        let removed = self.tx.execute(
            "DELETE FROM customer_handles WHERE customer_id = ?1 AND kind = ?2 AND value = ?3",
            params![id, kind, handle_key(kind, value)],
        )? > 0;
        if kind == "email" {
            self.tx.execute(
                "UPDATE customers SET email = (SELECT value FROM customer_handles \
                 WHERE customer_id = ?1 AND kind = 'email' ORDER BY value LIMIT 1) WHERE id = ?1",
                [id],
            )?;
        }
        Ok(removed)
    }

    pub fn remove_order(&mut self, id: i64, order: &str) -> Result<bool> {
        Ok(self.tx.execute(
            "DELETE FROM customer_orders WHERE customer_id = ?1 AND order_ref = ?2",
            params![id, order.trim()],
        )? > 0)
    }

    /// A customer without an address takes their first e-mail handle as it.
    pub fn fill_customer_email(&mut self, id: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE customers SET email = (SELECT value FROM customer_handles \
             WHERE customer_id = ?1 AND kind = 'email' ORDER BY value LIMIT 1) \
             WHERE id = ?1 AND (email IS NULL OR email NOT IN \
                 (SELECT value FROM customer_handles WHERE customer_id = ?1 AND kind = 'email'))",
            [id],
        )?;
        Ok(())
    }
}
