#!/usr/bin/env bash
# A hostile member against a real team desk, with real Unix users, in both
# team modes — the findings of the outside audit, replayed and asserted to
# fail safely:
#   1  reading the protected database through a command (enforced)
#   2  destroying the desk and taking it over (enforced)
#   3  the mail command run in whichever member's account sends (both)
#   4  `tdesk mail send` by an agent, with the agent's PATH (both)
#   5  a link planted in the shared directory (trusted)
#   12 a supervisor who cannot see the ticket they just created (both)
#
# Needs root (users, groups, a setgid binary, /etc/tdesk/config.toml, which
# is restored afterwards) and tmux; without them it says SKIPPED and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() { echo "e2e_hostile_member: SKIPPED — $*"; exit 0; }
[[ $(id -u) == 0 ]] || skip "needs root to add users and install a setgid binary"
command -v tmux >/dev/null || skip "needs tmux"
command -v python3 >/dev/null || skip "needs python3 (its sqlite3 plays the group member's sqlite3)"

cargo build --locked --quiet
WORK=$(mktemp -d /tmp/tdesk-hostile.XXXXXX)
chmod 755 "$WORK"
TAG=$$
DATA=tdhd$TAG       # enforced mode's data group (no member is in it)
TEAM=tdht$TAG       # trusted mode's group (every member is in it)
ADMIN=tdha$TAG
AGENT=tdhb$TAG      # the hostile one: agent of team eu
OTHER=tdhc$TAG      # agent of team cn, and the victim in trusted mode
LEAD=tdhs$TAG       # supervisor of team eu
MAILER=tdhm$TAG     # the mailbox account that sends the desk's mail
USERS=("$ADMIN" "$AGENT" "$OTHER" "$LEAD" "$MAILER")
CONFIG=/etc/tdesk/config.toml
SAVED=""
if [[ -f $CONFIG ]]; then SAVED=$WORK/config.saved; cp -p "$CONFIG" "$SAVED"; fi

cleanup() {
    set +e
    for u in "${USERS[@]}"; do
        runuser -u "$u" -- tmux -L "tdh$TAG" kill-server 2>/dev/null
        pkill -u "$u" 2>/dev/null
    done
    sleep 0.2
    if [[ -n $SAVED ]]; then cp -p "$SAVED" "$CONFIG"; else rm -f "$CONFIG"; rmdir /etc/tdesk 2>/dev/null; fi
    for u in "${USERS[@]}"; do userdel -r "$u" 2>/dev/null; done
    groupdel "$DATA" 2>/dev/null; groupdel "$TEAM" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "e2e_hostile_member: FAILED — $*" >&2; exit 1; }
step() { echo "e2e_hostile_member: $*"; }

install -d -m 755 "$WORK/bin"
install -m 755 target/debug/tdesk "$WORK/bin/tdesk"
T=$WORK/bin/tdesk
groupadd "$TEAM"
for u in "${USERS[@]}"; do
    useradd -m -d "$WORK/home-$u" -G "$TEAM" -s /bin/sh "$u"
done
# As a member, from their home, English, no colour.
as() { local u=$1; shift; (cd "$WORK/home-$u" && runuser -u "$u" -- env HOME="$WORK/home-$u" PATH="$WORK/home-$u/bin:/usr/bin:/bin" LANG=C.UTF-8 NO_COLOR=1 "$@"); }
# Exit code of a command as a member, its output in $OUT.
try() { set +e; OUT=$(as "$@" 2>&1); RC=$?; set -e; }
number() { grep -o '#[0-9]\+' <<<"$1" | head -n1 | tr -d '#'; }
size() { stat -c %s "$1"; }

# ---------------------------------------------------------------- enforced
step "enforced mode: tdesk setgid to $DATA, members not in it"
DESK=$WORK/desk
"$T" install-setgid --group "$DATA" --desk "$DESK" --admin "$ADMIN" --apply >/dev/null \
    || fail "install-setgid --apply"
