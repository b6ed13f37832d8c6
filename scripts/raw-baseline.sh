#!/usr/bin/env bash
# The raw SQLite bulk load that `tdesk demo` is measured against: the rows of
# an existing demo desk copied into an empty database with the same tables by
# SQLite alone (INSERT … SELECT, one transaction, rollback journal), then the
# same indexes and the same search index built after the insert.
# Usage: scripts/raw-baseline.sh DEMO.db   (prints seconds)
set -euo pipefail
src=${1:?usage: raw-baseline.sh DEMO.db}
out=$(mktemp -d)/raw.db
tables=$(sqlite3 "$src" "SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND name IN ('users','customers','tickets','ticket_tags','comments','events')")
indexes=$(sqlite3 "$src" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('tickets','ticket_tags','comments','events')")
search=$(sqlite3 "$src" "SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND name IN ('search_fts','initials_fts')")
sqlite3 "$out" "PRAGMA journal_mode = DELETE;" >/dev/null
sqlite3 "$out" "$tables"
start=$(date +%s.%N)
sqlite3 "$out" <<SQL
PRAGMA cache_size = -262144;
ATTACH '$src' AS demo;
BEGIN;
INSERT INTO users SELECT * FROM demo.users;
INSERT INTO customers SELECT * FROM demo.customers;
INSERT INTO tickets SELECT * FROM demo.tickets;
INSERT INTO ticket_tags SELECT * FROM demo.ticket_tags;
INSERT INTO comments SELECT * FROM demo.comments;
INSERT INTO events SELECT * FROM demo.events;
$indexes
$search
INSERT INTO search_fts(search_fts) VALUES ('rebuild');
INSERT INTO initials_fts(initials_fts) VALUES ('rebuild');
COMMIT;
SQL
end=$(date +%s.%N)
echo "raw SQLite load of $(sqlite3 "$src" 'SELECT count(*) FROM tickets') tickets: $(echo "$end - $start" | bc) s"
rm -rf "$(dirname "$out")"
