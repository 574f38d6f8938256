#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Language through the real daemon (issue 15): tests/data/lang/corpus (verbatim KorQuAD and
# PersianQA paragraphs, an English article and a synonym table) indexed by silk-index and
# served by silkd on a temporary socket; raw protocol requests check typo tolerance and its
# report (`misile`), the option that turns it off, relaxation not carried by stopwords
# (`axis of evl`), stopword-only queries (`the who`), `kind:bogus` as bad_query, synonyms
# written in Hangul or with hyphens, and Korean inflected forms.
. "$(dirname "$0")/lib.sh"

cp -r "$SILK_ROOT/tests/data/lang/corpus" "$T/corpus"
index_corpus
sock="$T/silk.sock"
start_silkd "$sock" --threads 2

PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" <<'EOF' || fail "language checks"
import sys
from daemon_client import Client, check

c = Client(sys.argv[1])
n = 0


def search(q, **kw):
    global n
    n += 1
    req = {"id": n, "op": "search", "q": q, "limit": 20}
    req.update(kw)
    r = c.call(req)
    check(r["id"] == n, "%s: id echoed" % q)
    return r


def ids(r):
    return [h["id"] for h in r["hits"]]


def marked(h):
    s = h["snippet"].encode()
    return [s[a:b].decode() for a, b in h["highlights"]]


# ---- typo tolerance ------------------------------------------------------------------------
r = search("misile")
check(r["ok"] and len(r["hits"]) >= 3, "misile finds the missile paragraphs")
check({"from": "misile", "to": "missile"} in r.get("corrections", []),
      "misile: the correction is reported (%r)" % r.get("corrections"))
# (the article title, "Missiles and names ...", is indexed with every paragraph of it)
check(sum(any(w.lower().startswith("missile") for w in marked(h)) for h in r["hits"]) >= 4,
      "misile: the hits highlight missile(s)")
r = search("misile", typos=False)
check(r["ok"] and r["hits"] == [] and not r.get("corrections"), "typos:false: exact only")
check(r.get("did_you_mean") == "missile", "typos:false: still a did-you-mean")
r = search('"misile"')
check(r["ok"] and r["hits"] == [], "a quoted word is exact")

# ---- relaxation and stopwords --------------------------------------------------------------
r = search("axis of evl")
check(r["ok"] and ids(r) == ["english#p4"], "axis of evl finds the axis of evil (%r)" % ids(r))
check(r["relaxed"] is False, "axis of evl: evl corrected, no relaxation needed")
r = search("axis of evl", typos=False)
check(r["relaxed"] is True and ids(r) == ["english#p4"],
      "axis of evl relaxed: ranked on axis, not on 'of' (%r)" % ids(r))
check("of" not in [w.lower() for w in marked(r["hits"][0])], "relaxed: 'of' not highlighted")
r = search("the who")
check(r["ok"] and ids(r)[:1] == ["english#p5"], "the who finds The Who (%r)" % ids(r))

# ---- closed fields -------------------------------------------------------------------------
r = search("kind:bogus")
check(not r["ok"] and r["error"]["code"] == "bad_query", "kind:bogus is bad_query")
check("paragraph" in r["error"]["message"], "kind:bogus: the valid kinds are named")

# ---- synonyms in every script --------------------------------------------------------------
for q in ("kim jong-un", "김정은", "Kim Jong Un"):
    r = search(q)
    got = set(ids(r))
    check({"english#p1", "english#p3", "korean#p1"} <= got, "%s finds all its forms (%r)" % (q, got))
r = search("rok")
check("english#p2" in ids(r) and "english#p1" not in ids(r),
      "rok: republic of korea, not inside the DPRK's name (%r)" % ids(r))
h = [h for h in r["hits"] if h["id"] == "english#p2"][0]
check("Republic of Korea" in marked(h), "rok: the multi-word synonym is highlighted")

# ---- Korean ----------------------------------------------------------------------------------
r = search("대통령이")
check(r["ok"] and "korean#p3" in ids(r), "대통령이 finds 대통령은 (%r)" % ids(r))
for h in r["hits"]:
    hl = h["highlights"]
    check(all(hl[k][0] >= hl[k - 1][1] for k in range(1, len(hl))), "%s: no overlapping highlights" % h["id"])
r = search("천안함이 침몰했다")
check(r["ok"] and len(r["hits"]) >= 2, "천안함이 침몰했다 finds the Cheonan paragraphs (%d)" % len(r["hits"]))
r = search('"대통령이"')
check(r["ok"] and "korean#p3" not in ids(r), "quoted 대통령이 is the exact form only")
print("language: %d requests" % n)
EOF
ok "language checks through the daemon"
