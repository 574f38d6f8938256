# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers of the fault*.sh end-to-end tests: a deterministic synthetic corpus, edits that
only ever add documents, and the set of document ids an index holds (its Q terms, read with
xapian-delve, so the check does not depend on silk's own code).

usage as a program:
  fault_util.py gen DIR N SEED       write N articles (art-000.txt ...) into DIR
  fault_util.py ids INDEX            print the index's document ids, one a line
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile

WORDS = ("relations embassy treaty missile nuclear program cooperation trade oil sanctions "
         "delegation minister visit agreement weapons technology reactor enrichment border "
         "economy railway harbour festival museum river mountain village council election "
         "parliament history culture language science university student teacher farmer "
         "market bank currency export import factory engine aircraft satellite launch").split()


def sentence(rng, n=None, cite_max=0):
    n = n or rng.randint(8, 20)
    s = " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."
    if cite_max and rng.random() < 0.7:
        s += "[%d]" % rng.randint(1, cite_max)
    return s


def article(k, rng):
    """One .txt article in silk's format: title, lead, sections, references."""
    nref = rng.randint(2, 6)
    lines = ["Article %d on %s" % (k, rng.choice(WORDS)),
             "Unique zq%dx lead. " % k + " ".join(sentence(rng, cite_max=nref) for _ in range(3))]
    for sec in rng.sample(["History", "Politics", "Economy", "Culture"], 2):
        lines.append(sec)
        for _ in range(rng.randint(2, 4)):
            lines.append(" ".join(sentence(rng, cite_max=nref) for _ in range(rng.randint(2, 5))))
    lines.append("References")
    for r in range(nref):
        lines.append('- Author%d, Name (%d). "%s". Publisher.' % (r, 1990 + rng.randint(0, 30),
                                                                 sentence(rng, 5)))
    return "\n".join(lines) + "\n"


def gen(folder, n, seed):
    rng = random.Random(seed)
    os.makedirs(folder, exist_ok=True)
    for k in range(n):
        with open(os.path.join(folder, "art-%03d.txt" % k), "w", encoding="utf-8") as f:
            f.write(article(k, rng))


def add_paragraph(path, text):
    """Inserts a prose paragraph before the References heading: existing documents keep
    their ids (paragraph numbers only grow), one document is added."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    at = lines.index("References")
    lines.insert(at, text)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    os.replace(tmp, path)


def index_ids(index):
    """The document ids (Q terms) of the index at `index`."""
    out = subprocess.run(["xapian-delve", "-1", "-a", index], check=True,
                         stdout=subprocess.PIPE).stdout.decode("utf-8")
    return {t[1:] for t in out.split("\n") if t.startswith("Q")}


def xapian_check(index):
    """(ok, output) of xapian-check on the index.

    xapian-check opens a glass table read/write, so an index the caller may not write
    (made read-only by a test, as a regular user) is checked as a copy: nothing can write
    to it meanwhile, so the copy is the same database."""
    if not os.access(index, os.W_OK) or any(
            not os.access(os.path.join(index, f), os.W_OK) for f in os.listdir(index)):
        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, "index")
            shutil.copytree(index, copy)
            os.chmod(copy, 0o700)
            for f in os.listdir(copy):
                os.chmod(os.path.join(copy, f), 0o600)
            return xapian_check(copy)
    p = subprocess.run(["xapian-check", index], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    return p.returncode == 0, p.stdout.decode("utf-8", "replace")


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "ids":
        for i in sorted(index_ids(sys.argv[2])):
            print(i)