# Only the admin root named creates the desk, not whoever comes first.
try "$AGENT" "$T" init --shared "$DESK" --group "$DATA"
[[ $RC == 4 ]] || fail "another account created the enforced desk: $OUT"
as "$ADMIN" "$T" init --shared "$DESK" --group "$DATA" >/dev/null || fail "admin init"
as "$ADMIN" "$T" user add "$AGENT" --role agent --team eu >/dev/null
as "$ADMIN" "$T" user add "$OTHER" --role agent --team cn >/dev/null
as "$ADMIN" "$T" user add "$LEAD" --role supervisor --team eu >/dev/null
as "$ADMIN" "$T" user add "$MAILER" --role supervisor >/dev/null
as "$ADMIN" "$T" mail set --from "Shop <support@shop.example>" >/dev/null
EU=$(number "$(as "$ADMIN" "$T" add --title "Refund for order 17" --team eu --assignee "$AGENT" --customer lena@example.de --channel email)")
CN=$(number "$(as "$ADMIN" "$T" add --title "Confidential chargeback" --team cn --customer wang@example.cn --channel email)")
as "$ADMIN" "$T" comment "$EU" --body "We are on it." >/dev/null
as "$ADMIN" "$T" comment "$CN" --body "CONFIDENTIAL-CN-REPLY" >/dev/null
DB=$DESK/desk.db
DB_SIZE=$(size "$DB")
as "$AGENT" ln -s "$DB" "$WORK/home-$AGENT/innocent.txt"

step "1: no command reads a desk file for the member"
try "$AGENT" "$T" attachment add "$EU" "$DB"
[[ $RC != 0 ]] || fail "attachment add of desk.db succeeded: $OUT"
try "$AGENT" "$T" attachment add "$EU" "$WORK/home-$AGENT/innocent.txt"
[[ $RC != 0 ]] || fail "attachment add through a link to desk.db succeeded: $OUT"
try "$AGENT" "$T" attachment list "$EU"
grep -q "desk.db\|innocent" <<<"$OUT" && fail "an attachment was made of the desk: $OUT"
try "$AGENT" "$T" comment "$EU" --body hi --attach "$DB"
[[ $RC != 0 ]] || fail "comment --attach desk.db succeeded"
for cmd in "config check" "workflow check" "rules check" "sla check" "replies check" \
           "automations check" "import csv" "import json" "import eml" "import mbox"; do
    # As the supervisor, who may import: the file is read before anything else.
    # shellcheck disable=SC2086
    try "$LEAD" "$T" $cmd "$DB"
    [[ $RC != 0 ]] || fail "'$cmd desk.db' succeeded: $OUT"
    grep -qi "sqlite\|CREATE TABLE\|CONFIDENTIAL" <<<"$OUT" && fail "'$cmd' printed desk contents: $OUT"
    grep -qi "permission denied" <<<"$OUT" || fail "'$cmd' did not say permission denied: $OUT"
done
printf 'title\nParcel\n' >"$WORK/home-$LEAD/rows.csv"; chown "$LEAD" "$WORK/home-$LEAD/rows.csv"
try "$LEAD" "$T" import csv "$WORK/home-$LEAD/rows.csv" --map "$DB"
[[ $RC != 0 ]] || fail "--map desk.db succeeded"
grep -qi "permission denied" <<<"$OUT" || fail "--map did not say permission denied: $OUT"

step "1: not through /proc/self/fd either, not even for a desk file the member owns"
for who in "$ADMIN" "$AGENT"; do
    for fd in 3 4 5 6 7 8 9; do
        try "$who" "$T" attachment add "$EU" "/proc/self/fd/$fd"
        [[ $RC != 0 ]] || fail "$who attached /proc/self/fd/$fd: $OUT"
    done
done
try "$AGENT" "$T" attachment list "$EU"
grep -q "[0-9] *[0-9]" <<<"$OUT" && grep -qv "hostname" <<<"$OUT" && fail "something was attached: $OUT"

