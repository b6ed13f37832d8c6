//! Search as you type: the first page of matches, newest first, each with a
//! snippet of where it matched when that is not the title.

use crate::domain::{ListRequest, Query, SortDir, SortKey, TicketRow};
use crate::error::Result;
use crate::text::{match_ranges, snippet};

use super::Desk;

/// Characters of context before the match in a snippet, and its length.
const SNIPPET_BEFORE: usize = 24;
const SNIPPET_CHARS: usize = 160;

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub row: TicketRow,
    /// Where the terms matched, when not in the title (description, comments, customer).
    pub snippet: Option<String>,
}

impl Desk {
    /// The first `limit` tickets matching `query`, newest first.
    pub fn search(&self, query: &Query, limit: usize) -> Result<Vec<SearchHit>> {
        let rows = self.list(&ListRequest {
            query: query.clone(),
            sort: SortKey::Number,
            dir: SortDir::Desc,
            limit,
            offset: 0,
            group: None,
            backwards: false,
        })?;
        let terms = query.text_terms();
        let in_body: Vec<i64> = rows
            .iter()
            .filter(|r| !terms.is_empty() && match_ranges(&r.title, &terms).is_empty())
            .map(|r| r.id)
            .collect();
        let bodies = self.store.reader().bodies(&in_body)?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let snippet = bodies.iter().find(|(id, ..)| *id == row.id).and_then(
                    |(_, description, comments)| {
                        [
                            description.as_str(),
                            comments,
                            row.customer.as_deref().unwrap_or(""),
                        ]
                        .into_iter()
                        .find_map(|text| snippet(text, &terms, SNIPPET_BEFORE, SNIPPET_CHARS))
                    },
                );
                SearchHit { row, snippet }
            })
            .collect())
    }

    /// A handle that stops this desk's running query from another thread.
    pub fn interrupter(&self) -> Interrupter {
        Interrupter(self.store.interrupter())
    }
}

/// Stops a desk's running query (which then fails with
/// [`crate::Error::Interrupted`]) from another thread; a no-op when none runs.
pub struct Interrupter(crate::store::Interrupter);

impl Interrupter {
    pub fn interrupt(&self) {
        self.0.interrupt();
    }
}
