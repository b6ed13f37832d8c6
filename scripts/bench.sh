#!/usr/bin/env bash
# Times the real tdesk binary on demo desks of 100,000 and 1,000,000 tickets
# and prints one Markdown table, with taskwarrior timed on the same machine
# for comparison. Heavy: not part of CI (CI runs the divan benchmarks once at
# a small size instead).
#
#   scripts/bench.sh                  # 100k and 1M
#   SIZES="10000" scripts/bench.sh    # quick look
#   NO_TASKWARRIOR=1 scripts/bench.sh # skip the comparison
#
# Desks are kept in BENCH_DIR (default target/bench) and reused when they
# have the right size; delete them to time the demo load again. Needs tmux
# (the TUI is driven in it, with TDESK_TRACE recording the binary's own
# timings); taskwarrior is installed with apt-get when missing and allowed.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${SIZES:-"100000 1000000"}
RUNS=${RUNS:-30}
BENCH_DIR=${BENCH_DIR:-target/bench}
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)

command -v tmux >/dev/null || { echo "bench.sh needs tmux" >&2; exit 1; }
cargo build --release --locked --quiet
BIN=$PWD/target/release/tdesk
export NO_COLOR=1 LANG=C.UTF-8 TZ=UTC
export XDG_CONFIG_HOME=$BENCH_DIR/config

now_ns() { date +%s%N; }

# stats FILE -> "p50 p95 p99 max" in ms from one number (ms) per line
stats() {
    sort -n "$1" | awk '{ a[NR] = $1 } END {
        if (NR == 0) { print "– – – –"; exit }
        i50 = int(NR * 0.50 + 0.999); i95 = int(NR * 0.95 + 0.999); i99 = int(NR * 0.99 + 0.999)
        printf "%.1f %.1f %.1f %.1f\n", a[i50], a[i95], a[i99], a[NR] }'
}

# time_runs FILE CMD... : runs CMD RUNS times, one ms figure per line into FILE
time_runs() {
    local out=$1; shift
    : >"$out"
    for _ in $(seq "$RUNS"); do
        local t0 t1
        t0=$(now_ns); "$@" >/dev/null; t1=$(now_ns)
        echo "scale=3; ($t1 - $t0) / 1000000" | bc >>"$out"
    done
}

# desk SIZE -> path of a demo desk of SIZE tickets (built, and timed into
# DB.seconds, if needed)
desk() {
    local n=$1 db=$BENCH_DIR/demo-$1.db
    if ! { [[ -f $db.seconds ]] && "$BIN" --db "$db" list --limit 1 "#$n" 2>/dev/null | grep -q "^#$n "; }; then
        rm -f "$db" "$db-wal" "$db-shm"
        "$BIN" init --db "$db" >/dev/null
        sync
        local t0 t1
        t0=$(now_ns)
        "$BIN" --db "$db" demo --tickets "$n" >/dev/null
        t1=$(now_ns)
        printf '%.1f\n' "$(echo "scale=3; ($t1 - $t0) / 1000000000" | bc)" >"$db.seconds"
    fi
    echo "$db"
}

# tui DB: drives the TUI in tmux at 120x40; prints
# "first key_p50 key_p99 key_max rss_mb ready_p50 ready_p95 ready_max"
tui() {
    local db=$1 trace=$BENCH_DIR/trace.txt firsts=$BENCH_DIR/first.txt inputs=$BENCH_DIR/inputs.txt
    local ready=$BENCH_DIR/ready.txt
    : >"$firsts"; : >"$inputs"; : >"$ready"
    local rss=0
    for run in 1 2 3 4 5; do
        rm -f "$trace"
        tmux kill-session -t tdesk-bench 2>/dev/null || true
        tmux new-session -d -s tdesk-bench -x 120 -y 40 \
            "TDESK_TRACE=$trace NO_COLOR=1 $BIN --db $db"
        for _ in $(seq 200); do [[ -s $trace ]] && break; sleep 0.02; done
        sleep 0.5 # let counts and the board arrive, as a user would
        if [[ $run == 1 ]]; then
            # scroll, page, jump, open, switch panes and views, filter, search
            local keys=()
            for _ in $(seq 60); do keys+=(j); done
            for _ in $(seq 20); do keys+=(NPage); done
            keys+=(G g Enter Escape Tab Tab Tab 1)
            for _ in $(seq 20); do keys+=(k); done
            for _ in $(seq 10); do keys+=(PPage); done
            keys+=(v Down Enter v Enter 2 l l h 1 = = = = =)
            for k in "${keys[@]}"; do
                tmux send-keys -t tdesk-bench "$k"
                sleep 0.03
            done
        fi
        tmux send-keys -t tdesk-bench q
        for _ in $(seq 200); do grep -q rss_kb "$trace" 2>/dev/null && break; sleep 0.02; done
        awk '$1 == "first_frame" { print $2 }' "$trace" >>"$firsts"
        if [[ $run == 1 ]]; then
            awk '$1 == "input" { print $3 }' "$trace" >>"$inputs"
            awk '$1 == "list_ready" { print $2 }' "$trace" >>"$ready"
            rss=$(awk '$1 == "hwm_kb" { printf "%.0f", $2 / 1024 }' "$trace")
        fi
    done
    tmux kill-session -t tdesk-bench 2>/dev/null || true
    read -r f50 _ _ _ < <(stats "$firsts")
    read -r k50 _ k99 kmax < <(stats "$inputs")
    read -r r50 r95 _ rmax < <(stats "$ready")
    echo "$f50 $k50 $k99 $kmax $rss $r50 $r95 $rmax"
}

