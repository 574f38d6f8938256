#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generates a large, reproducible corpus of articles in silk's .txt format from the real
sentences of a data folder (SILK_DATA, by default ../shared/data): English from Cranfield,
Korean from KorQuAD, Persian from PersianQA. The same seed and size always give
byte-identical files. tests/data/gen is a small sample in the same layout (Korean and
Persian as verbatim paragraphs in paragraphs.txt), so tests need nothing outside the repo.

  gencorpus.py generate SHARED_DATA OUT_DIR [--mb 200] [--seed 42] [--jsonl FILE]
      writes OUT_DIR/<name>.txt articles until they total --mb megabytes, and with --jsonl
      the same documents as silk would cut them (one per paragraph and per reference, id
      "<name>#p<N>" / "<name>#ref-<N>", the article title as title) for the peers.
  gencorpus.py mutate OUT_DIR [--fraction 0.01] [--seed 7]
      changes --fraction of the articles (one more sentence in the lead), for the
      incremental re-index benchmark; prints the number of files changed.
  gencorpus.py queries SHARED_DATA OUT.tsv [--n 1000] [--seed 3]
      a query mix for the generated corpus: 1 to 3 consecutive words of a random real
      sentence, in the corpus' language mix, as `qid<TAB>text` lines.
  gencorpus.py txt2jsonl ARTICLE.txt... OUT.jsonl
      the documents of .txt articles as JSONL for the peers (one per paragraph, infobox
      and reference line; headings dropped), roughly as silk-index cuts them.

