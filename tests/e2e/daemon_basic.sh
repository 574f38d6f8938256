#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# silkd's protocol against a real daemon on the corpus article: ping, stats, search with
# every field, ids of every JSON type echoed, raw lines, blank lines and "\r\n", errors
# (invalid JSON, wrong types, unknown op, bad query) with the connection still usable,
# 200 pipelined requests answered in order, socket mode 0600, flags and --print-socket.
. "$(dirname "$0")/lib.sh"

corpus_article
index_corpus -3
sock="$T/silk.sock"
start_silkd "$sock" --corpus "$T/corpus" --threads 2

assert_eq "$(stat -c %a "$sock")" 600 "socket mode is 0600"

# A raw line through socat is a working client.
out="$(printf 'axis of evil\n' | socat -t 5 - UNIX-CONNECT:"$sock")"
assert_contains "$out" '"ok":true' "socat: raw line answered"
assert_contains "$out" 'iran-north-korea-relations#' "socat: raw line found the article"

PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" <<'EOF' || fail "protocol checks"
import json, sys
from daemon_client import Client, check, ids

sock = sys.argv[1]
c = Client(sock)

# ---- ping, with ids of every JSON scalar type echoed verbatim --------------------------
for ident in (1, "s-1", None, True, False, 2.5, -7, "ünï \"q\""):
    r = c.call({"id": ident, "op": "ping"})
    check(r == {"id": ident, "ok": True, "pong": True}, "ping echoes id %r" % (ident,))
r = c.call('{"op":"ping"}')
check(r["id"] is None and r["ok"] is True, "ping without id: id null")

# ---- search with every field -------------------------------------------------------------
r = c.call({"id": 7, "op": "search", "q": "axis of evil", "limit": 10, "offset": 0})
check(r["id"] == 7 and r["ok"] is True, "search ok, id echoed")
for k, t in (("took_us", int), ("total", int), ("exact", bool), ("relaxed", bool),
             ("hits", list)):
    check(isinstance(r[k], t), "search has %s (%s)" % (k, t.__name__))
check(r["total"] >= len(r["hits"]) >= 1, "search found hits")
check(r["relaxed"] is False, "all words found: not relaxed")
lead = [h for h in r["hits"] if h["id"] == "iran-north-korea-relations#p1"]
check(len(lead) == 1, "axis of evil: the lead is among the hits")
first = lead[0]
for i, h in enumerate(r["hits"], 1):
    check(h["rank"] == i, "hit %d: rank" % i)
    for k in ("id", "kind", "article", "section", "snippet"):
        check(isinstance(h[k], str), "hit %d: %s is a string" % (i, k))
    check(isinstance(h["score"], (int, float)) and h["score"] > 0, "hit %d: score > 0" % i)
    check(h["kind"] in ("lead", "paragraph", "infobox", "reference", "reading"),
          "hit %d: kind %s" % (i, h["kind"]))
    snip = h["snippet"].encode()
    check(len(h["highlights"]) >= 1, "hit %d: highlights" % i)
    words = []
    for s, e in h["highlights"]:
        check(0 <= s < e <= len(snip), "hit %d: highlight [%d,%d) inside the snippet" % (i, s, e))
        words.append(snip[s:e].decode(errors="replace").lower())
    check(set(words) & {"axis", "evil"}, "hit %d: highlights mark the query words %s"
          % (i, words))
check(first["kind"] == "lead" and first["section"] == "", "lead: kind and empty section")
check(first["article"] == "Iran–North Korea relations", "lead: article title")
check(first.get("cites") == [1, 2, 3, 4], "lead: cites copied from stored data")
check("text" not in first, "text only when asked for")

# References carry year, authors and cited_by from the stored data.
r = c.call({"id": "ref", "q": "coughlin kind:reference"})
check(r["ok"] and len(r["hits"]) >= 1, "reference search: hits")
h = r["hits"][0]
check(h["kind"] == "reference", "reference hit")
check(h.get("year") == 2007, "reference: year 2007")
check(any("Coughlin" in a for a in h.get("authors", [])), "reference: authors")
check(isinstance(h.get("cited_by"), list) and "p1" in h["cited_by"], "reference: cited_by")

# fields selects exactly the named fields; text comes from the stored data.
r = c.call({"q": "axis of evil", "fields": ["id", "score", "text"], "limit": 3})
check(all(set(h) == {"id", "score", "text"} for h in r["hits"]), "fields: exactly id,score,text")
check("axis of evil" in r["hits"][0]["text"].lower(), "fields: text is the stored text")
r = c.call({"q": "axis of evil", "fields": []})
check(r["ok"] and all(h == {} for h in r["hits"]), "fields: [] gives empty hits")

