//! Version 20: breaking work down. A ticket holds ordered subtasks, each
//! with its own owner (from any team), due date and done mark; tickets are
//! linked (blocks, duplicate of, related, parent of); members record the
//! time they spend on a ticket.

pub(super) const V20_SUBTASKS: &str = r#"
CREATE TABLE subtasks (
    -- Never reused: a step's number in a notice or a script stays its own.
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    assignee   TEXT,
    due_at     INTEGER,
    note       TEXT NOT NULL DEFAULT '',
    done_at    INTEGER,
    done_by    TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX subtasks_ticket ON subtasks(ticket_id, position);

-- Each ticket counts its steps, so lists and boards show the progress
-- (1/3) without reading the steps of every row.
ALTER TABLE tickets ADD COLUMN steps_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN steps_done INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER steps_added AFTER INSERT ON subtasks BEGIN
    UPDATE tickets SET steps_total = steps_total + 1,
        steps_done = steps_done + (new.done_at IS NOT NULL)
    WHERE id = new.ticket_id;
END;
CREATE TRIGGER steps_removed AFTER DELETE ON subtasks BEGIN
    UPDATE tickets SET steps_total = steps_total - 1,
        steps_done = steps_done - (old.done_at IS NOT NULL)
    WHERE id = old.ticket_id;
END;
CREATE TRIGGER steps_marked AFTER UPDATE OF done_at ON subtasks
WHEN (old.done_at IS NULL) != (new.done_at IS NULL) BEGIN
    UPDATE tickets SET steps_done = steps_done + (new.done_at IS NOT NULL) - (old.done_at IS NOT NULL)
    WHERE id = new.ticket_id;
END;
-- An assignee's open steps by due date ("my work").
CREATE INDEX subtasks_assignee ON subtasks(assignee, due_at) WHERE done_at IS NULL;

CREATE TABLE ticket_links (
    from_id    INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    to_id      INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (from_id, kind, to_id)
) WITHOUT ROWID;
CREATE INDEX ticket_links_to ON ticket_links(to_id, kind, from_id);

-- Time spent: a running timer has no stop; a logged stretch has both.
CREATE TABLE time_entries (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    login      TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    stopped_at INTEGER,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX time_entries_ticket ON time_entries(ticket_id, started_at);
CREATE INDEX time_entries_login ON time_entries(login, started_at);
-- One running timer per member.
CREATE UNIQUE INDEX time_entries_running ON time_entries(login) WHERE stopped_at IS NULL;
"#;

/// Version 21: milestones group tickets and steps under a name and a date
/// (a product defect's fix, a warehouse move). A ticket or a step belongs to
/// at most one.
pub(super) const V21_MILESTONES: &str = r#"
CREATE TABLE milestones (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner       TEXT,
    due_at      INTEGER,
    created_at  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    closed_at   INTEGER
);
CREATE UNIQUE INDEX milestones_name ON milestones(name COLLATE NOCASE);
ALTER TABLE tickets ADD COLUMN milestone_id INTEGER REFERENCES milestones(id);
CREATE INDEX tickets_milestone ON tickets(milestone_id) WHERE milestone_id IS NOT NULL;
ALTER TABLE subtasks ADD COLUMN milestone_id INTEGER REFERENCES milestones(id);
CREATE INDEX subtasks_milestone ON subtasks(milestone_id) WHERE milestone_id IS NOT NULL;
-- Time spent on one step of a ticket (a removed step leaves the time on
-- its ticket).
ALTER TABLE time_entries ADD COLUMN subtask_id INTEGER REFERENCES subtasks(id) ON DELETE SET NULL;
"#;
