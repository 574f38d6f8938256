#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# silkd under load that is hostile or merely unlucky (issue 14, "no lost answers, bounded
# memory, fairness"), against the real daemon with raw-socket clients:
#   1. a client that pipelines large answers and reads gets every one, in order; an answer
#      over --max-output is a too_large answer with its id, and the connection goes on;
#   2. 200 connections that leave answers unread hold the daemon's memory near its
#      daemon-wide bound (--max-output-total), and every request is answered once they read;
#   3. two clients pipelining expensive searches on a one-thread daemon do not freeze a third
#      client; a search over --query-time-limit is answered, flagged "partial";
#   4. a client connecting and closing in a tight loop causes no refusal of another client,
#      and refusals at a real bound are counted in stats.
# Assertions are on bounded behaviour (all answered, in order, RSS under a bound, a wait
# under a generous 2 s), not on tight timings.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/corpus"
cp "$SILK_ROOT/corpus/iran-north-korea-relations.txt" "$T/corpus/"
rc=0
index --corpus "$T/corpus" --index "$T/index" >"$T/index.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "silk-index exited $rc: $(cat "$T/index.log")"

# start NAME ARGS...: a daemon on $T/NAME.sock; sets $pid and $sock.
start() {
    local name="$1"
    shift
    sock="$T/$name.sock"
    "${SILK_WRAP[@]}" "$SILK_BIN/silkd" --index "$T/index" --socket "$sock" "$@" \
        2>"$T/$name.log" &
    pid=$!
    track_pid $pid
    wait_for_socket "$sock"
}
stop() {
    kill -TERM $pid
    wait $pid || fail "silkd exit status ($(tail -5 "$T/$1.log"))"
}
py() { PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" "$pid" "${SILK_SANITIZED:-}${SILK_VALGRIND:-}" "$@"; }

# ---- 1. pipelined large answers: backpressure, not a silent drop ---------------------------
start big --threads 2 --max-output 24000
py <<'EOF' || fail "pipelined large answers"
import json, sys, threading
from daemon_client import Client, check
sock = sys.argv[1]
# About 17 KB each: under --max-output, but a few of them are over it.
big = {"q": "iran OR korea OR the", "limit": 1000, "fields": ["text", "id"], "snippets": False}
c = Client(sock, timeout=30)
want = c.call(dict(big, id=0))
check(want["ok"] and len(json.dumps(want)) > 12000, "one large answer alone (%d bytes)"
      % len(json.dumps(want)))
n = 200
batch = "".join(json.dumps(dict(big, id=i)) + "\n" for i in range(1, n + 1)).encode()
sender = threading.Thread(target=lambda: c.sock.sendall(batch))
sender.start()
for i in range(1, n + 1):
    r = c.read()
    assert r["id"] == i and r["ok"] and len(r["hits"]) == len(want["hits"]), (i, str(r)[:300])
sender.join()
check(True, "%d pipelined 17 KB answers (bound 24000 bytes) all answered, in order" % n)
# An answer that alone exceeds the bound: too_large with its id; the connection goes on.
huge = {"id": "h", "q": "iran OR korea OR the", "limit": 1000,
        "fields": ["id", "text", "snippet", "highlights", "article", "section"]}
c.send(huge)
c.send({"id": "after", "op": "ping"})
r = c.read()
check(r["id"] == "h" and r["ok"] is False and r["error"]["code"] == "too_large",
      "an answer over --max-output: too_large with its id (%s)" % r.get("error"))
check(c.read()["id"] == "after", "the connection goes on after it")
s = c.call({"op": "stats"})
check(s["errors"]["too_large"] >= 1, "stats counts the too_large answer")
c.close()
EOF
stop big

# ---- 2. the daemon-wide output bound --------------------------------------------------------
# Defaults only: each connection may hold 64 answers (about 1.1 MB of these), 200 of them
# would hold 220 MB;
# the daemon-wide default bound is 64 MiB.
start total --threads 2
py <<'EOF' || fail "daemon-wide output bound"
import json, sys, time
from daemon_client import Client, check, rss_kib, wait_until
sock, pid, slow = sys.argv[1], int(sys.argv[2]), bool(sys.argv[3])
big = {"q": "iran OR korea OR the", "limit": 1000, "fields": ["text", "id"], "snippets": False}
c = Client(sock)
for i in range(30):  # warm the caches, so what grows below is answers
    c.call(big)
c.close()
base = rss_kib(pid)
conns, per = 200, 100
clients = []
for k in range(conns):
    cl = Client(sock, timeout=60)
    cl.send_raw("".join(json.dumps(dict(big, id=i)) + "\n" for i in range(per)).encode())
    clients.append(cl)
def stats():
    s = Client(sock)
    r = s.call({"op": "stats"})
    s.close()
    return r
# Wait until the daemon has answered as much as it will hold (the count stops moving but
# for the stats requests themselves).
last, still = -1, 0
for _ in range(300):
    n = stats()["requests"]
    still = still + 1 if n <= last + 1 else 0
    last = n
    if still >= 4:
        break
    time.sleep(0.25)
st = stats()
rss = rss_kib(pid)
out = st.get("output", {"queued": -1, "max": -1})
print("RSS %d KiB -> %d KiB; unsent %d bytes (bound %d)" % (base, rss, out["queued"], out["max"]))
if slow:  # ASan's quarantine keeps freed memory: RSS says nothing there; the count does
    print("note: scaled under a sanitizer/valgrind: RSS not checked, the unsent count is")
else:
    check(rss - base < 112 * 1024,
          "RSS bounded: %d KiB -> %d KiB (200 unread clients)" % (base, rss))
check(0 <= out["queued"] <= out["max"] + conns * 4096, "unsent bytes within the daemon-wide bound")
bystander = Client(sock)
r = bystander.call({"id": 1, "q": "iran", "limit": 1})
check(r["ok"], "a small search is answered meanwhile")
bystander.close()
overloaded = 0
for cl in clients:
    for i in range(per):
        r = cl.read()
        assert r["id"] == i, (i, str(r)[:200])
        if not r["ok"]:
            assert r["error"]["code"] == "overloaded", r
            overloaded += 1
    cl.close()
check(True, "all %d requests answered in order once the clients read (%d overloaded)"
      % (conns * per, overloaded))
wait_until(lambda: stats()["output"]["queued"] == 0, 10, "the unsent count to go back to 0")
check(True, "unsent count back to 0")
EOF
stop total

# ---- 3. fairness on one worker, and the query time limit -----------------------------------
start fair --threads 1 --query-time-limit 1
py <<'EOF' || fail "fairness"
import json, sys, threading, time
from daemon_client import Client, check
sock, slow = sys.argv[1], bool(sys.argv[3])
# Small answers, a few ms each: 20 prefixes in an OR.
q = " OR ".join(ch + "*" for ch in "abcdefghijklmnoprstw")
c = Client(sock)
r = c.call({"q": q, "limit": 1000})
check(r["ok"] and r.get("partial") is True, "a search over --query-time-limit 1: partial")
check(c.call({"op": "ping"})["pong"], "and the connection goes on")
c.close()
n = 250 if slow else 1000
errors, done, waits = [], [], []
def hammer(k):
    try:
        h = Client(sock, timeout=120)
        batch = "".join(json.dumps({"id": i, "q": q, "limit": 1, "snippets": False}) + "\n"
                        for i in range(n)).encode()
        sender = threading.Thread(target=lambda: h.sock.sendall(batch))
        sender.start()
        for i in range(n):
            r = h.read()
            if r["id"] != i or not r["ok"]:
                errors.append((k, i, r))
                return
        sender.join()
        h.close()
    except Exception as e:
        errors.append((k, repr(e)))
    finally:
        done.append(k)
ts = [threading.Thread(target=hammer, args=(k,)) for k in range(2)]
t0 = time.time()
for t in ts:
    t.start()
time.sleep(0.3)
b = Client(sock, timeout=60)
while len(done) < 2:
    t1 = time.time()
    r = b.call({"op": "ping"})
    waits.append(time.time() - t1)
    time.sleep(0.05)
for t in ts:
    t.join()
took = time.time() - t0
check(not errors, "2 x %d pipelined expensive searches answered in order (%.1fs) %s"
      % (n, took, errors[:1]))
print("bystander: %d pings, worst wait %.3fs" % (len(waits), max(waits)))
check(max(waits) < 2.0, "the bystander on the same worker waited at most %.3fs" % max(waits))
check(len(waits) >= 3, "the hammering lasted long enough to measure (%.1fs)" % took)
b.close()
EOF
stop fair

# ---- 4. connect-and-close in a tight loop; refusals counted --------------------------------
start churn --threads 2 --max-connections 32
py <<'EOF' || fail "churn"
import socket, sys, threading, time
from daemon_client import Client, check, wait_until
sock = sys.argv[1]
stop = time.time() + 4
churned, answers, refused = [0], [0], []
def churn():
    while time.time() < stop:
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock)
        s.close()
        churned[0] += 1
