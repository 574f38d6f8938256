#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A parallel fresh build (silk-index --jobs N, issue 18) gives exactly the index one writer
# gives: the same documents under the same Xapian document ids (each record's data, terms
# with wdf and termfreq, values), the same term statistics, the same summary and problems
# in the same order, and silkd gives the same answers (ids, order, scores, snippets,
# did-you-mean from the spelling data, synonyms) for a set of queries. --full with
# --flush-mb 1 (several commits per part) too. A corpus whose files far apart share a
# document id is built again on one writer, with the same result and problem as --jobs 1.
. "$(dirname "$0")/lib.sh"
python_helpers
command -v xapian-delve >/dev/null || fail "xapian-delve not installed (xapian-tools)"

DATA="$SILK_ROOT/tests/data/gen"
mkdir -p "$T/corpus"
cp "$SILK_ROOT/corpus/"* "$T/corpus/"
python3 "$SILK_ROOT/bench/gen/gencorpus.py" generate "$DATA" "$T/corpus/gen" --mb 1.2 \
    --seed 9 >/dev/null
python3 "$SILK_ROOT/bench/gen/gencorpus.py" queries "$DATA" "$T/gen.tsv" --n 20 \
    --seed 4 >/dev/null
# Problems the summary must list in the same order: a binary file, an invalid JSONL line.
printf 'PK\003\004\000\000binary' >"$T/corpus/gen/m-binary.txt"
cat >"$T/corpus/gen/notes.jsonl" <<'EOF'
{"id":"n1","text":"Pressure distribution over the boundary layer of a swept wing."}
not json
{"id":"n2","text":"Korea and Iran agreed on missile technology transfers."}
EOF
# Two files of one article name (their ids collide by design): never split between parts.
printf 'Twin\nThe twin article as text, about heat transfer.\n' >"$T/corpus/gen/twin.txt"
printf '# Twin\n\nThe twin article as Markdown, about heat transfer.\n' >"$T/corpus/gen/twin.md"

# build NAME ARGS...: silk-index into $T/NAME with ARGS, the JSON summary in $T/NAME.json.
build() {
    local name="$1" rc=0
    shift
    index --corpus "$T/corpus" --index "$T/$name" --json "$@" >"$T/$name.json" \
        2>"$T/$name.err" || rc=$?
    [ "$rc" -eq 3 ] || fail "silk-index $* exited $rc (3 expected): $(cat "$T/$name.err")"
}
build one --jobs 1
build two --jobs 2
build three --jobs 3 --flush-mb 1
cp -r "$T/one" "$T/full"
build full --jobs 2 --full --flush-mb 1

# dump INDEX: everything xapian-delve shows, for every document id of the index.
dump() {
    local n args=()
    n=$(xapian-delve "$1" | sed -n 's/^highest document id ever used = //p')
    [ "${n:-0}" -gt 100 ] || fail "$1: too few documents ($n)"
    for i in $(seq 1 "$n"); do args+=(-r "$i"); done
    xapian-delve "$1" | grep -v -e '^UUID' -e '^revision' -e 'open for writing'
    xapian-delve -v -a "$1"
    xapian-delve -v -d -V "${args[@]}" "$1"
}
dump "$T/one" >"$T/one.dump"
for b in two three full; do
    dump "$T/$b" >"$T/$b.dump"
    cmp -s "$T/one.dump" "$T/$b.dump" ||
        fail "$b: the index differs from --jobs 1: $(diff "$T/one.dump" "$T/$b.dump" | head -5)"
done
ok "--jobs 2, --jobs 3 and --full --jobs 2: the same documents, ids, terms and values as --jobs 1"

# The summaries: the same counts and problems, in the same order.
python3 - "$T" <<'EOF' || fail "summaries differ"
import json, sys
t = sys.argv[1]
def summary(name):
    s = json.load(open(f"{t}/{name}.json"))
    for k in ("elapsed_s", "mb_per_s", "index", "revision", "full"):
        s.pop(k, None)
    return s
one = summary("one")
assert one["problems_count"] == 3 and len(one["problems"]) == 3, one["problems"]
for b in ("two", "three", "full"):
    assert summary(b) == one, (b, summary(b), one)
EOF
ok "the same summary and problems"

