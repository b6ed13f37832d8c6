//! Planner statistics. Which index serves a list page best depends on how
//! many tickets a filter leaves (all open tickets: scan in sort order; one
//! state: that state's index), and SQLite only knows that from `ANALYZE`.
//! Sampled statistics (`analysis_limit`) misjudge low-cardinality columns by
//! orders of magnitude, so the tickets table is analysed in full: after a
//! bulk load, and when the desk has doubled or halved since the last time.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// Below this many tickets every plan is fast; statistics are not worth it.
const STATS_FROM: i64 = 10_000;

/// Analyses the tickets table in full (about 0.5 s at a million tickets),
/// and the other tables from a sample.
pub fn analyze(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "PRAGMA analysis_limit = 1000; ANALYZE;
         PRAGMA analysis_limit = 0; ANALYZE tickets;",
    )?;
    Ok(())
}

/// Refreshes the statistics if the desk has grown or shrunk twofold since
/// they were taken. Best effort: a busy desk is left for the next opening.
pub fn refresh_if_stale(conn: &Connection) -> Result<()> {
    let tickets: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) FROM tickets", [], |r| r.get(0))?;
    if tickets < STATS_FROM {
        return Ok(());
    }
    let analyzed: Option<i64> = conn
        .query_row(
            "SELECT CAST(stat AS INTEGER) FROM sqlite_stat1 \
             WHERE tbl = 'tickets' AND idx = 'tickets_updated'",
            [],
            |r| r.get(0),
        )
        .optional()
        // No sqlite_stat1 table yet: never analysed.
        .unwrap_or(None);
    let fresh = analyzed.is_some_and(|n| tickets <= 2 * n && 2 * tickets >= n);
    if !fresh {
        let _ = conn.execute_batch("PRAGMA analysis_limit = 0; ANALYZE tickets;");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desk_with(n: i64) -> Connection {
        let conn = Connection::open_in_memory().expect("memory");
        conn.execute_batch(
            "CREATE TABLE tickets (id INTEGER PRIMARY KEY, status TEXT, updated_at INTEGER);
             CREATE INDEX tickets_updated ON tickets(updated_at);",
        )
        .expect("schema");
        fill(&conn, 1, n);
        conn
    }

    fn fill(conn: &Connection, from: i64, to: i64) {
        conn.execute(
            "WITH RECURSIVE s(v) AS (SELECT ?1 UNION ALL SELECT v + 1 FROM s WHERE v < ?2) \
             INSERT INTO tickets SELECT v, 'new', v FROM s",
            [from, to],
        )
        .expect("rows");
    }

    fn analyzed_rows(conn: &Connection) -> Option<i64> {
        conn.query_row(
            "SELECT CAST(stat AS INTEGER) FROM sqlite_stat1 WHERE idx = 'tickets_updated'",
            [],
            |r| r.get(0),
        )
        .optional()
        .unwrap_or(None)
    }

    #[test]
    fn small_desks_are_left_alone_and_big_ones_analysed_once_per_doubling() {
        let small = desk_with(500);
        refresh_if_stale(&small).expect("refresh");
        assert_eq!(analyzed_rows(&small), None);

        let big = desk_with(20_000);
        refresh_if_stale(&big).expect("refresh");
        assert_eq!(analyzed_rows(&big), Some(20_000));
        fill(&big, 20_001, 30_000);
        refresh_if_stale(&big).expect("refresh");
        assert_eq!(analyzed_rows(&big), Some(20_000), "1.5x is not stale");
        fill(&big, 30_001, 45_000);
        refresh_if_stale(&big).expect("refresh");
        assert_eq!(analyzed_rows(&big), Some(45_000));
    }
}
