#!/usr/bin/env bash
# Socket activation as silkd.socket does it, without a running systemd: systemd-socket-activate
# listens on the socket and starts silkd on the first connection, handing it the listening
# socket (LISTEN_FDS, sd_listen_fds). silk queries through it, twice.
# Until silkd takes its socket from systemd it refuses the path ("already running"): then this
# test says so in a skip line; it is ready for the daemon that does.
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
if [ "$rc" -ne 0 ] && grep -q 'already running' "$T/silkd.log"; then
    echo "skip: silkd does not take its listening socket from systemd yet (sd_listen_fds):"
    echo "      $(grep 'already running' "$T/silkd.log" | head -n 1)"
    exit 0
fi
[ "$rc" -eq 0 ] || fail "silk through the activated silkd exited $rc: $out; silkd: $(cat "$T/silkd.log")"
assert_contains "$out" "iran-north-korea-relations#p1" "the first connection starts silkd, which answers"
out="$(timeout 20 "$SILK_BIN/silk" --socket "$sock" --color=never -n 1 kind:reading year:2006)" ||
    fail "second query: $out"
assert_contains "$out" "iran-north-korea-relations#read-2" "the activated silkd keeps serving"
