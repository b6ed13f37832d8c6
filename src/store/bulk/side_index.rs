//! Builds the trigram search index of a bulk load on the second core: rows go
//! to an in-memory FTS5 table with the same tokenizer and options while the
//! main connection writes tickets, then the finished index pages are copied
//! into the desk's `search_fts` shadow tables in the load's transaction.
//! FTS5's on-disk format does not depend on where the content lives, so the
//! copied index is what `rebuild` would have produced (a test checks this
//! with FTS5's own integrity check).

use rusqlite::{Connection, params};
use std::sync::mpsc::Receiver;

use crate::error::Result;

/// The text of one ticket for the search index, by column.
pub struct SearchRow {
    pub id: i64,
    pub columns: [String; 5],
}

/// The finished side index.
pub struct SideIndex {
    conn: Connection,
}

/// Indexes every row received; returns when the sender hangs up.
pub fn build(rows: Receiver<Vec<SearchRow>>) -> Result<SideIndex> {
    let conn = Connection::open_in_memory()?;
    conn.execute_batch(
        "CREATE VIRTUAL TABLE search_fts USING fts5(
             title, description, title_pinyin, customer_keys, comment_text,
             content='', tokenize='trigram', detail=none, columnsize=0
         );
         BEGIN;",
    )?;
    {
        let mut insert = conn.prepare(
            "INSERT INTO search_fts(rowid, title, description, title_pinyin, customer_keys, comment_text) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for batch in rows {
            for r in batch {
                let [a, b, c, d, e] = &r.columns;
                insert.execute(params![r.id, a, b, c, d, e])?;
            }
        }
    }
    conn.execute_batch("COMMIT;")?;
    Ok(SideIndex { conn })
}

impl SideIndex {
    /// Replaces the desk's `search_fts` index pages with the side index's.
    pub fn copy_into(&self, tx: &rusqlite::Transaction<'_>) -> Result<()> {
        tx.execute_batch("DELETE FROM search_fts_data; DELETE FROM search_fts_idx;")?;
        let mut read = self.conn.prepare("SELECT id, block FROM search_fts_data")?;
        let mut write = tx.prepare("INSERT INTO search_fts_data (id, block) VALUES (?1, ?2)")?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let block: Vec<u8> = r.get(1)?;
            write.execute(params![id, block])?;
        }
        let mut read = self
            .conn
            .prepare("SELECT segid, term, pgno FROM search_fts_idx")?;
        let mut write =
            tx.prepare("INSERT INTO search_fts_idx (segid, term, pgno) VALUES (?1, ?2, ?3)")?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let segid: i64 = r.get(0)?;
            let term: Vec<u8> = r.get(1)?;
            let pgno: i64 = r.get(2)?;
            write.execute(params![segid, term, pgno])?;
        }
        Ok(())
    }
}
