#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Reference headings in other scripts through the real daemon (issue 15): a Korean article
# (참고 문헌, 더 읽을거리) and a Persian one (منابع, برای مطالعهٔ بیشتر) from
# tests/data/refs/corpus (verbatim KorQuAD and PersianQA paragraphs, see its SOURCE.md) are
# indexed by silk-index; the list items under those headings must be reference and reading
# documents (kind:reference, kind:reading), and the paragraph stays the article's lead.
. "$(dirname "$0")/lib.sh"

cp -r "$SILK_ROOT/tests/data/refs/corpus" "$T/corpus"
index_corpus
sock="$T/silk.sock"
start_silkd "$sock" --threads 2

PYTHONPATH="$SILK_ROOT/tests/e2e" python3 - "$sock" <<'PY' || fail "reference heading checks"
import sys
from daemon_client import Client, check

c = Client(sys.argv[1])
n = 0


def search(q):
    global n
    n += 1
    r = c.call({"id": n, "op": "search", "q": q, "limit": 20})
    check(r["ok"], "%s: answered (%r)" % (q, r.get("error")))
    return r["hits"]


def kinds(hits):
    return sorted((h["article"], h["kind"], h["section"]) for h in hits)


ko, fa = "박대성 (1978년)", "ایستگاه فضایی بین\u200cالمللی"
h = search("kind:reference arXiv")
check([(x["article"], x["section"]) for x in h] == [(ko, "참고 문헌")],
      "Korean 참고 문헌: its item is a reference (%r)" % kinds(h))
h = search("kind:reading korquad")
check([(x["article"], x["section"]) for x in h] == [(ko, "더 읽을거리")],
      "Korean 더 읽을거리: its item is a reading (%r)" % kinds(h))
h = search("kind:reference persianqa")
check([(x["article"], x["section"]) for x in h] == [(fa, "منابع")],
      "Persian منابع: its item is a reference (%r)" % kinds(h))
h = search("kind:reading pqa_test")
check(len(h) == 1 and h[0]["article"] == fa and h[0]["section"].startswith("برای مطالعه"),
      "Persian برای مطالعهٔ بیشتر: its item is a reading (%r)" % kinds(h))
h = search("kind:paragraph")
check(h == [], "no reference item was indexed as a paragraph (%r)" % kinds(h))
h = search("미네르바")
check([x["kind"] for x in h] == ["lead"], "the Korean paragraph is the lead (%r)" % kinds(h))
print("refs_languages: %d requests" % n)
PY
ok "reference headings in Korean and Persian through the daemon"
