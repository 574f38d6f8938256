#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kill -9 of silk-index at random moments, at least 20 times mid-run, incremental and --full
# runs mixed, while silkd serves the index: after each kill xapian-check passes, no document
# that was indexed before is missing, and the daemon answers. A last clean run then gives
# exactly the documents of a fresh full index of the same corpus and removes leftovers.
. "$(dirname "$0")/lib.sh"
python_helpers

corpus_generated 300 11
index_corpus --quiet

sock="$T/s.sock"
start_silkd -w 60 "$sock" --threads 2

# The runs that get killed are not run under valgrind (a killed process has no report to
# give, and memcheck would only slow the runs down); the clean runs at the end are.
[ -n "${SILK_VALGRIND:-}" ] && echo "note: killed silk-index runs are not wrapped in valgrind"

python3 - "$SILK_BIN/silk-index" "$T/corpus" "$T/index" "$sock" "$pid" <<'EOF' || fail "kill loop"
import os, random, signal, subprocess, sys, time
from daemon_client import Client, check
from fault_util import add_paragraph, index_ids, xapian_check

indexer, corpus, idx, sock, pid = sys.argv[1:6]
rng = random.Random(20)
before = index_ids(idx)
check(len(before) > 1500, "first run indexed %d documents" % len(before))
c = Client(sock, timeout=60)
r = c.call({"q": "zq7x"})
check(r["ok"] and r["total"] >= 1, "daemon serves the first index")

# How long a full run takes here, to spread the kills over whole runs.
t0 = time.time()
subprocess.run([indexer, "--corpus", corpus, "--index", idx + "-timing", "--quiet"], check=True)
full = time.time() - t0
print("a full run takes %.2fs" % full)

est = {"full": full, "inc": full / 10}
kills = runs = 0
where = []
while kills < 20 and runs < 80:
    runs += 1
    # Every run has work: a few articles gain a paragraph, one article is new.
    for k in rng.sample(range(300), 6):
        add_paragraph(os.path.join(corpus, "art-%03d.txt" % k),
                      "Edit %d of the run adds this paragraph with enough words to be prose." % runs)
    with open(os.path.join(corpus, "new-%03d.txt" % runs), "w") as f:
        f.write("New article %d\nA new lead paragraph zqnew%dx for run %d.\n" % (runs, runs, runs))
    args = [indexer, "--corpus", corpus, "--index", idx, "--quiet"]
    if runs % 3 == 0:
        args.append("--full")
    kind = "full" if "--full" in args else "inc"
    t_start = time.time()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    delay = rng.uniform(0.0, est[kind] * 1.2)
    time.sleep(delay)
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
        kills += 1
        where.append("%s%.0fms" % ("F" if kind == "full" else "", delay * 1000))
    err = p.communicate()[1].decode("utf-8", "replace")
    if p.returncode != -9:
        est[kind] = time.time() - t_start  # spread the next kills over a whole run
    if p.returncode not in (0, 3, -9):
        raise AssertionError("silk-index exited %d: %s" % (p.returncode, err))
    good, out = xapian_check(idx)
    if not good:
        raise AssertionError("xapian-check failed after run %d: %s" % (runs, out[-2000:]))
    now = index_ids(idx)
    lost = before - now
    if lost:
        raise AssertionError("run %d lost %d documents: %s" % (runs, len(lost), sorted(lost)[:5]))
    before = now
    r = c.call({"id": runs, "q": "zq7x"})
    if not (r["ok"] and r["total"] >= 1 and r["id"] == runs):
        raise AssertionError("daemon answer after run %d: %r" % (runs, r))
check(kills >= 20, "%d runs, %d killed mid-run (at %s; F: --full); xapian-check passed and no indexed "
      "document was lost after each; the daemon answered after each" % (runs, kills, " ".join(where)))
os.kill(int(pid), 0)
check(True, "the daemon is still running")
EOF

rc=0
index --corpus "$T/corpus" --index "$T/index" --quiet >"$T/last.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || fail "clean run after the kills exited $rc: $(cat "$T/last.log")"
index --corpus "$T/corpus" --index "$T/fresh" --full --quiet >"$T/fresh.log" 2>&1 ||
    fail "fresh full index: $(cat "$T/fresh.log")"
xapian-check "$T/index" >/dev/null || fail "xapian-check after the clean run"
python3 "$SILK_ROOT/tests/e2e/fault_util.py" ids "$T/index" >"$T/ids.after"
python3 "$SILK_ROOT/tests/e2e/fault_util.py" ids "$T/fresh" >"$T/ids.fresh"
cmp -s "$T/ids.after" "$T/ids.fresh" ||
    fail "documents differ from a fresh index: $(diff "$T/ids.after" "$T/ids.fresh" | head)"
ok "after the kills, a clean run holds exactly the documents of a fresh index ($(wc -l <"$T/ids.after"))"
leftover=$(find "$T" -maxdepth 1 -name 'index.new-*' | wc -l)
assert_eq "$leftover" 0 "no index.new-* folder of a killed --full run is left"

r=$(PYTHONPATH="$SILK_ROOT/tests/e2e" python3 "$SILK_ROOT/tests/e2e/daemon_client.py" "$sock" \
    '{"op":"stats"}')
assert_contains "$r" '"ok":true' "daemon still answers stats"
stop_silkd
ok "silkd exited 0"
