# SPDX-License-Identifier: GPL-2.0-or-later
"""The abuse cases of tests/e2e/abuse.sh, against a running silkd.

usage: abuse_cases.py SOCKET PID MODE    (MODE: "" for a normal build, "sanitized" or
"valgrind" to scale the largest cases down; what is scaled is printed)

Each case abuses one connection (or a crowd of them) and then checks that
  - the abuser got the documented error (docs/protocol.md) or its connection was closed,
  - the bystander, a connection that keeps asking during every case, was answered,
  - a fresh client gets the same answer as before the abuse,
  - no connection is left over, and
  - the daemon's VmRSS is back within 10% of its idle value (measured after a warm-up).
"""
import json
import os
import random
import resource
import selectors
import socket
import sys
import threading
import time

from daemon_client import Client, check, ids, rss_kib, wait_until

SOCK, PID, MODE = sys.argv[1], int(sys.argv[2]), sys.argv[3]
MODE = "valgrind" if "valgrind" in MODE else MODE
SLOW = bool(MODE)
TIMEOUT = 60 if SLOW else 15
# The RSS bound: 10% over idle. ASan's allocator and valgrind's keep freed memory in their
# own caches (malloc_trim does nothing there), so under them the bound is wider, and says so.
RSS_SLACK = {"": 0.10, "sanitized": 0.35, "valgrind": 0.50}[MODE]
if MODE:
    print("scaled under %s: RSS bound %d%% over idle instead of 10%% (the allocator of the "
          "tool keeps freed memory)" % (MODE, RSS_SLACK * 100))
CODES = {"bad_request", "bad_query", "too_large", "overloaded", "unavailable", "internal",
         "not_found"}


def scaled(what, full, small, valgrind_only=False):
    if MODE == "valgrind" or (MODE and not valgrind_only):
        print("scaled under %s: %s %d instead of %d" % (MODE, what, small, full))
        return small
    return full


def parse(line):
    """A response line: strict UTF-8, one JSON object with the documented shape."""
    obj = json.loads(line.decode("utf-8", errors="strict"))
    assert isinstance(obj, dict) and obj.get("ok") in (True, False), line[:300]
    if not obj["ok"]:
        err = obj["error"]
        assert err["code"] in CODES and err["message"], line[:300]
    return obj


def stats():
    c = Client(SOCK, timeout=TIMEOUT)
    s = c.call({"op": "stats"})
    c.close()
    return s


