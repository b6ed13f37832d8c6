#!/usr/bin/env bash
# End to end over real SSH: two throwaway Unix users in one group share a
# team desk on this machine. sshd runs on 127.0.0.1 on a free port; user A
# works through the CLI over ssh, user B keeps the TUI open over `ssh -t`
# inside tmux. Checks: A's new ticket appears on B's open screen within 2 s;
# the agent B cannot see another team's ticket (not found, exit 3, exactly
# as a missing one); both users' writes survive; `tdesk doctor` is clean.
#
# Needs root (to install openssh-server from the system packages and to add
# the users); without it the script says SKIPPED and why, and exits 0.
# Cleans up after itself (users, group, sshd, files) on every exit path.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() { echo "e2e_ssh: SKIPPED — $*"; exit 0; }
[[ $(id -u) == 0 ]] || skip "needs root to add users and start sshd"
command -v tmux >/dev/null || skip "needs tmux"
if ! command -v sshd >/dev/null && ! [[ -x /usr/sbin/sshd ]]; then
    command -v apt-get >/dev/null || skip "no sshd and no apt-get to install it"
    echo "e2e_ssh: installing openssh-server"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null 2>&1; } \
        || skip "could not install openssh-server"
fi
SSHD=$(command -v sshd || echo /usr/sbin/sshd)

cargo build --locked --quiet
WORK=$(mktemp -d /tmp/tdesk-e2e.XXXXXX)
chmod 755 "$WORK"
TAG=$$
GROUP=tde2e$TAG
A=tde2ea$TAG
B=tde2eb$TAG
SOCK=tde2e$TAG
SSHD_PID=""

cleanup() {
    set +e
    tmux -L "$SOCK" kill-server 2>/dev/null
    [[ -n $SSHD_PID ]] && kill "$SSHD_PID" 2>/dev/null
    pkill -u "$A" 2>/dev/null; pkill -u "$B" 2>/dev/null
    sleep 0.2
    userdel -r "$A" 2>/dev/null; userdel -r "$B" 2>/dev/null
    groupdel "$GROUP" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "e2e_ssh: FAILED — $*" >&2; exit 1; }

# The binary where both users can run it.
install -m 755 target/debug/tdesk "$WORK/tdesk"
groupadd "$GROUP"
for u in "$A" "$B"; do
    useradd -m -d "$WORK/home-$u" -G "$GROUP" -s /bin/bash "$u"
    # A locked account cannot log in over ssh even with a key.
    usermod -p '*' "$u"
done

# Keys and a private sshd on a free port.
ssh-keygen -q -t ed25519 -N '' -f "$WORK/client_key"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/host_key"
for u in "$A" "$B"; do
    home="$WORK/home-$u"
    install -d -m 700 -o "$u" "$home/.ssh"
    install -m 600 -o "$u" "$WORK/client_key.pub" "$home/.ssh/authorized_keys"
    # Members reach the desk and the binary without typing paths.
    printf 'export PATH=%s:$PATH TDESK_DB=%s LANG=C.UTF-8 NO_COLOR=1\n' "$WORK" "$WORK/srv/desk" \
        >"$home/.profile"
    chown "$u" "$home/.profile"
done
# A free port: the kernel picks one when python3 is there, else a random one
# that nothing answers on.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null) || {
    PORT=$((20000 + RANDOM % 40000))
    while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((20000 + RANDOM % 40000)); done
}
mkdir -p /run/sshd
cat >"$WORK/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $WORK/host_key
PidFile $WORK/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowUsers $A $B
AcceptEnv LANG
EOF
"$SSHD" -D -f "$WORK/sshd_config" -E "$WORK/sshd.log" &
SSHD_PID=$!
SSH=(ssh -q -p "$PORT" -i "$WORK/client_key" -o StrictHostKeyChecking=no
    -o UserKnownHostsFile=/dev/null -o BatchMode=yes)
