#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Security properties (issue 9): the socket is 0600 and the default socket folder 0700;
# silkd refuses a socket folder others can write to unless it is sticky, and a default
# folder with the wrong mode; no request makes silkd touch a path it was not configured
# with (checked with strace on every file system call of the daemon and its reindex child);
# silk-index does not follow symlinks out of the corpus; TCP listens on loopback unless an
# address is given, and logs a warning when it is not loopback.
. "$(dirname "$0")/lib.sh"
python_helpers

corpus_article
index_corpus --quiet

# silkd_until_refused LOG ARGS...: silkd must exit non-zero at start-up; prints its log.
silkd_refused() {
    local log="$1" rc=0
    shift
    timeout 60 "${SILK_WRAP[@]}" "$SILK_BIN/silkd" --index "$T/index" "$@" 2>"$log" || rc=$?
    [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || fail "silkd $* was not refused (exit $rc): $(cat "$log")"
}

# ---- socket mode, folder checks -------------------------------------------------------------
mkdir -m 700 "$T/run"
sock="$T/run/silk.sock"
start_silkd -w 60 "$sock" --corpus "$T/corpus" --threads 1
assert_eq "$(stat -c %a "$sock")" 600 "the socket is mode 0600"

mkdir -m 777 "$T/open"
chmod 777 "$T/open" # whatever the umask
silkd_refused "$T/open.log" --socket "$T/open/s.sock"
assert_contains "$(cat "$T/open.log")" "others can write" "a world-writable socket folder is refused"
[ ! -e "$T/open/s.sock" ] || fail "a socket was created in the refused folder"
mkdir -m 770 "$T/group"
chmod 770 "$T/group"
silkd_refused "$T/group.log" --socket "$T/group/s.sock"
ok "a group-writable socket folder is refused"
mkdir "$T/sticky"
chmod 1777 "$T/sticky"
start_silkd -w 60 -l "$T/sticky.log" -p spid "$T/sticky/s.sock" --threads 1
assert_eq "$(stat -c %a "$T/sticky/s.sock")" 600 "a sticky world-writable folder (like /tmp) is accepted, socket 0600"
stop_silkd "$spid" "silkd in the sticky folder: exit status"

# The default folder /tmp/silk-$UID: created 0700; refused when its mode is wrong. As root
# the test uses the user nobody, so it cannot disturb a daemon of the user running it.
if as_nobody "the default folder of another user"; then
    AS=("${AS_NOBODY[@]}")
    uid=$(id -u nobody)
    chmod 755 "$T/index" && chmod 644 "$T/index"/*
else
    AS=()
    uid=$(id -u)
fi
dir="/tmp/silk-$uid"
if [ -e "$dir" ]; then
    echo "note: $dir exists already (mode $(stat -c %a "$dir")); its creation is not re-tested"
    [ "$(stat -c %a "$dir")" = 700 ] || echo "note: and its mode is not 0700"
else
    env -u SILK_SOCKET -u XDG_RUNTIME_DIR "${AS[@]}" "${SILK_WRAP[@]}" "$SILK_BIN/silkd" \
        --index "$T/index" --threads 1 2>"$T/default.log" &
    dpid=$!
    track_pid $dpid
    wait_for_socket "$dir/silk.sock" 60
    assert_eq "$(stat -c %a "$dir")" 700 "the default socket folder $dir is created 0700"
    assert_eq "$(stat -c %a "$dir/silk.sock")" 600 "the default socket is 0600"
    stop_silkd "$dpid" "silkd on the default socket: exit status"
    chmod 755 "$dir"
    rc=0
    env -u SILK_SOCKET -u XDG_RUNTIME_DIR "${AS[@]}" timeout 60 "${SILK_WRAP[@]}" "$SILK_BIN/silkd" \
        --index "$T/index" --threads 1 2>"$T/default2.log" || rc=$?
    rmdir "$dir" 2>/dev/null || rm -rf "$dir"
    [ "$rc" -ne 0 ] || fail "a default socket folder with mode 0755 was accepted"
    assert_contains "$(cat "$T/default2.log")" "mode 0700" "a default socket folder with mode 0755 is refused"
fi

# ---- no path in the protocol ----------------------------------------------------------------
# A second corpus and index the daemon was not configured with. Requests naming them (in
# any member a client might try) must not make the daemon read or write them: every file
# system call of the daemon and of its reindex child is traced.
mkdir -p "$T/evil-corpus"
printf 'Secret article\nThe word zqsecretx must never be indexed.\n' >"$T/evil-corpus/secret.txt"
if [ -z "${SILK_VALGRIND:-}" ] && command -v strace >/dev/null &&
    strace -f -qq -o /dev/null true 2>/dev/null; then
    TRACE=(strace -f -qq -e trace=%file,%process -o "$T/strace.log")
else
    TRACE=()
    echo "note: no strace here (or under valgrind): path checks use the index contents only"
fi
stop_silkd
# LeakSanitizer cannot run under ptrace: leaks are left to the other tests' runs here.
[ "${#TRACE[@]}" -gt 0 ] && [ -n "${SILK_SANITIZED:-}" ] &&
    echo "note: leak detection off for the daemon under strace (LeakSanitizer needs no ptrace)"
SILKD_PREFIX=("${TRACE[@]}")
ASAN_OPTIONS="${ASAN_OPTIONS:-}${TRACE:+:detect_leaks=0}" start_silkd -w 60 "$sock" \
    --corpus "$T/corpus" --threads 1
SILKD_PREFIX=()
# strace ignores SIGTERM while it traces: the cleanup at exit must stop the daemon itself.
if [ "${#TRACE[@]}" -gt 0 ]; then
    dpid=$(pgrep -P $pid | head -1)
    [ -n "$dpid" ] || fail "no daemon under strace"
    track_pid "$dpid"
fi
python3 - "$sock" "$T" <<'EOF' || fail "path in the protocol"
import sys
from daemon_client import Client, check
sock, tmp = sys.argv[1:3]
evil_c, evil_i = tmp + "/evil-corpus", tmp + "/evil-index"
c = Client(sock, timeout=120)
for req in [{"op": "reindex", "corpus": evil_c, "index": evil_i},
            {"op": "reindex", "path": evil_c, "corpus_path": evil_c, "index_path": evil_i},
            {"op": "search", "q": "zqsecretx", "index": evil_i, "db": evil_i, "path": evil_i},
            {"op": "open", "path": evil_i}, {"op": "load", "file": evil_c + "/secret.txt"},
            {"op": "stats", "index": evil_i}, {"q": evil_c + "/secret.txt"},
            evil_c + "/secret.txt", "../../" * 10 + "etc/passwd"]:
    r = c.call(req)
    check(r["ok"] or r["error"]["code"] in ("bad_request", "bad_query"),
          "%s: %s" % (str(req)[:60], "ok" if r["ok"] else r["error"]["code"]))
r = c.call({"q": "zqsecretx"})
check(r["ok"] and r["total"] == 0, "the secret word of the other corpus is not searchable")
s = c.call({"op": "stats"})
check(s["index_path"].endswith("/index") and s["corpus_path"].endswith("/corpus"),
      "the daemon still serves its configured index and corpus")
EOF
# With strace, $pid is strace's: stop the daemon it traces; strace ends with it.
if [ "${#TRACE[@]}" -gt 0 ]; then
    kill -TERM "$dpid"
else
    kill -TERM $pid
fi
timeout 60 tail --pid=$pid -f /dev/null || fail "silkd did not stop"
wait $pid || fail "silkd exit status"
[ -e "$T/evil-index" ] && fail "a request made something at the other index path"
ok "nothing was created at the other index path"
if [ "${#TRACE[@]}" -gt 0 ]; then
    grep -q "silk-index" "$T/strace.log" || fail "strace saw no reindex child: $(tail -5 "$T/strace.log")"
    if grep -E "evil-(corpus|index)|/etc/passwd" "$T/strace.log" >"$T/strace.hits"; then
        fail "the daemon or its child touched a path from a request: $(head -5 "$T/strace.hits")"
    fi
    ok "strace: neither the daemon nor its reindex child touched a path named in a request ($(wc -l <"$T/strace.log") calls traced)"
fi

# ---- symlinks out of the corpus -------------------------------------------------------------
mkdir -p "$T/outside/dir" "$T/c2/inner"
printf 'Outside article\nThe word zqoutsidex is outside the corpus.\n' >"$T/outside/out.txt"
printf 'Outside dir article\nThe word zqoutdirx is outside too.\n' >"$T/outside/dir/d.txt"
printf 'Inside article\nThe word zqinsidex is inside.\n' >"$T/c2/inner/in.txt"
ln -s "$T/outside/out.txt" "$T/c2/link-out.txt"
ln -s ../outside/out.txt "$T/c2/rel-out.txt"
ln -s "$T/outside/dir" "$T/c2/link-dir"
ln -s inner/in.txt "$T/c2/link-in.txt"
ln -s . "$T/c2/loop"
ln -s /etc/passwd "$T/c2/passwd.txt"
rc=0
timeout 120 "${SILK_WRAP[@]}" "$SILK_BIN/silk-index" --corpus "$T/c2" --index "$T/i2" \
    >"$T/c2.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "silk-index over symlinks exited $rc: $(cat "$T/c2.log")"
terms=$(xapian-delve -1 -a "$T/i2")
for w in zqoutsidex zqoutdirx root; do
    if grep -qx "$w" <<<"$terms"; then fail "'$w' from outside the corpus was indexed"; fi
done
grep -qx zqinsidex <<<"$terms" || fail "the article inside the corpus was not indexed"
ok "symlinks leading out of the corpus (absolute, relative, to a folder, to /etc/passwd) are not followed; a loop does not hang"

# ---- TCP: loopback unless told otherwise ----------------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_silkd -w 60 -l "$T/tcp.log" -p tpid "$T/run/t.sock" --threads 1 --listen ":$port"
listen=$(ss -Hltn "sport = :$port" | awk '{print $4}')
assert_eq "$listen" "127.0.0.1:$port" "--listen :PORT binds loopback only"
assert_contains "$(cat "$T/tcp.log")" "listening on tcp 127.0.0.1:$port" "the log names the loopback address"
grep -q "not a loopback" "$T/tcp.log" && fail "a loopback listener logged a warning"
r=$(python3 -c "
import socket, sys
s = socket.create_connection(('127.0.0.1', $port), timeout=10)
f = s.makefile('rwb')
f.write(b'{\"op\":\"auth\",\"token\":\"$(cat "$T/run/t.sock.token")\"}\n{\"op\":\"ping\"}\n'); f.flush()
f.readline(); print(f.readline().decode())")
assert_contains "$r" '"ok":true' "TCP on loopback answers"
stop_silkd "$tpid" "silkd (tcp) exit status"

start_silkd -w 60 -l "$T/tcp2.log" -p tpid "$T/run/t.sock" --threads 1 --listen "0.0.0.0:$port"
assert_eq "$(ss -Hltn "sport = :$port" | awk '{print $4}')" "0.0.0.0:$port" "--listen 0.0.0.0:PORT binds every address"
assert_contains "$(cat "$T/tcp2.log")" "not a loopback address" "and the log warns that it is not loopback"
stop_silkd "$tpid" "silkd (tcp 0.0.0.0) exit status"
ok "done"
