#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Builds an SQLite FTS5 table of a silk corpus, for bench/cli_latency.sh.

  cli_fts5.py CORPUS_DIR DB_FILE

One row per prose paragraph of every article (.txt and .md files; the first line is the
title, `|` table rows and short heading lines are skipped, `- ` list items are rows of
their own), with the article's file name and paragraph number as the id, so that the
sqlite3 command line searches the same text silk indexes. Tokenizer: unicode61 with
diacritics removed, the closest FTS5 has to silk's normalization.
"""
import os
import sqlite3
import sys


def rows(corpus):
    for root, _dirs, files in os.walk(corpus):
        for name in sorted(files):
            if not name.endswith((".txt", ".md")) or name == "synonyms.txt":
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = [l.strip() for l in f]
            if not lines:
                continue
            title = lines[0].lstrip("# ")
            article = os.path.splitext(name)[0]
            n = 0
            for line in lines[1:]:
                if not line or "|" in line and line.endswith("|") or line.startswith("#"):
                    continue
                if len(line) < 40 and not line.startswith("- "):
                    continue  # a heading
                n += 1
                yield (f"{article}#{n}", title, line.lstrip("- "))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    corpus, db = sys.argv[1], sys.argv[2]
    if os.path.exists(db):
        os.unlink(db)
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
                "tokenize = 'unicode61 remove_diacritics 2')")
    con.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows(corpus))
    con.commit()
    count = con.execute("SELECT count(*) FROM docs").fetchone()[0]
    con.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    con.commit()
    con.close()
    print(f"fts5: {count} rows in {db}")


if __name__ == "__main__":
    main()