as() { local u=$1; shift; "${SSH[@]}" "$u@127.0.0.1" "bash -lc '$*' 2>&1"; }
created() { grep -o 'Created #[0-9]*' | grep -o '[0-9]*$'; }
for _ in $(seq 50); do as "$A" true >/dev/null 2>&1 && break; sleep 0.1; done
as "$A" true >/dev/null 2>&1 || fail "cannot ssh in (see $WORK/sshd.log)"

# A creates the team desk over ssh and adds B as an agent of team eu.
install -d -m 1777 "$WORK/srv"
as "$A" "tdesk init --shared $WORK/srv/desk --group $GROUP" | grep -q "Team desk" || fail "init --shared"
as "$A" "tdesk user add $B --role agent --team eu" | grep -q "Added" || fail "user add"
eu=$(as "$A" "tdesk add --title \"Parcel stuck in customs\" --team eu" | created)
cn=$(as "$A" "tdesk add --title \"退款申请:商品与描述不符\" --team cn" | created)
[[ -n $eu && -n $cn ]] || fail "tickets not created"

# B keeps the TUI open over ssh -t, inside tmux for a terminal to read.
tmux -L "$SOCK" new-session -d -s b -x 100 -y 24 \
    "${SSH[*]} -t $B@127.0.0.1 'bash -lc tdesk'"
for _ in $(seq 50); do
    tmux -L "$SOCK" capture-pane -p -t b | grep -q "Parcel stuck" && break
    sleep 0.1
done
screen=$(tmux -L "$SOCK" capture-pane -p -t b)
grep -q "Parcel stuck" <<<"$screen" || fail "B's TUI does not show the team's ticket:
$screen"
grep -q "退款申请" <<<"$screen" && fail "B's TUI shows another team's ticket:
$screen"

# A adds a ticket for team eu: it must appear on B's open screen within 2 s.
as "$A" "tdesk add --title \"Live over ssh: wrong colour\" --team eu" >/dev/null
start=$(date +%s%N)
seen=""
for _ in $(seq 40); do
    if tmux -L "$SOCK" capture-pane -p -t b | grep -q "Live over ssh"; then seen=1; break; fi
    sleep 0.05
done
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[[ -n $seen ]] || fail "A's change did not reach B's open TUI within 2 s:
$(tmux -L "$SOCK" capture-pane -p -t b)"
echo "e2e_ssh: A's new ticket on B's open TUI after ${ms} ms"

# The agent cannot see the other team's ticket, even by number.
set +e
out=$("${SSH[@]}" "$B@127.0.0.1" "bash -lc 'tdesk show $cn; echo rc=\$?' 2>&1")
missing=$("${SSH[@]}" "$B@127.0.0.1" "bash -lc 'tdesk show 9999; echo rc=\$?' 2>&1")
set -e
# Only tdesk's own lines and the exit code.
out=$(grep -E '^(tdesk:|rc=)' <<<"$out" | sed "s/#$cn /#N /")
missing=$(grep -E '^(tdesk:|rc=)' <<<"$missing" | sed "s/#9999 /#N /")
grep -q "rc=3" <<<"$out" || fail "agent saw another team's ticket: $out"
[[ $out == "$missing" ]] || fail "hidden and missing answer differently:
$out
$missing"

# Both users write; both writes survive.
as "$B" "tdesk comment $eu --body \"Asked the carrier for the customs papers.\"" >/dev/null \
    || fail "B's comment"
as "$A" "tdesk comment $eu --internal --body \"Escalate if no papers by Friday.\"" >/dev/null \
    || fail "A's comment"
tmux -L "$SOCK" send-keys -t b q
shown=$(as "$A" "tdesk show $eu")
grep -q "Asked the carrier" <<<"$shown" || fail "B's comment is missing: $shown"
grep -q "Escalate if no papers" <<<"$shown" || fail "A's comment is missing: $shown"
as "$B" "tdesk doctor" | grep -q "No problems found." || fail "doctor: $(as "$B" "tdesk doctor")"
echo "e2e_ssh: ok — two users over ssh on one team desk"
