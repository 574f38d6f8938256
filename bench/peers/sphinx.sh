#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Sphinx searchd (Debian package sphinxsearch) as a peer daemon on the same documents.
#   sphinx.sh start WORKDIR DOCS.jsonl PORT   index the documents, start searchd on
#                                             127.0.0.1:PORT (SphinxQL); prints its pid
#   sphinx.sh stop WORKDIR                    stop it
# English words are stemmed (stem_en), Latin/Cyrillic/Arabic-script letters are word
# characters, Hangul and Han are indexed as unigrams (ngram_chars; 2.2 has no cjk alias),
# the default ranker (proximity_bm25) orders hits by relevance. listen_backlog is raised
# because the default (5) hangs connection storms above ~32 clients.
set -euo pipefail
cmd="$1"
work="$(mkdir -p "$2" && cd "$2" && pwd)"
case "$cmd" in
start)
    docs="$3" port="$4"
    command -v searchd >/dev/null || { echo "sphinx.sh: searchd not installed" >&2; exit 3; }
    # tsvpipe wants an integer id first: the line number; tabs cannot occur in the JSON
    # strings' decoded text because the generators write one-line text, but be safe.
    python3 - "$docs" "$work/docs.tsv" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as o:
    for n, line in enumerate(f, 1):
        d = json.loads(line)
        clean = lambda s: s.replace("\t", " ").replace("\n", " ").replace("\\", " ")
        o.write("%d\t%s\t%s\n" % (n, clean(d.get("title", "")), clean(d.get("text", ""))))
PY
    cat >"$work/sphinx.conf" <<CONF
source src
{
    type = tsvpipe
    tsvpipe_command = cat $work/docs.tsv
    tsvpipe_field = title
    tsvpipe_field = text
}
index docs
{
    source = src
    path = $work/docs
    morphology = stem_en
    charset_table = 0..9, A..Z->a..z, _, a..z, U+C0..U+D6->U+E0..U+F6, U+E0..U+F6, \\
        U+D8..U+DE->U+F8..U+FE, U+F8..U+FF, U+410..U+42F->U+430..U+44F, U+430..U+44F, \\
        U+620..U+64A, U+660..U+669, U+66E..U+6D3, U+6F0..U+6FF
    ngram_len = 1
    ngram_chars = U+1100..U+11FF, U+3130..U+318F, U+AC00..U+D7A3, U+4E00..U+9FFF
}
indexer
{
    mem_limit = 256M
}
searchd
{
    listen = 127.0.0.1:$port:mysql41
    log = $work/searchd.log
    pid_file = $work/searchd.pid
    binlog_path =
    workers = threads
    listen_backlog = 1024
    max_children = 0
    read_timeout = 30
    client_timeout = 300
}
CONF
    indexer --config "$work/sphinx.conf" --all >"$work/indexer.log" 2>&1 ||
        { cat "$work/indexer.log" >&2; exit 1; }
    searchd --config "$work/sphinx.conf" >"$work/searchd.out" 2>&1 ||
        { cat "$work/searchd.out" >&2; exit 1; }
    for _ in $(seq 100); do
        [ -s "$work/searchd.pid" ] && (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
        sleep 0.1
    done
    cat "$work/searchd.pid"
    ;;
stop)
    if [ -s "$work/searchd.pid" ]; then
        searchd --config "$work/sphinx.conf" --stopwait >/dev/null 2>&1 ||
            kill "$(cat "$work/searchd.pid")" 2>/dev/null || true
    fi
    ;;
*)
    echo "usage: sphinx.sh start WORKDIR DOCS.jsonl PORT | stop WORKDIR" >&2
    exit 2
    ;;
esac