# limit and offset page through one ranking.
full = c.call({"q": "iran", "limit": 20})
page = c.call({"q": "iran", "limit": 5, "offset": 5})
check(ids(page) == ids(full)[5:10], "offset 5 limit 5 is ranks 6-10")
check([h["rank"] for h in page["hits"]] == list(range(6, 11)), "ranks count the offset")
r = c.call({"q": "iran", "limit": 0})
check(r["ok"] and r["hits"] == [] and r["total"] == full["total"], "limit 0: total only")

# mode any finds at least what mode all finds.
r_all = c.call({"q": "missile syria", "mode": "all"})
r_any = c.call({"q": "missile syria", "mode": "any"})
check(r_any["total"] >= r_all["total"], "mode any finds at least as many as all")

# snippets false: no snippet work.
r = c.call({"q": "axis of evil", "snippets": False})
check(r["ok"] and r["hits"] and all("snippet" not in h and "highlights" not in h
                                   for h in r["hits"]), "snippets false: no snippet members")

# explain returns the parsed query.
r = c.call({"q": "axis of evil", "explain": True})
check(isinstance(r.get("explain"), str) and r["explain"], "explain: parsed query text")
check("explain" not in c.call({"q": "axis"}), "no explain unless asked")

# did you mean, relaxed.
r = c.call({"q": "nucelar"})
check(r["ok"] and isinstance(r.get("did_you_mean"), str), "misspelling: did_you_mean (%s)"
      % r.get("did_you_mean"))
r = c.call({"q": "missile zzqqxxv"})
check(r["ok"] and r["relaxed"] is True and r["total"] >= 1, "no AND match: relaxed to OR")

# A raw line is a search for the whole line.
c.send_raw(b"axis of evil\n")
raw = c.read()
check(ids(raw) == ids(c.call({"q": "axis of evil"})), "raw line = JSON search")

# Blank lines get no answer; "\r\n" is a line end.
c.send_raw(b"\n   \n\r\n{\"id\":9,\"op\":\"ping\"}\r\n")
check(c.read()["id"] == 9, "blank lines ignored, \\r\\n accepted")

# ---- errors; the connection stays usable -------------------------------------------------
def err(line, code, what):
    r = c.call(line)
    check(r["ok"] is False and r["error"]["code"] == code and r["error"]["message"],
          "%s: %s (%s)" % (what, code, r["error"]["message"]))
    return r

r = err('{"id":1,"q":', "bad_request", "truncated JSON")
check(isinstance(r["error"].get("position"), int), "invalid JSON: position given")
err('{"id":2,"q":"x"', "bad_request", "unterminated object")
r = err('{"id":3,"q":5}', "bad_request", "q of the wrong type")
check(r["id"] == 3, "error echoes the id")
err('{"q":"x","limit":"ten"}', "bad_request", "limit of the wrong type")
err('{"q":"x","limit":5000}', "bad_request", "limit over the bound")
err('{"q":"x","mode":"most"}', "bad_request", "unknown mode")
err('{"op":"drop","id":4}', "bad_request", "unknown op")
err('{"q":"x","fields":["colour"]}', "bad_request", "unknown field")
err('{"id":[1],"op":"ping"}', "bad_request", "id of the wrong type")
r = err({"id": 5, "q": 'axis "of evil'}, "bad_query", "unbalanced quote")
check(isinstance(r["error"].get("position"), int), "bad_query: position given")
err({"q": "x" * 5000}, "bad_query", "query over 4096 bytes")
err(b'{"q":"\xff"}', "bad_request", "invalid UTF-8 in JSON")
r = c.call(b"\xff\xfe axis")
check(r["ok"] is True, "invalid UTF-8 in a raw line is still a search")
check(c.call({"id": "after", "op": "ping"})["id"] == "after", "still usable after errors")

# ---- 200 pipelined requests answered in order ---------------------------------------------
queries = ["iran", "north korea", "missile", "axis of evil", "nuclear", "tehran", "silla",
           "kind:reference", "weapons OR arms", "\"north korea\""]
expected = {q: c.call({"q": q, "limit": 5}) for q in queries}
batch = []
for i in range(200):
    if i % 3 == 0:
        batch.append(json.dumps({"id": i, "op": "ping"}))
    else:
        batch.append(json.dumps({"id": i, "q": queries[i % len(queries)], "limit": 5}))
