#!/usr/bin/env bash
# Key → frame of the timeline (6) and "my work" (7) panes on a big demo
# desk, from the binary's own TDESK_TRACE: moving through tickets and steps,
# paging, zooming, panning, moving a due date, at 80x24 and 200x60 in
# English and Chinese. Heavy: not part of CI.
#
#   DB=target/bench/demo-1000000.db scripts/bench_planning.sh
#
# Prints one Markdown row per layout: p50 / p99 / max of key → frame (ms)
# in each pane. Needs tmux.
set -euo pipefail

cd "$(dirname "$0")/.."
DB=${DB:-target/bench/demo-1000000.db}
BIN=${BIN:-$PWD/target/release/tdesk}
[[ -f $DB ]] || { echo "no desk at $DB (tdesk --db $DB demo --tickets 1000000)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "bench_planning.sh needs tmux" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'tmux -L tdesk-plan kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
export NO_COLOR=1 LANG=C.UTF-8 TZ=UTC XDG_CONFIG_HOME=$WORK/config

stats() {
    sort -n "$1" | awk '{ a[NR] = $1 } END {
        if (NR == 0) { print "– – –"; exit }
        i50 = int(NR * 0.50 + 0.999); i99 = int(NR * 0.99 + 0.999)
        printf "%.1f %.1f %.1f\n", a[i50], a[i99], a[NR] }'
}

# drive SIZE LANG PANE KEYS... : key → frame times (ms) of KEYS in PANE
drive() {
    local size=$1 lang=$2 pane=$3; shift 3
    local trace=$WORK/trace.txt
    rm -f "$trace"
    tmux -L tdesk-plan kill-server 2>/dev/null || true
    sleep 0.5 # a server still going away refuses the next session
    tmux -L tdesk-plan new-session -d -x "${size%x*}" -y "${size#*x}" \
        "TDESK_TRACE=$trace $BIN --lang $lang --db $DB"
    for _ in $(seq 300); do [[ -s $trace ]] && break; sleep 0.02; done
    tmux -L tdesk-plan send-keys "$pane"
    sleep 1.5 # the pane's first page and its sort, as a user would wait
    local skip
    skip=$(grep -c '^input' "$trace" || true)
    for k in "$@"; do
        tmux -L tdesk-plan send-keys "$k"
        sleep 0.04
    done
    sleep 0.5
    tmux -L tdesk-plan send-keys q
    for _ in $(seq 200); do grep -q rss_kb "$trace" 2>/dev/null && break; sleep 0.02; done
    awk -v skip="$skip" '$1 == "input" { n++; if (n > skip) print $3 }' "$trace"
}

timeline_keys=()
for _ in $(seq 80); do timeline_keys+=(j); done
for _ in $(seq 10); do timeline_keys+=(NPage); done
for _ in $(seq 30); do timeline_keys+=(k); done
timeline_keys+=(z z z l l h h g)
work_keys=()
for _ in $(seq 60); do work_keys+=(j); done
for _ in $(seq 5); do work_keys+=(NPage PPage); done

echo "| layout | timeline p50 / p99 / max (ms) | my work p50 / p99 / max (ms) |"
echo "|---|---|---|"
for size in 80x24 200x60; do
    for lang in en zh-CN; do
        drive "$size" "$lang" 6 "${timeline_keys[@]}" >"$WORK/t.txt"
        drive "$size" "$lang" 7 "${work_keys[@]}" >"$WORK/w.txt"
        read -r t50 t99 tmax < <(stats "$WORK/t.txt")
        read -r w50 w99 wmax < <(stats "$WORK/w.txt")
        echo "| $size $lang | $t50 / $t99 / $tmax | $w50 / $w99 / $wmax |"
    done
done
