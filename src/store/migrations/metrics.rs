//! Version 19: what reports read. Each ticket keeps the outcome of its two
//! SLA clocks once they stop (business seconds, pauses taken out, and
//! whether the target was missed), how many public replies the desk wrote
//! and when it was last reopened; one covering index holds every column a
//! report reads, so a period's figures come from a narrow scan instead of
//! the wide ticket rows.

pub(super) const V19_METRICS: &str = r#"
ALTER TABLE tickets ADD COLUMN response_secs INTEGER;
ALTER TABLE tickets ADD COLUMN resolve_secs INTEGER;
-- Bit 1: the first response missed its target; bit 2: the resolution did.
ALTER TABLE tickets ADD COLUMN sla_late INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN replies INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN reopened_at INTEGER;

UPDATE tickets SET replies = (
    SELECT count(*) FROM comments c
    WHERE c.ticket_id = tickets.id AND NOT c.internal AND c.author IN (SELECT login FROM users)
);
UPDATE tickets SET reopened_at = (
    SELECT max(e.at) FROM events e
    WHERE e.ticket_id = tickets.id AND e.kind = 'status' AND e.old IN ('resolved', 'closed')
) WHERE reopens > 0;

-- A public comment by a member of the desk is a reply (a customer's words
-- arrive as comments too, under their address). Bulk loads count at the end.
CREATE TRIGGER metrics_reply AFTER INSERT ON comments
WHEN NOT new.internal AND (SELECT value FROM counters WHERE name = 'bulk_load') = 0
     AND new.author IN (SELECT login FROM users) BEGIN
    UPDATE tickets SET replies = replies + 1 WHERE id = new.ticket_id;
END;
CREATE TRIGGER metrics_reopen AFTER UPDATE OF reopens ON tickets
WHEN new.reopens > old.reopens BEGIN
    UPDATE tickets SET reopened_at = new.updated_at WHERE id = new.id;
END;

CREATE INDEX tickets_metrics ON tickets(
    created_at, status, priority, type, category, channel, customer_id, assignee, team,
    first_response_at, resolved_at, closed_at, response_secs, resolve_secs, sla_late,
    replies, reopens, reopened_at, rating, accepted_at, accepted_by, solved_by, cause, due_at
);
"#;