t = threading.Thread(target=churn)
t.start()
while time.time() < stop:
    c = Client(sock, timeout=30)
    try:
        r = c.call({"op": "ping"})
    except OSError as e:  # refused and closed before the request was even written
        r = {"ok": False, "error": repr(e)}
    answers[0] += 1
    if not r["ok"]:
        refused.append(r)
    c.close()
    time.sleep(0.01)
t.join()
print("churned %d connections; the other client asked %d times" % (churned[0], answers[0]))
check(not refused, "a client never refused while another only connects and closes (%d of %d: %s)"
      % (len(refused), answers[0], refused[:1]))
# A real bound: 32 held open, the 33rd is refused, and stats count it.
def current():
    c = Client(sock)
    n = c.call({"op": "stats"})["connections"]["current"]
    c.close()
    return n - 1
wait_until(lambda: current() == 0, 10, "churned connections to close")
held = [Client(sock) for _ in range(32)]
for c in held:
    assert c.call({"op": "ping"})["ok"]
extra = Client(sock)
r = extra.read()
check(r["ok"] is False and r["error"]["code"] == "overloaded", "33rd connection: overloaded")
check(extra.at_eof(5), "33rd connection: closed")
held.pop().close()
def stats():
    try:
        c = Client(sock)
        s = c.call({"op": "stats"})
        c.close()
        return s
    except (OSError, AssertionError):
        return None
wait_until(lambda: stats() is not None, 5, "a slot")
s = stats()
check(s["connections"]["rejected"] >= 1 and s["errors"]["overloaded"] >= 1,
      "stats count the refusal (rejected %d, overloaded %d)"
      % (s["connections"]["rejected"], s["errors"]["overloaded"]))
for c in held:
    c.close()
EOF
stop churn
ok "done"
