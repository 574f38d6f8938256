#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Socket activation as silkd.socket does it, without a running systemd: systemd-socket-activate
# listens on the socket and starts silkd on the first connection, handing it the listening
# socket (LISTEN_FDS, sd_listen_fds). silk queries through it, twice; a TCP socket passed the
# same way is served with the token; the socket systemd owns is left in place at exit; and a
# passed descriptor that is not a listening socket is refused.
. "$(dirname "$0")/lib.sh"

if ! command -v systemd-socket-activate >/dev/null 2>&1; then
    echo "skip: systemd-socket-activate is not installed (package systemd)"
    exit 0
fi
mkdir -p "$T/corpus"
cp "$SILK_ROOT/corpus/iran-north-korea-relations.txt" "$T/corpus/"
rc=0
index --corpus "$T/corpus" --index "$T/index" >"$T/index.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "silk-index exited $rc: $(cat "$T/index.log")"

mkdir -m 0700 "$T/run"
sock="$T/run/silk.sock"
# As in silkd.service: the same path for systemd's socket and silkd's --socket.
systemd-socket-activate -l "$sock" -- "${SILK_WRAP[@]}" "$SILK_BIN/silkd" --socket "$sock" \
    --index "$T/index" --corpus "$T/corpus" 2>"$T/silkd.log" &
track_pid $!
wait_for_socket "$sock"
ok "systemd-socket-activate listens on $sock"

rc=0
out="$(timeout 20 "$SILK_BIN/silk" --socket "$sock" --color=never '"axis of evil"' 2>&1)" || rc=$?
[ "$rc" -eq 0 ] || fail "silk through the activated silkd exited $rc: $out; silkd: $(cat "$T/silkd.log")"
assert_contains "$out" "iran-north-korea-relations#p1" "the first connection starts silkd, which answers"
out="$(timeout 20 "$SILK_BIN/silk" --socket "$sock" --color=never -n 1 kind:reading year:2006)" ||
    fail "second query: $out"
assert_contains "$out" "iran-north-korea-relations#read-2" "the activated silkd keeps serving"

# silkd serves systemd's socket, so at exit it leaves it where systemd put it (systemd
# removes it: RemoveOnStop=) and never binds one of its own beside it.
[ -S "$sock" ] || fail "the activated socket is gone while systemd-socket-activate holds it"
grep -q 'serving a unix socket from systemd at '"$sock" "$T/silkd.log" ||
    fail "silkd did not log the socket it took from systemd: $(cat "$T/silkd.log")"
ok "silkd says it serves the socket from systemd"
[ ! -e "$sock.lock" ] || fail "an activated silkd still took the lock of a socket of its own"
ok "no socket or lock of silkd's own beside systemd's"

# Unix and TCP sockets passed together (two ListenStream= lines): the TCP one needs the
# token, as --listen does.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -m 0700 "$T/run2"
sock2="$T/run2/silk.sock"
systemd-socket-activate -l "$sock2" -l "127.0.0.1:$port" -- "${SILK_WRAP[@]}" "$SILK_BIN/silkd" \
    --index "$T/index" --corpus "$T/corpus" --token-file "$T/run2/token" 2>"$T/silkd2.log" &
track_pid $!
wait_for_socket "$sock2"
out="$(timeout 20 "$SILK_BIN/silk" --socket "$sock2" --color=never -n 1 anahita 2>&1)" ||
    fail "unix + tcp: silk through the Unix socket: $out; silkd: $(cat "$T/silkd2.log")"
assert_contains "$out" "iran-north-korea-relations#p4" "unix + tcp: the Unix socket answers"
[ -s "$T/run2/token" ] || fail "no token file for the TCP socket from systemd"
r="$(timeout 20 python3 - "$port" "$(cat "$T/run2/token")" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
f = s.makefile("rwb")
f.write(b'{"op":"search","q":"anahita"}\n')
f.flush()
print(f.readline().decode(), end="")
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
f = s.makefile("rwb")
f.write(b'{"op":"auth","token":"%s"}\n{"op":"search","q":"anahita"}\n' % sys.argv[2].encode())
f.flush()
f.readline()
print(f.readline().decode(), end="")
PY
)"
assert_contains "$(head -n 1 <<<"$r")" unauthorized "tcp from systemd: no token, unauthorized"
assert_contains "$(tail -n 1 <<<"$r")" "iran-north-korea-relations#p4" "tcp from systemd: with the token, answered"

# A descriptor that is not a listening stream socket (here a datagram socket) is refused
# with a message naming the unit's setting, exit 2.
rc=0
timeout 20 systemd-socket-activate --datagram -l "$T/run/dgram.sock" -- "$SILK_BIN/silkd" \
    --index "$T/index" >"$T/dgram.log" 2>&1 &
dpid=$!
track_pid "$dpid"
wait_for_socket "$T/run/dgram.sock"
python3 -c "
import socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b'x', '$T/run/dgram.sock')"
wait "$dpid" || rc=$?
# systemd-socket-activate runs silkd in its own place (exec): its status is silkd's.
assert_eq "$rc" 2 "a datagram socket from systemd: silkd exits 2"
assert_contains "$(cat "$T/dgram.log")" "not a listening stream socket" "a datagram socket: says why"
