#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Scale-out (docs/scale-out.md) on loopback: the corpus article, the synonym table and ~20
# generated articles, indexed once as one database and once as 3 shards (silk-index
# --shards 3); silkd serves the single index and a stub listing meta/, shards 0 and 1
# locally and shard 2 through a real xapian-tcpsrv. The same 30 queries give the same ids,
# order, scores, totals and did-you-mean. Then: the tcpsrv killed (a bounded-time
# `unavailable` naming the shard), restarted (answers return, silkd not restarted),
# stopped with SIGSTOP (a hung shard: `unavailable` within --remote-timeout), its
# connections' children stopped under --query-time-limit 300 (`unavailable` within the
# limit, then a fresh connection), a 1 ms limit over it, and one shard reindexed with
# --shard K/N while silkd serves.
. "$(dirname "$0")/lib.sh"

# Time bounds stretch under valgrind and the sanitizers (silkd runs slower there).
slow=1
[ -n "${SILK_VALGRIND:-}${SILK_SANITIZED:-}" ] && slow=10
export SLOW=$slow

command -v xapian-tcpsrv >/dev/null || fail "xapian-tcpsrv not installed (xapian-tools)"
# The generated corpus comes from the sample of the judged collections kept in the repo.
DATA="$SILK_ROOT/tests/data/gen"

mkdir -p "$T/corpus"
cp "$SILK_ROOT/corpus/"* "$T/corpus/"
python3 "$SILK_ROOT/bench/gen/gencorpus.py" generate "$DATA" "$T/corpus/gen" --mb 0.3 \
    --seed 5 >/dev/null
python3 "$SILK_ROOT/bench/gen/gencorpus.py" queries "$DATA" "$T/gen.tsv" --n 18 \
    --seed 3 >/dev/null

run_index() {
    local rc=0
    index "$@" --quiet >"$T/index.log" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || fail "silk-index $* exited $rc: $(cat "$T/index.log")"
}
run_index --corpus "$T/corpus" --index "$T/single"
run_index --corpus "$T/corpus" --index "$T/sh" --shards 3
for k in 0 1 2; do
    [ -f "$T/sh/shard-$k/iamglass" ] || fail "shard-$k was not created"
done
[ -f "$T/sh/meta/iamglass" ] || fail "meta/ was not created"
assert_eq "$(head -1 "$T/sh/XAPIANDB")" "# silk-index shards 3" "the stub names the shards"
# A second run on the folder finds the shards by itself, and has nothing to do.
out="$(index --corpus "$T/corpus" --index "$T/sh" --json)"
assert_contains "$out" '"up_to_date":true' "a plain run on a sharded index: up to date"

. "$SILK_ROOT/bench/common.sh" # free_port, wait_port
port="$(free_port)"
tcpsrv=""
# xapian-tcpsrv forks a child per connection: it runs in a session of its own so that
# stopping it stops the children serving silkd's connections too.
start_tcpsrv() {
    setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" "$T/sh/shard-2" \
        >>"$T/tcpsrv.log" 2>&1 &
    tcpsrv=$!
    track_pid "$tcpsrv"
    wait_port "$port" 100 || fail "xapian-tcpsrv did not start on port $port: $(cat "$T/tcpsrv.log")"
}
stop_tcpsrv() {
    kill -TERM -- "-$tcpsrv" 2>/dev/null || true
    kill -CONT -- "-$tcpsrv" 2>/dev/null || true
    wait "$tcpsrv" 2>/dev/null || true
}
trap 'stop_tcpsrv; _silk_cleanup' EXIT
start_tcpsrv

cat >"$T/mixed.stub" <<EOF
# two local shards, one remote; spelling and synonyms from the local meta database
meta sh/meta
glass sh/shard-0
glass sh/shard-1
remote 127.0.0.1:$port
EOF

# serve NAME INDEX: a silkd on INDEX at $T/NAME.sock, its log in $T/NAME.log.
serve() {
    INDEX="$2" start_silkd -l "$T/$1.log" "$T/$1.sock" --corpus "$T/corpus" --threads 1 \
        --remote-timeout 1000
}
serve single "$T/single"
serve mixed "$T/mixed.stub"

# Thirty queries: generated ones (English, Korean, Persian), and ones for the article's
# features: phrases, fields, wildcards, synonyms, misspellings (did-you-mean), exclusions.
cut -f2 "$T/gen.tsv" >"$T/queries.txt"
cat >>"$T/queries.txt" <<'EOF'
axis of evil
"axis of evil"
dprk
north korea nuclear
title:iran
nuc*
missile technology
nuclar programme
tehran pyongyang
iran -korea
shahab missiles
pressure boundary layer
EOF
assert_eq "$(wc -l <"$T/queries.txt")" 30 "30 queries"

PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$T" "$port" <<'EOF' || fail "sharded answers"
import json, sys, time
from daemon_client import Client, check

t, port = sys.argv[1], sys.argv[2]
single, mixed = Client(t + "/single.sock"), Client(t + "/mixed.sock")
queries = open(t + "/queries.txt", encoding="utf-8").read().splitlines()

def answer(c, q, mode="all"):
    return c.call({"op": "search", "q": q, "limit": 50, "mode": mode})

def close(x, y):
    return abs(x - y) <= 1e-6 * max(1.0, abs(x))

def groups(hits):
    """Runs of equal scores: Xapian orders equal scores by document id, and a sharded
    database numbers documents otherwise than a single one (interleaved by shard)."""
    out = []
    for h in hits:
        if out and close(out[-1][0], h["score"]):
            out[-1][1].add(h["id"])
        else:
            out.append((h["score"], {h["id"]}))
    return out

def same(a, b, what):
    check(a["ok"] and b["ok"], what + ": both answered")
    ha, hb = a["hits"], b["hits"]
    check(len(ha) == len(hb) and all(close(x["score"], y["score"]) for x, y in zip(ha, hb)),
          what + ": same scores in the same order")
    ga, gb = groups(ha), groups(hb)
    # The last run of equal scores may be cut by the page: its ids can differ then.
    full = len(ha) == a["total"]
    n = len(ga) if full else len(ga) - 1
    check([g[1] for g in ga[:n]] == [g[1] for g in gb[:n]],
          what + ": same ids in the same order (%d hits)" % len(ha))
    check((a["total"], a["relaxed"], a.get("did_you_mean")) ==
          (b["total"], b["relaxed"], b.get("did_you_mean")), what + ": same total, did-you-mean")

nhits = 0
for i, q in enumerate(queries, 1):
    a, b = answer(single, q), answer(mixed, q)
    same(a, b, "query %d %r" % (i, q))
    nhits += len(a["hits"])
check(nhits >= 150, "the queries found hits (%d)" % nhits)
a = answer(single, "nuclar programme")
check(a.get("did_you_mean"), "a misspelling is corrected (spelling data from meta/)")
a = answer(single, "dprk")
check(len(a["hits"]) > 0, "a synonym finds the article (synonyms from meta/)")
r = mixed.call({"op": "stats"})
check(r["docs"] == single.call({"op": "stats"})["docs"], "stats: same number of documents")
EOF

# ---- a shard goes down, and comes back --------------------------------------------------------
stop_tcpsrv
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$T" "$port" <<'EOF' || fail "shard down"
import os, sys, time
from daemon_client import Client, check
SLOW = int(os.environ["SLOW"])
t, port = sys.argv[1], sys.argv[2]
c = Client(t + "/mixed.sock")
for q in ("axis of evil", "boundary layer"):
    t0 = time.monotonic()
    r = c.call({"op": "search", "q": q})
    took = time.monotonic() - t0
    check(r["ok"] is False and r["error"]["code"] == "unavailable",
          "shard down: %r answers unavailable" % q)
    check("127.0.0.1:" + port in r["error"]["message"],
          "the message names the shard: " + r["error"]["message"])
    check(took < 3.0 * SLOW, "shard down: answered in %.2f s" % took)
check(c.call({"op": "ping"})["ok"], "silkd still answers pings")
EOF

start_tcpsrv
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$T" <<'EOF' || fail "shard back"
import sys
from daemon_client import Client, check
t = sys.argv[1]
single, mixed = Client(t + "/single.sock"), Client(t + "/mixed.sock")
for q in ("axis of evil", "boundary layer", "nuc*"):
    a = single.call({"op": "search", "q": q, "limit": 20})
    b = mixed.call({"op": "search", "q": q, "limit": 20})
    check(b["ok"], "shard back: %r answers again without a silkd restart" % q)
    check([round(h["score"], 5) for h in a["hits"]] == [round(h["score"], 5) for h in b["hits"]],
          "shard back: %r gives the single index's scores" % q)
EOF

# ---- a hung shard (SIGSTOP): unavailable within --remote-timeout 1000 ----------------------------
kill -STOP -- "-$tcpsrv"
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$T" "$port" <<'EOF' || fail "shard hung"
import os, sys, time
from daemon_client import Client, check
SLOW = int(os.environ["SLOW"])
t, port = sys.argv[1], sys.argv[2]
c = Client(t + "/mixed.sock", timeout=30)
t0 = time.monotonic()
r = c.call({"op": "search", "q": "supersonic flow"})
took = time.monotonic() - t0
check(r["ok"] is False and r["error"]["code"] == "unavailable", "hung shard: unavailable")
check("127.0.0.1:" + port in r["error"]["message"], "names the shard: " + r["error"]["message"])
check(0.8 < took < 4.0 * SLOW, "hung shard: answered after the 1 s timeout (%.2f s)" % took)
# silkd's once-a-second revision check talks to the hung shard too: it must not stall the
# main loop, which accepts new connections.
worst, t_end = 0.0, time.monotonic() + 2.5
while time.monotonic() < t_end:
    t0 = time.monotonic()
    p = Client(t + "/mixed.sock", timeout=30)
    check(p.call({"op": "ping"})["ok"], "hung shard: a new connection is answered")
    p.close()
    worst = max(worst, time.monotonic() - t0)
    time.sleep(0.1)
