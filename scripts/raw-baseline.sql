-- The raw SQLite bulk load `tdesk demo` is compared with: the same number of
-- rows of the same sizes in the same tables, written by SQLite alone from
-- generate_series (no application code), indexes and search index built
-- after the insert. Run: sqlite3 /tmp/raw.db < scripts/raw-baseline.sql
-- (the script times itself with .timer). N is set on the next line.
PRAGMA journal_mode = DELETE;
PRAGMA cache_size = -262144;
CREATE TABLE n(v); INSERT INTO n VALUES (1000000);
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, status TEXT NOT NULL,
    priority INTEGER NOT NULL, type TEXT NOT NULL, category TEXT, channel TEXT NOT NULL, customer_id INTEGER,
    assignee TEXT, team TEXT, custom TEXT NOT NULL DEFAULT '{}', resolution TEXT, accepted_at INTEGER,
    rating INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, first_response_at INTEGER,
    resolved_at INTEGER, closed_at INTEGER, version INTEGER NOT NULL, due_at INTEGER, risk_at INTEGER,
    title_pinyin TEXT NOT NULL, search_initials TEXT NOT NULL, customer_keys TEXT NOT NULL, comment_text TEXT NOT NULL
);
CREATE TABLE ticket_tags (ticket_id INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (ticket_id, tag)) WITHOUT ROWID;
CREATE TABLE comments (id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL, author TEXT NOT NULL, body TEXT NOT NULL,
    internal INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE events (ticket_id INTEGER NOT NULL, id INTEGER NOT NULL, actor TEXT NOT NULL, at INTEGER NOT NULL,
    kind TEXT NOT NULL, field TEXT, old TEXT, new TEXT, change_id INTEGER, PRIMARY KEY (ticket_id, id)) WITHOUT ROWID;
.timer on
BEGIN;
INSERT INTO tickets (id, title, description, status, priority, type, category, channel, customer_id, assignee, team,
    resolution, created_at, updated_at, version, title_pinyin, search_initials, customer_keys, comment_text)
SELECT value, 'Ticket ' || hex(randomblob(12)), hex(randomblob(110)), 'in_progress', value % 4, 'after-sales',
    'logistics/customs', 'email', value % 50000, 'agent' || (value % 50), 'eu', hex(randomblob(20)),
    value * 1000, value * 1000, 5, hex(randomblob(10)), 'ab cd', 'Customer ' || (value % 50000), hex(randomblob(65))
FROM generate_series(1, (SELECT v FROM n));
INSERT INTO ticket_tags SELECT value, 'tag' || (value % 40) FROM generate_series(1, (SELECT v FROM n));
INSERT OR IGNORE INTO ticket_tags SELECT value, 'tag' || (value % 7) FROM generate_series(1, (SELECT v FROM n) / 2);
INSERT INTO comments (ticket_id, author, body, internal, created_at)
SELECT value % (SELECT v FROM n) + 1, 'agent' || (value % 50), hex(randomblob(50)), value % 2, value * 1000
FROM generate_series(1, (SELECT v FROM n) * 13 / 10);
INSERT INTO events (ticket_id, id, actor, at, kind, field, old, new)
SELECT value / 7 + 1, value, 'agent' || (value % 50), value * 100, 'status', NULL, 'new', 'in_progress'
FROM generate_series(1, (SELECT v FROM n) * 72 / 10);
CREATE INDEX tickets_updated ON tickets(updated_at);
CREATE INDEX tickets_created ON tickets(created_at);
CREATE INDEX tickets_status_board ON tickets(status, priority, updated_at);
CREATE INDEX tickets_assignee_updated ON tickets(assignee, updated_at);
CREATE INDEX tickets_team_updated ON tickets(team, updated_at);
CREATE INDEX tickets_customer_updated ON tickets(customer_id, updated_at);
CREATE INDEX tickets_due ON tickets(due_at) WHERE due_at IS NOT NULL;
CREATE INDEX ticket_tags_tag ON ticket_tags(tag, ticket_id);
CREATE INDEX comments_ticket ON comments(ticket_id, id);
CREATE VIRTUAL TABLE search_fts USING fts5(title, description, title_pinyin, customer_keys, comment_text,
    content='tickets', content_rowid='id', tokenize='trigram', detail=none, columnsize=0);
INSERT INTO search_fts(search_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE initials_fts USING fts5(search_initials, content='tickets', content_rowid='id',
    tokenize='unicode61', detail=none, columnsize=0);
INSERT INTO initials_fts(initials_fts) VALUES ('rebuild');
COMMIT;
