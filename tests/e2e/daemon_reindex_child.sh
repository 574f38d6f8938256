#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The reindex child cannot hold the daemon: a child that stops itself (SIGSTOP) and ignores
# SIGTERM is ended at --reindex-timeout and its requests answered with an error; the next
# request runs; SIGTERM ends silkd within a bound while such a child runs with no limit;
# and a child that reports 12,000 problems (1.3 MB of summary) gives a bounded summary
# with its counts, in the answer and in every stats answer (docs/reliability.md).
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/corpus"
cp "$SILK_ROOT/corpus/iran-north-korea-relations.txt" "$T/corpus/"
rc=0
index --corpus "$T/corpus" --index "$T/index" >"$T/index.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "silk-index exited $rc: $(cat "$T/index.log")"

# A child that stops itself, and once continued ignores SIGTERM (its sleep too).
cat >"$T/hang.sh" <<'SH'
#!/bin/sh
trap '' TERM
kill -STOP $$
exec sleep 1000
SH
# A child that reports 12,000 skipped files, as silk-index --json would, and exits 3.
cat >"$T/many.sh" <<'SH'
#!/bin/sh
exec python3 -c '
import json
p = ["a/rather/long/folder/of/the/corpus/file-%05d.txt: not valid UTF-8, skipped" % i
     for i in range(12000)]
print(json.dumps({"ok": True, "files_skipped": 12000, "docs_total": 5,
                  "problems_count": 12000, "problems": p}))
exit(3)'
SH
chmod +x "$T/hang.sh" "$T/many.sh"

start() { # start SOCKET INDEXER [silkd options...]
    local sock=$1 ix=$2
    shift 2
    SILK_INDEXER="$ix" "${SILK_WRAP[@]}" "$SILK_BIN/silkd" --index "$T/index" \
        --corpus "$T/corpus" --socket "$sock" --threads 2 "$@" 2>>"$T/silkd.log" &
    pid=$!
    track_pid $pid
    wait_for_socket "$sock"
}

# ---- a stopped child is ended at its time limit ------------------------------------------
start "$T/a.sock" "$T/hang.sh" --reindex-timeout 2
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$T/a.sock" <<'PY' || fail "time limit"
import sys, time
from daemon_client import Client, check
c = Client(sys.argv[1], timeout=60)
for k in range(2):
    t0 = time.time()
    r = c.call({"id": k, "op": "reindex"})
    took = time.time() - t0
    check(r["id"] == k and r["ok"] is False and r["error"]["code"] == "internal",
          "reindex %d: a stopped child is answered with an internal error" % k)
    check("time limit" in r["error"]["message"], "the message names the time limit")
    check(took < 20, "answered in %.1f s (limit 2 s)" % took)
s = c.call({"op": "stats"})
check(s["reindex"]["timeouts"] == 2 and s["reindex"]["running"] is False,
      "stats: 2 timeouts, nothing running")
check(s["reindex"]["last"]["timed_out"] is True, "stats: last run timed out")
check(c.call({"q": "iran"})["ok"] is True, "searches still answered")
PY
kill -TERM $pid
wait $pid || fail "silkd exited $? after SIGTERM"
ok "silkd exits 0 after SIGTERM"
pgrep -f "$T/hang.sh" >/dev/null && fail "a hung child outlived silkd"
ok "no child left behind"

# ---- SIGTERM with such a child running and no time limit -----------------------------------
start "$T/b.sock" "$T/hang.sh" --reindex-timeout 0
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$T/b.sock" <<'PY' || fail "reindex start"
import sys, time
from daemon_client import Client, check
c = Client(sys.argv[1], timeout=60)
c.send({"id": 1, "op": "reindex"})
for _ in range(200):
    if c.__class__(sys.argv[1]).call({"op": "stats"})["reindex"]["running"]:
        break
    time.sleep(0.05)
check(True, "a hung reindex is running")
PY
sleep 0.5
t0=$(date +%s)
kill -TERM $pid
rc=0
for _ in $(seq 200); do
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
done
kill -0 $pid 2>/dev/null && fail "silkd still runs 20 s after SIGTERM with a hung child"
wait $pid || rc=$?
ok "silkd exited (status $rc) within $(($(date +%s) - t0)) s of SIGTERM, child hung"
pgrep -f "$T/hang.sh" >/dev/null && fail "a hung child outlived silkd"
ok "no child left behind"

# ---- 12,000 problems: a bounded summary that keeps its counts ---------------------------
start "$T/c.sock" "$T/many.sh"
PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$T/c.sock" <<'PY' || fail "bounded summary"
import json, socket, sys
from daemon_client import Client, check
c = Client(sys.argv[1], timeout=60)
r = c.call({"op": "reindex"})
check(r["ok"] is True and r["exit_status"] == 3, "reindex with 12000 problems: ok, status 3")
sm = r["summary"]
check(isinstance(sm, dict), "the summary is kept (not null past 1 MB)")
check(sm["files_skipped"] == 12000 and sm["problems_count"] == 12000, "counts kept")
check(len(sm["problems"]) == 20 and sm["problems_more"] == 11980,
      "first 20 problems kept, 11980 counted in problems_more")
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b'{"op":"stats"}\n')
buf = b""
while not buf.endswith(b"\n"):
    buf += s.recv(65536)
check(len(buf) < 64 * 1024, "a stats answer is %d bytes (under 64 KiB)" % len(buf))
st = json.loads(buf)
check(st["reindex"]["last"]["summary"]["problems_more"] == 11980, "stats: the same summary")
PY
kill -TERM $pid
wait $pid || fail "silkd exited $?"
ok "reindex child bounds"