step "1: init --shared works on the system's desk only, by root's path"
as "$AGENT" mkdir -p "$WORK/home-$AGENT/mine"
try "$AGENT" "$T" init --shared "$WORK/home-$AGENT/mine" --group "$DATA"
[[ $RC == 4 ]] || fail "init --shared of the agent's own directory gave exit $RC: $OUT"
[[ $(stat -c '%a %G' "$WORK/home-$AGENT/mine") != *"$DATA"* ]] || fail "the agent's directory went to the data group"
[[ -e $WORK/home-$AGENT/mine/desk.db ]] && fail "a desk was made in the agent's directory"

step "1: what an agent learns about other teams' tickets"
simulated() { as "$1" "$T" rules simulate --json | grep -o '"tickets": *[0-9]*' | grep -o '[0-9]*$'; }
[[ $(simulated "$AGENT") -lt $(simulated "$ADMIN") ]] || fail "simulate counted tickets the agent may not see"
printf 'From: wang@example.cn\nSubject: Re: [#%s] hi\nMessage-ID: <probe-1@x.example>\n\nPROBE\n' "$CN" >"$WORK/home-$LEAD/probe.eml"
chown "$LEAD" "$WORK/home-$LEAD/probe.eml"
try "$LEAD" "$T" import eml --dry-run "$WORK/home-$LEAD/probe.eml"
grep -q "1 ticket(s) would be created, 0 repl" <<<"$OUT" || fail "dry run: $OUT"
try "$LEAD" "$T" import eml "$WORK/home-$LEAD/probe.eml"
grep -q "1 new ticket" <<<"$OUT" || fail "a supervisor's import wrote into another team's ticket: $OUT"
as "$ADMIN" "$T" show "$CN" | grep -q PROBE && fail "the probe landed in cn's ticket"

step "2: no command writes a desk file for the member, and no desk is started in its place"
ID=$(as "$ADMIN" "$T" attachment add "$EU" /etc/hostname | grep -o '[0-9]\+' | head -n1)
for out in "$DB" "$DB-wal" "$DESK/evil"; do
    for force in "" "--force"; do
        # shellcheck disable=SC2086
        try "$AGENT" "$T" attachment save "$ID" --out "$out" $force
        [[ $RC != 0 ]] || fail "attachment save --out $out $force succeeded"
    done
done
try "$LEAD" "$T" export csv --out "$DB"
[[ $RC != 0 ]] || fail "export --out desk.db succeeded"
[[ $(size "$DB") -ge $DB_SIZE ]] || fail "desk.db shrank to $(size "$DB") bytes"
[[ -e $DESK/evil ]] && fail "a file was created in the desk directory"
as "$AGENT" "$T" list | grep -q "Refund for order 17" || fail "the desk does not work any more"
# An emptied desk file is an error naming the fix, never a new desk.
mv "$DB" "$WORK/desk.db.aside"
install -m 660 -o "$ADMIN" -g "$DATA" /dev/null "$DB"
try "$AGENT" "$T" list
[[ $RC == 3 ]] || fail "an empty team desk gave exit $RC: $OUT"
grep -q "holds no desk" <<<"$OUT" || fail "no clear message for an empty desk: $OUT"
grep -q "Created a new desk\|you are its admin" <<<"$OUT" && fail "a new desk was created: $OUT"
[[ $(size "$DB") == 0 ]] || fail "the empty desk file was written to"
try "$AGENT" "$T" init
[[ $RC != 0 ]] || fail "an agent's init started a desk: $OUT"
[[ $(size "$DB") == 0 ]] || fail "init wrote to the empty desk file"
mv -f "$WORK/desk.db.aside" "$DB"