# layouts DB: the TUI at 80x24 and 200x60 (list and detail side by side), in
# English and Chinese; each started 3 times (first full frame, median) and
# driven once through j/k/Enter/Tab/1/2/3 in the list, the detail and the
# board. Prints one line per layout:
# "SIZE LANG first_ms key_p50 key_p99 key_max detail_p50 detail_p95"
layouts() {
    local db=$1 trace=$BENCH_DIR/trace.txt
    local firsts=$BENCH_DIR/first.txt inputs=$BENCH_DIR/inputs.txt details=$BENCH_DIR/details.txt
    for size in 80x24 200x60; do
        for lang in en zh-CN; do
            : >"$firsts"; : >"$inputs"; : >"$details"
            for run in 1 2 3; do
                rm -f "$trace"
                tmux kill-session -t tdesk-bench 2>/dev/null || true
                tmux new-session -d -s tdesk-bench -x "${size%x*}" -y "${size#*x}" \
                    "TDESK_TRACE=$trace NO_COLOR=1 $BIN --lang $lang --db $db"
                for _ in $(seq 200); do [[ -s $trace ]] && break; sleep 0.02; done
                sleep 0.5
                if [[ $run == 1 ]]; then
                    local keys=()
                    for _ in $(seq 30); do keys+=(j); done
                    for _ in $(seq 10); do keys+=(k); done
                    keys+=(Enter j j j j j k k k 1)
                    for _ in $(seq 10); do keys+=(j); done
                    keys+=(2 j j j j j k k l l h Enter 3 j k 1 Tab Tab Tab 2 3 1)
                    for _ in $(seq 10); do keys+=(j); done
                    for k in "${keys[@]}"; do
                        tmux send-keys -t tdesk-bench "$k"
                        sleep 0.05
                    done
                    sleep 0.3
                fi
                tmux send-keys -t tdesk-bench q
                for _ in $(seq 200); do grep -q rss_kb "$trace" 2>/dev/null && break; sleep 0.02; done
                awk '$1 == "first_frame" { print $2 }' "$trace" >>"$firsts"
                if [[ $run == 1 ]]; then
                    awk '$1 == "input" { print $3 }' "$trace" >>"$inputs"
                    awk '$1 == "detail_ready" { print $2 }' "$trace" >>"$details"
                fi
            done
            tmux kill-session -t tdesk-bench 2>/dev/null || true
            read -r f50 _ _ _ < <(stats "$firsts")
            read -r k50 _ k99 kmax < <(stats "$inputs")
            read -r d50 d95 _ _ < <(stats "$details")
            echo "$size $lang $f50 $k50 $k99 $kmax $d50 $d95"
        done
    done
}

# LAYOUTS_ONLY=1: only the per-layout TUI table (quick, for the README).
if [[ -n ${LAYOUTS_ONLY:-} ]]; then
    echo "| layout | tickets | first full frame | key → frame p50 / p99 / max | key → detail filled p50 / p95 |"
    echo "|---|---|---|---|---|"
    for n in $SIZES; do
        echo "== $n tickets" >&2
        db=$(desk "$n")
        while read -r size lang f50 k50 k99 kmax d50 d95; do
            echo "| $size $lang | $n | $f50 ms | $k50 / $k99 / $kmax ms | $d50 / $d95 ms |"
        done < <(layouts "$db")
    done
    exit 0
fi

declare -A ROW
add_row() { # key size value
    ROW[$1,$2]=$3
    [[ " ${KEYS:-} " == *" $1 "* ]] || KEYS="${KEYS:-} $1"
}
declare -A LABEL

