#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs every query of a collection through a running silkd and writes a TREC run.

usage: silk_run.py SOCKET QUERIES.tsv RUN_OUT [--limit 100] [--mode any]

Each query is sent as {"id":N,"op":"search","q":...,"mode":"any","limit":100} over the
daemon's Unix socket (pipelined, at most 32 in flight), exactly as any client would. Hit
ids are "<article>#<docid>"; the part after the first '#' is the collection's document
id. The question text is natural language, not query syntax, so the characters silk's
query language gives a meaning to (quotes, parentheses, '*', ':', a leading '-' or '+')
become spaces and the capitalised operators OR/AND/NOT are lower-cased: the same words
reach the engine, as the FTS5 peer's "OR of the words" does. A query the daemon answers
with an error counts as a query with no hits (it scores 0); the count is printed.
"""
import json
import re
import socket
import sys

OPERATORS = {"OR", "AND", "NOT"}


def as_words(text):
    text = re.sub(r'["()*:]', " ", text)
    words = []
    for w in text.split():
        w = w.lstrip("-+")
        if not w:
            continue
        words.append(w.lower() if w in OPERATORS else w)
    return " ".join(words)


def main(argv):
    args = argv[1:]
    limit, mode = 100, "any"
    if "--limit" in args:
        i = args.index("--limit")
        limit = int(args[i + 1])
        del args[i:i + 2]
    if "--mode" in args:
        i = args.index("--mode")
        mode = args[i + 1]
        del args[i:i + 2]
    if len(args) != 3:
        sys.stderr.write(__doc__)
        return 2
    sock_path, queries_path, out_path = args
    queries = []
    with open(queries_path, encoding="utf-8") as f:
        for line in f:
            qid, _, text = line.rstrip("\n").partition("\t")
            queries.append((qid, as_words(text)))

    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock_path)
    rfile = s.makefile("rb")
    errors, sent, received = {}, 0, 0
    window = 32
    with open(out_path, "w", encoding="utf-8") as out:

        def send(i):
            req = {"id": i, "op": "search", "q": queries[i][1] or "-", "mode": mode,
                   "limit": limit}
            s.sendall((json.dumps(req, ensure_ascii=False) + "\n").encode("utf-8"))

        while sent < len(queries) and sent < window:
            send(sent)
            sent += 1
        while received < len(queries):
            line = rfile.readline()
            if not line:
                sys.stderr.write("silk_run: the daemon closed the connection\n")
                return 1
            resp = json.loads(line)
            i = resp.get("id")
            if not isinstance(i, int) or not 0 <= i < len(queries):
                sys.stderr.write("silk_run: unexpected answer %s\n" % line[:200])
                return 1
            received += 1
            qid = queries[i][0]
            if resp.get("ok"):
                for rank, hit in enumerate(resp.get("hits", []), 1):
                    docid = hit["id"].split("#", 1)[-1]
                    out.write("%s Q0 %s %d %.4f silk\n" % (qid, docid, rank,
                                                            hit.get("score", 0.0)))
            else:
                code = resp.get("error", {}).get("code", "?")
                errors[code] = errors.get(code, 0) + 1
            if sent < len(queries):
                send(sent)
                sent += 1
    s.close()
    sys.stderr.write("silk_run: %d queries, errors: %s\n" % (len(queries),
                                                             json.dumps(errors) if errors
                                                             else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
