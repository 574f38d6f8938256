#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Facet counts (issue 17, point 2) through the real daemon: a search with "facets" gets, for
# each facet asked, the values of ALL its matches with their counts, sorted by count then
# value, cut to facet_limit (default 20). Every count is checked against an independent
# count: the exact total of the same query AND-ed with the facet value as a filter
# (kind:, year:, article: are boolean terms, not the value slots the facets read), and the
# per-value tally of the hits of a full-limit search paged through all matches.
# Also: request validation, the incremental and the --full build both write the slots, and
# a query over a tiny --query-time-limit from several connections at once stops inside the
# match (counts cover fewer documents than match) and is answered, flagged partial.
. "$(dirname "$0")/lib.sh"
python_helpers

# A generated JSONL corpus: three articles (files), kinds, years and sections drawn with a
# fixed seed, words from a small vocabulary so that queries match many documents.
mkdir -p "$T/corpus"
python3 - "$T/corpus" <<'EOF'
import json, random, sys
rng = random.Random(17)
kinds = ["paragraph", "paragraph", "paragraph", "reference", "lead", "reading"]
sections = ["History", "Trade", "Military weapons", "References"] + ["S%d" % i for i in range(30)]
for name, n in (("alpha", 1800), ("beta", 1200), ("gamma", 600)):
    with open("%s/%s.jsonl" % (sys.argv[1], name), "w") as f:
        for i in range(n):
            d = {"id": "%s-%d" % (name, i), "title": name.title(), "kind": rng.choice(kinds),
                 "section": rng.choice(sections),
                 "text": " ".join("w%d" % rng.randrange(200) for _ in range(25))}
            if rng.random() < 0.7:
                d["year"] = rng.randrange(1990, 2021)
            f.write(json.dumps(d) + "\n")
EOF
index_corpus -3
start_silkd "$T/s.sock" --threads 2

py() { python3 - "$T/s.sock" "$@"; }
py <<'EOF' || fail "facet counts"
import sys
from daemon_client import Client
c = Client(sys.argv[1], timeout=60)
n = [0]
def ask(req):
    n[0] += 1
    req = dict(req, id=n[0])
    c.send(req)
    r = c.read()
    assert r["id"] == n[0], r
    return r

def total(q):
    """The number of matches, counted by paging through every hit's id."""
    ids, off = set(), 0
    while True:
        r = ask({"q": q, "limit": 1000, "offset": off, "snippets": False, "fields": ["id"]})
        assert r["ok"], r
        ids.update(h["id"] for h in r["hits"])
        if len(r["hits"]) < 1000:
            return len(ids)
        off += 1000

ALL = ["kind", "year", "article", "section"]
FILTER = {"kind": "kind:%s", "year": "year:%s", "article": "article:%s"}
for q in ["w7", "w1 OR w2 OR w3", "kind:paragraph w5", "w11 w12", "w3 -kind:reference"]:
    r = ask({"q": q, "limit": 5, "facets": ALL, "facet_limit": 100})
    assert r["ok"], r
    assert list(r["facets"]) == ALL, r["facets"].keys()
    assert len(r["hits"]) <= 5
    matches = total(q)
    # Independent tally: every match's kind, year and section from its stored fields.
    tally = {f: {} for f in ("kind", "year", "section")}
    off = 0
    while off < matches:
        p = ask({"q": q, "limit": 1000, "offset": off, "snippets": False,
                 "fields": ["id", "kind", "year", "section"]})
        assert p["ok"], p
        for h in p["hits"]:
            for f in tally:
                if f in h and h[f] not in ("", None):
                    v = str(h[f])
                    tally[f][v] = tally[f].get(v, 0) + 1
        off += 1000
    for f in ALL:
        lst = r["facets"][f]
        pairs = [(e["value"], e["count"]) for e in lst]
        assert all(isinstance(v, str) and isinstance(k, int) and k > 0 for v, k in pairs), lst
        assert pairs == sorted(pairs, key=lambda p: (-p[1], p[0].encode())), (f, pairs)
        assert len(pairs) <= 100
        if f in tally:
            want = sorted(tally[f].items(), key=lambda p: (-p[1], p[0].encode()))[:100]
            assert pairs == want, (q, f, pairs[:5], want[:5])
        if f in FILTER and (f != "year" or q in ("w7", "w11 w12")):
            for v, k in pairs:
                t = total("(%s) %s" % (q, FILTER[f] % v))
                assert t == k, (q, f, v, k, t)
    kinds = sum(e["count"] for e in r["facets"]["kind"])
    assert kinds == matches, (q, kinds, matches)
