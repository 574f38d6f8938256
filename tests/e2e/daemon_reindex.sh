#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Live reindex against a real daemon: {"op":"reindex"} answers with the indexer's summary;
# concurrent requests share runs; a reindex while 4 clients query continuously gives zero
# errors and every answer matches the old or the new corpus; --watch picks up an edited
# file; a failing, crashing or missing indexer is reported and the old index keeps serving.
. "$(dirname "$0")/lib.sh"

corpus_article
chmod u+w "$T/corpus"/*
index_corpus -3
sock="$T/silk.sock"
start_silkd "$sock" --corpus "$T/corpus" --threads 2

PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" "$T/corpus" <<'EOF' || fail "reindex"
import os, shutil, sys, threading, time
from daemon_client import Client, check, ids, signature

sock, corpus = sys.argv[1], sys.argv[2]
c = Client(sock, timeout=60)

# ---- a reindex with nothing changed ------------------------------------------------------
r = c.call({"id": "r0", "op": "reindex"})
check(r["id"] == "r0" and r["ok"] is True, "reindex: ok")
check(isinstance(r["summary"], dict) and r["summary"].get("ok") is True,
      "reindex: the indexer's JSON summary")
check(r["summary"]["docs_total"] > 10, "reindex summary: docs_total")
check(isinstance(r["took_ms"], int) and r["exit_status"] == 0, "reindex: took_ms, exit_status")
s = c.call({"op": "stats"})
check(s["reindex"]["runs"] == 1 and s["reindex"]["last"]["ok"] is True,
      "stats: last reindex result")
# The child's progress lines (--progress=json) reach stats: its last one, at the end.
pr = s["reindex"]["last"].get("progress")
check(isinstance(pr, dict) and pr["files_done"] == pr["files_total"] == r["summary"]["files_scanned"]
      and pr["bytes_total"] > 0 and "elapsed_s" in pr, "stats: the reindex's progress %s" % pr)
check("progress" not in s["reindex"], "stats: no running progress when idle")
old_docs = s["docs"]

# ---- concurrent requests share runs --------------------------------------------------------
cs = [Client(sock, timeout=60) for _ in range(3)]
for k, cl in enumerate(cs):
    cl.send({"id": k, "op": "reindex"})
rs = [cl.read() for cl in cs]
check(all(r["ok"] for r in rs) and [r["id"] for r in rs] == [0, 1, 2],
      "3 concurrent reindex requests all answered")
runs = c.call({"op": "stats"})["reindex"]["runs"]
check(runs - 1 <= 2, "3 concurrent requests shared runs (%d runs)" % (runs - 1))
for cl in cs:
    cl.close()

# ---- a reindex while 4 clients query continuously ----------------------------------------
queries = ["iran", "north korea", "missile", "axis of evil", "nuclear", "silla",
           "kind:reference", "weapons OR arms", "pyongyang", "tehran"]
old = {q: signature(c.call({"q": q, "limit": 20})) for q in queries}
seen = []
errors = []
stop = threading.Event()

def query_loop(k):
    cl = Client(sock, timeout=30)
    i = k
    while not stop.is_set():
        q = queries[i % len(queries)]
        r = cl.call({"q": q, "limit": 20})
        if not r["ok"]:
            errors.append(r)
        seen.append((q, signature(r)))
        i += 1
    cl.close()

threads = [threading.Thread(target=query_loop, args=(k,)) for k in range(4)]
for t in threads:
    t.start()
time.sleep(0.5)
# The new corpus: a second article (a copy under another name) doubles most answers.
src = os.path.join(corpus, "iran-north-korea-relations.txt")
text = open(src, encoding="utf-8").read()
with open(os.path.join(corpus, "second-article.txt"), "w", encoding="utf-8") as f:
    f.write("Second article on Iran and Korea\n" + text.split("\n", 1)[1])
r = c.call({"id": "r1", "op": "reindex"})
check(r["ok"] and r["summary"]["files_added"] == 1, "reindex with a new file: ok")
after = {q: signature(c.call({"q": q, "limit": 20})) for q in queries}
time.sleep(0.5)
stop.set()
for t in threads:
    t.join()
check(not errors, "zero errors while reindexing (%d answers) %s" % (len(seen), errors[:1]))
bad = [(q, s) for q, s in seen if s != old[q] and s != after[q]]
check(not bad, "every answer matches the old or the new corpus %s" % bad[:1])
check(sum(1 for q, s in seen if s == after[q] and s != old[q]) > 0, "new answers were served")
changed = [q for q in queries if old[q] != after[q]]
check(len(changed) >= 5, "the reindex changed answers (%s)" % changed)
s = c.call({"op": "stats"})
check(s["docs"] > old_docs, "stats: docs grew %d -> %d" % (old_docs, s["docs"]))
EOF

# ---- failures: the daemon reports them and keeps serving the old index ----------------------
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" "$T/corpus" "$T" <<'EOF' || fail "failing indexer"
import os, sys
from daemon_client import Client, check, ids
sock, corpus, tmp = sys.argv[1:4]
c = Client(sock, timeout=60)
before = ids(c.call({"q": "iran", "limit": 20}))
# The corpus folder replaced by a file: the real silk-index fails (exit 1).
os.rename(corpus, corpus + ".away")
open(corpus, "w").write("not a folder\n")
r = c.call({"id": "f", "op": "reindex"})
check(r["ok"] is False and r["error"]["code"] == "internal", "failing indexer: internal error")
msg = r["error"]["message"]
check("exit status 1" in msg and "corpus" in msg, "failing indexer: message (%s)" % msg)
check(ids(c.call({"q": "iran", "limit": 20})) == before, "old index still served")
s = c.call({"op": "stats"})
last = s["reindex"]["last"]
check(last["ok"] is False and "exit status 1" in last["error"] and s["reindex"]["failures"] >= 1,
      "stats: the failure")
os.remove(corpus)
os.rename(corpus + ".away", corpus)
if os.getuid() != 0:
    # An unwritable index folder (root could write anyway).
    idx = os.path.join(tmp, "index")
    os.chmod(idx, 0o555)
    open(os.path.join(corpus, "third.txt"), "w").write("Third\nA paragraph about quokkas.\n")
    r = c.call({"op": "reindex"})
    os.chmod(idx, 0o755)
    check(r["ok"] is False, "unwritable index: reported (%s)" % r["error"]["message"])
    os.remove(os.path.join(corpus, "third.txt"))
check(c.call({"op": "reindex"})["ok"], "reindex works again once the corpus is back")
EOF
stop_silkd

# A crashing indexer and a missing one (SILK_INDEXER), on a daemon of their own.
cat >"$T/crash.sh" <<'EOF'
#!/bin/sh
echo "about to crash" >&2
kill -SEGV $$
EOF
chmod +x "$T/crash.sh"
for case in crash missing; do
    if [ "$case" = crash ]; then ix="$T/crash.sh"; else ix="$T/no-such-indexer"; fi
    SILK_INDEXER="$ix" start_silkd -l "$T/$case.log" "$sock" --corpus "$T/corpus" --threads 1
    out="$(printf '{"id":1,"op":"reindex"}\n{"id":2,"q":"iran","limit":1}\n' |
        socat -t 10 - UNIX-CONNECT:"$sock")"
    if [ "$case" = crash ]; then
        assert_contains "$out" 'killed by signal 11: about to crash' "crashing indexer reported"
    else
        assert_contains "$out" "cannot run $ix" "missing indexer reported"
    fi
    assert_contains "$out" '{"id":2,"ok":true' "$case indexer: still serving"
    stop_silkd
done

# ---- --watch picks up an edited file ----------------------------------------------------------
start_silkd -l "$T/watch.log" "$sock" --corpus "$T/corpus" --threads 1 --watch --watch-delay 200
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" "$T/corpus" <<'EOF' || fail "--watch"
import os, sys
from daemon_client import Client, check, wait_until
sock, corpus = sys.argv[1:3]
c = Client(sock)
check(c.call({"q": "quuxfrobnicate"})["total"] == 0, "the new word is not there yet")
with open(os.path.join(corpus, "second-article.txt"), "a", encoding="utf-8") as f:
    f.write("A new paragraph mentions the quuxfrobnicate treaty.\n")
wait_until(lambda: c.call({"q": "quuxfrobnicate"})["total"] >= 1, 20,
           "--watch to reindex the edit")
check(True, "--watch picked up the edited file")
check(c.call({"op": "stats"})["reindex"]["watching"] is True, "stats: watching")
# A new subfolder is watched too (after the run its creation starts).
runs = c.call({"op": "stats"})["reindex"]["runs"]
os.mkdir(os.path.join(corpus, "asia"))
wait_until(lambda: c.call({"op": "stats"})["reindex"]["runs"] > runs, 20,
           "the new folder to trigger a run")
with open(os.path.join(corpus, "asia", "korea.txt"), "w", encoding="utf-8") as f:
    f.write("Korea notes\nThe zorblaxian archive holds Korean documents.\n")
wait_until(lambda: c.call({"q": "zorblaxian"})["total"] >= 1, 20,
           "--watch to index a file in a new subfolder")
check(True, "--watch picked up a file in a new subfolder")
# Hidden files (editor swap files) do not trigger runs.
runs = c.call({"op": "stats"})["reindex"]["runs"]
open(os.path.join(corpus, ".second-article.txt.swp"), "w").write("x")
import time
time.sleep(1)
check(c.call({"op": "stats"})["reindex"]["runs"] == runs, "hidden files ignored")
EOF
grep -q "corpus changed: reindexing" "$T/watch.log" || fail "watch run not logged"
stop_silkd
ok "done"
