#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# An index whose files are overwritten in place by another index at the same revision (a
# restore: same folder, same path, same revision) is noticed and served, not stale or
# `internal` for ever; SIGHUP opens it afresh on every worker (docs/reliability.md).
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/c1" "$T/c2"
cp "$SILK_ROOT/corpus/iran-north-korea-relations.txt" "$T/c1/"
printf 'Wombats\n\nA note about wombatqux only.\n' >"$T/c2/wombat.txt"
for k in 1 2; do
    rc=0
    index --corpus "$T/c$k" --index "$T/i$k" >"$T/index.log" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "silk-index exited $rc: $(cat "$T/index.log")"
done
cp -r "$T/i1" "$T/idx"
sock="$T/silk.sock"
"${SILK_WRAP[@]}" "$SILK_BIN/silkd" --index "$T/idx" --corpus "$T/c1" --socket "$sock" \
    --threads 2 2>"$T/silkd.log" &
pid=$!
track_pid $pid
wait_for_socket "$sock"

SILKD_PID=$pid PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" "$T" <<'PY' || fail "index replaced"
import glob, os, shutil, signal, subprocess, sys, time
from daemon_client import Client, check
sock, T = sys.argv[1], sys.argv[2]
cs = [Client(sock, timeout=30) for _ in range(4)]  # connections on both workers
for c in cs:
    check(c.call({"q": "iran"})["total"] > 0, "serving the first index")
rev = cs[0].call({"op": "stats"})["revision"]

# Overwrite every file of the served index with the other index's (same revision).
for f in glob.glob(os.path.join(T, "i2", "*")):
    shutil.copyfile(f, os.path.join(T, "idx", os.path.basename(f)))
t0 = time.time()
good = set()
errors = []
while time.time() - t0 < 20 and len(good) < len(cs):
    for k, c in enumerate(cs):
        r = c.call({"q": "wombatqux"})
        if r["ok"] and r["total"] > 0:
            good.add(k)
        elif not r["ok"]:
            errors.append(r["error"]["code"])
    time.sleep(0.2)
check(len(good) == len(cs),
      "every connection serves the index copied in place within %.1f s (revision %d; "
      "%d error answers meanwhile: %s)" % (time.time() - t0, rev, len(errors),
                                           sorted(set(errors))))

# SIGHUP: a fresh open on every worker, counted in stats.
before = cs[0].call({"op": "stats"}).get("fresh_opens")
check(before is not None, "stats has fresh_opens")
os.kill(int(os.environ["SILKD_PID"]), signal.SIGHUP)
time.sleep(0.5)
t0 = time.time()
while time.time() - t0 < 20:
    for c in cs:
        c.call({"q": "wombatqux"})
    if cs[0].call({"op": "stats"})["fresh_opens"] >= before + 2:
        break
    time.sleep(0.2)
check(cs[0].call({"op": "stats"})["fresh_opens"] >= before + 2,
      "SIGHUP: both workers opened the index afresh")
check(all(c.call({"q": "wombatqux"})["total"] > 0 for c in cs), "and still serve it")
PY
grep -q "opened the index afresh (SIGHUP)" "$T/silkd.log" || fail "no log line for SIGHUP"
ok "log line for the fresh open"
kill -TERM $pid
wait $pid || fail "silkd exited $?"
ok "index replaced in place"