step "3/4: mail goes out only from the named sender's account, with a trusted command"
mkdir -p "$WORK/home-$AGENT/bin"
printf '#!/bin/sh\ncat > %s/stolen.txt\n' "$WORK/home-$AGENT" >"$WORK/home-$AGENT/bin/msmtp"
chmod 755 "$WORK/home-$AGENT/bin/msmtp"
chown -R "$AGENT" "$WORK/home-$AGENT/bin"
try "$AGENT" "$T" mail send
[[ $RC == 4 ]] || fail "an agent's mail send gave exit $RC: $OUT"
try "$ADMIN" "$T" mail set --command "touch $WORK/owned"
[[ $RC == 4 ]] || fail "a team desk kept a mail command: $OUT"
as "$ADMIN" "$T" mail set --sender "$MAILER" >/dev/null
printf '#!/bin/sh\ncat >> %s/sent.txt\n' "$WORK" >"$WORK/bin/capture"
chmod 755 "$WORK/bin/capture"
touch "$WORK/sent.txt"; chown "$MAILER" "$WORK/sent.txt"
printf 'db = "%s"\nmail_command = "%s/bin/capture"\n' "$DESK" "$WORK" >"$CONFIG"
# Named by the desk, but the account has not agreed to send: nothing goes.
try "$MAILER" "$T" mail send
[[ $RC == 4 ]] || fail "the named sender sent without agreeing: $OUT"
printf 'db = "%s"\nmail_command = "%s/bin/capture"\nmail_sender = "%s"\n' "$DESK" "$WORK" "$MAILER" >"$CONFIG"
try "$AGENT" "$T" mail send
[[ $RC == 4 ]] || fail "an agent sent with the system command: $OUT"
grep -q "$MAILER" <<<"$OUT" || fail "the refusal does not name the sender: $OUT"
[[ -e $WORK/home-$AGENT/stolen.txt ]] && fail "the agent's fake msmtp got a letter"
try "$AGENT" "$T" mail queue
[[ $RC == 4 ]] || fail "an agent listed the mail queue: $OUT"
try "$LEAD" "$T" mail queue
grep -q "#$CN" <<<"$OUT" && fail "eu's supervisor sees cn's letters: $OUT"
try "$MAILER" "$T" mail send
[[ $RC == 0 ]] || fail "the sender's mail send failed: $OUT"
grep -q "2 sent" <<<"$OUT" || fail "the sender did not send both letters: $OUT"
grep -q "wang@example.cn" "$WORK/sent.txt" || fail "the letter did not reach the command"
try "$AGENT" "$T" mail show
grep -q "capture" <<<"$OUT" && fail "an agent sees the mail command: $OUT"

step "12: a supervisor's new ticket is theirs to assign"
NEW=$(number "$(as "$LEAD" "$T" add --title "Phone call: parcel lost")")
try "$LEAD" "$T" assign "$NEW" "$AGENT"
[[ $RC == 0 ]] || fail "a supervisor could not assign their own new ticket: $OUT"
try "$OTHER" "$T" show "$NEW"
[[ $RC == 3 ]] || fail "another team's agent sees it: $OUT"
printf 'db = "%s"\n' "$DESK" >"$CONFIG"

# ----------------------------------------------------------------- trusted
step "trusted mode: a group desk every member may open with sqlite3"
chmod 755 "$T"
chgrp root "$T"
TDESK=$WORK/team
install -d -o "$ADMIN" -g "$TEAM" -m 2770 "$TDESK"
as "$ADMIN" "$T" init --shared "$TDESK" --group "$TEAM" >/dev/null || fail "trusted init"
[[ $(stat -c %a "$TDESK") == 3770 ]] || fail "the team directory is $(stat -c %a "$TDESK"), not 3770"
as "$ADMIN" "$T" --db "$TDESK" user add "$AGENT" --role agent --team eu >/dev/null
as "$ADMIN" "$T" --db "$TDESK" user add "$OTHER" --role agent --team eu >/dev/null
as "$ADMIN" "$T" --db "$TDESK" user add "$LEAD" --role supervisor --team eu >/dev/null
as "$ADMIN" "$T" --db "$TDESK" mail set --from "Shop <support@shop.example>" >/dev/null
TN=$(number "$(as "$ADMIN" "$T" --db "$TDESK" add --title "Parcel late" --team eu --customer lena@example.de --channel email)")
as "$ADMIN" "$T" --db "$TDESK" comment "$TN" --body "Sorry, checking." >/dev/null

