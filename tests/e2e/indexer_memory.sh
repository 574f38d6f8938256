#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Memory of one large file (issue 14/18): a 10 MB .txt of 600,000 one-line paragraphs is
# indexed with a peak RSS (getrusage of the child) under 310 MiB. Before, the whole
# article, its id map, the file's id list and its metadata record were all alive at once:
# 335 MiB (a million lines: 540 MiB); now the documents are freed once written and a new
# file's ids are not mapped twice: 274 MiB. Still proportional to the file (the builder
# holds every document of an article: docs/benchmarks.md), so the bound is this file's.
# A memory bound, not a time bound. Skipped under the sanitizers and valgrind, whose
# allocators change the figures.
. "$(dirname "$0")/lib.sh"
if [ -n "${SILK_VALGRIND:-}${SILK_SANITIZED:-}" ]; then
    echo "note: scaled under a sanitizer or valgrind: memory bound not checked"
    exit 0
fi
mkdir -p "$T/corpus"
python3 - "$T/corpus/big.txt" <<'PY'
import random, sys
r = random.Random(1)
w = ["alpha", "beta", "gamma", "delta", "omega", "korea", "iran", "missile", "treaty", "north"]
with open(sys.argv[1], "w") as f:
    f.write("Big\n")
    for i in range(600000):
        f.write("%s %s %d.\n" % (r.choice(w), r.choice(w), i))
PY
python3 - "$SILK_BIN/silk-index" "$T" <<'PY' || fail "peak RSS"
import resource, subprocess, sys
exe, t = sys.argv[1], sys.argv[2]
rc = subprocess.call([exe, "--corpus", t + "/corpus", "--index", t + "/index", "--quiet",
                      "--jobs", "1"])
assert rc == 0, "silk-index exited %d" % rc
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB -> MiB
print("peak RSS %.0f MiB" % peak)
assert peak < 310, "peak RSS %.0f MiB, bound 310 MiB" % peak
PY
docs=$(xapian-delve "$T/index" | sed -n 's/^number of documents = //p')
assert_eq "$docs" 600000 "every paragraph indexed"
ok "600,000 one-line paragraphs indexed under 310 MiB"
