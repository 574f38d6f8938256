#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --watch with the index inside the corpus (a layout silk-index supports) settles: the
# daemon's own commits are not corpus changes. And a file appended every 100 ms, faster
# than the quiet time, does not postpone indexing of another change for ever: a change is
# indexed within --watch-max-delay (docs/reliability.md).
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/corpus"
cp "$SILK_ROOT/corpus/iran-north-korea-relations.txt" "$T/corpus/"
rc=0
index --corpus "$T/corpus" --index "$T/corpus/idx" >"$T/index.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "silk-index exited $rc: $(cat "$T/index.log")"
sock="$T/silk.sock"
"${SILK_WRAP[@]}" "$SILK_BIN/silkd" --index "$T/corpus/idx" --corpus "$T/corpus" \
    --socket "$sock" --threads 2 --watch --watch-delay 200 2>"$T/silkd.log" &
pid=$!
track_pid $pid
wait_for_socket "$sock"

PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" "$T/corpus" <<'PY' || fail "watch bounds"
import os, sys, threading, time
from daemon_client import Client, check
sock, corpus = sys.argv[1], sys.argv[2]
c = Client(sock, timeout=60)

def found(word):
    r = c.call({"q": word})
    return r["ok"] and r["total"] > 0

def wait_found(word, within):
    t0 = time.time()
    while time.time() - t0 < within:
        if found(word):
            return time.time() - t0
        time.sleep(0.1)
    return None

def idle():
    for _ in range(300):
        s = c.call({"op": "stats"})["reindex"]
        if not s["running"]:
            return s["runs"]
        time.sleep(0.1)
    return None

# ---- the daemon's own writes are not changes ------------------------------------------------
with open(os.path.join(corpus, "first.txt"), "w") as f:
    f.write("First\n\nA note about zebrafoo.\n")
check(wait_found("zebrafoo", 20) is not None, "a new file is indexed")
time.sleep(1)
r1 = idle()
time.sleep(4)
r2 = idle()
check(r1 is not None and r2 == r1,
      "no run for 4 s after the last change (runs %s -> %s): the index's own commits "
      "are ignored" % (r1, r2))

# ---- a busy file does not postpone other changes ------------------------------------------
stop = threading.Event()
def appender():
    with open(os.path.join(corpus, "busy.txt"), "a") as f:
        f.write("Busy\n\n")
        while not stop.is_set():
            f.write("line\n")
            f.flush()
            time.sleep(0.1)
t = threading.Thread(target=appender)
t.start()
try:
    time.sleep(0.5)
    with open(os.path.join(corpus, "second.txt"), "w") as f:
        f.write("Second\n\nA note about quokkabar.\n")
    took = wait_found("quokkabar", 12)
    check(took is not None,
          "a change is indexed while another file is appended every 100 ms (%s s; the "
          "ceiling is 10 x 200 ms)" % (None if took is None else round(took, 1)))
finally:
    stop.set()
    t.join()
PY
kill -TERM $pid
wait $pid || fail "silkd exited $?"
ok "watch bounds"
