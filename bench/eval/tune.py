#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tunes silk's ranking parameters on Cranfield (issue 19's method) through bench/tune.

usage: tune.py TUNE_BIN INDEX QUERIES.tsv QRELS [--quick]

Three stages, each a grid run through the real search library in process (bench/tune,
mode any, top 100), each set starting from the same plain base (BASE):
  A. bag of words, English stopwords left out of the query: BM25 k1 x b, and the other
     weighting schemes (BM25+, IneB2, InL2, BB2, PL2, DPH) at their usual parameters;
  B. over A's best set: pseudo-relevance feedback (documents x terms x weight, the first
     3 hits frozen);
  C. over B's choice: the proximity bonus (weight x window).
A stage's choice is its best nDCG@10 (in B and C, sets within TIE = 0.003 of the best go
to the cheapest query: fewest expansion terms, then documents, then no proximity). The same
stages are run on the odd-numbered queries
only and applied to the even ones, and the other way round (2-fold cross-validation): the
cross-validated figures are the folds' test scores, weighted by their number of queries.
Prints one JSON record per line: {"section":"tuning",...} for every set of the full grid,
{"section":"tuning-chosen",...} and {"section":"tuning-cv",...}.
"""
import json
import os
import re
import subprocess
import sys
import tempfile


# Every set starts from the same plain base (silk's defaults would otherwise carry their
# scheme and feedback into stage A): BM25 or the scheme named, no feedback, no proximity.
BASE = "fb_docs=0,proximity=0,stopwords=true"
# In stages B and C a set within TIE of the best nDCG@10 that costs less wins: feedback
# and the proximity pairs each multiply the cost of a long query (bench/tune's p50), and
# a gain under 0.003 on 225 queries is a few queries' worth.
TIE = 0.003


def grids(quick):
    if quick:
        a = ["%s,scheme=bm25,k1=%s,b=%s" % (BASE, k, b) for k in ("1.2", "4") for b in ("0.6",)]
        a += ["%s,scheme=ineb2,c=0.5" % BASE]
        b = [(d, t, w) for d in (2, 3) for t in (50,) for w in (0.5,)]
        prox = [("0.1", "8")]
    else:
        a = ["%s,scheme=bm25,k1=%s,b=%s" % (BASE, k, b)
             for k in ("1.2", "2", "3", "4", "5") for b in ("0.5", "0.6", "0.75")]
        a += ["%s,%s" % (BASE, s) for s in (
            "scheme=bm25+,k1=4,b=0.6,delta=0.5", "scheme=ineb2,c=0.5", "scheme=ineb2,c=1",
            "scheme=inl2,c=0.5", "scheme=bb2,c=0.5", "scheme=pl2,c=1", "scheme=dph")]
        b = [(d, t, w) for d in (2, 3, 5) for t in (20, 50, 100) for w in (0.3, 0.4, 0.5)]
        prox = [("0.05", "4"), ("0.1", "4"), ("0.1", "8"), ("0.2", "8")]
    return a, b, prox


def split(queries, qrels, tmp):
    """The odd- and even-numbered queries and their judgments, as files in tmp."""
    files = {}
    for fold, parity in (("odd", 1), ("even", 0)):
        qf, rf = os.path.join(tmp, fold + ".tsv"), os.path.join(tmp, fold + ".qrels")
        keep = set()
        with open(queries, encoding="utf-8") as f, open(qf, "w", encoding="utf-8") as o:
            for line in f:
                qid = line.split("\t", 1)[0]
                if qid.isdigit() and int(qid) % 2 == parity:
                    keep.add(qid)
                    o.write(line)
        with open(qrels, encoding="utf-8") as f, open(rf, "w", encoding="utf-8") as o:
            for line in f:
                if line.split(" ", 1)[0] in keep:
                    o.write(line)
        files[fold] = (qf, rf)
    return files


def run(tune, index, queries, qrels, sets):
    out = subprocess.run([tune, index, queries, qrels] + sets,
                         capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        m = re.match(r"set=(\S+)\s+(.*)", line)
        if not m:
            continue
        kv = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", m.group(2))}
        kv["set"] = m.group(1)
        rows.append(kv)
    return rows


def cost(s):
    """What a set costs per query: expansion terms, feedback documents, the proximity pairs."""
    kv = {}
    for p in s.split(","):
        k, v = p.split("=")
        kv[k] = v  # the last one wins, as in bench/tune
    fb = int(kv.get("fb_docs", 0)) > 0
    return (int(kv.get("fb_terms", 0)) if fb else 0, int(kv.get("fb_docs", 0)),
            float(kv.get("proximity", 0)))


def best(rows, tie=0.0):
    top = max(r["ndcg10"] for r in rows)
    near = [r for r in rows if r["ndcg10"] >= top - tie]
    return min(near, key=lambda r: (cost(r["set"]), -r["ndcg10"], -r["map"]))


def tune_on(tune, index, queries, qrels, quick, records=None):
    a, b, prox = grids(quick)
    ra = run(tune, index, queries, qrels, a)
    base = best(ra)["set"]
    sb = [base] + ["%s,fb_docs=%d,fb_terms=%d,fb_weight=%s,fb_min_docs=1,fb_freeze=3" %
                   (base, d, t, w) for d, t, w in b]
    rb = run(tune, index, queries, qrels, sb)
    fbset = best(rb, TIE)["set"]
    sc = [fbset] + ["%s,proximity=%s,window=%s" % (fbset, p, w) for p, w in prox]
    rc = run(tune, index, queries, qrels, sc)
    chosen = best(rc, TIE)
    if records is not None:
        for stage, rows in (("A", ra), ("B", rb), ("C", rc)):
            for r in rows:
                records.append(dict(r, section="tuning", stage=stage))
    return chosen


def main(argv):
    if len(argv) < 5:
        sys.stderr.write(__doc__)
        return 2
    tune, index, queries, qrels = argv[1:5]
    quick = "--quick" in argv
    records = []
    chosen = tune_on(tune, index, queries, qrels, quick, records)
    for r in records:
        print(json.dumps(r))
    print(json.dumps(dict(chosen, section="tuning-chosen")))
    folds = []
    with tempfile.TemporaryDirectory() as tmp:
        files = split(queries, qrels, tmp)
        for train, test in (("odd", "even"), ("even", "odd")):
            c = tune_on(tune, index, files[train][0], files[train][1], quick)
            t = run(tune, index, files[test][0], files[test][1], [c["set"]])[0]
            folds.append(dict(t, train=train, test=test))
    n = sum(f["queries"] for f in folds)
    cv = {k: sum(f[k] * f["queries"] for f in folds) / n
          for k in ("map", "ndcg10", "recall100", "mrr10")}
    print(json.dumps(dict(cv, section="tuning-cv", folds=folds, tuned_ndcg10=chosen["ndcg10"],
                          tuned_map=chosen["map"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