c.send_raw(("\n".join(batch) + "\n").encode())
for i in range(200):
    r = c.read()
    check(r["id"] == i, "pipelined answer %d in order" % i) if i % 50 == 0 else None
    assert r["id"] == i, (i, r)
    if i % 3:
        want = expected[queries[i % len(queries)]]
        assert ids(r) == ids(want) and r["total"] == want["total"], (i, r, want)
check(True, "200 pipelined answers in order and equal to the serial answers")

# ---- stats --------------------------------------------------------------------------------
s = c.call({"id": "st", "op": "stats"})
check(s["id"] == "st" and s["ok"], "stats ok")
check(s["index"] == "ready" and s["docs"] > 10 and s["terms"] > 100, "stats: docs and terms")
check(isinstance(s["revision"], int) and s["revision"] >= 1, "stats: revision")
check(isinstance(s["uptime_s"], (int, float)), "stats: uptime")
check(s["threads"] == 2, "stats: threads")
check(s["connections"]["current"] >= 1 and s["connections"]["total"] >= 2,
      "stats: connections current/total")
check(s["queries"] >= 150 and s["requests"] > s["queries"], "stats: queries and requests")
check(set(s["errors"]) == {"bad_request", "bad_query", "too_large", "overloaded",
                          "unavailable", "internal", "not_found"}, "stats: errors by code")
check(s["errors"]["bad_request"] >= 9 and s["errors"]["bad_query"] >= 2,
      "stats: errors counted")
lat = s["latency_us"]
check(0 < lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["p999"], "stats: latency percentiles")
check(s["reindex"]["running"] is False and s["reindex"]["last"] is None,
      "stats: no reindex yet")
c.close()
EOF

# ---- flags ---------------------------------------------------------------------------------
rc=0
"$SILK_BIN/silkd" --bogus >"$T/out" 2>&1 || rc=$?
assert_eq "$rc" 2 "unknown flag: exit 2"
assert_contains "$(cat "$T/out")" "unknown option '--bogus'" "unknown flag: message"
for n in 0 65 -1 abc; do
    rc=0
    "$SILK_BIN/silkd" --threads "$n" >"$T/out" 2>&1 || rc=$?
    assert_eq "$rc" 2 "--threads $n: exit 2"
    assert_contains "$(cat "$T/out")" "--threads must be" "--threads $n: message"
done
rc=0
"$SILK_BIN/silkd" --socket >"$T/out" 2>&1 || rc=$?
assert_eq "$rc" 2 "missing value: exit 2"
rc=0
"$SILK_BIN/silkd" --log-level loud >"$T/out" 2>&1 || rc=$?
assert_eq "$rc" 2 "bad log level: exit 2"
help="$("$SILK_BIN/silkd" --help)"
for f in --index --corpus --socket --listen --threads --watch --idle-timeout --log-level \
    --print-socket --max-connections; do
    assert_contains "$help" "$f" "--help documents $f"
done
assert_eq "$(SILK_SOCKET=/x/s.sock "$SILK_BIN/silkd" --print-socket)" /x/s.sock \
    "--print-socket: \$SILK_SOCKET"
assert_eq "$(env -u SILK_SOCKET XDG_RUNTIME_DIR=/run/user/7 "$SILK_BIN/silkd" --print-socket)" \
    /run/user/7/silk/silk.sock "--print-socket: \$XDG_RUNTIME_DIR/silk/silk.sock"
assert_eq "$(env -u SILK_SOCKET -u XDG_RUNTIME_DIR "$SILK_BIN/silkd" --print-socket)" \
    "/tmp/silk-$(id -u)/silk.sock" "--print-socket: /tmp default"
assert_eq "$(SILK_SOCKET=/x/s.sock "$SILK_BIN/silkd" --socket /y/t.sock --print-socket)" \
    /y/t.sock "--print-socket: --socket wins"

# An unsafe socket folder is refused.
mkdir -p "$T/open" && chmod 777 "$T/open"
rc=0
"$SILK_BIN/silkd" --index "$T/index" --socket "$T/open/s.sock" >"$T/out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "world-writable socket folder accepted"
assert_contains "$(cat "$T/out")" "others can write" "world-writable socket folder refused"

kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 0 "SIGTERM: exit 0"
[ ! -e "$sock" ] || fail "socket left behind"
ok "socket removed at exit"
grep -q "serving" "$T/silkd.log" || fail "no start-up log line"
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z silkd\[[0-9]+\] info: ' "$T/silkd.log" ||
    fail "log lines lack timestamps: $(head -3 "$T/silkd.log")"
ok "log lines carry timestamps"
