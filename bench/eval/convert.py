#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Converts the relevance collections of ../shared/data into one neutral form.

For each collection, under OUT/<name>/:
  docs.jsonl    silk's JSONL corpus format, one {"id","title","text"} per line
                (+ "author" for Cranfield)
  queries.tsv   qid<TAB>query text, one query per line
  qrels.txt     TREC qrels: "qid 0 docid gain"

Collections (read each SOURCE.md):
  cranfield  1400 abstracts, 225 queries numbered by their ORDER in cran.qry (1..225);
             codes 1..4 become gains 4..1, -1 becomes 0 (not relevant).
  korquad    the 961 distinct paragraphs of the KorQuAD 1.0 dev set are the documents;
             each of the 5774 questions has its own paragraph as its one relevant document.
  persianqa  the 93 paragraphs of the PersianQA test set; the 651 answerable questions,
             each with its paragraph as its one relevant document.

The outputs are derived data and are written only under bench/data/ (git-ignored):
KorQuAD's licence forbids redistributing derivatives.

usage: convert.py SHARED_DATA_DIR OUT_DIR [collection ...]
"""
import json
import os
import re
import sys


def one_line(text):
    """Collapses every run of whitespace (tabs and newlines included) to one space."""
    return re.sub(r"\s+", " ", text).strip()


def write_collection(out, name, docs, queries, qrels):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "docs.jsonl"), "w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    with open(os.path.join(d, "queries.tsv"), "w", encoding="utf-8") as f:
        for qid, text in queries:
            f.write("%s\t%s\n" % (qid, one_line(text)))
    with open(os.path.join(d, "qrels.txt"), "w", encoding="utf-8") as f:
        for qid, docid, gain in qrels:
            f.write("%s 0 %s %d\n" % (qid, docid, gain))
    print("%s: %d documents, %d queries, %d judgments" % (name, len(docs), len(queries),
                                                         len(qrels)))


def smart_records(path):
    """Parses SMART tagged records: yields (id, {tag: text}) for `.I n` then `.X` fields."""
    rec_id, fields, tag = None, {}, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^\.([A-Z])(?:\s+(.*))?$", line)
            if m:
                if m.group(1) == "I":
                    if rec_id is not None:
                        yield rec_id, fields
                    rec_id, fields, tag = m.group(2).strip(), {}, None
                else:
                    tag = m.group(1)
                    fields.setdefault(tag, [])
                continue
            if tag:
                fields[tag].append(line)
    if rec_id is not None:
        yield rec_id, fields


def cranfield(src):
    base = os.path.join(src, "cranfield")
    docs = []
    for rid, f in smart_records(os.path.join(base, "cran.all.1400")):
        doc = {"id": rid, "title": one_line(" ".join(f.get("T", []))),
               "text": one_line(" ".join(f.get("W", [])))}
        author = one_line(" ".join(f.get("A", [])))
        if author:
            doc["author"] = author
        docs.append(doc)
    queries = []
    # cranqrel numbers the queries by their position in cran.qry, not by the .I label.
    for pos, (_label, f) in enumerate(smart_records(os.path.join(base, "cran.qry")), 1):
        queries.append((str(pos), " ".join(f.get("W", []))))
    qrels = []
    with open(os.path.join(base, "cranqrel")) as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 3:
                continue
            qid, docid, code = parts[0], parts[1], int(parts[2])
            gain = 5 - code if 1 <= code <= 4 else 0
            qrels.append((qid, docid, gain))
    return docs, queries, qrels


def squad(path, prefix, answerable_only):
    """Paragraphs are documents (identical texts merged); each question -> its paragraph."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)["data"]
    docs, queries, qrels, by_text = [], [], [], {}
    for article in data:
        title = one_line(article.get("title", ""))
        for para in article["paragraphs"]:
            text = para["context"]
            docid = by_text.get(text)
            if docid is None:
                docid = "%s%d" % (prefix, len(docs) + 1)
                by_text[text] = docid
                docs.append({"id": docid, "title": title, "text": one_line(text)})
            for qa in para["qas"]:
                if answerable_only and qa.get("is_impossible"):
                    continue
                qid = str(qa["id"])
                queries.append((qid, qa["question"]))
                qrels.append((qid, docid, 1))
    return docs, queries, qrels


def korquad(src):
    return squad(os.path.join(src, "korquad1-dev", "KorQuAD_v1.0_dev.json"), "k", False)


def persianqa(src):
    return squad(os.path.join(src, "persianqa-test", "pqa_test.json"), "f", True)


COLLECTIONS = {"cranfield": cranfield, "korquad": korquad, "persianqa": persianqa}


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    src, out = argv[1], argv[2]
    for name in argv[3:] or list(COLLECTIONS):
        docs, queries, qrels = COLLECTIONS[name](src)
        write_collection(out, name, docs, queries, qrels)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