for n in $SIZES; do
    echo "== $n tickets" >&2
    db=$(desk "$n")
    add_row load "$n" "$(cat "$db.seconds") s"
    LABEL[load]="\`tdesk demo --tickets N\` (bulk load with indexes and search)"

    read -r f50 k50 k99 kmax rss r50 r95 rmax < <(tui "$db")
    add_row first "$n" "$f50 ms"
    LABEL[first]="TUI start to first full frame (median of 5, 120x40)"
    add_row keys "$n" "$k50 / $k99 / $kmax ms"
    LABEL[keys]="key press → next frame, p50 / p99 / max (scroll, page, jump, open, panes, views, grouping)"
    add_row ready "$n" "$r50 / $r95 / $rmax ms"
    LABEL[ready]="… → frame with the new list rows, when they load in the background (views, grouping, jumps), p50 / p95 / max"
    add_row rss "$n" "$rss MB"
    LABEL[rss]="TUI peak resident memory"
    while read -r size lang lf50 _ lk99 _ _ ld95; do
        key="lay_${size}_${lang}"
        add_row "$key" "$n" "$lf50 / $lk99 / $ld95 ms"
        LABEL[$key]="TUI $size $lang: first full frame / key → frame p99 / key → detail filled p95"
    done < <(layouts "$db")

    tmp=$BENCH_DIR/times.txt
    i=0
    for q in "status:open" "priority:P0" "team:eu" "assignee:agent12.eu" "created:<7d" \
        "status:open priority:P0..P1 team:cn" refund customs 退款申请 退款 tuikuan tk; do
        i=$((i + 1))
        time_runs "$tmp" "$BIN" --db "$db" list --limit 25 "$q"
        read -r _ p95 _ _ < <(stats "$tmp")
        add_row "q$i" "$n" "$p95 ms"
        LABEL[q$i]="\`tdesk list --limit 25 '$q'\` whole process, p95"
    done
    time_runs "$tmp" "$BIN" --db "$db" add --title "Bench: where is my parcel?"
    read -r p50 p95 _ _ < <(stats "$tmp")
    add_row add "$n" "$p50 / $p95 ms"
    LABEL[add]="\`tdesk add\` whole process, p50 / p95"
    id=$("$BIN" --db "$db" add --title "Bench: move me" | grep -o "[0-9]\+" | head -n 1)
    : >"$tmp"
    for _ in $(seq "$((RUNS / 2))"); do
        for step in "in_progress" "waiting_customer"; do
            t0=$(now_ns)
            "$BIN" --db "$db" move "$id" "$step" >/dev/null 2>&1 || "$BIN" --db "$db" assign "$id" me >/dev/null
            t1=$(now_ns)
            echo "scale=3; ($t1 - $t0) / 1000000" | bc >>"$tmp"
        done
    done
    read -r p50 p95 _ _ < <(stats "$tmp")
    add_row move "$n" "$p50 / $p95 ms"
    LABEL[move]="\`tdesk move\` whole process, p50 / p95"
done

# taskwarrior on the same machine, at the first size (100k by default)
TW=""
if [[ -z ${NO_TASKWARRIOR:-} ]]; then
    if ! command -v task >/dev/null && command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
        apt-get install -y -qq taskwarrior >/dev/null 2>&1 || true
    fi
    if command -v task >/dev/null; then
        n=$(echo "$SIZES" | awk '{ print $1 }')
        twdir=$BENCH_DIR/taskwarrior-$n
        export TASKRC=$twdir/taskrc
        if [[ ! -f $twdir/done ]]; then
            echo "== taskwarrior: importing $n tasks" >&2
            rm -rf "$twdir"; mkdir -p "$twdir/data"
            printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nnews.version=2.6.2\n' "$twdir/data" >"$TASKRC"
            awk -v n="$n" 'BEGIN {
                print "["
                for (i = 1; i <= n; i++) {
                    printf "{\"description\":\"Customer problem %d: parcel stuck in customs\",\"project\":\"P%d\",\"status\":\"pending\",\"entry\":\"20261101T000000Z\",\"uuid\":\"%08x-0000-4000-8000-%012x\"}%s\n", i, i % 50, i, i, (i < n ? "," : "")
                }
                print "]" }' >"$twdir/tasks.json"
            task import "$twdir/tasks.json" >/dev/null 2>&1
            touch "$twdir/done"
        fi
        TWRUNS=5
        tw() { # task arguments
            local out=$BENCH_DIR/tw.txt; : >"$out"
            for _ in $(seq "$TWRUNS"); do
                local t0 t1
                t0=$(now_ns); task "$@" >/dev/null 2>&1 || true; t1=$(now_ns)
                echo "scale=3; ($t1 - $t0) / 1000000" | bc >>"$out"
            done
            read -r p50 _ _ _ < <(stats "$out")
            TW+="| \`task $*\` | $p50 ms |"$'\n'
        }
        tw list limit:25
        tw project:P7 list
        tw add "Bench: where is my parcel?"
        TW="taskwarrior $(task --version 2>/dev/null) on the same machine, $n pending tasks (median of $TWRUNS):"$'\n\n'"| operation | time |"$'\n'"|---|---|"$'\n'"$TW"
    fi
fi

# the table
printf '\n| operation |'; for n in $SIZES; do printf ' %s tickets |' "$(printf "%'d" "$n")"; done; echo
printf '|---|'; for _ in $SIZES; do printf -- '---|'; done; echo
for k in $KEYS; do
    printf '| %s |' "${LABEL[$k]}"
    for n in $SIZES; do printf ' %s |' "${ROW[$k,$n]:-–}"; done
    echo
done
if [[ -n $TW ]]; then echo; printf '%s' "$TW"; fi
