#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# silkd's bounds against a real daemon: a 1 MiB line (too_large, then closed), a client that
# sends and never reads (dropped, RSS bounded), clients that vanish mid-request, the idle
# timeout, more connections than the bound (overloaded), and 100 concurrent connections
# each running 100 queries whose answers are checked.
. "$(dirname "$0")/lib.sh"

corpus_article
index_corpus -3

sock="$T/a.sock"
start_silkd -l "$T/a.log" "$sock" --threads 2 --idle-timeout 3 --max-output 300000

PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" "$pid" "${SILK_SANITIZED:-}${SILK_VALGRIND:-}" "${SILK_VALGRIND:-}" <<'EOF' || fail "bounds"
import json, socket, sys, threading, time
from daemon_client import Client, check, ids, rss_kib, wait_until

sock, pid, slow = sys.argv[1], int(sys.argv[2]), bool(sys.argv[3])
per_conn = 25 if sys.argv[4] else 100  # under valgrind, fewer queries keep the file under a minute

def current_connections():
    c = Client(sock)
    n = c.call({"op": "stats"})["connections"]["current"]
    c.close()
    return n - 1

# ---- 100 concurrent connections x 100 queries, every answer checked ----------------------
queries = ["iran", "north korea", "missile", "axis of evil", "nuclear weapons", "tehran",
           "silla", "kind:reference", "weapons OR arms", "\"north korea\"", "pyongyang",
           "zzqqxxv", 'axis "of', "syria -iran", "coughlin"]
c = Client(sock)
expected = {q: c.call({"q": q, "limit": 5}) for q in queries}
c.close()
check(expected["iran"]["ok"] and expected['axis "of']["error"]["code"] == "bad_query",
      "expected answers computed")
errors = []

def worker(n):
    try:
        cl = Client(sock, timeout=30)
        for i in range(per_conn):
            q = queries[(n + i) % len(queries)]
            r = cl.call({"id": i + 1000 * n, "q": q, "limit": 5})
            want = expected[q]
            if r["id"] != i + 1000 * n or r["ok"] != want["ok"] or (
                    r["ok"] and (ids(r) != ids(want) or r["total"] != want["total"])):
                errors.append((n, i, q, r))
                return
        cl.close()
    except Exception as e:  # noqa: the test reports it
        errors.append((n, repr(e)))

threads = [threading.Thread(target=worker, args=(n,)) for n in range(100)]
t0 = time.time()
for t in threads:
    t.start()
for t in threads:
    t.join()
check(not errors, "100 connections x %d queries: all answers right (%.1fs) %s"
      % (per_conn, time.time() - t0, errors[:2]))
wait_until(lambda: current_connections() == 0, 5, "connections to close")
base_rss = rss_kib(pid)
print("daemon RSS after load: %d KiB" % base_rss)

# ---- a 1 MiB line: too_large, then the connection closes --------------------------------
c = Client(sock)
def blast():
    try:
        c.sock.sendall(b"x" * (1 << 20))
    except OSError:
        pass  # the daemon closed on us mid-send: expected
t = threading.Thread(target=blast)
t.start()
r = c.read()
check(r["ok"] is False and r["error"]["code"] == "too_large", "1 MiB line: too_large")
check(c.at_eof(5), "1 MiB line: connection closed")
t.join()
c.close()
# A line of exactly the bound is fine (it is a query over 4096 bytes: bad_query).
c = Client(sock)
r = c.call(b"y" * 65536)
check(r["error"]["code"] == "bad_query", "a 64 KiB line is read whole (bad_query)")
c.close()

# ---- a client that sends and never reads is dropped; memory stays bounded ----------------
c = Client(sock)
big = (json.dumps({"q": "iran OR korea OR the", "limit": 1000, "fields": ["text", "id"]})
       + "\n").encode()
stop = time.time() + 20
sent = 0
c.sock.settimeout(1)
while time.time() < stop:
    try:
        c.sock.sendall(big * 50)
        sent += 50
    except socket.timeout:
        pass  # the daemon stopped reading (backpressure)
    except OSError:
        break  # dropped
    if sent > 200000:
        break
dropped = c.at_eof(10)
check(dropped, "never-reading client dropped (after %d requests sent)" % sent)
c.close()
rss = rss_kib(pid)
check(rss - base_rss < 32 * 1024, "RSS bounded: %d KiB -> %d KiB" % (base_rss, rss))

# ---- backpressure: 3000 pipelined requests to a client that reads late ------------------
c = Client(sock, timeout=30)
batch = "".join(json.dumps({"id": i, "q": queries[i % len(queries)], "limit": 5}) + "\n"
                for i in range(3000)).encode()
sender = threading.Thread(target=lambda: c.sock.sendall(batch))
sender.start()
time.sleep(1.0)  # the daemon pauses reading once 64 answers wait for this client
for i in range(3000):
    r = c.read()
    want = expected[queries[i % len(queries)]]
    assert r["id"] == i and r["ok"] == want["ok"], (i, r)
sender.join()
check(True, "3000 pipelined requests to a late reader: all answered in order")
c.close()

# ---- clients that vanish mid-request ------------------------------------------------------
for k in range(20):
    c = Client(sock)
    c.send_raw(b'{"id":1,"q":"ir')        # half a line
    c.close()
    c = Client(sock)
    c.send_raw(b"".join(big for _ in range(30)))  # whole requests, never read
    c.close()
wait_until(lambda: current_connections() == 0, 5, "vanished clients' connections to close")
check(True, "vanished clients cleaned up")
c = Client(sock)
check(c.call({"id": 1, "op": "ping"})["ok"], "still serving after vanished clients")
c.close()

# ---- idle timeout (3 s) -------------------------------------------------------------------
c = Client(sock)
c.call({"op": "ping"})
t0 = time.time()
check(c.at_eof(10), "idle connection closed")
idle = time.time() - t0
check(2.5 <= idle <= 6 + (10 if slow else 0), "idle timeout after %.1fs (3 s)" % idle)

s = Client(sock).call({"op": "stats"})
check(s["errors"]["too_large"] >= 1, "stats counts too_large")
EOF
grep -q "unread answers" "$T/a.log" || fail "no log line about the dropped reader: $(cat "$T/a.log")"
ok "the dropped reader was logged"
stop_silkd

# ---- the connection bound ------------------------------------------------------------------
sock="$T/b.sock"
start_silkd -l "$T/b.log" "$sock" --threads 2 --max-connections 5
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" <<'EOF' || fail "connection bound"
from daemon_client import Client, check, wait_until
sock = __import__("sys").argv[1]
held = [Client(sock) for _ in range(5)]
for c in held:
    check(c.call({"op": "ping"})["ok"], "connection within the bound served")
extra = Client(sock)
r = extra.read()
check(r["ok"] is False and r["error"]["code"] == "overloaded", "6th connection: overloaded")
check(extra.at_eof(5), "6th connection: closed")
held.pop().close()
def served():
    try:
        c = Client(sock)
        r = c.call({"op": "ping"})
        c.close()
        return r["ok"]
    except (OSError, AssertionError):
        return False
wait_until(served, 5, "a slot to free up")
check(True, "after one closes, a new connection is served")
for c in held:
    c.close()
s = None
def stats():
    global s
    c = Client(sock)
    s = c.call({"op": "stats"})
    c.close()
    return s["ok"]
wait_until(stats, 5, "stats")
check(s["connections"]["rejected"] >= 1, "stats counts rejected connections")
EOF
stop_silkd
ok "done"
