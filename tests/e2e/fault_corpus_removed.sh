#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The corpus directory removed during a reindex (at several moments of the run) and before
# one: the reindex answers (ok or an error, never a hang or a crash), no document indexed
# before is lost, xapian-check passes, the daemon keeps serving; with the corpus back, a
# reindex commits it.
. "$(dirname "$0")/lib.sh"
python_helpers

corpus_generated 200 31
index_corpus --quiet

sock="$T/s.sock"
start_silkd -w 60 "$sock" --corpus "$T/corpus" --threads 2

python3 - "$sock" "$T" "$SILK_BIN/silk-index" <<'EOF' || fail "corpus removed"
import os, shutil, subprocess, sys, time
from daemon_client import Client, check, signature
from fault_util import gen, index_ids, xapian_check

sock, tmp, indexer = sys.argv[1:4]
idx, corpus = os.path.join(tmp, "index"), os.path.join(tmp, "corpus")
c = Client(sock, timeout=120)
ids0 = ids_first = index_ids(idx)
want = {q: signature(c.call({"q": q, "limit": 20})) for q in ["zq3x", "zq150x", "treaty"]}
first_hits = {}
for q in want:
    r = c.call({"q": q, "limit": 1000})
    first_hits[q] = (r["ok"], r["total"], sorted(h["id"] for h in r["hits"]))

# ---- removed before the reindex -----------------------------------------------------------
shutil.rmtree(corpus)
r = c.call({"id": 1, "op": "reindex"})
check(r["ok"] is False and r["error"]["message"],
      "reindex of a missing corpus: error (%s)" % r["error"]["message"][:120])
check(index_ids(idx) == ids0, "missing corpus: no document lost")

# ---- removed during the reindex, at several moments ---------------------------------------
outcomes = []
for k, delay in enumerate((0.02, 0.08, 0.15, 0.3, 0.5)):
    gen(corpus, 200, 40 + k)  # every article changes: a long run
    # The documents of this corpus, should the run commit before the removal.
    ref = os.path.join(tmp, "ref-%d" % k)
    subprocess.run([indexer, "--corpus", corpus, "--index", ref, "--quiet"], check=True)
    ids_new = index_ids(ref)
    c.send({"id": "d%d" % k, "op": "reindex"})
    time.sleep(delay)
    shutil.rmtree(corpus)
    r = c.read()
    outcomes.append("%.2fs: %s" % (delay, "committed" if r["ok"] else r["error"]["message"][-60:]))
    good, out = xapian_check(idx)
    if not good:
        raise AssertionError("xapian-check after removal at %.2fs: %s" % (delay, out[-1000:]))
    now = index_ids(idx)
    if r["ok"] and now == ids_new:
        ids0 = now  # the run committed before the corpus went: that is what is indexed now
    elif now != ids0:
        lost = ids0 - now
        raise AssertionError("corpus removed %.2fs into a reindex: %d documents lost (%s), "
                             "%d added; answer %r" % (delay, len(lost), sorted(lost)[:3],
                                                      len(now - ids0), r))
    r2 = c.call({"q": "zq3x"})
    if not r2["ok"]:
        raise AssertionError("daemon answer after removal at %.2fs: %r" % (delay, r2))
check(True, "corpus removed during 5 reindexes; no document lost, xapian-check passed, "
      "daemon served after each: " + "; ".join(outcomes))

# ---- the corpus comes back ----------------------------------------------------------------
gen(corpus, 200, 31)
r = c.call({"id": 9, "op": "reindex"})
check(r["ok"] is True, "corpus back: reindex commits")
time.sleep(0.2)
# The same documents again, with new Xapian docids when a run committed in between: equal
# scores may then tie in another order, so compare totals and the sets of hits.
def hitset(q):
    r = c.call({"q": q, "limit": 1000})
    return r["ok"], r["total"], sorted(h["id"] for h in r["hits"])


check({q: hitset(q) for q in want} == first_hits and index_ids(idx) == ids_first,
      "the first corpus's answers and documents again")
EOF
stop_silkd
ok "done"