step "5: a link planted in the shared directory is never followed"
VICTIM_FILE=$WORK/home-$OTHER/.bash_aliases
printf "alias ll='ls -l'\n" >"$VICTIM_FILE"; chown "$OTHER" "$VICTIM_FILE"; chmod 600 "$VICTIM_FILE"
as "$AGENT" ln -s "$VICTIM_FILE" "$TDESK/desk.db-presence" || fail "could not plant the link"
try "$AGENT" rm -f "$TDESK/desk.db"
[[ -s $TDESK/desk.db ]] || fail "the sticky bit did not keep the agent from removing desk.db"
# The victim opens the desk in a TUI for a few seconds (presence beats).
as "$OTHER" tmux -L "tdh$TAG" new-session -d -x 100 -y 30 "$T --db $TDESK; sleep 30"
sleep 4
SCREEN=$(as "$OTHER" tmux -L "tdh$TAG" capture-pane -p)
as "$OTHER" tmux -L "tdh$TAG" kill-server 2>/dev/null || true
grep -q "Parcel late" <<<"$SCREEN" || fail "the victim's TUI did not show the desk: $SCREEN"
[[ $(stat -c %a "$VICTIM_FILE") == 600 ]] || fail "the victim's file became $(stat -c %a "$VICTIM_FILE")"
[[ $(stat -c %G "$VICTIM_FILE") != "$TEAM" ]] || fail "the victim's file went to the team group"
grep -qx "alias ll='ls -l'" "$VICTIM_FILE" || fail "the victim's file was written to"
try "$ADMIN" "$T" --db "$TDESK" doctor
grep -q "desk.db-presence is a link" <<<"$OUT" || fail "doctor did not report the link: $OUT"

step "3/4 (trusted): a command or a sender written into the desk with sqlite3 runs nowhere"
# The victim has a mail program of their own (for a personal desk).
printf '#!/bin/sh\ncat > %s/victim-sent.txt\n' "$WORK/home-$OTHER" >"$WORK/bin/victim-mail"
chmod 755 "$WORK/bin/victim-mail"
mkdir -p "$WORK/home-$OTHER/.config/tdesk"
printf 'mail_command = "%s/bin/victim-mail"\n' "$WORK" >"$WORK/home-$OTHER/.config/tdesk/config.toml"
chown -R "$OTHER" "$WORK/home-$OTHER/.config"
as "$AGENT" python3 - "$TDESK/desk.db" "$OTHER" "$WORK" <<'PY' || fail "the group member could not write the desk"
import sqlite3, sys
db, victim, work = sys.argv[1:4]
c = sqlite3.connect(db)
c.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('mail.command', ?)", (f"touch {work}/owned",))
c.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('mail.sender', ?)", (victim,))
c.commit()
PY
try "$OTHER" "$T" --db "$TDESK" mail send
[[ -e $WORK/owned ]] && fail "the victim's mail send ran the planted command"
[[ -e $WORK/home-$OTHER/victim-sent.txt ]] && fail "a planted sender made the victim's account send"
grep -q "has not agreed" <<<"$OUT" || fail "the victim was not told why nothing was sent: $OUT"
# And their open TUI (which sends every 15 s when it is the sender's).
as "$OTHER" tmux -L "tdh$TAG" new-session -d -x 100 -y 30 "$T --db $TDESK; sleep 30"
sleep 17
as "$OTHER" tmux -L "tdh$TAG" kill-server 2>/dev/null || true
[[ -e $WORK/owned ]] && fail "the victim's TUI ran the planted command"
[[ -e $WORK/home-$OTHER/victim-sent.txt ]] && fail "a planted sender made the victim's TUI send"
try "$AGENT" "$T" --db "$TDESK" mail send
[[ $RC == 4 ]] || fail "a non-sender's mail send gave exit $RC: $OUT"

step "12 (trusted): the supervisor's own new ticket"
NEW=$(number "$(as "$LEAD" "$T" --db "$TDESK" add --title "Walk-in complaint")")
try "$LEAD" "$T" --db "$TDESK" assign "$NEW" "$AGENT"
[[ $RC == 0 ]] || fail "a supervisor could not assign their own new ticket: $OUT"

echo "e2e_hostile_member: ok — findings 1, 2, 3, 4, 5 and 12 fail safely in both modes"
