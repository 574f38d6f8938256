#!/usr/bin/env python3
"""Tunes silk's ranking parameters on Cranfield (issue 19's method) through bench/tune.

usage: tune.py TUNE_BIN INDEX QUERIES.tsv QRELS [--quick]

Two stages, each a grid run through the real search library in process (bench/tune, mode
any, top 100):
  A. bag of words, English stopwords left out of the query: BM25 k1 x b, and the other
     weighting schemes (BM25+, IneB2, InL2, BB2, PL2, DPH) at their usual parameters;
  B. over A's best set: pseudo-relevance feedback (documents x terms x weight, the first
     3 hits frozen) and the proximity bonus.
The chosen set is the best nDCG@10 of B (ties within 0.002 go to the fewest expansion terms,
then documents: the cheaper query). The same two stages are run on the odd-numbered queries
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


def grids(quick):
    if quick:
        a = ["stopwords=true,k1=%s,b=%s" % (k, b) for k in ("1.2", "4") for b in ("0.6",)]
        a += ["stopwords=true,scheme=ineb2,c=0.5"]
        b = [(d, t, w) for d in (2, 3) for t in (50,) for w in (0.4,)]
        prox = [("0.1", "4")]
    else:
        a = ["stopwords=true,k1=%s,b=%s" % (k, b)
             for k in ("1.2", "2", "3", "4", "5") for b in ("0.5", "0.6", "0.75")]
        a += ["stopwords=true,scheme=bm25+,k1=4,b=0.6,delta=0.5",
              "stopwords=true,scheme=ineb2,c=0.5", "stopwords=true,scheme=ineb2,c=1",
              "stopwords=true,scheme=inl2,c=0.5", "stopwords=true,scheme=bb2,c=0.5",
              "stopwords=true,scheme=pl2,c=1", "stopwords=true,scheme=dph"]
        b = [(d, t, w) for d in (2, 3, 5) for t in (20, 50, 100) for w in (0.3, 0.4, 0.5)]
        prox = [("0.05", "4"), ("0.1", "4"), ("0.1", "8")]
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
    kv = dict(p.split("=") for p in s.split(","))
    return (int(kv.get("fb_terms", 0)) if "fb_docs" in kv else 0, int(kv.get("fb_docs", 0)))


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
    sb += ["%s,proximity=%s,window=%s" % (base, p, w) for p, w in prox]
    rb = run(tune, index, queries, qrels, sb)
    chosen = best(rb, 0.002)
    if records is not None:
        for stage, rows in (("A", ra), ("B", rb)):
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