# The answers of silkd on both indexes.
INDEX="$T/one" start_silkd -p pid1 "$T/one.sock" --corpus "$T/corpus" --threads 1
INDEX="$T/two" start_silkd -p pid2 "$T/two.sock" --corpus "$T/corpus" --threads 1
cut -f2 "$T/gen.tsv" >"$T/queries.txt"
cat >>"$T/queries.txt" <<'EOF'
axis of evil
"axis of evil"
dprk
title:iran
nuc*
nuclar programme
tehran pyongyang
iran -korea
boundary layer
presure distribuion
heat transfer
missile technology
EOF
python3 - "$T" <<'EOF' || fail "answers differ"
import sys
from daemon_client import Client
t = sys.argv[1]
a, b = Client(t + "/one.sock"), Client(t + "/two.sock")
n = 0
for q in open(t + "/queries.txt", encoding="utf-8").read().splitlines():
    for mode in ("all", "any"):
        req = {"op": "search", "q": q, "limit": 30, "mode": mode}
        ra, rb = a.call(req), b.call(req)
        for r in (ra, rb):
            r.pop("took_ms", None), r.pop("took_us", None)
        assert ra == rb, (q, mode, ra, rb)
        n += len(ra.get("hits", []))
assert n > 100, n
EOF
stop_silkd "$pid1"
stop_silkd "$pid2"
ok "silkd answers the same on a --jobs 2 build"

# Files far apart that share an id: the later one's document is skipped, as with one writer.
mkdir -p "$T/dup"
cp -r "$T/corpus/gen" "$T/dup/"
printf '{"id":"x#shared","text":"The first owner of the shared id."}\n' >"$T/dup/a-first.jsonl"
printf '{"id":"x#shared","text":"The second file with the same id."}\n' >"$T/dup/zz-last.jsonl"
for j in 1 2; do
    rc=0
    index --corpus "$T/dup" --index "$T/dup$j" --json --jobs "$j" >"$T/dup$j.json" \
        2>"$T/dup$j.err" || rc=$?
    [ "$rc" -eq 3 ] || fail "dup --jobs $j exited $rc: $(cat "$T/dup$j.err")"
done
assert_contains "$(cat "$T/dup2.json")" 'x#shared skipped: the id is already used by a-first.jsonl' \
    "the later file's document is skipped"
assert_contains "$(cat "$T/dup2.err")" "building on one writer" "the fallback is noted"
dump "$T/dup1" >"$T/dup1.dump"
dump "$T/dup2" >"$T/dup2.dump"
cmp -s "$T/dup1.dump" "$T/dup2.dump" || fail "dup: --jobs 2 differs from --jobs 1"
python3 - "$T" <<'EOF' || fail "dup summaries differ"
import json, sys
t = sys.argv[1]
def s(n):
    d = json.load(open(f"{t}/{n}.json"))
    return d["problems"], d["docs_total"], d["problems_count"]
assert s("dup1") == s("dup2"), (s("dup1"), s("dup2"))
EOF
ok "a shared id across parts: built on one writer, the same index and problems"

# Progress: a bar on stderr with --progress even when piped, none by default when piped,
# JSON lines with --progress=json.
index --corpus "$T/corpus" --index "$T/p1" --progress --jobs 2 >/dev/null 2>"$T/p1.err" || true
grep -q 'silk-index \[#*\.*\] *[0-9]*% [0-9]*/[0-9]* files, [0-9]* docs, .* MB/s, ETA ' "$T/p1.err" ||
    fail "--progress: no bar on stderr: $(head -c 300 "$T/p1.err")"
grep -q '100% ' "$T/p1.err" || fail "--progress: the bar does not reach 100%"
index --corpus "$T/corpus" --index "$T/p2" >/dev/null 2>"$T/p2.err" || true
! grep -q 'ETA' "$T/p2.err" || fail "a bar on a piped stderr without --progress"
index --corpus "$T/corpus" --index "$T/p3" --quiet --progress=json >/dev/null 2>"$T/p3.err" || true
python3 - "$T/p3.err" <<'PY' || fail "--progress=json"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("silk-index: progress ")]
assert lines, "no progress line"
last = json.loads(lines[-1][len("silk-index: progress "):])
assert last["files_done"] == last["files_total"] > 0 and last["docs"] > 100, last
assert last["bytes_done"] == last["bytes_total"] > 0, last
PY
ok "progress: a bar when asked, none when piped, JSON lines for silkd"

# The parts and the merge leave nothing beside the index.
leftovers=$(find "$T" -maxdepth 1 -name '*.new-*' -o -maxdepth 1 -name '*.old-*')
[ -z "$leftovers" ] || fail "left behind: $leftovers"
[ ! -e "$T/two/part-0" ] || fail "the parts were left in the index"
ok "no leftovers"