# ---- the bystander: one connection answered all along -------------------------------------
class Bystander(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.client = Client(SOCK, timeout=TIMEOUT)
        self.stop = False
        self.errors = []
        self.answered = 0
        self.worst = 0.0
        self.want = None

    def run(self):
        n = 0
        while not self.stop:
            n += 1
            t0 = time.time()
            try:
                r = self.client.call({"id": n, "q": "iran", "limit": 5})
                if r.get("id") != n or not r.get("ok") or (self.want and ids(r) != self.want):
                    self.errors.append(r)
            except Exception as e:  # noqa: reported by the checks below
                self.errors.append(repr(e))
                return
            self.worst = max(self.worst, time.time() - t0)
            self.answered += 1
            time.sleep(0.02)

    def window(self):
        """(answers so far, worst latency since the last call)."""
        w, self.worst = self.worst, 0.0
        return self.answered, w


WILDCARDS = ["*", "**", "a*", "*a", "a**", "t* OR s* OR c* OR a* OR p* OR m* OR r* OR n*",
             " ".join("%s*" % chr(97 + i % 26) for i in range(64)),
             " OR ".join("%s*" % chr(97 + i % 26) for i in range(64)),
             "x" * 60 + "*", "\"t* s*\"", "title:*", "kind:*", "year:0..99999999999",
             "year:1..9999", "cites:*", "author:a*", "(t* OR a*) -(s* OR c*)", "*" * 4000]

c = Client(SOCK, timeout=TIMEOUT)
BASELINE = c.call({"q": "iran", "limit": 5})
check(BASELINE["ok"] and len(ids(BASELINE)) == 5, "baseline search answered")
c.close()

# ---- warm-up, then the idle RSS -----------------------------------------------------------
WARM = ["iran", "north korea", "missile*", "axis of evil", "kind:reference", "\"north korea\"",
        "weapons OR arms", "(iran OR syria) -nuclear", "zzqqxxv", "t*", "year:2000..2020"]
T_START = time.time()
clients = [Client(SOCK, timeout=TIMEOUT) for _ in range(2)]
# The warm-up runs the kinds of searches the cases run (wildcards, whole-index pages), so
# that caches and allocator arenas that grow once are part of the idle size.
WARM += WILDCARDS + ["iran OR korea OR the", "\ufffd iran", "(" * 30 + "iran" + ")" * 30]
for rnd in range(scaled("warm-up rounds", 10, 3)):
    for cl in clients:
        for q in WARM:
            cl.send({"q": q, "limit": 1000 if rnd == 0 and cl is clients[0] else 50,
                     "fields": ["id", "text", "snippet"]})
    for cl in clients:
        for q in WARM:
            parse(cl.read_line())
for cl in clients:
    cl.close()
wait_until(lambda: stats()["connections"]["current"] == 1, 10, "warm-up connections to close")
time.sleep(0.5)
IDLE = rss_kib(PID)
print("idle RSS after warm-up: %d KiB (warm-up took %.1fs)" % (IDLE, time.time() - T_START))

bystander = Bystander()
bystander.want = ids(BASELINE)
bystander.start()
CASE_T0 = time.time()
results = []  # (case, rss after, bystander answers, worst bystander latency)


def after(case):
    """The checks that follow every case."""
    answered_before = bystander.answered
    wait_until(lambda: bystander.answered > answered_before + 2, TIMEOUT,
               "the bystander to be answered after " + case)
    check(not bystander.errors, "%s: bystander answered right %s" % (case, bystander.errors[:2]))
    c = Client(SOCK, timeout=TIMEOUT)
    r = c.call({"q": "iran", "limit": 5})
    check(r["ok"] and ids(r) == ids(BASELINE), "%s: a fresh client gets the same answer" % case)
    c.close()
    # The bystander and the stats connection itself.
    wait_until(lambda: stats()["connections"]["current"] == 2, TIMEOUT,
               "connections of %s to close" % case)
    end = time.time() + (20 if SLOW else 8)
    rss = rss_kib(PID)
    while rss > IDLE * (1 + RSS_SLACK) and time.time() < end:
        time.sleep(0.2)
        rss = rss_kib(PID)
    n, worst = bystander.window()
    results.append((case, rss, n, worst))
    global CASE_T0
    print("case %s took %.1fs" % (case, time.time() - CASE_T0))
    CASE_T0 = time.time()
    print("ok: %s: RSS %d KiB (idle %d), bystander worst latency %.0f ms"
          % (case, rss, IDLE, worst * 1000))


def read_all(cl, seconds, expect=None):
    """Response lines until EOF (returns (lines, True)), `expect` lines, or `seconds` of
    quiet (returns (lines, False))."""
    lines = []
    cl.sock.settimeout(seconds)
    try:
        while expect is None or len(lines) < expect:
            line = cl.read_line()
            if line is None:
                return lines, True
            lines.append(line)
        return lines, False
    except socket.timeout:
        return lines, False
    except (ConnectionResetError, BrokenPipeError):
        return lines, True


# ---- random bytes -------------------------------------------------------------------------
rng = random.Random(9)
for k in range(4):
    cl = Client(SOCK, timeout=TIMEOUT)
    blob = bytes(rng.getrandbits(8) for _ in range(64 * 1024))
    if k == 3:
        blob = blob.replace(b"\n", b" ")  # no newline at all: one 64 KiB line plus one byte
        blob += b"x\n"
    else:
        blob += b"\n"
    try:
        cl.send_raw(blob)
    except (BrokenPipeError, ConnectionResetError):
        pass
    nlines = sum(1 for x in blob.split(b"\n")[:-1] if x.strip(b" \t\r\n\v\f"))
    lines, eof = read_all(cl, 3, None if k == 3 else nlines)
    for line in lines:
        parse(line)
    if k == 3:
        check(lines and parse(lines[-1])["error"]["code"] == "too_large" and eof,
              "random bytes without a newline: too_large, then closed")
    else:
        check(eof or len(lines) == nlines,
              "random bytes: %d answers to %d lines (%s)" % (len(lines), nlines,
                                                             "closed" if eof else "open"))
    cl.close()
after("random bytes")

# ---- a 100 MB line ------------------------------------------------------------------------
cl = Client(SOCK, timeout=TIMEOUT)
sent = [0]


def blast():
    chunk = b"x" * (1 << 20)
    try:
        while sent[0] < 100 << 20:
            cl.sock.sendall(chunk)
            sent[0] += len(chunk)
    except OSError:
        pass  # the daemon closed on us: expected


t = threading.Thread(target=blast)
t0 = time.time()
t.start()
r = parse(cl.read_line())
check(r["ok"] is False and r["error"]["code"] == "too_large", "100 MB line: too_large")
check(cl.at_eof(TIMEOUT), "100 MB line: connection closed")
t.join()
check(sent[0] < 100 << 20, "100 MB line: the daemon stopped reading after %d MiB (%.1fs)"
      % (sent[0] >> 20, time.time() - t0))
cl.close()
after("100 MB line")

# ---- 10,000 pipelined requests ------------------------------------------------------------
N = scaled("pipelined requests", 10000, 2000, valgrind_only=True)
cl = Client(SOCK, timeout=TIMEOUT)
qs = ["iran", "missile", "axis of evil", "kind:reference", "zzqqxxv", "(a"]
payload = b"".join((json.dumps({"id": i, "q": qs[i % len(qs)], "limit": 3}) + "\n").encode()
                   if i % 3 else (json.dumps({"id": i, "op": "ping"}) + "\n").encode()
                   for i in range(N))
w = threading.Thread(target=cl.send_raw, args=(payload,))
t0 = time.time()
w.start()
for i in range(N):
    r = parse(cl.read_line())
    if r["id"] != i:
        check(False, "pipelined answer %d has id %r" % (i, r["id"]))
    if qs[i % len(qs)] == "(a" and i % 3:
        assert r["error"]["code"] == "bad_query", r
    else:
        assert r["ok"], r
w.join()
check(True, "%d pipelined requests answered in order (%.2fs)" % (N, time.time() - t0))
cl.close()
after("10,000 pipelined requests")

# ---- 1,000 simultaneous connections -------------------------------------------------------
N = scaled("simultaneous connections", 1000, 300, valgrind_only=True)
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < N + 100:
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, N + 200), hard))
bound = 1024  # silkd's default --max-connections
t0 = time.time()
socks = []
for i in range(N):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(SOCK)
    socks.append(s)
