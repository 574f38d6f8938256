#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Memory of one large file (issue 14/18): a 20 MB .txt of a million one-line paragraphs
# is indexed with --flush-mb 4 under a peak RSS (getrusage of the child) of 240 MiB.
# Before, the builder held every document of the article until the file was done, and
# the file's record was built as a million JSON values: 451 MiB with --flush-mb 4 (636 MiB
# with the default 32). Now each document is handed to the writer as it is built and
# freed (article.h's sink), the raw bytes go once their clean copy is made, and the
# record is encoded one id at a time: 206 MiB. What is left grows with the flush budget
# (Xapian's buffered changes), the file's text and lines (parsed whole), and a few dozen
# bytes a document (the file's id list and the run's id -> file map): docs/benchmarks.md.
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
    for i in range(1000000):
        f.write("%s %s %d.\n" % (r.choice(w), r.choice(w), i))
PY
python3 - "$SILK_BIN/silk-index" "$T" <<'PY' || fail "peak RSS"
import resource, subprocess, sys
exe, t = sys.argv[1], sys.argv[2]
rc = subprocess.call([exe, "--corpus", t + "/corpus", "--index", t + "/index", "--quiet",
                      "--jobs", "1", "--flush-mb", "4"])
assert rc == 0, "silk-index exited %d" % rc
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB -> MiB
print("peak RSS %.0f MiB" % peak)
assert peak < 240, "peak RSS %.0f MiB, bound 240 MiB" % peak
PY
docs=$(xapian-delve "$T/index" | sed -n 's/^number of documents = //p')
assert_eq "$docs" 1000000 "every paragraph indexed"
ok "a million one-line paragraphs indexed under 240 MiB"
