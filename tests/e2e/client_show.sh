#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The client's view of the citation graph and its output formats, against a real silkd on
# the corpus article: `silk show ID` (the whole document, its cites with their reference
# texts, its cited_by with the opening of each citing paragraph; not found: exit 1), the
# compact cites / cited by line of the hit list, typo corrections in the footer,
# --format text|json|ids, --offset paging end to end; --facets against a scripted daemon
# (the request member sent, the answer member printed) and against the real silkd (the
# counts of every match).
. "$(dirname "$0")/lib.sh"

corpus_article
index_corpus -3
sock="$T/silk.sock"
start_silkd "$sock" --corpus "$T/corpus"
A=iran-north-korea-relations

silk() { "${SILK_WRAP[@]}" "$SILK_BIN/silk" --socket "$sock" "$@"; }
st() {
    rc=0
    "$@" >"$T/out" 2>"$T/err" || rc=$?
    out="$(cat "$T/out")"
    err="$(cat "$T/err")"
}

# ---- silk show ----------------------------------------------------------------------------
st silk show "$A#p15"
assert_eq "$rc" 0 "show p15: exit 0"
assert_eq "$(head -n 2 "$T/out")" "$A#p15
paragraph · Iran–North Korea relations › Military weapons" "show p15: id, kind, article › section"
assert_contains "$out" "blocked a UN Arms Trade Treaty aimed at setting" "show p15: the text"
assert_contains "$out" "Cites" "show p15: a Cites heading"
assert_contains "$out" '[32] MacFarquhar, Neil (28 March 2013). "U.N. Treaty to Control Arms Sales' \
    "show p15: [32] with its reference text"
assert_contains "$out" '[33] "Iran, North Korea, Syria block UN arms trade treaty"' "show p15: [33]"
[[ "$out" != *"Cited by"* ]] || fail "show p15: a paragraph cited by nothing has no Cited by"
st env COLUMNS=60 "$SILK_BIN/silk" --socket "$sock" show "$A#p15"
python3 - "$T/out" <<'PY' || fail "show at 60 columns: [n] with a hanging indent"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
i = next(k for k, l in enumerate(lines) if l.startswith("  [32] "))
assert lines[i + 1].startswith("       ") and lines[i + 1][7] != " ", lines[i:i + 3]
assert all(len(l) <= 60 for l in lines), [l for l in lines if len(l) > 60]
PY
ok "show at 60 columns: each reference wrapped under its text, within 60 columns"

st silk show "$A#ref-2"
assert_eq "$rc" 0 "show ref-2: exit 0"
assert_contains "$out" "Con Coughlin · 2007" "show ref-2: authors and year"
assert_contains "$out" "Cited by" "show ref-2: a Cited by heading"
python3 - "$T/out" <<'PY' || fail "show ref-2: cited_by p1 with the opening of its text"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
i = lines.index("Cited by")
assert lines[i + 1] == "  p1", lines[i:i + 3]
assert lines[i + 2].startswith("    Iran–North Korea relations (Korean:"), lines[i + 2]
assert lines[i + 2].endswith("…"), lines[i + 2]
PY
ok "show ref-2: cited by p1, with the first characters of p1"

st silk show "$A#p999"
assert_eq "$rc" 1 "show of an unknown id: exit 1"
assert_contains "$err" "not found" "show of an unknown id: says not found"
assert_contains "$err" "$A#p999" "show of an unknown id: names it"

st silk show "$A#p15" "$A#ref-32"
assert_eq "$rc" 0 "show of two ids: exit 0"
[[ "$out" == *"$A#p15"*"$A#ref-32"* ]] || fail "show of two ids: both, in order"
assert_contains "$out" "Cited by" "show ref-32: cited by p15"
ok "show of two ids: both, in order"
printf '%s\n' "$A#ref-33" "$A#p999" | silk show >"$T/out" 2>"$T/err" && rc=0 || rc=$?
assert_eq "$rc" 0 "show, ids from stdin: exit 0 (one was found)"
assert_contains "$(cat "$T/out")" "$A#ref-33" "show, ids from stdin: shown"
assert_contains "$(cat "$T/err")" "line 2: not found" "show, ids from stdin: the line of the unknown one"

st silk --json show "$A#ref-2"
python3 - "$T/out" <<'PY' || fail "show --json: the doc answer"
import json, sys
r = json.loads(open(sys.argv[1], encoding="utf-8").read())
d = r["doc"]
assert r["ok"] and d["id"].endswith("#ref-2") and d["year"] == 2007, r
assert [c["id"].split("#")[1] for c in d["cited_by"]] == ["p1"], d
PY
ok "show --json: the daemon's doc answer line"
assert_eq "$(silk --format ids show "$A#p15")" "$A#ref-32
$A#ref-33" "show --format ids: the ids it links to"

# ---- the hit list: cites, cited by, corrections ------------------------------------------
st silk -n 20 'kind:paragraph arms'
assert_contains "$out" "cites [32] [33]" "hits: a paragraph's cites"
st silk -n 20 'kind:reference coughlin'
assert_contains "$out" "cited by p1" "hits: a reference's cited by"
st silk --color=always -n 20 'kind:reference coughlin'
assert_contains "$out" $'\033[2mcited by p1' "hits: the links line is dim on colour"
st silk misile
assert_eq "$rc" 0 "typo: misile finds missile"
assert_contains "$out" "(matched misile → missile)" "typo: the correction in the footer"
st silk missile
[[ "$out" != *"(matched"* ]] || fail "no typo: no correction line"
ok "no typo: no correction line"