print("ok: facet counts of 5 queries equal the filtered totals and the tallies of all hits")

# Bounds: the default 20, facet_limit cuts the same ordered list.
r = ask({"q": "w7", "facets": ["section"]})
full = ask({"q": "w7", "facets": ["section"], "facet_limit": 100})["facets"]["section"]
assert len(full) > 20 and r["facets"]["section"] == full[:20], (len(full), r["facets"])
r = ask({"q": "w7", "facets": ["section", "kind"], "facet_limit": 2})
assert list(r["facets"]) == ["section", "kind"] and r["facets"]["section"] == full[:2], r
r = ask({"q": "w7", "limit": 3})
assert "facets" not in r, r
r = ask({"q": "nomatchword", "facets": ["kind"]})
assert r["ok"] and r["facets"] == {"kind": []}, r
print("ok: default 20 values, facet_limit, request order, no facets unless asked, no matches")

# Validation.
for bad, words in [({"facets": ["kind", "colour"]}, "unknown facet \"colour\" (facets: kind, year, article, section)"),
                   ({"facets": "kind"}, "must be an array"),
                   ({"facets": [3]}, "unknown facet"),
                   ({"facets": ["year", "year"]}, "listed twice"),
                   ({"facets": ["kind"], "facet_limit": 0}, "from 1 to 100"),
                   ({"facets": ["kind"], "facet_limit": 101}, "from 1 to 100"),
                   ({"facets": ["kind"], "facet_limit": "5"}, "from 1 to 100")]:
    r = ask(dict(bad, q="w7"))
    assert not r["ok"] and r["error"]["code"] == "bad_request" and words in r["error"]["message"], (bad, r)
print("ok: unknown, duplicate and badly typed facets, facet_limit out of 1..100: bad_request")
EOF
ok "facets through silkd"

# The incremental run and the --full run both write the slots.
facet_of() {
    python3 - "$T/s.sock" "$1" "$2" <<'EOF'
import json, sys
from daemon_client import Client
c = Client(sys.argv[1])
c.send({"q": sys.argv[2], "facets": [sys.argv[3]], "facet_limit": 100, "limit": 0})
print(json.dumps(c.read()["facets"][sys.argv[3]]))
EOF
}
printf '%s\n' '{"id":"x1","title":"Delta","kind":"infobox","section":"Zeta","year":1901,"text":"uniqueword"}' \
    >"$T/corpus/delta.jsonl"
index_corpus -3
kill -HUP "$pid"
sleep 1
assert_eq "$(facet_of uniqueword kind)" '[{"value": "infobox", "count": 1}]' "incremental run: kind slot"
assert_eq "$(facet_of uniqueword year)" '[{"value": "1901", "count": 1}]' "incremental run: year slot"
assert_eq "$(facet_of uniqueword article)" '[{"value": "delta", "count": 1}]' "incremental run: article slot"
index_corpus -3 --full
kill -HUP "$pid"
sleep 1
assert_eq "$(facet_of uniqueword section)" '[{"value": "Zeta", "count": 1}]' "--full run: section slot"
stop_silkd

# A time limit inside the match: an expensive query (a 60-word OR over every document,
# facets asking for all matches) on --query-time-limit 1 ms, from 4 connections at once,
# 25 pipelined each. Every answer is ok and partial, and its counts cover fewer documents
# than match (the match stopped; before, it ran to the end and was only flagged after).
start_silkd "$T/t.sock" --threads 2 --query-time-limit 1
python3 - "$T/t.sock" <<'EOF' || fail "time limit inside the match"
import sys, threading
from daemon_client import Client
q = " OR ".join("w%d" % i for i in range(60))
probe = Client(sys.argv[1], timeout=120)
errors, stopped, seen = [], [0], []
def run(k):
    try:
        c = Client(sys.argv[1], timeout=120)
        for i in range(25):
            c.send({"id": i, "q": q, "limit": 20, "facets": ["kind", "year"], "facet_limit": 100})
        for i in range(25):
            r = c.read()
            assert r["id"] == i and r["ok"] and r.get("partial") is True, r
            assert len(r["hits"]) <= 20
            counted = sum(e["count"] for e in r["facets"]["kind"])
            seen.append(counted)
            if counted < 3000:
                stopped[0] += 1
    except Exception as e:
        errors.append(repr(e))
