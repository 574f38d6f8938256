#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `silk --start`: with no daemon at the socket, the client starts the silkd beside it in the
# background, waits for the socket and retries; the daemon outlives the client. Run from a
# folder that is not the checkout, with HOME and the XDG folders of a user of its own, it
# finds the user's index wherever it is run from: the XDG default
# ($XDG_DATA_HOME/silk/index, socket $XDG_RUNTIME_DIR/silk/silk.sock), or the index the
# configuration file names. A started silkd that has no index is stopped again (exit 2, with
# why) instead of being left behind; a silkd that cannot start is reported with its exit
# status and log.
. "$(dirname "$0")/lib.sh"

# A user of the test's own: HOME, the XDG folders, and an unrelated current folder.
export HOME="$T/home"
export XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config"
export XDG_RUNTIME_DIR="$T/xdg-run"
mkdir -p "$HOME" "$T/elsewhere"
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset SILK_INDEX SILK_CORPUS SILK_SOCKET SILK_CONFIG
corpus_article "$XDG_DATA_HOME/silk/corpus"
rc=0
# silk-index's own defaults, from anywhere: the corpus and index of the XDG data folder.
(cd "$T/elsewhere" && index) >"$T/index.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "silk-index exited $rc: $(cat "$T/index.log")"
[ -d "$XDG_DATA_HOME/silk/index" ] || fail "silk-index did not write \$XDG_DATA_HOME/silk/index"
ok "silk-index with no flags: \$XDG_DATA_HOME/silk/corpus into \$XDG_DATA_HOME/silk/index"
sock="$XDG_RUNTIME_DIR/silk/silk.sock"

st() {
    rc=0
    (cd "$T/elsewhere" && "$@") >"$T/out" 2>"$T/err" || rc=$?
    out="$(cat "$T/out")"
    err="$(cat "$T/err")"
}
started_pid() { sed -n 's/.*(pid \([0-9]*\)).*/\1/p' <<<"$err"; }

st "$SILK_BIN/silk" missile
assert_eq "$rc" 2 "no daemon, no --start: exit 2"
assert_contains "$err" "silk --start" "no daemon: the message mentions --start"
assert_contains "$err" "$sock" "no daemon: the default socket is \$XDG_RUNTIME_DIR/silk/silk.sock"
[ ! -e "$sock" ] || fail "a daemon was started without --start"

st "$SILK_BIN/silk" --start missile
assert_eq "$rc" 0 "--start from another folder: exit 0 with hits ($err)"
assert_contains "$out" "iran-north-korea-relations#" "--start: the query was answered"
assert_contains "$err" "started" "--start: says it started silkd"
pid="$(started_pid)"
[ -n "$pid" ] || fail "--start did not print the daemon's pid: $err"
track_pid "$pid"
kill -0 "$pid" || fail "the started silkd is not running"
ok "--start: silkd (pid $pid) runs after the client exited"
[ -S "$sock" ] || fail "no socket at $sock"
[ -f "$sock.log" ] || fail "no log at $sock.log"
assert_eq "$(stat -c %a "$XDG_RUNTIME_DIR/silk")" 700 "the socket's folder \$XDG_RUNTIME_DIR/silk is 0700"
ok "--start: socket and log in place"

st "$SILK_BIN/silk" --ping
assert_eq "$rc" 0 "the started daemon answers a later client"
st "$SILK_BIN/silk" --start korea
assert_eq "$rc" 0 "--start with a daemon running: exit 0"
[[ "$err" != *started* ]] || fail "--start started a second daemon: $err"
ok "--start with a daemon running: just connects"
st "$SILK_BIN/silk" --start zzxqvwk
assert_eq "$rc" 1 "--start, no hits: exit 1"

kill "$pid"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$pid" 2>/dev/null || fail "silkd did not stop on SIGTERM"
ok "the started silkd stops on SIGTERM"

# `silk --start` alone, on a terminal: makes sure a daemon runs, and says so.
rc=0
printf -v cmd 'cd %q && %q --start' "$T/elsewhere" "$SILK_BIN/silk"
script -qec "$cmd" /dev/null </dev/null >"$T/tty" 2>&1 || rc=$?
out="$(tr -d '\r' <"$T/tty")"
pid2="$(sed -n 's/.*(pid \([0-9]*\)).*/\1/p' <<<"$out")"
[ -n "$pid2" ] && track_pid "$pid2"
assert_eq "$rc" 0 "--start alone: exit 0"
assert_contains "$out" "silkd is up at $sock" "--start alone: pings the new daemon"
# stop_started PID: SIGTERM to a silkd that silk started (not a child of this shell), and
# wait until it is gone.
stop_started() {
    kill "$1"
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    fail "silkd $1 did not stop on SIGTERM"
}
stop_started "$pid2"

# The configuration file names the index and the socket; silk passes it to the silkd it
# starts, which finds that index from any folder.
mkdir -p "$XDG_CONFIG_HOME/silk" "$T/other"
mv "$XDG_DATA_HOME/silk/index" "$T/other/index"
cat >"$XDG_CONFIG_HOME/silk/silk.conf" <<CONF
[paths]
index = $T/other/index
socket = $T/other/silk.sock
CONF
chmod 700 "$T/other"
st "$SILK_BIN/silk" --start -n 1 anahita
assert_eq "$rc" 0 "--start with the index named in the configuration file: exit 0 ($err)"
assert_contains "$out" "iran-north-korea-relations#p4" "--start: the configured index is served"
assert_contains "$err" "$T/other/silk.sock" "--start: on the configured socket"
pid3="$(started_pid)"
track_pid "$pid3"
stop_started "$pid3"

# No index anywhere: the started silkd cannot serve, so silk stops it and says why.
rm -rf "$T/other/index"
st "$SILK_BIN/silk" --start missile
assert_eq "$rc" 2 "--start with no index: exit 2"
assert_contains "$err" "no index at $T/other/index" "--start with no index: names the missing index"
assert_contains "$err" "silk-index" "--start with no index: says how to build it"
pid4="$(started_pid)"
[ -n "$pid4" ] || fail "--start with no index did not say which silkd it started: $err"
track_pid "$pid4"
! kill -0 "$pid4" 2>/dev/null || fail "--start left the useless silkd (pid $pid4) running"
[ ! -e "$T/other/silk.sock" ] || fail "--start left the useless silkd's socket behind"
ok "--start with no index: no daemon left behind"
rm "$XDG_CONFIG_HOME/silk/silk.conf"

# A silkd that cannot start: the silk beside a silkd that exits at once.
mkdir -p "$T/fakebin"
cp "$SILK_BIN/silk" "$T/fakebin/silk"
printf '#!/bin/sh\necho "fake silkd: no index here" >&2\nexit 3\n' >"$T/fakebin/silkd"
chmod +x "$T/fakebin/silkd"
mkdir -m 700 "$T/run2"
st "$T/fakebin/silk" --socket "$T/run2/silk.sock" --start missile
assert_eq "$rc" 2 "silkd that fails to start: exit 2"
assert_contains "$err" "status 3" "failed start: silkd's exit status"
assert_contains "$err" "$T/run2/silk.sock.log" "failed start: points to the log"
assert_contains "$(cat "$T/run2/silk.sock.log")" "fake silkd: no index here" "failed start: log kept"
echo "client_start: all checks passed"