check(worst < 0.5 * SLOW, "hung shard: new connections wait at most %.2f s" % worst)
EOF
kill -CONT -- "-$tcpsrv"
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$T" <<'EOF' || fail "shard resumed"
import sys, time
from daemon_client import Client, check
c = Client(sys.argv[1] + "/mixed.sock", timeout=30)
r = c.call({"op": "search", "q": "supersonic flow"})
check(r["ok"] and len(r["hits"]) > 0, "resumed shard: answers return")
EOF

# ---- the query time limit over a remote shard -----------------------------------------------------
# The in-match deadline (a match spy) cannot be sent to xapian-tcpsrv; what bounds a search
# there is each wait for a shard's reply, which silkd caps at --query-time-limit (300 ms here,
# --remote-timeout left at its 10 s). The tcpsrv children serving silkd's connections now are
# stopped (a shard stuck in a long match): the search answers `unavailable`, saying the shard
# did not answer within 300 ms, in about that time (before: after 10 s). The next search
# connects afresh (a new child) rather than wait on the connection that still owes the reply:
# it is answered, equal to the single index, while the old children stay stopped.
INDEX="$T/mixed.stub" start_silkd -l "$T/limited.log" -p limited "$T/limited.sock" \
    --corpus "$T/corpus" --threads 1 --query-time-limit 300
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$T" "$port" "$tcpsrv" <<'EOF' || fail "remote time limit"
import os, subprocess, sys, time
from daemon_client import Client, check
SLOW = int(os.environ["SLOW"])
t, port, tcpsrv = sys.argv[1], sys.argv[2], sys.argv[3]
single, c = Client(t + "/single.sock"), Client(t + "/limited.sock", timeout=60)
def timed(q):
    t0 = time.monotonic()
    r = c.call({"op": "search", "q": q, "limit": 20})
    return r, time.monotonic() - t0
r, took = timed("supersonic flow")
check(r["ok"] and r["hits"], "limited: answers while the shard answers")
kids = subprocess.run(["pgrep", "-P", tcpsrv], capture_output=True, text=True).stdout.split()
check(kids, "the tcpsrv serves silkd's connections from children")
for k in kids:
    os.kill(int(k), 19)  # SIGSTOP
try:
    r, took = timed("boundary layer")
    check(r["ok"] is False and r["error"]["code"] == "unavailable",
          "stuck shard: unavailable (%r)" % (r.get("error") or r.get("partial")))
    msg = r["error"]["message"]
    check("did not answer within 300 ms" in msg and "127.0.0.1:" + port in msg,
          "the message says the bound and names the shard: " + msg)
    check(0.25 < took < 2.0 * SLOW, "stuck shard: answered after the 300 ms limit (%.2f s)" % took)
    a = single.call({"op": "search", "q": "boundary layer", "limit": 20})
    r, took = timed("boundary layer")
    check(r["ok"], "the next search connects afresh and is answered (%r)" % r.get("error"))
    check([h["id"] for h in r["hits"]] == [h["id"] for h in a["hits"]], "the single index's hits")
    check(took < 1.0 * SLOW, "answered in %.2f s, the old connection's children still stopped" % took)
finally:
    for k in kids:
        os.kill(int(k), 18)  # SIGCONT
print("ok: a stuck remote shard: unavailable within the 300 ms limit, then a fresh connection")
EOF

# A 1 ms limit over the remote shard, 4 connections x 10 pipelined 40-word ORs: every answer
# is ok (perhaps partial) or `unavailable` saying the shard did not answer within 1 ms; all
# come within a bound, and silkd answers pings after.
INDEX="$T/mixed.stub" start_silkd -l "$T/tiny.log" -p tiny "$T/tiny.sock" --corpus "$T/corpus" \
    --threads 2 --query-time-limit 1
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$T" <<'EOF' || fail "remote 1 ms limit"
import os, sys, threading, time
from daemon_client import Client, check
SLOW = int(os.environ["SLOW"])
t = sys.argv[1]
words = sorted({w for l in open(t + "/queries.txt", encoding="utf-8") for w in l.split()
                if w.isalpha() and w.isascii()})[:40]
