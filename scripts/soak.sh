#!/usr/bin/env bash
# Soak: 8 simulated agents on one desk, each doing one thing a second —
# reading (list, show, search, the weekly report), writing (new tickets,
# replies, state changes), importing a small CSV and an e-mail — with a
# backup every minute, for SECONDS (default 600). At the end: no
# user-visible error (a refusal by the workflow is an answer, not an
# error), the WAL under 64 MiB, SQLite's integrity check ok, every
# acknowledged ticket and reply present, and every backup sound.
#
#   scripts/soak.sh [SECONDS] [path/to/tdesk]      (CI: 60 s)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
bin="$(realpath "${2:-target/release/tdesk}")"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export TDESK_DB="$work/desk.db" HOME="$work/home" XDG_CONFIG_HOME="$work/config" \
    XDG_DATA_HOME="$work/data" LANG=C NO_COLOR=1 TZ=UTC
mkdir -p "$work/home" "$work/acks" "$work/errors" "$work/backups"
"$bin" init >/dev/null
"$bin" demo --tickets 300 >/dev/null
mail="$(ls tests/mail/*.eml | head -1)"
end=$(( $(date +%s) + seconds ))

# run AGENT CMD...: one action; exit codes 0 (done), 3 (not found), 4
# (refused) and 5 (conflict) are answers; anything else is an error.
run() {
    local agent=$1; shift
    local out rc=0
    out="$("$bin" "$@" 2>&1)" || rc=$?
    case $rc in
        0 | 3 | 4 | 5) printf '%s' "$out" ;;
        *) printf '%s: rc=%s: %s\n' "$*" "$rc" "$out" >>"$work/errors/$agent" ;;
    esac
    return 0
}

agent() {
    local a=$1 n=0
    while [ "$(date +%s)" -lt "$end" ]; do
        n=$((n + 1))
        local id=$(( (RANDOM % 300) + 1 ))
        case $(( (RANDOM + a) % 10 )) in
            0 | 1)
                out="$(run "$a" add --title "soak $a-$n" --body "Parcel $a-$n held at customs")"
                case "$out" in *[0-9]*) echo "${out//[^0-9]/}" >>"$work/acks/tickets-$a" ;; esac
                ;;
            2)
                out="$(run "$a" comment "$id" --body "soak reply $a-$n" --via phone)"
                [ -n "$out" ] && echo "$id soak reply $a-$n" >>"$work/acks/replies-$a"
                ;;
            3) run "$a" move "$id" in_progress >/dev/null ;;
            4) run "$a" list --limit 25 "status:open" >/dev/null ;;
            5) run "$a" show "$id" >/dev/null ;;
            6) run "$a" list --limit 10 "customs" >/dev/null ;;
            7) run "$a" report weekly --days 7 --format json >/dev/null ;;
            8)
                printf 'title,priority\nSoak import %s-%s,P2\n' "$a" "$n" >"$work/import-$a.csv"
                run "$a" import csv "$work/import-$a.csv" >/dev/null
                ;;
            9) run "$a" import eml "$mail" >/dev/null ;;
        esac
        sleep 1
    done
}

for a in 1 2 3 4 5 6 7 8; do agent "$a" & done
# The largest the WAL gets while everyone works.
(
    max=0
    while [ "$(date +%s)" -lt "$end" ]; do
        size=$(stat -c %s "$TDESK_DB-wal" 2>/dev/null || echo 0)
        [ "$size" -gt "$max" ] && max=$size && echo "$max" >"$work/wal-max"
        sleep 1
    done
) &
backups=0
while [ "$(date +%s)" -lt "$end" ]; do
    sleep $(( seconds < 60 ? seconds / 2 + 1 : 60 ))
    run backup backup "$work/backups" --keep 3 >/dev/null
    backups=$((backups + 1))
done
wait

fail() { echo "soak: FAIL: $*" >&2; exit 1; }
if [ -n "$(cat "$work"/errors/* 2>/dev/null)" ]; then
    cat "$work"/errors/* >&2
    fail "user-visible errors"
fi
wal=$(cat "$work/wal-max" 2>/dev/null || echo 0)
[ "$wal" -le $((64 << 20)) ] || fail "WAL grew to $wal bytes"
# SQLite's integrity check by tdesk's own SQLite (`restore` without --yes
# only checks; the system's older sqlite3 misreports WITHOUT ROWID tables).
check() { if "$bin" restore "$1" 2>/dev/null | grep -q "sound"; then echo ok; else echo damaged; fi; }
[ "$(check "$TDESK_DB")" = ok ] || fail "integrity"
tickets=0
for f in "$work"/acks/tickets-*; do
    [ -f "$f" ] || continue
    while read -r id; do
        "$bin" show "$id" >/dev/null 2>&1 || fail "acknowledged ticket #$id lost"
        tickets=$((tickets + 1))
    done <"$f"
done
replies=0
for f in "$work"/acks/replies-*; do
    [ -f "$f" ] || continue
    while read -r id text; do
        "$bin" show "$id" 2>/dev/null | grep -qF "$text" || fail "acknowledged reply on #$id lost"
        replies=$((replies + 1))
    done <"$f"
done
for b in "$work"/backups/tdesk-*.db; do
    [ -f "$b" ] || continue
    [ "$(check "$b")" = ok ] || fail "backup $b is damaged"
done
echo "soak: ok — ${seconds}s, 8 agents, $tickets tickets and $replies replies acknowledged and present, $backups backups, WAL at most $wal bytes"