sel = selectors.DefaultSelector()
for i, s in enumerate(socks):
    s.sendall((json.dumps({"id": i, "op": "ping"}) + "\n").encode())
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, [i, b""])
answered = {}
deadline = time.time() + TIMEOUT * 2
while len(answered) < N and time.time() < deadline:
    for key, _ in sel.select(timeout=1):
        i, buf = key.data
        try:
            chunk = key.fileobj.recv(4096)
        except (BlockingIOError, InterruptedError):
            continue
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            answered.setdefault(i, None)
            sel.unregister(key.fileobj)
            continue
        buf += chunk
        key.data[1] = buf
        if b"\n" in buf:
            answered[i] = parse(buf.split(b"\n", 1)[0])
            sel.unregister(key.fileobj)
ok_n = sum(1 for r in answered.values() if r and r["ok"] and r["id"] in range(N))
over = sum(1 for r in answered.values() if r and not r["ok"]
           and r["error"]["code"] == "overloaded")
check(len(answered) == N and ok_n + over == N,
      "%d connections: %d pings answered, %d overloaded (%.2fs)"
      % (N, ok_n, over, time.time() - t0))
check(over == 0 if N + 3 <= bound else True, "within the bound (%d) nobody is refused" % bound)
# While they are all open, more than the bound allows: the extra ones are told overloaded.
extra = []
for i in range(bound + 8 - N - 1):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    s.connect(SOCK)
    extra.append(s)
