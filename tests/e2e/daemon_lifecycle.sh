#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# silkd's life: starting without an index ("unavailable", then serving once a hand-run
# silk-index creates it), a stale socket replaced, a second daemon refused, a path that is
# not a socket refused, SIGHUP, and SIGTERM with queries in flight (all answered, socket
# gone, exit 0).
. "$(dirname "$0")/lib.sh"

corpus_article
sock="$T/silk.sock"

# ---- a stale socket file (nobody listening) is replaced ------------------------------------
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.close()' "$sock"
[ -S "$sock" ] || fail "could not make a stale socket"

# ---- no index yet: starts, says unavailable, then serves what silk-index writes -------------
"${SILK_WRAP[@]}" "$SILK_BIN/silkd" --index "$T/index" --corpus "$T/corpus" --socket "$sock" \
    --threads 2 2>"$T/silkd.log" &
pid=$!
track_pid $pid
for _ in $(seq 100); do
    grep -q "serving" "$T/silkd.log" && break
    sleep 0.1
done
grep -q "replacing stale socket" "$T/silkd.log" || fail "stale socket not reported: $(cat "$T/silkd.log")"
ok "stale socket replaced"
grep -q "no index at" "$T/silkd.log" || fail "missing index not logged"
ok "missing index logged at start"

PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" <<'EOF' || fail "unavailable"
import sys
from daemon_client import Client, check
c = Client(sys.argv[1])
r = c.call({"id": 1, "q": "iran"})
check(r["ok"] is False and r["error"]["code"] == "unavailable", "no index: unavailable")
check("silk-index" in r["error"]["message"], "unavailable says what to do")
s = c.call({"op": "stats"})
check(s["ok"] and s["index"] == "unavailable" and s["docs"] is None, "stats without index")
check(c.call({"op": "ping"})["ok"], "ping works without an index")
EOF

# A second daemon on the same socket is refused while the first runs.
rc=0
"$SILK_BIN/silkd" --index "$T/index" --socket "$sock" >"$T/second.log" 2>&1 || rc=$?
assert_eq "$rc" 1 "second daemon: exit 1"
assert_contains "$(cat "$T/second.log")" "already running at $sock" "second daemon: message"
[ -S "$sock" ] || fail "the second daemon removed the first one's socket"
ok "first daemon's socket intact"

rc=0
index --corpus "$T/corpus" --index "$T/index" >"$T/index.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "silk-index exited $rc: $(cat "$T/index.log")"

PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" <<'EOF' || fail "index picked up"
import sys
from daemon_client import Client, check, wait_until
c = Client(sys.argv[1])
wait_until(lambda: c.call({"q": "iran"})["ok"], 10, "the new index to be served")
r = c.call({"q": "axis of evil"})
check(r["ok"] and any(h["id"].endswith("#p1") for h in r["hits"]),
      "hand-run silk-index picked up")
check(c.call({"op": "stats"})["index"] == "ready", "stats: ready")
EOF

# ---- silk-index --full switches the database underneath: picked up, no errors meanwhile ----
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" "$T/corpus" "$SILK_BIN/silk-index" "$T/index" <<'EOF' || fail "--full switch"
import os, subprocess, sys, threading
from daemon_client import Client, check, wait_until
sock, corpus, indexer, index = sys.argv[1:5]
c = Client(sock)
docs = c.call({"op": "stats"})["docs"]
with open(os.path.join(corpus, "extra.txt"), "w", encoding="utf-8") as f:
    f.write("Extra article\nA paragraph about the glorbnax accord.\n")
errors, answers, stop = [], [0], threading.Event()
def loop():
    cl = Client(sock)
    while not stop.is_set():
        r = cl.call({"q": "iran OR glorbnax", "limit": 3})
        answers[0] += 1
        if not r["ok"]:
            errors.append(r)
ts = [threading.Thread(target=loop) for _ in range(2)]
for t in ts:
    t.start()
