#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Ranking parameters through the real daemon (issue 19): the configuration file's [ranking]
# section sets silkd's defaults (reported by explain), a bad entry stops silkd naming its
# FILE:LINE, and a request's "rank" member overrides them for that request only (checked
# and bounded: bad_request); feedback applies to long any-word queries and keeps the first
# hits in place.
. "$(dirname "$0")/lib.sh"

cp -r "$SILK_ROOT/corpus" "$T/corpus"
index --corpus "$T/corpus" --index "$T/index" --quiet || fail "silk-index failed"
cat >"$T/silk.conf" <<'CONF'
[ranking]
scheme = bm25
k1 = 1.2
b = 0.75
fb_docs = 3
CONF
sock="$T/silk.sock"
"${SILK_WRAP[@]}" "$SILK_BIN/silkd" --config "$T/silk.conf" --index "$T/index" --socket "$sock" \
    --threads 2 2>"$T/silkd.log" &
pid=$!
track_pid $pid
wait_for_socket "$sock"

PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" <<'PY' || fail "ranking checks"
import sys
from daemon_client import Client, check

c = Client(sys.argv[1])
LONG = "nuclear missile cooperation between iran and the north korean government"


def search(q, **kw):
    req = {"op": "search", "q": q, "limit": 10, "explain": True}
    req.update(kw)
    return c.call(req)


r = search("missile")
check(r["ok"], "a search answers")
check(r["rank"].startswith("scheme=bm25 k1=1.2 b=0.75 "), "explain: the file's [ranking] (%s)" % r["rank"])
check(" fb_docs=3 " in r["rank"] and r["rank"].endswith("feedback not applied"),
      "explain: a short query gets no feedback (%s)" % r["rank"])
plain = search(LONG, mode="any", rank={"fb_docs": 0})
fb = search(LONG, mode="any")
check(plain["ok"] and fb["ok"], "long any-word queries answer")
check("feedback applied (" in fb["rank"], "feedback applies to a long any-word query (%s)" % fb["rank"])
check(plain["rank"].endswith("feedback not applied") and " fb_docs=0 " in plain["rank"],
      "a request turns feedback off (%s)" % plain["rank"])
ids = lambda r: [h["id"] for h in r["hits"]]
check(ids(plain)[:3] == ids(fb)[:3], "feedback keeps the first 3 hits in place")
scores = [h["score"] for h in fb["hits"]]
check(scores == sorted(scores, reverse=True), "feedback's scores do not rise down the page")
r = search("missile", rank={"scheme": "dph"})
check(r["ok"] and r["rank"].startswith("scheme=dph "), "a request sets the scheme")
r = search("missile")
check(r["rank"].startswith("scheme=bm25 k1=1.2 "), "the override was for that request only")
for bad, what in (({"k1": -1}, "k1"), ({"scheme": "lm"}, "scheme"), ({"nope": 1}, "nope"),
                  ({"fb_docs": 1000}, "fb_docs"), ({"stopwords": "maybe"}, "stopwords")):
    r = search("missile", rank=bad)
    check(not r["ok"] and r["error"]["code"] == "bad_request" and what in r["error"]["message"],
          "rank %r is a bad_request naming %s (%r)" % (bad, what, r.get("error")))
r = search("missile", rank=[1])
check(not r["ok"] and r["error"]["code"] == "bad_request", "rank must be an object")
print("ranking: ok")
PY
kill "$pid"
wait "$pid" 2>/dev/null || true

# A bad [ranking] entry: silkd does not start, and says where.
printf '[ranking]\nk1 = 1.2\nfb-weight = 9\n' >"$T/bad.conf"
rc=0
"$SILK_BIN/silkd" --config "$T/bad.conf" --index "$T/index" --socket "$T/bad.sock" \
    2>"$T/bad.log" || rc=$?
[ "$rc" -eq 2 ] || fail "silkd with a bad [ranking] exited $rc, not 2"
grep -q "bad.conf:3: .*fb_weight" "$T/bad.log" || fail "no FILE:LINE in: $(cat "$T/bad.log")"
ok "ranking parameters: [ranking], the request's rank, explain, feedback"
