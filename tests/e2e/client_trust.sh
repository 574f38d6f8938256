#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The client trusts only a socket that it or root owns, in a folder that it or root owns and
# others cannot write (unless sticky), served by a process of its own user or root
# (SO_PEERCRED); and `silk --start` never follows a planted symlink at its log path.
. "$(dirname "$0")/lib.sh"

corpus_article
index_corpus --quiet

# ---- --start: a planted symlink at <socket>.log ---------------------------------------------
mkdir -m 700 "$T/lrun"
echo "precious" >"$T/outside"
ln -s "$T/outside" "$T/lrun/s.sock.log"
rc=0
"$SILK_BIN/silk" --socket "$T/lrun/s.sock" --start missile >"$T/out" 2>"$T/err" || rc=$?
assert_eq "$rc" 2 "--start with a symlink at the log path: exit 2"
assert_contains "$(cat "$T/err")" "refusing to start silkd" "--start says it refuses the log"
assert_eq "$(cat "$T/outside")" "precious" "the symlink's target is untouched"
[ ! -e "$T/lrun/s.sock" ] || fail "a daemon was started despite the planted log"
rm "$T/lrun/s.sock.log"
ln "$T/outside" "$T/lrun/s.sock.log" 2>/dev/null && {
    rc=0
    "$SILK_BIN/silk" --socket "$T/lrun/s.sock" --start missile >"$T/out" 2>"$T/err" || rc=$?
    assert_eq "$rc" 2 "--start with a hard link at the log path: exit 2"
    assert_eq "$(cat "$T/outside")" "precious" "the hard link's file is untouched"
}

if ! as_nobody "a socket or daemon of another user"; then
    ok "done"
    exit 0
fi
chmod 755 "$T/index" && chmod 644 "$T/index"/*
nuid=$(id -u nobody)

# ---- a daemon of user nobody, its socket in nobody's folder ---------------------------------
mkdir -m 700 "$T/nrun"
chown nobody "$T/nrun"
SILKD_PREFIX=("${AS_NOBODY[@]}")
start_silkd -w 60 "$T/nrun/s.sock" --threads 1
SILKD_PREFIX=()
chmod 711 "$T/nrun"
rc=0
"$SILK_BIN/silk" --socket "$T/nrun/s.sock" missile >"$T/out" 2>"$T/err" || rc=$?
assert_eq "$rc" 2 "a socket of another user: exit 2"
assert_contains "$(cat "$T/err")" "uid $nuid" "the refusal names the other uid"
assert_contains "$(cat "$T/err")" "$T/nrun/s.sock" "the refusal names the socket"
# Socket and folder handed to root: only the peer (SO_PEERCRED) still gives it away.
chown root "$T/nrun" "$T/nrun/s.sock"
rc=0
"$SILK_BIN/silk" --socket "$T/nrun/s.sock" missile >"$T/out" 2>"$T/err" || rc=$?
assert_eq "$rc" 2 "a daemon of another user behind a root socket: exit 2"
assert_contains "$(cat "$T/err")" "served by uid $nuid" "the refusal names the peer's uid"
# The daemon's own user may use it.
chmod 755 "$T/nrun"
chown nobody "$T/nrun" "$T/nrun/s.sock"
rc=0
"${AS_NOBODY[@]}" "$SILK_BIN/silk" --socket "$T/nrun/s.sock" missile >"$T/out" 2>"$T/err" || rc=$?
assert_eq "$rc" 0 "the daemon's own user is answered ($(cat "$T/err"))"
stop_silkd "$pid" "silkd (nobody) exit status"

# ---- a socket planted by another user in a sticky folder ------------------------------------
mkdir -m 1777 "$T/sticky"
chmod 1777 "$T/sticky"
"${AS_NOBODY[@]}" /usr/bin/python3 -c "
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind('$T/sticky/s.sock'); s.listen(5)
time.sleep(30)" &
track_pid $!
wait_for_socket "$T/sticky/s.sock"
rc=0
timeout 20 "$SILK_BIN/silk" --socket "$T/sticky/s.sock" missile >"$T/out" 2>"$T/err" || rc=$?
assert_eq "$rc" 2 "a socket planted in a sticky folder: exit 2"
assert_contains "$(cat "$T/err")" "belongs to uid $nuid" "the refusal says whose socket it is"
# A folder others can write (not sticky) is refused even for a socket of our own.
mkdir -m 700 "$T/open"
start_silkd -w 60 -p opid "$T/open/s.sock" --threads 1
chmod 777 "$T/open"
rc=0
"$SILK_BIN/silk" --socket "$T/open/s.sock" missile >"$T/out" 2>"$T/err" || rc=$?
assert_eq "$rc" 2 "a socket in a folder others can write: exit 2"
assert_contains "$(cat "$T/err")" "others can write" "the refusal says why"
chmod 700 "$T/open"
stop_silkd "$opid" "silkd (open folder) exit status"
ok "done"