Each article: a title line, a lead paragraph, 2-7 sections (a short heading line, then
paragraphs one per line) with [n] citation markers, and a References list whose `- `
lines are built from Cranfield's authors and bibliographic sources. About 60% of the
articles are English, 25% Korean, 15% Persian (by count), like a multilingual wiki.
"""
import argparse
import json
import os
import random
import re
import sys


def sentences_of(text, lang):
    """Splits prose into sentences (crude but deterministic)."""
    text = re.sub(r"\s+", " ", text).strip()
    if lang == "en":
        parts = [p.strip() for p in text.split(" . ")]
        out = []
        for p in parts:
            p = p.strip(" .")
            if len(p) < 20:
                continue
            out.append(p[0].upper() + p[1:] + ".")
        return out
    # Korean and Persian: cut after ., ?, ! and the Arabic question mark.
    parts = re.split(r"(?<=[.?!\u061f])\s+", text)
    return [p.strip() for p in parts if len(p.strip()) >= 15]


def load_pools(shared):
    pools = {"en": [], "ko": [], "fa": []}
    titles = {"en": [], "ko": [], "fa": []}
    refs = []
    # Cranfield: .T title, .A authors, .B source, .W body.
    rec, tag = {}, None
    with open(os.path.join(shared, "cranfield", "cran.all.1400"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    records = []
    for line in lines:
        if line.startswith(".I "):
            if rec:
                records.append(rec)
            rec, tag = {}, None
        elif re.match(r"^\.[TAWB]$", line):
            tag = line[1]
            rec.setdefault(tag, [])
        elif tag:
            rec[tag].append(line)
    if rec:
        records.append(rec)
    for r in records:
        body = " ".join(r.get("W", []))
        title = " ".join(r.get("T", [])).strip(" .")
        pools["en"].extend(sentences_of(body, "en"))
        words = title.split()
        if 2 <= len(words):
            titles["en"].append(" ".join(w.capitalize() for w in words[:7]))
        author = " ".join(r.get("A", [])).strip()
        source = " ".join(r.get("B", [])).strip()
        if author and source and title:
            refs.append((author, title, source))
    for name, lang, path in (("korquad1-dev", "ko", "KorQuAD_v1.0_dev.json"),
                             ("persianqa-test", "fa", "pqa_test.json")):
        full = os.path.join(shared, name, path)
        if os.path.exists(full):
            with open(full, encoding="utf-8") as f:
                data = json.load(f)["data"]
        else:
            # The sample kept in the repo (tests/data/gen): verbatim paragraphs, one per
            # line, each article's under a "# title" line.
            data = []
            with open(os.path.join(shared, name, "paragraphs.txt"), encoding="utf-8") as f:
                for line in f:
                    line = line.rstrip("\n")
                    if line.startswith("# "):
                        data.append({"title": line[2:], "paragraphs": []})
                    elif line and data:
                        data[-1]["paragraphs"].append({"context": line})
        seen = set()
        for art in data:
            titles[lang].append(art["title"].strip())
            for para in art["paragraphs"]:
                if para["context"] in seen:
                    continue
                seen.add(para["context"])
                pools[lang].extend(sentences_of(para["context"], lang))
    for k in pools:
        if not pools[k] or not titles[k]:
            sys.exit("gencorpus: no %s sentences found under %s" % (k, shared))
    return pools, titles, refs


def heading(rng, pool):
    """A short heading: the first 2-4 words of a sentence, without final punctuation."""
    words = rng.choice(pool).split()[: rng.randint(2, 4)]
    return " ".join(words).strip(" .,;:?!\u061f\u060c")


def paragraph(rng, pool, nrefs):
    out = []
    for _ in range(rng.randint(3, 8)):
        s = rng.choice(pool)
        if nrefs and rng.random() < 0.25:
            s += "[%d]" % rng.randint(1, nrefs)
        out.append(s)
    return " ".join(out)


def article(rng, pools, titles, refs, idx):
    r = rng.random()
    lang = "en" if r < 0.60 else ("ko" if r < 0.85 else "fa")
    pool = pools[lang]
    title = "%s %d" % (rng.choice(titles[lang]), idx)
    nrefs = rng.randint(3, 30)
    lines = [title]
    paras = [paragraph(rng, pool, nrefs)]
    lines.append(paras[0])
    for _ in range(rng.randint(2, 7)):
        h = heading(rng, pool)
        if not h:
            continue
        lines.append(h)
        for _ in range(rng.randint(1, 5)):
            p = paragraph(rng, pool, nrefs)
            paras.append(p)
            lines.append(p)
    lines.append("References")
    reflines = []
    for _ in range(nrefs):
        author, rtitle, source = rng.choice(refs)
        year = rng.randint(1950, 2023)
        ref = '%s (%d). "%s". %s' % (author.title(), year, rtitle.capitalize(), source)
        reflines.append(ref)
        lines.append("- " + ref)
    return title, "\n".join(lines) + "\n", paras, reflines


def generate(args):
    rng = random.Random(args.seed)
    pools, titles, refs = load_pools(args.shared)
    os.makedirs(args.out, exist_ok=True)
    target = int(args.mb * 1e6)
    total, idx = 0, 0
    jsonl = open(args.jsonl, "w", encoding="utf-8") if args.jsonl else None
    while total < target:
        idx += 1
        title, text, paras, reflines = article(rng, pools, titles, refs, idx)
        name = "a%06d" % idx
        data = text.encode("utf-8")
        with open(os.path.join(args.out, name + ".txt"), "wb") as f:
            f.write(data)
        total += len(data)
        if jsonl:
            for n, p in enumerate(paras, 1):
                jsonl.write(json.dumps({"id": "%s#p%d" % (name, n), "title": title, "text": p},
                                       ensure_ascii=False) + "\n")
            for n, ref in enumerate(reflines, 1):
                jsonl.write(json.dumps({"id": "%s#ref-%d" % (name, n), "title": title,
                                        "text": ref}, ensure_ascii=False) + "\n")
    if jsonl:
        jsonl.close()
    print(json.dumps({"files": idx, "bytes": total, "seed": args.seed}))


def mutate(args):
    rng = random.Random(args.seed)
    names = sorted(n for n in os.listdir(args.out) if n.endswith(".txt"))
    k = max(1, int(round(len(names) * args.fraction)))
    changed = rng.sample(names, k)
    for name in changed:
        path = os.path.join(args.out, name)
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        # The lead (line 2) gets one more sentence: a real content change of one document.
        lines[1] += " This paragraph was revised in benchmark edit %d." % rng.randint(1, 10**9)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    print(json.dumps({"files": len(names), "changed": k}))


WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")


def queries(args):
    rng = random.Random(args.seed)
    pools, _titles, _refs = load_pools(args.shared)
    with open(args.out, "w", encoding="utf-8") as f:
        n = 0
        while n < args.n:
            r = rng.random()
            lang = "en" if r < 0.60 else ("ko" if r < 0.85 else "fa")
            words = [w for w in WORD.findall(rng.choice(pools[lang]))
                     if len(w) >= (3 if lang == "en" else 2) and not w.isdigit()]
            if not words:
                continue
            k = min(len(words), rng.randint(1, 3))
            start = rng.randint(0, len(words) - k)
            n += 1
            f.write("g%d\t%s\n" % (n, " ".join(words[start:start + k])))


FINAL = tuple(".!?:;,\"\u201d)]\u2026")
REF_HEADINGS = {"References", "Further reading", "Notes", "Bibliography", "Citations"}


def txt2jsonl(args):
    with open(args.files[-1], "w", encoding="utf-8") as out:
        for path in args.files[:-1]:
            name = os.path.splitext(os.path.basename(path))[0]
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = [l.strip() for l in f.read().split("\n") if l.strip()]
            if not lines:
                continue
            title, docs, section, infobox, p, r = lines[0], [], "", [], 0, 0
            for i, line in enumerate(lines[1:], 1):
                if "|" in line and (infobox or i == 2) and not line.startswith("- "):
                    infobox.append(line)
                    continue
                if infobox and not any(d[0] == "infobox" for d in docs):
                    docs.append(("infobox", " ; ".join(infobox)))
                if len(line) <= 80 and not line.endswith(FINAL) and not line.startswith("- "):
                    section = line
                    continue
                if line.startswith("- ") and section in REF_HEADINGS:
                    r += 1
                    docs.append(("ref-%d" % r, line[2:]))
                else:
                    p += 1
                    docs.append(("p%d" % p, line[2:] if line.startswith("- ") else line))
            for anchor, text in docs:
                out.write(json.dumps({"id": "%s#%s" % (name, anchor), "title": title,
                                      "text": text}, ensure_ascii=False) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("shared")
    g.add_argument("out")
    g.add_argument("--mb", type=float, default=200)
    g.add_argument("--seed", type=int, default=42)
    g.add_argument("--jsonl")
    m = sub.add_parser("mutate")
    m.add_argument("out")
    m.add_argument("--fraction", type=float, default=0.01)
    m.add_argument("--seed", type=int, default=7)
    q = sub.add_parser("queries")
    q.add_argument("shared")
    q.add_argument("out")
    q.add_argument("--n", type=int, default=1000)
    q.add_argument("--seed", type=int, default=3)
    t = sub.add_parser("txt2jsonl")
    t.add_argument("files", nargs="+")
    args = ap.parse_args()
    {"generate": generate, "mutate": mutate, "queries": queries,
     "txt2jsonl": txt2jsonl}[args.cmd](args)


if __name__ == "__main__":
    main()
