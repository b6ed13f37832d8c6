#!/usr/bin/env bash
# Times imports with the real tdesk binary (release) and prints a Markdown
# table: a Zendesk-style CSV of ROWS rows (default 100,000; mixed English and
# Chinese, quoted line breaks), its dry run and its idempotent re-run; a
# Maildir of MESSAGES messages (default 2,000) cycled from tests/mail; and
# how long another agent's `tdesk add` takes while the big import runs.
# Heavy: not part of CI.
#
#   scripts/bench_import.sh
#   ROWS=10000 MESSAGES=500 scripts/bench_import.sh    # quick look
set -euo pipefail

cd "$(dirname "$0")/.."
ROWS=${ROWS:-100000}
MESSAGES=${MESSAGES:-2000}
DIR=${BENCH_DIR:-target/bench}/import
rm -rf "$DIR"
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

cargo build --release --locked --quiet
BIN=$PWD/target/release/tdesk
export NO_COLOR=1 LANG=C.UTF-8 TZ=UTC XDG_CONFIG_HOME=$DIR/config

python3 - "$DIR" "$ROWS" "$MESSAGES" "$PWD/tests/mail" <<'EOF'
import os, random, sys
out, rows, messages, corpus = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
random.seed(7)
titles = ["Parcel stuck in customs", "Refund for order {n}", "包裹丢失，请尽快处理",
          "收到的商品颜色不对", "Wrong size: EU 38 runs small", "Charged twice for order {n}"]
bodies = ["The tracking page shows no update since last week.",
          "订单 {n} 显示已签收但没有收到。\n请尽快联系我。",
          "Box arrived crushed, \"fragile\" sticker ignored."]
statuses = ["new", "open", "pending", "hold", "solved", "closed"]
with open(os.path.join(out, "tickets.csv"), "w", encoding="utf-8") as f:
    f.write("Id,Subject,Description,Status,Priority,Ticket type,Via,Tags,Group,"
            "Requester,Requester email,Created at,Updated at\n")
    for i in range(1, rows + 1):
        n = f"A{100000 + i}"
        c = i % 5000
        body = random.choice(bodies).format(n=n).replace('"', '""')
        f.write(f'{i},"{random.choice(titles).format(n=n)}","{body}",{random.choice(statuses)},'
                f'{random.choice(["urgent","high","normal","low"])},question,Mail,refund vip,,'
                f'Customer {c},customer{c}@example.com,2026-03-01 10:00:00 +0100,'
                f'2026-03-02 09:00:00 +0100\n')
files = sorted(p for p in os.listdir(corpus) if p.endswith(".eml") and "junk" not in p)
md = os.path.join(out, "Maildir")
for sub in ("new", "cur", "tmp"):
    os.makedirs(os.path.join(md, sub), exist_ok=True)
for i in range(messages):
    raw = open(os.path.join(corpus, files[i % len(files)]), "rb").read()
    # A distinct Message-ID per copy, so each is a new message.
    raw = raw.replace(b"Message-ID: <", b"Message-ID: <%d." % i, 1)
    if b"Message-ID:" not in raw:
        raw = b"Message-ID: <bench.%d@example.com>\r\n" % i + raw
    open(os.path.join(md, "new", f"{1700000000 + i}.M{i}P1.bench"), "wb").write(raw)
EOF

seconds() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); awk -v ns=$((e - s)) 'BEGIN { printf "%.1f", ns / 1e9 }'; }
per_second() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%d", n / s }'; }

export TDESK_DB=$DIR/desk.db
$BIN init >/dev/null
dry=$(seconds "$BIN" import csv "$DIR/tickets.csv" --dry-run)

# Another agent adds tickets while the import runs.
: >"$DIR/adds.ms"
( while [ ! -e "$DIR/done" ]; do
      s=$(date +%s%N); "$BIN" add --title "during import" >/dev/null; e=$(date +%s%N)
      echo $(( (e - s) / 1000000 )) >>"$DIR/adds.ms"; sleep 0.2
  done ) &
adder=$!
full=$(seconds "$BIN" import csv "$DIR/tickets.csv")
touch "$DIR/done"; wait "$adder"
again=$(seconds "$BIN" import csv "$DIR/tickets.csv")
mail=$(seconds "$BIN" import maildir "$DIR/Maildir" --skip-bad)
add_stats=$(sort -n "$DIR/adds.ms" | awk '{ a[NR] = $1 } END {
    printf "%d / %d / %d ms (%d adds)", a[int(NR * 0.5 + 0.999)], a[int(NR * 0.95 + 0.999)], a[NR], NR }')

echo
echo "| import ($ROWS rows, $MESSAGES messages) | time |"
echo "|---|---|"
echo "| \`tdesk import csv\` --dry-run, $ROWS rows | $dry s |"
echo "| \`tdesk import csv\`, $ROWS rows | $full s ($(per_second "$ROWS" "$full") rows/s) |"
echo "| the same file again (all already there) | $again s |"
echo "| \`tdesk add\` by another agent during the import, p50 / p95 / max | $add_stats |"
echo "| \`tdesk import maildir\`, $MESSAGES messages | $mail s ($(per_second "$MESSAGES" "$mail") messages/s) |"
