#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The protocol's doc op against a real silkd on the corpus article and a second article
# that cites its own [1]: a paragraph with its cites and their reference texts, a reference
# with the paragraphs citing it, links that stay inside their article, not_found for an id
# no document has, bad_request for a malformed request, and the connection usable after;
# and cites:N scoped by article: named by title or by file name.
. "$(dirname "$0")/lib.sh"
python_helpers

corpus_article
cat >"$T/corpus/syria-north-korea-relations.txt" <<'TXT'
Syria–North Korea relations
Syria–North Korea relations are the bilateral relations between Syria and North Korea, which cooperate on missiles.[1] The two countries share a history of arms trade.[2]
History
North Korea sent pilots to Syria in 1973, and the cooperation on missile technology continued.[1]
References
- Smith, John (2010). "Syria and North Korea". Example Press.
- Doe, Jane (2012). "Arms trade". Example Journal.
TXT
index_corpus -3
sock="$T/silk.sock"
start_silkd "$sock"

python3 - "$sock" <<'PY' || fail "doc op"
import sys
from daemon_client import Client
A = "iran-north-korea-relations#"
c = Client(sys.argv[1])
c.send({"id": 1, "op": "doc", "doc": A + "p15"})
r = c.read()
assert r["id"] == 1 and r["ok"] is True, r
d = r["doc"]
assert list(d)[:5] == ["id", "kind", "article", "section", "text"], list(d)
assert (d["id"], d["kind"], d["article"], d["section"]) == (
    A + "p15", "paragraph", "Iran–North Korea relations", "Military weapons"), d
assert "Arms Trade Treaty" in d["text"], d
assert [(x["n"], x["id"]) for x in d["cites"]] == [(32, A + "ref-32"), (33, A + "ref-33")], d
assert d["cites"][0]["text"].startswith("MacFarquhar, Neil (28 March 2013)"), d
assert d["cited_by"] == [] and "year" not in d, d
print("ok: doc p15: cites [32] [33] with their texts")

c.send({"id": 2, "op": "doc", "doc": A + "ref-2"})
d = c.read()["doc"]
assert d["kind"] == "reference" and d["year"] == 2007 and d["authors"] == ["Con Coughlin"], d
assert [x["id"] for x in d["cited_by"]] == [A + "p1"], d
t = d["cited_by"][0]["text"]
assert t.startswith("Iran–North Korea relations (Korean:") and t.endswith("…"), t
assert len(t) <= 201 and d["cited_by"][0]["section"] == "", t
print("ok: doc ref-2: cited_by p1 with the opening of its text")

# The other article's [1] is its own reference, cited by its own paragraphs.
S = "syria-north-korea-relations#"
c.send({"id": 3, "op": "doc", "doc": S + "ref-1"})
d = c.read()["doc"]
assert [x["id"] for x in d["cited_by"]] == [S + "p1", S + "p2"], d
assert d["cited_by"][1]["section"] == "History", d
c.send({"id": 4, "op": "doc", "doc": S + "p1"})
d = c.read()["doc"]
assert [(x["n"], x["id"]) for x in d["cites"]] == [(1, S + "ref-1"), (2, S + "ref-2")], d
assert d["cites"][0]["text"].startswith("Smith, John"), d
print("ok: links stay inside their article")

for i, (req, code) in enumerate([
        ({"op": "doc", "doc": A + "p999"}, "not_found"),
        ({"op": "doc", "doc": "nope"}, "not_found"),
        ({"op": "doc"}, "bad_request"),
        ({"op": "doc", "doc": 15}, "bad_request"),
        ({"op": "doc", "doc": "x" * 241}, "bad_request")]):
    req["id"] = 10 + i
    c.send(req)
    r = c.read()
    assert r["id"] == 10 + i and r["ok"] is False and r["error"]["code"] == code, (req, r)
    assert r["error"]["message"], r
print("ok: not_found and bad_request answers, with the request's id")
# cites:N scoped by article:, named by its file name or by its title.
def ids(q):
    c.send({"op": "search", "q": q, "limit": 50, "fields": ["id"]})
    r = c.read()
    assert r["ok"], r
    return sorted(h["id"] for h in r["hits"])
assert ids("cites:1") == [A + "p1", S + "p1", S + "p2"], ids("cites:1")
assert ids('cites:1 article:"Iran–North Korea relations"') == [A + "p1"]
assert ids('cites:1 article:"Syria–North Korea relations"') == [S + "p1", S + "p2"]
assert ids("cites:1 article:syria-north-korea-relations") == [S + "p1", S + "p2"]
assert ids('cites:2 article:"syria–north korea RELATIONS"') == [S + "p1"]
assert ids('cites:1 article:"North Korea relations"') == []
print("ok: cites:N scoped to the article named by its title or its file name")
c.send({"id": 20, "op": "ping"})
assert c.read() == {"id": 20, "ok": True, "pong": True}
c.send({"id": 21, "op": "stats"})
s = c.read()
assert s["errors"]["not_found"] == 2, s["errors"]
print("ok: the connection stays usable; stats count not_found")
PY
stop_silkd
echo "daemon_doc: all checks passed"