# ---- --format and --offset ------------------------------------------------------------------
ids() { python3 -c 'import json,sys; print("\n".join(h["id"] for h in json.load(sys.stdin)["hits"]))'; }
all="$(silk --format json -n 6 korea | ids)"
assert_eq "$(wc -l <<<"$all")" 6 "--format json: six hits"
assert_eq "$(silk --format ids -n 6 korea)" "$all" "--format ids: the ids of --format json, one a line"
page2="$(silk --format ids -n 3 --offset 3 korea)"
assert_eq "$page2" "$(sed -n 4,6p <<<"$all")" "--offset 3 -n 3: the second page"
assert_eq "$(silk korea --offset 3 --format=ids -n 3)" "$page2" "--offset and --format after the query"
st silk -n 3 --offset 3 korea
assert_contains "$out" "Hits 4–6 of" "--offset: the footer counts from the offset"
st silk --format ids zzqqxxv
assert_eq "$rc" 1 "--format ids, no hits: exit 1"
assert_eq "$out" "" "--format ids, no hits: nothing printed"
printf 'hwasong\nanahita\n' | silk --format ids -n 1 >"$T/out"
assert_eq "$(cat "$T/out")" "$A#p16
$A#p4" "--format ids in batch mode: the ids alone"
a="$(silk --json -n 1 anahita | sed 's/"took_us":[0-9]*//')"
b="$(silk --format json -n 1 anahita | sed 's/"took_us":[0-9]*//')"
assert_eq "$a" "$b" "--json is --format json"

# ---- --facets, against a scripted daemon -------------------------------------------------
# silkd's side of facets is another change; here a small server on a Unix socket of ours
# records the request line and answers it with facet counts, so that the client's half is
# tested alone: the request member, the decoding, the printing.
fsock="$T/facets.sock"
python3 - "$fsock" "$T/facets.req" <<'PY' &
import json, os, socket, sys
path, rec = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX)
s.bind(path + ".tmp")
os.chmod(path + ".tmp", 0o600)
s.listen(4)
os.rename(path + ".tmp", path)
for _ in range(2):
    c, _ = s.accept()
    f = c.makefile("rwb")
    line = f.readline()
    open(rec, "ab").write(line)
    req = json.loads(line)
    answer = {"id": req["id"], "ok": True, "took_us": 5, "total": 15, "exact": True,
              "relaxed": False, "hits": [],
              "facets": {"kind": [{"value": "paragraph", "count": 12},
                                  {"value": "reference", "count": 3}],
                         "year": [{"value": 2007, "count": 2}, {"value": 2016, "count": 1}]}}
    f.write(json.dumps(answer).encode() + b"\n")
    f.flush()
    c.close()
PY
track_pid $!
wait_for_socket "$fsock"
st "$SILK_BIN/silk" --socket "$fsock" -n 0 nuclear --facets kind,year
assert_eq "$rc" 0 "--facets: exit 0"
python3 - "$T/facets.req" <<'PY' || fail "--facets: the request member"
import json, sys
r = json.loads(open(sys.argv[1], "rb").readline())
assert r["op"] == "search" and r["q"] == "nuclear" and r["facets"] == ["kind", "year"], r
PY
ok "--facets kind,year: sent as \"facets\":[\"kind\",\"year\"]"
assert_contains "$out" "kind: paragraph 12 · reference 3" "--facets: the kind line"
assert_contains "$out" "year: 2007 2 · 2016 1" "--facets: the year line"
[[ "$out" == *"15 hits"*"kind: "* ]] || fail "--facets: printed after the count"
ok "--facets: printed after the hits and the count"
st "$SILK_BIN/silk" --socket "$fsock" --json nuclear --facets kind
assert_contains "$out" '"facets":' "--facets --json: the answer line as it came"

# ---- --facets against the real silkd --------------------------------------------------------
# The counts printed must be those of every match, counted here from the kinds of a search
# that lists them all.
st silk -n 0 nuclear --facets kind
assert_eq "$rc" 0 "--facets kind against silkd: exit 0"
line="$(grep '^kind: ' "$T/out")" || fail "--facets kind against silkd: no kind line: $out $err"
st silk --format json -n 1000 nuclear
python3 - "$line" "$T/out" <<'PY' || fail "--facets kind: counts of every match"
import collections, json, re, sys
line, answer = sys.argv[1], json.load(open(sys.argv[2]))
kinds = collections.Counter(h["kind"] for h in answer["hits"])
assert answer["total"] == len(answer["hits"]) > 0, answer["total"]
got = dict((k, int(n)) for k, n in re.findall(r"(\w+) (\d+)", line[len("kind: "):]))
assert got == dict(kinds), (got, dict(kinds))
PY
ok "--facets kind against silkd: the counts of all matches ($line)"

stop_silkd
echo "client_show: all checks passed"
