#!/usr/bin/env bash
# A full disk and a read-only file system, for real: a desk on a small
# tmpfs is written until the disk is full. Every refused write says so in
# one sentence and exits non-zero; the desk stays intact (integrity_check)
# with every acknowledged ticket; once space returns the next write
# succeeds. Then the file system is remounted read-only: writes are refused
# clearly, nothing is damaged, and after remounting read-write work goes on.
# Needs root (mount); says SKIPPED and why otherwise.
#
#   tests/e2e_full_disk.sh [path/to/tdesk]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(realpath "${1:-target/debug/tdesk}")"
if [ "$(id -u)" -ne 0 ]; then
    echo "e2e_full_disk: SKIPPED: needs root to mount a small file system"
    exit 0
fi
mnt="$(mktemp -d)"
if ! mount -t tmpfs -o size=6m,mode=0755 tmpfs "$mnt" 2>/dev/null; then
    rmdir "$mnt"
    echo "e2e_full_disk: SKIPPED: cannot mount a tmpfs here"
    exit 0
fi
home="$(mktemp -d)"
cleanup() {
    umount "$mnt" 2>/dev/null || true
    rmdir "$mnt" 2>/dev/null || true
    rm -rf "$home"
}
trap cleanup EXIT
export TDESK_DB="$mnt/desk.db" HOME="$home" XDG_CONFIG_HOME="$home/config" \
    XDG_DATA_HOME="$home/data" LANG=C NO_COLOR=1 TZ=UTC
fail() { echo "e2e_full_disk: FAIL: $*" >&2; exit 1; }
# SQLite's integrity check by tdesk's own SQLite (`restore` without --yes
# only checks; the system's older sqlite3 misreports WITHOUT ROWID tables).
integrity() { if "$bin" restore "$TDESK_DB" 2>/dev/null | grep -q "sound"; then echo ok; else echo damaged; fi; }

"$bin" init >/dev/null
# Most of the room taken, so the desk meets the end soon.
dd if=/dev/zero of="$mnt/filler" bs=64k count=70 status=none 2>/dev/null || true
acked=0
refused=""
body="$(head -c 3000 /dev/urandom | base64 -w0)"
for i in $(seq 1 4000); do
    if out="$("$bin" add --title "Parcel $i" --body "$body" 2>&1)"; then
        acked=$i
    else
        refused="$out"
        code=$?
        break
    fi
done
[ -n "$refused" ] || fail "the disk never filled up"
echo "full after $acked tickets: $refused"
[ "$(printf '%s\n' "$refused" | wc -l)" -eq 1 ] || fail "not one sentence: $refused"
case "$refused" in *"disk holding the desk is full"*) ;; *) fail "unclear: $refused" ;; esac
[ "$(integrity)" = ok ] || fail "damaged after a full disk"
"$bin" show "$acked" >/dev/null || fail "acknowledged #$acked lost"
rm -f "$mnt/filler"
"$bin" add --title "After the disk had room again" >/dev/null || fail "no write after space returned"
[ "$(integrity)" = ok ] || fail "damaged after space returned"

mount -o remount,ro "$mnt"
if out="$("$bin" add --title "On a read-only disk" 2>&1)"; then
    mount -o remount,rw "$mnt"
    fail "a write on a read-only file system was acknowledged"
fi
echo "read-only: $out"
mount -o remount,rw "$mnt"
[ "$(integrity)" = ok ] || fail "damaged by the read-only spell"
"$bin" add --title "Writable again" >/dev/null || fail "no write after remounting"
echo "e2e_full_disk: ok ($acked tickets before the disk was full)"
