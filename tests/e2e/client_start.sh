#!/usr/bin/env bash
# `silk --start`: with no daemon at the socket, the client starts the silkd beside it in the
# background (on silkd's default index, here ./var/index of the current folder), waits for
# the socket and retries; the daemon outlives the client; a silkd that cannot start is
# reported with its exit status and log.
. "$(dirname "$0")/lib.sh"

# A folder laid out like the repo after `make run`: corpus/ and var/index.
work="$T/work"
corpus_article "$work/corpus"
rc=0
(cd "$work" && index --corpus corpus --index var/index) >"$T/index.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "silk-index exited $rc: $(cat "$T/index.log")"
sock="$T/run/silk.sock"
unset SILK_INDEX SILK_CORPUS

st() {
    rc=0
    (cd "$work" && "$@") >"$T/out" 2>"$T/err" || rc=$?
    out="$(cat "$T/out")"
    err="$(cat "$T/err")"
}

st "$SILK_BIN/silk" --socket "$sock" missile
assert_eq "$rc" 2 "no daemon, no --start: exit 2"
assert_contains "$err" "silk --start" "no daemon: the message mentions --start"
[ ! -e "$sock" ] || fail "a daemon was started without --start"

st "$SILK_BIN/silk" --socket "$sock" --start missile
assert_eq "$rc" 0 "--start: exit 0 with hits ($err)"
assert_contains "$out" "iran-north-korea-relations#" "--start: the query was answered"
assert_contains "$err" "started" "--start: says it started silkd"
pid="$(sed -n 's/.*(pid \([0-9]*\)).*/\1/p' <<<"$err")"
[ -n "$pid" ] || fail "--start did not print the daemon's pid: $err"
track_pid "$pid"
kill -0 "$pid" || fail "the started silkd is not running"
ok "--start: silkd (pid $pid) runs after the client exited"
[ -S "$sock" ] || fail "no socket at $sock"
[ -s "$sock.log" ] || [ -f "$sock.log" ] || fail "no log at $sock.log"
ok "--start: socket and log in place"

st "$SILK_BIN/silk" --socket "$sock" --ping
assert_eq "$rc" 0 "the started daemon answers a later client"
st "$SILK_BIN/silk" --socket "$sock" --start korea
assert_eq "$rc" 0 "--start with a daemon running: exit 0"
[[ "$err" != *started* ]] || fail "--start started a second daemon: $err"
ok "--start with a daemon running: just connects"
st "$SILK_BIN/silk" --socket "$sock" --start zzxqvwk
assert_eq "$rc" 1 "--start, no hits: exit 1"

kill "$pid"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$pid" 2>/dev/null || fail "silkd did not stop on SIGTERM"
ok "the started silkd stops on SIGTERM"

# `silk --start` alone, on a terminal: makes sure a daemon runs, and says so.
rc=0
printf -v cmd 'cd %q && %q --socket %q --start' "$work" "$SILK_BIN/silk" "$sock"
script -qec "$cmd" /dev/null </dev/null >"$T/tty" 2>&1 || rc=$?
out="$(tr -d '\r' <"$T/tty")"
pid2="$(sed -n 's/.*(pid \([0-9]*\)).*/\1/p' <<<"$out")"
[ -n "$pid2" ] && track_pid "$pid2"
assert_eq "$rc" 0 "--start alone: exit 0"
assert_contains "$out" "silkd is up at $sock" "--start alone: pings the new daemon"

# A silkd that cannot start: the silk beside a silkd that exits at once.
mkdir -p "$T/fakebin"
cp "$SILK_BIN/silk" "$T/fakebin/silk"
printf '#!/bin/sh\necho "fake silkd: no index here" >&2\nexit 3\n' >"$T/fakebin/silkd"
chmod +x "$T/fakebin/silkd"
st "$T/fakebin/silk" --socket "$T/run2/silk.sock" --start missile
assert_eq "$rc" 2 "silkd that fails to start: exit 2"
assert_contains "$err" "status 3" "failed start: silkd's exit status"
assert_contains "$err" "$T/run2/silk.sock.log" "failed start: points to the log"
assert_contains "$(cat "$T/run2/silk.sock.log")" "fake silkd: no index here" "failed start: log kept"
echo "client_start: all checks passed"