rc = subprocess.run([indexer, "--corpus", corpus, "--index", index, "--full", "--quiet"]).returncode
try:
    check(rc in (0, 3), "silk-index --full by hand: exit %d" % rc)
    wait_until(lambda: c.call({"q": "glorbnax"})["total"] == 1, 10, "the --full index to be served")
finally:
    stop.set()
    for t in ts:
        t.join()
check(not errors, "no errors across the --full switch (%d answers) %s" % (answers[0], errors[:1]))
check(c.call({"op": "stats"})["docs"] > docs, "stats: the new document count")
EOF

kill -HUP $pid
sleep 0.3
grep -q "SIGHUP" "$T/silkd.log" || fail "SIGHUP not logged"
out="$(printf '{"op":"ping","id":3}\n' | socat -t 5 - UNIX-CONNECT:"$sock")"
assert_contains "$out" '"pong":true' "serving after SIGHUP"

# ---- SIGTERM with queries in flight -------------------------------------------------------
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" "$pid" <<'EOF' || fail "SIGTERM in flight"
import json, os, signal, sys, threading
from daemon_client import Client, check
sock, pid = sys.argv[1], int(sys.argv[2])
clients = [Client(sock, timeout=30) for _ in range(4)]
for c in clients:
    c.call({"op": "ping"})
n = 400
batch = "".join(json.dumps({"id": i, "q": ["iran", "missile", "korea"][i % 3]}) + "\n"
                for i in range(n)).encode()
got = [0] * len(clients)
def reader(k):
    c = clients[k]
    for i in range(n):
        r = c.read()
        assert r["id"] == i and r["ok"], r
        got[k] += 1
    assert c.at_eof(10), "connection not closed after the answers"
threads = [threading.Thread(target=reader, args=(k,)) for k in range(len(clients))]
for c in clients:
    c.send_raw(batch)
os.kill(pid, signal.SIGTERM)
for t in threads:
    t.start()
for t in threads:
    t.join()
check(got == [n] * len(clients), "all %d x %d requests in flight answered: %s"
      % (len(clients), n, got))
EOF
rc=0
wait $pid || rc=$?
assert_eq "$rc" 0 "SIGTERM: exit 0"
[ ! -e "$sock" ] || fail "socket left behind after SIGTERM"
ok "socket removed"
grep -q "SIGTERM: finishing" "$T/silkd.log" || fail "SIGTERM not logged"
ok "SIGTERM logged"

# ---- a path that is not a socket is refused -------------------------------------------------
echo "not a socket" >"$T/file.sock"
rc=0
"$SILK_BIN/silkd" --index "$T/index" --socket "$T/file.sock" >"$T/out" 2>&1 || rc=$?
assert_eq "$rc" 1 "non-socket path: exit 1"
assert_contains "$(cat "$T/out")" "is not a socket" "non-socket path: message"
assert_eq "$(cat "$T/file.sock")" "not a socket" "non-socket file untouched"

# ---- TCP on loopback with --listen ----------------------------------------------------------
port=$((20000 + RANDOM % 20000))
start_silkd -l "$T/tcp.log" "$sock" --threads 1 --listen ":$port"
grep -q "listening on tcp 127.0.0.1:$port" "$T/tcp.log" || fail "TCP not on loopback: $(cat "$T/tcp.log")"
# TCP needs the token of the file silkd keeps beside its socket (docs/protocol.md).
token="$(cat "$sock.token")"
out="$(printf '{"op":"auth","token":"%s"}\n{"id":"t","q":"iran","limit":1}\n' "$token" |
    socat -t 5 - TCP:127.0.0.1:$port)"
assert_contains "$out" '"id":"t","ok":true' "TCP: answered on loopback"
kill -INT $pid
rc=0
wait $pid || rc=$?
assert_eq "$rc" 0 "SIGINT: exit 0"