ts = [threading.Thread(target=run, args=(k,)) for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
assert not errors, errors
# Nearly every one of the 3,600 documents matches a 60-word OR (all but about one in
# 7,000); a stopped match counted only some of them.
assert stopped[0] >= 90, "only %d of 100 answers stopped inside the match" % stopped[0]
probe.send({"id": "p", "op": "ping"})
assert probe.read()["ok"]
print("ok: 100 expensive searches on 4 connections: all answered partial, %d stopped in the "
      "match (documents counted: %d to %d)" % (stopped[0], min(seen), max(seen)))
EOF
ok "time limit inside the match"
stop_silkd

# A sharded index (a stub over local shards) counts the same as one database.
INDEX="$T/sharded" index_corpus -3 --shards 3
answer() {
    python3 - "$1" <<'PYEOF'
import json, sys
from daemon_client import Client
c = Client(sys.argv[1])
out = []
for q in ["w7", "w1 OR w2 OR w3", "uniqueword"]:
    c.send({"q": q, "limit": 0, "facets": ["kind", "year", "article", "section"], "facet_limit": 100})
    r = c.read()
    out.append([r["total"], r["facets"]])
print(json.dumps(out))
PYEOF
}
start_silkd -p one "$T/one.sock" --threads 1
INDEX="$T/sharded" start_silkd -p three "$T/three.sock" --threads 1
a1="$(answer "$T/one.sock")"
a3="$(answer "$T/three.sock")"
[ "$a1" == "$a3" ] || fail "the sharded index counts differently: ${a3:0:400} vs ${a1:0:400}"
ok "a sharded index (3 local shards) gives the same facet counts"

# The time limit inside the match of a sharded index: Xapian hands the match spy each
# document's id in its shard, which the spy maps to the index's own id (before, a stopped
# match's page named other documents: the shard ids read as ids of the whole index). Every
# hit of a partial answer is that document, with its own score: the score a search without
# a limit gives it.
INDEX="$T/sharded" start_silkd -p limited "$T/limited.sock" --threads 2 --query-time-limit 1
python3 - "$T/three.sock" "$T/limited.sock" <<'EOF' || fail "time limit over shards"
import sys, threading
from daemon_client import Client
q = " OR ".join("w%d" % i for i in range(60))
ref, score, off = Client(sys.argv[1], timeout=120), {}, 0
while True:
    ref.send({"q": q, "limit": 1000, "offset": off, "snippets": False, "fields": ["id", "score"]})
    r = ref.read()
    assert r["ok"] and not r.get("partial"), r
    score.update((h["id"], h["score"]) for h in r["hits"])
    if len(r["hits"]) < 1000:
        break
    off += 1000
errors, stopped, checked = [], [0], [0]
def run(k):
    try:
        c = Client(sys.argv[2], timeout=120)
        for i in range(25):
            c.send({"id": i, "q": q, "limit": 20, "offset": 5 * k, "facets": ["kind"],
                    "facet_limit": 100, "snippets": False})
        for i in range(25):
            r = c.read()
            assert r["id"] == i and r["ok"] and r.get("partial") is True, r
            if sum(e["count"] for e in r["facets"]["kind"]) < len(score):
                stopped[0] += 1
            for h in r["hits"]:
                want = score.get(h["id"])
                assert want is not None and abs(h["score"] - want) <= 1e-9 * max(1, want), \
                    "partial hit %s has the score %r, a full search gives it %r" % (
                        h["id"], h["score"], want)
                checked[0] += 1
    except Exception as e:
        errors.append(repr(e))
ts = [threading.Thread(target=run, args=(k,)) for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
assert not errors, errors[:3]
assert stopped[0] >= 90, "only %d of 100 answers stopped inside the match" % stopped[0]
print("ok: 100 searches over 3 shards at 1 ms: %d stopped in the match, %d hits each the "
      "document with its own score" % (stopped[0], checked[0]))
EOF
ok "the time limit inside the match of a sharded index"
stop_silkd "$limited"
stop_silkd "$one"
stop_silkd "$three"
