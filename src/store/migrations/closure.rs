//! Version 18: closing the loop. The resolution record (root cause and
//! prevention beside the summary), how an acceptance was recorded, a
//! reopen count, members' seniority, and the knowledge base.

pub(super) const V18_CLOSURE: &str = r#"
ALTER TABLE tickets ADD COLUMN cause TEXT;
ALTER TABLE tickets ADD COLUMN prevention TEXT;
ALTER TABLE tickets ADD COLUMN accepted_by TEXT
    CHECK (accepted_by IN ('customer', 'supervisor', 'silence'));
ALTER TABLE tickets ADD COLUMN reopens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN solved_by TEXT;
CREATE INDEX tickets_cause ON tickets(cause, id) WHERE cause IS NOT NULL;

ALTER TABLE users ADD COLUMN level TEXT NOT NULL DEFAULT 'regular'
    CHECK (level IN ('junior', 'regular', 'senior'));

-- One row per article and language; `slug` is the id a team keeps in git
-- (`returns.en.md`), the same for every language of an article.
CREATE TABLE kb_articles (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL,
    lang       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    category   TEXT,
    tags       TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL CHECK (visibility IN ('internal', 'shareable')),
    author     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (slug, lang)
);
-- Tickets an article solved that the customer accepted: how often it
-- helped is how many of them a member may see (never a bare counter
-- that a loop of accept and undo could raise).
CREATE TABLE kb_helped (
    slug      TEXT NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    PRIMARY KEY (slug, ticket_id)
) WITHOUT ROWID;
-- The tickets an article came from, or that it solved.
CREATE TABLE kb_tickets (
    slug      TEXT NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    PRIMARY KEY (slug, ticket_id)
) WITHOUT ROWID;
CREATE INDEX kb_tickets_ticket ON kb_tickets(ticket_id);
"#;