q = " OR ".join(words)
kinds, errors = {}, []
def run(k):
    try:
        c = Client(t + "/tiny.sock", timeout=60)
        for i in range(10):
            c.send({"id": i, "q": q, "limit": 20, "facets": ["kind"]})
        for i in range(10):
            r = c.read()
            assert r["id"] == i, r
            if r["ok"]:
                kind = "partial" if r.get("partial") else "complete"
            else:
                assert r["error"]["code"] == "unavailable" and \
                    "within 1 ms" in r["error"]["message"], r
                kind = "unavailable"
            kinds[kind] = kinds.get(kind, 0) + 1
    except Exception as e:
        errors.append(repr(e))
t0 = time.monotonic()
ts = [threading.Thread(target=run, args=(k,)) for k in range(4)]
for th in ts: th.start()
for th in ts: th.join()
took = time.monotonic() - t0
check(not errors, "every answer ok or a clear unavailable: %s" % errors[:2])
check(took < 10.0 * SLOW, "40 searches answered in %.2f s" % took)
check(Client(t + "/tiny.sock").call({"op": "ping"})["ok"], "silkd answers pings after")
print("ok: 40 searches at 1 ms over a remote shard in %.2f s: %r" % (took, kinds))
EOF
stop_silkd "$tiny"
stop_silkd "$limited"

# ---- reindex one shard while silkd serves ---------------------------------------------------------
# An article routed to the remote shard (2) gets a new word; silk-index --shard 2/3 writes
# that shard alone (and meta/), the tcpsrv serving it picks the revision up.
target="$(cd "$T/corpus" && for f in gen/*.txt; do
    printf '%s\n' "$f"
done | python3 -c '
import sys
def fnv(s):
    h = 0xcbf29ce484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h
for line in sys.stdin:
    f = line.strip()
    if fnv(f.rsplit(".", 1)[0]) % 3 == 2:
        print(f)
        break')"
[ -n "$target" ] || fail "no generated article falls in shard 2"
printf 'Zyxwvutsrq quokkas gather near the remote shard.\n' >>"$T/corpus/$target"
out="$(index --corpus "$T/corpus" --index "$T/sh" --shard 2/3 --json)"
assert_contains "$out" '"files_changed":1' "--shard 2/3 reindexed the changed article"
assert_contains "$out" '"files_scanned":' "--shard 2/3 summary"
run_index --corpus "$T/corpus" --index "$T/single"
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$T" "$target" <<'EOF' || fail "reindexed shard"
import os, sys, time
from daemon_client import Client, check
SLOW = int(os.environ["SLOW"])
t, target = sys.argv[1], sys.argv[2]
single, mixed = Client(t + "/single.sock"), Client(t + "/mixed.sock")
name = target.rsplit(".", 1)[0]
for _ in range(60 * SLOW):  # silkd notices a new revision within about a second
    b = mixed.call({"op": "search", "q": "zyxwvutsrq quokkas"})
    if b["ok"] and b["hits"]:
        break
    time.sleep(0.1)
check(b["ok"] and b["hits"] and b["hits"][0]["id"].startswith(name + "#"),
      "the reindexed shard's new text is found through the remote shard")
for _ in range(60 * SLOW):
    a = single.call({"op": "search", "q": "zyxwvutsrq quokkas"})
    if a["ok"] and a["hits"]:
        break
    time.sleep(0.1)
check([h["id"] for h in a["hits"]] == [h["id"] for h in b["hits"]], "same hits as the single index")
check(abs(a["hits"][0]["score"] - b["hits"][0]["score"]) < 1e-6, "same score")
a = single.call({"op": "search", "q": "zyxwvutsrk"})
b = mixed.call({"op": "search", "q": "zyxwvutsrk"})
check(a.get("did_you_mean") == b.get("did_you_mean") and b.get("did_you_mean"),
      "the new word's spelling reached meta/: %r" % b.get("did_you_mean"))
EOF
# ---- silkd serving the shard folder: its reindex op runs every shard ------------------------------
serve folder "$T/sh"
printf 'Ornithopter wombats visit the lead.\n' >>"$T/corpus/iran-north-korea-relations.txt"
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$T" <<'EOF' || fail "reindex through silkd"
import os, sys, time
from daemon_client import Client, check
SLOW = int(os.environ["SLOW"])
c = Client(sys.argv[1] + "/folder.sock", timeout=60 * SLOW)
r = c.call({"op": "reindex"})
check(r["ok"] and r["summary"]["files_changed"] == 1, "reindex op on the shard folder")
for _ in range(60 * SLOW):
    r = c.call({"op": "search", "q": "ornithopter wombats"})
    if r["ok"] and r["hits"]:
        break
    time.sleep(0.1)
check(r["hits"][0]["id"].startswith("iran-north-korea-relations#"), "its change is searchable")
EOF
ok "shards"
