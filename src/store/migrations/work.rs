//! Version 20: breaking work down. A ticket holds ordered subtasks, each
//! with its own owner (from any team), due date and done mark.

pub(super) const V20_SUBTASKS: &str = r#"
CREATE TABLE subtasks (
    id         INTEGER PRIMARY KEY,
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
-- An assignee's open steps by due date ("my work").
CREATE INDEX subtasks_assignee ON subtasks(assignee, due_at) WHERE done_at IS NULL;
"#;