refused = 0
for s in extra:
    try:
        s.sendall(b'{"op":"ping"}\n')
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused and closed already; its answer waits to be read
for s in extra:
    data = b""
    while b"\n" not in data:
        try:
            chunk = s.recv(4096)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            break
        data += chunk
    r = parse(data.split(b"\n", 1)[0])
    refused += (not r["ok"]) and r["error"]["code"] == "overloaded"
check(refused >= 1, "beyond the bound of %d: %d of %d extra connections told overloaded"
      % (bound, refused, len(extra)))
for s in socks + extra:
    s.close()
sel.close()
after("1,000 simultaneous connections")

# ---- slowloris: one byte per second -------------------------------------------------------
SECS = 4
crawlers = []
for i in range(20):
    cl = Client(SOCK, timeout=TIMEOUT)
    line = (json.dumps({"id": i, "op": "ping"}) + "\n").encode()
    cl.send_raw(line[:-SECS])
    crawlers.append((cl, line[-SECS:]))
t0 = time.time()
for k in range(SECS):
    time.sleep(1)
    for cl, rest in crawlers:
        cl.send_raw(rest[k:k + 1])
n, worst = bystander.answered, bystander.worst
check(bystander.answered > 20 and worst < (5 if SLOW else 1),
      "slowloris: the bystander was answered meanwhile (%d answers, worst %.0f ms)"
      % (n, worst * 1000))
for i, (cl, _) in enumerate(crawlers):
    r = cl.read()
    assert r["ok"] and r["id"] == i, r
    cl.close()
check(True, "slowloris: 20 connections sending one byte per second answered after %.1fs"
      % (time.time() - t0))
after("slowloris")

# ---- half-closed sockets ------------------------------------------------------------------
cl = Client(SOCK, timeout=TIMEOUT)
cl.send_raw(b"".join(b'{"id":%d,"op":"ping"}\n' % i for i in range(10)))
cl.sock.shutdown(socket.SHUT_WR)
lines, eof = read_all(cl, TIMEOUT)
check(eof and [parse(x)["id"] for x in lines] == list(range(10)),
      "half-closed after 10 requests: all 10 answered, then closed")
cl.close()
cl = Client(SOCK, timeout=TIMEOUT)
cl.send_raw(b'{"id":1,"op":"pi')
cl.sock.shutdown(socket.SHUT_WR)
lines, eof = read_all(cl, TIMEOUT)
check(eof and all(not parse(x)["ok"] for x in lines),
      "half-closed mid-line: %s, then closed" % ("an error" if lines else "no answer"))
cl.close()
cl = Client(SOCK, timeout=TIMEOUT)
cl.sock.shutdown(socket.SHUT_WR)
lines, eof = read_all(cl, TIMEOUT)
check(eof and not lines, "half-closed before sending: closed")
cl.close()
# The other direction: a client that shuts its reading side still gets served (its
# answers are discarded by its kernel), and the daemon notices when it goes.
cl = Client(SOCK, timeout=TIMEOUT)
cl.sock.shutdown(socket.SHUT_RD)
try:
    for i in range(100):
        cl.send_raw(b'{"op":"ping"}\n')
        time.sleep(0.001)
    how = "served until it went"
except (BrokenPipeError, ConnectionResetError):
    how = "its connection closed by the daemon"
