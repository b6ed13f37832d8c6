//! Saved views.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::rows::{bad_value, to_ms};
use super::{Reader, Writer};
use crate::domain::{Column, GroupBy, SortDir, SortKey, View};
use crate::error::Result;

const VIEW_COLUMNS: &str = "id, name, owner, query, sort, dir, columns, group_by";

fn view(r: &Row) -> rusqlite::Result<View> {
    let sort: String = r.get(4)?;
    let dir: String = r.get(5)?;
    let columns: String = r.get(6)?;
    let group: Option<String> = r.get(7)?;
    Ok(View {
        id: r.get(0)?,
        name: r.get(1)?,
        builtin: None,
        owner: r.get(2)?,
        query: r.get(3)?,
        sort: SortKey::parse(&sort).ok_or_else(|| bad_value("sort", &sort))?,
        dir: if dir == "asc" {
            SortDir::Asc
        } else {
            SortDir::Desc
        },
        columns: Column::parse_list(&columns).unwrap_or_else(|_| Column::DEFAULT.to_vec()),
        group: group.as_deref().and_then(GroupBy::parse),
    })
}

impl Reader<'_> {
    /// The desk's shared views and `owner`'s personal ones, by name.
    pub fn views(&self, owner: &str) -> Result<Vec<View>> {
        let sql = format!(
            "SELECT {VIEW_COLUMNS} FROM views WHERE owner IS NULL OR owner = ?1 ORDER BY owner IS NOT NULL, name"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let views = stmt
            .query_map([owner], view)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(views)
    }
}

impl Writer<'_> {
    /// Stores a view, replacing one with the same owner and name.
    pub fn save_view(&mut self, v: &View, now: DateTime<Utc>) -> Result<i64> {
        let columns: Vec<&str> = v.columns.iter().map(|c| c.as_str()).collect();
        let dir = match v.dir {
            SortDir::Asc => "asc",
            SortDir::Desc => "desc",
        };
        self.tx.execute(
            "DELETE FROM views WHERE coalesce(owner, '') = coalesce(?1, '') AND name = ?2",
            params![v.owner, v.name],
        )?;
        self.tx.execute(
            "INSERT INTO views (name, owner, query, sort, dir, columns, group_by, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                v.name,
                v.owner,
                v.query,
                v.sort.as_str(),
                dir,
                columns.join(","),
                v.group.map(GroupBy::as_str),
                to_ms(now)
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Deletes a view; returns whether there was one.
    pub fn delete_view(&mut self, owner: Option<&str>, name: &str) -> Result<bool> {
        let n = self.tx.execute(
            "DELETE FROM views WHERE coalesce(owner, '') = coalesce(?1, '') AND name = ?2",
            params![owner, name],
        )?;
        Ok(n > 0)
    }

    pub fn view_exists(&self, owner: Option<&str>, name: &str) -> Result<bool> {
        Ok(self
            .tx
            .query_row(
                "SELECT 1 FROM views WHERE coalesce(owner, '') = coalesce(?1, '') AND name = ?2",
                params![owner, name],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}
