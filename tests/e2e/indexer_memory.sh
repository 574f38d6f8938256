#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Memory of one huge file (issue 14/18, "hardening": one huge file): memory must follow the
# largest document, not the file. Three files, each indexed alone (--jobs 1), under a peak
# RSS bound (getrusage of the child):
#   - a 20 MB .txt of a million one-line paragraphs with an infobox, a heading every
#     100,000 paragraphs and two references cited from the lead, the infobox and ten
#     paragraphs, at the default --flush-mb (32): under 180 MiB, and the infobox, the
#     sections and the references' cited_by come out right;
#   - a 46 MB .jsonl of a million lines, with --flush-mb 4: under 160 MiB.
# Before the streamed readers the .txt took 472 MiB at the default budget (the plain
# million paragraphs: 392 MiB, 206 MiB with --flush-mb 4; 636 MiB before documents were
# handed on as they are built) and the .jsonl 276 MiB with --flush-mb 4 (469 MiB at the
# default): every reader read its whole file, held a clean copy
# and a line array, every id took a malloc of its own in the file's id list and the run's
# id -> file map, and the flush budget counted only text, so a million short documents sat
# in Xapian's buffer. Now .txt and .jsonl are read 64 KiB at a time from the one safe
# descriptor (indexer/ingest.c, linein.c), ids live in arenas and the record's id list is
# encoded as it grows, and each document counts 256 bytes more in the budget: 132 and
# 108 MiB here (docs/reliability.md, "one huge file"). What is left grows with the file by
# some 60 bytes a document (the run's id -> file map, the record's ids).
# A memory bound, not a time bound. Skipped under the sanitizers and valgrind, whose
# allocators change the figures.
. "$(dirname "$0")/lib.sh"
if [ -n "${SILK_VALGRIND:-}${SILK_SANITIZED:-}" ]; then
    echo "note: scaled under a sanitizer or valgrind: memory bound not checked"
    exit 0
fi
mkdir -p "$T/txt" "$T/jsonl"
python3 - "$T/txt/big.txt" "$T/jsonl/big.jsonl" <<'PY'
import random, sys
r = random.Random(1)
w = ["alpha", "beta", "gamma", "delta", "omega", "korea", "iran", "missile", "treaty", "north"]
with open(sys.argv[1], "w") as f:
    f.write("Big\n| Capital | Pyongyang |\n| Founded | 1948[1] |\nA lead that cites.[1]\n")
    for i in range(1000000):
        if i % 100000 == 0:
            f.write("Part %d\n" % (i // 100000))
        f.write("%s %s %d.%s\n" % (r.choice(w), r.choice(w), i, "[2]" if i % 100000 == 0 else ""))
    f.write("References\n- Smith, John (1999). First ref.\n- Doe, Jane (2001). Second ref.\n")
with open(sys.argv[2], "w") as f:
    for i in range(1000000):
        f.write('{"id":"d%d","text":"%s %s %d."}\n' % (i, r.choice(w), r.choice(w), i))
PY

# peak CORPUS INDEX BOUND_MIB [ARGS...]: indexes CORPUS alone under the bound.
peak() {
    python3 - "$SILK_BIN/silk-index" "$@" <<'PY' || fail "peak RSS of $2"
import resource, subprocess, sys
exe, corpus, index, bound = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
rc = subprocess.call([exe, "--corpus", corpus, "--index", index, "--quiet", "--jobs", "1"]
                     + sys.argv[5:])
assert rc == 0, "silk-index exited %d" % rc
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB -> MiB
print("%s: peak RSS %.0f MiB (bound %.0f MiB)" % (corpus, peak, bound))
assert peak < bound, "peak RSS %.0f MiB, bound %.0f MiB" % (peak, bound)
PY
}

# data INDEX ID: the stored data of the document ID.
data() {
    local docid
    docid=$(xapian-delve -t "Q$2" "$1" | sed -n 's/^Posting List.*: *//p')
    [ -n "$docid" ] || fail "no document $2"
    xapian-delve -r "$docid" -d "$1" | sed -n '/^{/p'
}

peak "$T/txt" "$T/itxt" 180
docs=$(xapian-delve "$T/itxt" | sed -n 's/^number of documents = //p')
assert_eq "$docs" 1000004 "every paragraph indexed, with the infobox, the lead and the references"
assert_contains "$(data "$T/itxt" 'big#infobox')" '"text":"Capital | Pyongyang; Founded | 1948","cites":[1]}' \
    "the infobox of the huge .txt"
p=$(data "$T/itxt" 'big#p500002')
assert_contains "$p" '"kind":"paragraph","article":"Big","section":"Part 5","text":"beta omega 500000.","cites":[2]' \
    "a paragraph in the middle keeps its heading and its cite"
assert_contains "$(data "$T/itxt" 'big#p1')" '"kind":"lead","article":"Big","section":"","text":"A lead that cites."' \
    "the lead"
assert_contains "$(data "$T/itxt" 'big#ref-1')" '"cited_by":["infobox","p1"]' "ref-1 cited by the infobox and the lead"
assert_contains "$(data "$T/itxt" 'big#ref-2')" \
    '"cited_by":["p2","p100002","p200002","p300002","p400002","p500002","p600002","p700002","p800002","p900002"]' \
    "ref-2 cited by the ten paragraphs that cite it"
ok "a 20 MB .txt of a million paragraphs indexed under 180 MiB at the default --flush-mb"

peak "$T/jsonl" "$T/ijsonl" 160 --flush-mb 4
docs=$(xapian-delve "$T/ijsonl" | sed -n 's/^number of documents = //p')
assert_eq "$docs" 1000000 "every line indexed"
assert_contains "$(data "$T/ijsonl" 'big#d999999')" '"id":"big#d999999"' "the last line"
ok "a .jsonl of a million lines indexed under 160 MiB with --flush-mb 4"

# A million distinct words sharing their first letters ("P1." ... "P1000000."), committed
# every few thousand documents: Xapian 1.4.22 corrupts a spelling fragment whose word list
# grows that large over several commits ("Too few chunks of compressed data", the run
# failed). Words with digits are not spelling data (indexer/terms.h).
mkdir -p "$T/num"
python3 -c 'import sys
with open(sys.argv[1], "w") as f:
    f.write("Numbers\n\n")
    for i in range(1000000):
        f.write("P%d.\n\n" % i)' "$T/num/n.txt"
peak "$T/num" "$T/inum" 160 --flush-mb 4
xapian-check "$T/inum" >"$T/check.out" 2>&1 || { cat "$T/check.out"; fail "xapian-check of the numbered index"; }
docs=$(xapian-delve "$T/inum" | sed -n 's/^number of documents = //p')
assert_eq "$docs" 1000000 "every numbered paragraph indexed"
ok "a million distinct numbered words at --flush-mb 4: the build completes, the index checks clean"
