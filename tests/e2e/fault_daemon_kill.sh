#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kill -9 of silkd while 4 clients query it continuously, three times at random moments;
# each time a new silkd starts on the same socket path (the dead one's socket file and lock
# are still there), answers exactly as before, and the index passes xapian-check with every
# document still in it. The last daemon then stops cleanly and removes its socket.
. "$(dirname "$0")/lib.sh"
python_helpers

corpus_generated 40 5
index_corpus --quiet
mkdir -m 700 "$T/run"

python3 - "$SILK_BIN/silkd" "$T/index" "$T/run/silk.sock" "$T" "${SILK_WRAP[@]}" <<'EOF' ||
import atexit, os, random, signal, socket, subprocess, sys, threading, time
from daemon_client import Client, check, signature
from fault_util import index_ids, xapian_check

silkd, idx, sock, tmp = sys.argv[1:5]
wrap = sys.argv[5:]
slow = bool(wrap) or bool(os.environ.get("SILK_SANITIZED"))
rng = random.Random(3)
queries = ["zq1x", "zq17x", "missile treaty", "\"nuclear program\"", "kind:reference",
           "embassy OR harbour", "zzqqxxv", "Article"]


def start(n):
    log = open(os.path.join(tmp, "silkd-%d.log" % n), "w")
    p = subprocess.Popen(wrap + [silkd, "--index", idx, "--socket", sock, "--threads", "2"],
                         stderr=log)
    end = time.time() + (60 if slow else 10)
    while time.time() < end:
        try:
            c = Client(sock, timeout=5)
            if c.call({"op": "ping"})["ok"]:
                return p, c
        except (OSError, AssertionError, ValueError):
            time.sleep(0.05)
        if p.poll() is not None:
            raise AssertionError("silkd %d exited %d: %s" % (n, p.returncode,
                                 open(os.path.join(tmp, "silkd-%d.log" % n)).read()))
    raise AssertionError("silkd %d did not answer on %s" % (n, sock))


ids0 = index_ids(idx)
p, c = start(0)
# Whatever happens, no daemon of this test outlives it.
atexit.register(lambda: p.poll() is None and p.kill())
want = {q: signature(c.call({"q": q, "limit": 20})) for q in queries}
check(want["zq1x"][0] is True, "first daemon answers")

for rnd in range(1, 4):
    stop = threading.Event()
    answered = [0] * 4
    wrong = []

    def load(k):
        try:
            cl = Client(sock, timeout=30)
            i = k
            while not stop.is_set():
                q = queries[i % len(queries)]
                r = cl.call({"q": q, "limit": 20})
                if signature(r) != want[q]:
                    wrong.append((q, r))
                answered[k] += 1
                i += 1
        except (OSError, AssertionError, ValueError):
            pass  # the daemon died under us: expected

    threads = [threading.Thread(target=load, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    time.sleep(rng.uniform(0.3, 1.0))
    p.send_signal(signal.SIGKILL)
    p.wait()
    stop.set()
    for t in threads:
        t.join()
    c.close()
    check(not wrong and sum(answered) > 0,
          "round %d: %d answers under load before kill -9, all right" % (rnd, sum(answered)))
    check(os.path.exists(sock), "round %d: the dead daemon's socket file is left behind" % rnd)
    good, out = xapian_check(idx)
    check(good and index_ids(idx) == ids0,
          "round %d: index passes xapian-check with all %d documents" % (rnd, len(ids0)))
    t0 = time.time()
    p, c = start(rnd)
    got = {q: signature(c.call({"q": q, "limit": 20})) for q in queries}
    check(got == want, "round %d: a new silkd on the same socket path answers as before "
          "(serving after %.2fs)" % (rnd, time.time() - t0))
    log = open(os.path.join(tmp, "silkd-%d.log" % rnd)).read()
    check("stale socket" in log, "round %d: the new daemon logged the stale socket" % rnd)

c.close()
p.send_signal(signal.SIGTERM)
check(p.wait(timeout=60) == 0, "the last daemon exits 0 on SIGTERM")
check(not os.path.exists(sock), "and removes its socket")
EOF
    fail "kill -9 of silkd"
ok "done"