cl.close()
check(True, "a client that shut its reading side: " + how)
after("half-closed sockets")

# ---- a client that never reads ------------------------------------------------------------
# The daemon stops reading a connection with --max-inflight unsent answers (backpressure) and
# drops it once its unsent bytes pass --max-output; either way its memory stays bounded.
cl = Client(SOCK, timeout=1)
big = (json.dumps({"q": "iran OR korea OR the", "limit": 1000, "fields": ["id", "text"]})
       + "\n").encode()
sent, blocked, dropped = 0, 0, False
stop = time.time() + (60 if SLOW else 20)
while time.time() < stop and blocked < 3:
    try:
        cl.sock.sendall(big * 20)
        sent += 20
    except socket.timeout:
        blocked += 1  # the daemon stopped reading
    except OSError:
        dropped = True
        break
stuck_rss = rss_kib(PID)
check(dropped or blocked >= 3,
      "never-reading client: the daemon stopped reading it after %d requests (%s)"
      % (sent, "dropped" if dropped else "paused"))
check(stuck_rss < IDLE + 16 * 1024, "never-reading client: RSS bounded while it waits (%d KiB)"
      % stuck_rss)
n = bystander.answered
wait_until(lambda: bystander.answered > n + 3, TIMEOUT, "the bystander during a stuck client")
check(True, "never-reading client: others still served while it is stuck")
cl.close()
after("a client that never reads")

# ---- deeply nested queries ----------------------------------------------------------------
cl = Client(SOCK, timeout=TIMEOUT)


def expect_error(q, code, what):
    t0 = time.time()
    r = cl.call({"q": q} if isinstance(q, str) else q)
    took = time.time() - t0
    assert not r["ok"] and r["error"]["code"] == code, (what, r)
    return r, took


def answered(q, what):
    t0 = time.time()
    r = cl.call({"q": q, "limit": 5})
    took = time.time() - t0
    assert r["ok"] or r["error"]["code"] in ("bad_query",), (what, r)
    assert took < (30 if SLOW else 2), (what, took)
    return r


for depth in (33, 100, 2000):
    q = "(" * depth + "iran" + ")" * depth
    r, took = expect_error(q, "bad_query", "nesting %d" % depth)
    pos = r["error"].get("position")
    check(isinstance(pos, int) and 0 <= pos <= len(q) and took < (30 if SLOW else 1),
          "nesting %d: bad_query at %s in %.0f ms" % (depth, pos, took * 1000))
r = answered("(" * 30 + "iran" + ")" * 30, "nesting 30")
check(r["ok"] and r["total"] >= 1, "nesting 30 (within the bound): answered")
for q in ["-(" * 1000 + "iran" + ")" * 1000, "NOT " * 1000 + "iran", "(a OR " * 600 + "b",
          "\"" + "iran " * 800, " OR ".join(["iran"] * 800), "-" * 4000 + "iran",
          "(" * 4096]:
    r = answered(q, q[:20])
    check(True, "%r...: %s" % (q[:12], "ok" if r["ok"] else r["error"]["message"][:60]))
r, _ = expect_error("a" * 4097, "bad_query", "4097-byte query")
check(True, "a 4097-byte query: bad_query (%s)" % r["error"]["message"][:60])
cl.close()
after("deeply nested queries")

# ---- pathological wildcards ---------------------------------------------------------------
cl = Client(SOCK, timeout=TIMEOUT)
for q in WILDCARDS:
    t0 = time.time()
    r = answered(q, q[:20])
    check(True, "wildcard %r: %s in %.0f ms" % (q[:30], "ok (%d)" % r["total"] if r["ok"]
                                                  else r["error"]["code"], (time.time() - t0) * 1000))
cl.close()
after("pathological wildcards")

