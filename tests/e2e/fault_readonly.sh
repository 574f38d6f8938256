#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The index directory made read-only during a reindex: the daemon's reindex answers an error
# (the silk-index child fails, commits nothing), the daemon keeps serving the old index,
# xapian-check passes and no document is lost; made writable again, a reindex commits.
#
# Permission bits do not stop root, so when the test runs as root the daemon (and the
# silk-index it runs) run as the unprivileged user nobody (setpriv); a read-only remount is
# no alternative, as Linux refuses it while the indexer has files open for writing. Where
# neither works the test says why and fails rather than pass without testing anything.
. "$(dirname "$0")/lib.sh"
python_helpers

corpus_generated 200 21
index_corpus --quiet

if [ "$(id -u)" -eq 0 ]; then
    as_nobody "read-only index as an unprivileged daemon" ||
        fail "running as root, and cannot drop to user nobody to make permission bits count"
    SILKD_PREFIX=("${AS_NOBODY[@]}")
    chown -R nobody:nogroup "$T"
    echo "running silkd and silk-index as nobody (the test runs as root)"
fi

sock="$T/s.sock"
start_silkd -w 60 "$sock" --corpus "$T/corpus" --threads 2

python3 - "$sock" "$T" <<'EOF' || fail "read-only index"
import os, subprocess, sys, time
from daemon_client import Client, check, signature
from fault_util import gen, index_ids, xapian_check

sock, tmp = sys.argv[1:3]
idx, corpus = os.path.join(tmp, "index"), os.path.join(tmp, "corpus")
queries = ["zq3x", "missile treaty", "kind:reference", "zq150x"]
c = Client(sock, timeout=120)
ids0 = index_ids(idx)
want = {q: signature(c.call({"q": q, "limit": 20})) for q in queries}

# Every article changes (another seed), so the run is long enough to be cut in the middle.
gen(corpus, 200, 22)
for delay in (0.0, 0.05, 0.15, 0.3):
    c.send({"id": "ro", "op": "reindex"})
    time.sleep(delay)
    subprocess.run(["chmod", "-R", "a-w", idx], check=True)
    r = c.read()
    check(r["id"] == "ro" and r["ok"] is False and r["error"]["message"],
          "reindex with the index made read-only %.2fs in: error (%s: %s)"
          % (delay, r["error"]["code"], r["error"]["message"][:100]))
    good, out = xapian_check(idx)
    check(good, "xapian-check passes on the read-only index")
    check(index_ids(idx) == ids0, "no document lost or added")
    got = {q: signature(c.call({"q": q, "limit": 20})) for q in queries}
    check(got == want, "the daemon still serves the old index")
    subprocess.run(["chmod", "-R", "u+w", idx], check=True)

r = c.call({"id": "rw", "op": "reindex"})
check(r["ok"] is True, "writable again: reindex commits")
time.sleep(0.2)
now = {q: signature(c.call({"q": q, "limit": 20})) for q in queries}
check(now != want and now["zq3x"][0] is True, "the daemon serves the new index")
good, out = xapian_check(idx)
check(good, "xapian-check passes after the reindex")
EOF
stop_silkd
ok "done"
