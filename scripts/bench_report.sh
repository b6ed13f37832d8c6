#!/usr/bin/env bash
# Times reports on the real binary and a demo desk (default 1,000,000
# tickets, shared with scripts/bench.sh): `tdesk report weekly` in each
# format as a whole process, and in the TUI the dashboard — `5` to the frame
# with its figures (TDESK_TRACE's dashboard_ready), and key → frame on the
# pane while it works and after. Heavy: not part of CI.
#
#   scripts/bench_report.sh            # 1M
#   SIZE=100000 scripts/bench_report.sh
set -euo pipefail

cd "$(dirname "$0")/.."
SIZE=${SIZE:-1000000}
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-target/bench}
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
command -v tmux >/dev/null || { echo "bench_report.sh needs tmux" >&2; exit 1; }
cargo build --release --locked --quiet
BIN=$PWD/target/release/tdesk
export NO_COLOR=1 LANG=C.UTF-8 TZ=UTC
export XDG_CONFIG_HOME=$BENCH_DIR/config

db=$BENCH_DIR/demo-$SIZE.db
if ! "$BIN" --db "$db" list --limit 1 "#$SIZE" 2>/dev/null | grep -q "^#$SIZE "; then
    rm -f "$db" "$db-wal" "$db-shm"
    "$BIN" init --db "$db" >/dev/null
    "$BIN" --db "$db" demo --tickets "$SIZE" >/dev/null
fi

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "| operation ($SIZE tickets) | median of $RUNS | max |"
echo "|---|---|---|"
for format in md html csv json; do
    times=$BENCH_DIR/report-times.txt
    : >"$times"
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s%N)
        "$BIN" --db "$db" report weekly --format "$format" >/dev/null
        t1=$(date +%s%N)
        echo "scale=3; ($t1 - $t0) / 1000000000" | bc >>"$times"
    done
    printf '| `tdesk report weekly --format %s` | %.2f s | %.2f s |\n' "$format" \
        "$(median <"$times")" "$(sort -n "$times" | tail -1)"
done
times=$BENCH_DIR/report-times.txt
: >"$times"
for _ in $(seq "$RUNS"); do
    t0=$(date +%s%N)
    "$BIN" --db "$db" report tickets --days 7 >/dev/null
    t1=$(date +%s%N)
    echo "scale=3; ($t1 - $t0) / 1000000000" | bc >>"$times"
done
printf '| `tdesk report tickets --days 7` (CSV) | %.2f s | %.2f s |\n' \
    "$(median <"$times")" "$(sort -n "$times" | tail -1)"

ready=$BENCH_DIR/dashboard-ready.txt
keys=$BENCH_DIR/dashboard-keys.txt
: >"$ready"; : >"$keys"
for size in 80x24 200x60; do
    for _ in $(seq "$RUNS"); do
        trace=$BENCH_DIR/dashboard-trace.txt
        rm -f "$trace"
        tmux kill-session -t tdesk-dash 2>/dev/null || true
        tmux new-session -d -s tdesk-dash -x "${size%x*}" -y "${size#*x}" \
            "TDESK_TRACE=$trace NO_COLOR=1 $BIN --db $db"
        for _ in $(seq 200); do [[ -s $trace ]] && break; sleep 0.02; done
        sleep 0.5
        tmux send-keys -t tdesk-dash 5
        # Keys while the figures are worked out, then after.
        for k in j k j k; do sleep 0.1; tmux send-keys -t tdesk-dash "$k"; done
        for _ in $(seq 100); do grep -q dashboard_ready "$trace" 2>/dev/null && break; sleep 0.05; done
        for k in j k '[' ']'; do sleep 0.05; tmux send-keys -t tdesk-dash "$k"; done
        sleep 2.5
        tmux send-keys -t tdesk-dash q
        for _ in $(seq 200); do grep -q rss_kb "$trace" 2>/dev/null && break; sleep 0.02; done
        awk '$1 == "dashboard_ready" { print $2; exit }' "$trace" >>"$ready"
        awk '$1 == "input" { print $3 }' "$trace" >>"$keys"
    done
done
tmux kill-session -t tdesk-dash 2>/dev/null || true
printf '| dashboard: `5` → frame with the figures (80x24 and 200x60) | %.0f ms | %.0f ms |\n' \
    "$(median <"$ready")" "$(sort -n "$ready" | tail -1)"
printf '| dashboard: key → next frame, also while it works | %.1f ms | %.1f ms |\n' \
    "$(median <"$keys")" "$(sort -n "$keys" | tail -1)"