# ---- huge limit / offset ------------------------------------------------------------------
cl = Client(SOCK, timeout=TIMEOUT)
r = cl.call({"q": "iran OR korea", "limit": 1000})
check(r["ok"] and len(r["hits"]) <= 1000, "limit 1000 (the bound): %d hits" % len(r["hits"]))
r = cl.call({"q": "iran", "offset": 100000})
check(r["ok"] and r["hits"] == [], "offset 100000 (the bound): no hits")
for req in [{"limit": 1001}, {"limit": 2 ** 32}, {"limit": 2 ** 63 - 1}, {"limit": -1},
            {"limit": 1.5}, {"limit": "10"}, {"limit": 1e300}, {"offset": 100001},
            {"offset": 2 ** 62}, {"offset": -2 ** 62}, {"limit": None}]:
    req["q"] = "iran"
    r = cl.call(req)
    assert not r["ok"] and r["error"]["code"] == "bad_request", (req, r)
check(True, "limit/offset out of bounds or of the wrong type: bad_request (11 cases)")
for raw in [b'{"q":"iran","limit":18446744073709551616}',
            b'{"q":"iran","offset":1' + b"0" * 400 + b"}", b'{"q":"iran","limit":1e999}']:
    r = cl.call(raw)
    assert not r["ok"] and r["error"]["code"] == "bad_request", (raw[:60], r)
check(True, "numbers too big for any integer type: bad_request (3 cases)")
cl.close()
after("huge limit/offset")

# ---- invalid UTF-8 in queries -------------------------------------------------------------
cl = Client(SOCK, timeout=TIMEOUT)
for raw in [b"\xff\xfe iran \xc3", b"ir\xc0\xafan", b"\xed\xa0\x80 iran", b"\xf4\x90\x80\x80",
            b"iran \xe2\x82", b"\x80" * 3000]:
    cl.send(raw)
    r = parse(cl.read_line())
    assert r["ok"] or r["error"]["code"] == "bad_query", (raw, r)
check(True, "plain-text queries with invalid UTF-8: answered, answers valid UTF-8 (6 cases)")
for raw in [b'{"q":"ir\xffan"}', b'{"q":"\xc0\xaf"}', b'{"q":"\\ud800"}', b'{"q":"\xed\xa0\x80"}',
            b'{"id":"\xfe","op":"ping"}']:
    cl.send(raw)
    r = parse(cl.read_line())
    assert not r["ok"] and r["error"]["code"] == "bad_request", (raw, r)
check(True, "JSON requests with invalid UTF-8: bad_request (5 cases)")
cl.close()
after("invalid UTF-8 in queries")

# ---- NUL bytes in JSON strings ------------------------------------------------------------
cl = Client(SOCK, timeout=TIMEOUT)
for raw in [b'{"q":"ir\\u0000an"}', b'{"q":"ir\x00an"}', b'{"id":"a\\u0000b","op":"ping"}',
            b'{"op":"ping\\u0000"}', b'{"q":"iran","fields":["id\\u0000"]}', b'{"\\u0000":1}']:
    cl.send(raw)
    r = parse(cl.read_line())
    assert not r["ok"] and r["error"]["code"] == "bad_request", (raw, r)
check(True, "NUL bytes in JSON strings: bad_request (6 cases)")
cl.send(b"iran\x00korea")
r = parse(cl.read_line())
check(r["ok"], "a NUL byte in a plain-text query: answered")
cl.close()
after("NUL bytes in JSON strings")

bystander.stop = True
bystander.join()
print("\n%-32s %10s %8s %10s" % ("case", "RSS KiB", "vs idle", "bystander"))
bad = []
for case, rss, n, worst in results:
    print("%-32s %10d %+7.1f%% %7.0f ms" % (case, rss, 100.0 * (rss - IDLE) / IDLE, worst * 1000))
    if rss > IDLE * (1 + RSS_SLACK):
        bad.append(case)
check(not bad, "RSS back within %d%% of idle (%d KiB) after every case %s"
      % (RSS_SLACK * 100, IDLE, bad))
