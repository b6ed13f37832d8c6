#!/usr/bin/env bash
# Enforced team mode end to end: tdesk installed setgid to a data group that
# the members are not in. A member cannot read the database directly but can
# through tdesk; desk paths from the member are ignored; the notify hook runs
# without the data group.
#
# Needs root (users, a group, a setgid binary, /etc/tdesk/config.toml, which
# is restored afterwards); without it the script says SKIPPED and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() { echo "e2e_setgid: SKIPPED — $*"; exit 0; }
[[ $(id -u) == 0 ]] || skip "needs root to add users and install a setgid binary"

cargo build --locked --quiet
WORK=$(mktemp -d /tmp/tdesk-setgid.XXXXXX)
chmod 755 "$WORK"
TAG=$$
GROUP=tdsg$TAG
ADMIN=tdsga$TAG
MEMBER=tdsgm$TAG
CONFIG=/etc/tdesk/config.toml
SAVED=""
if [[ -f $CONFIG ]]; then SAVED=$WORK/config.saved; cp -p "$CONFIG" "$SAVED"; fi

cleanup() {
    set +e
    if [[ -n $SAVED ]]; then cp -p "$SAVED" "$CONFIG"; else rm -f "$CONFIG"; rmdir /etc/tdesk 2>/dev/null; fi
    userdel -r "$ADMIN" 2>/dev/null; userdel -r "$MEMBER" 2>/dev/null
    groupdel "$GROUP" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "e2e_setgid: FAILED — $*" >&2; exit 1; }

install -d -m 755 "$WORK/bin"
install -m 755 target/debug/tdesk "$WORK/bin/tdesk"
for u in "$ADMIN" "$MEMBER"; do
    useradd -m -d "$WORK/home-$u" -s /bin/sh "$u"
done
as() { local u=$1; shift; runuser -u "$u" -- env HOME="$WORK/home-$u" LANG=C NO_COLOR=1 "$@"; }

"$WORK/bin/tdesk" install-setgid --group "$GROUP" --desk "$WORK/desk" --admin "$ADMIN" --apply >/dev/null \
    || fail "install-setgid --apply"
[[ $(stat -c %a "$WORK/bin/tdesk") == 2755 ]] || fail "binary is not setgid"
[[ $(stat -c %a "$WORK/desk") == 3770 ]] || fail "desk directory is not 3770"
id -nG "$MEMBER" | grep -qw "$GROUP" && fail "member must not be in the data group"

as "$ADMIN" "$WORK/bin/tdesk" init --shared "$WORK/desk" --group "$GROUP" >/dev/null \
    || fail "admin init"
as "$ADMIN" "$WORK/bin/tdesk" user add "$MEMBER" --role agent --team eu >/dev/null \
    || fail "user add"
id=$(as "$ADMIN" "$WORK/bin/tdesk" add --title "Parcel stuck in customs" --team eu \
    --assignee "$MEMBER" | grep -o '[0-9]\+' | head -n1)

# Directly: nothing. Through tdesk: the ticket.
if as "$MEMBER" head -c 16 "$WORK/desk/desk.db" >/dev/null 2>&1; then
    fail "the member read the database file directly"
fi
as "$MEMBER" "$WORK/bin/tdesk" list | grep -q "Parcel stuck in customs" \
    || fail "the member cannot use the desk through tdesk"

# A desk path from the member is ignored, with a note.
out=$(as "$MEMBER" "$WORK/bin/tdesk" --db "$WORK/home-$MEMBER/mine.db" list 2>&1)
grep -q "Parcel stuck in customs" <<<"$out" || fail "--db was honoured: $out"
grep -q "ignored" <<<"$out" || fail "no note that --db is ignored: $out"
[[ -e $WORK/home-$MEMBER/mine.db ]] && fail "a database was created at the member's path"

# The hook runs without the data group: not even as the saved group id
# (the shell drops the effective one by itself; only tdesk clears them all).
gid=$(getent group "$GROUP" | cut -d: -f3)
mkdir -p "$WORK/home-$MEMBER/.config/tdesk"
printf 'notify_hook = "grep Gid: /proc/$$/status > %s/ids"\n' "$WORK/home-$MEMBER" \
    >"$WORK/home-$MEMBER/.config/tdesk/config.toml"
chown -R "$MEMBER" "$WORK/home-$MEMBER/.config"
as "$MEMBER" env XDG_CONFIG_HOME="$WORK/home-$MEMBER/.config" "$WORK/bin/tdesk" hook \
    | grep -q "1 sent" || fail "hook did not run for the assignment of #$id"
grep -qw "$gid" "$WORK/home-$MEMBER/ids" && fail "the hook ran with the data group: $(cat "$WORK/home-$MEMBER/ids")"
echo "e2e_setgid: ok — only tdesk opens the desk; the hook runs without the data group"
