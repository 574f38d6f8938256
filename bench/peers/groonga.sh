#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# groonga-httpd (Debian packages groonga-bin, groonga-httpd) as a peer daemon on the same
# documents.
#   groonga.sh start WORKDIR DOCS.jsonl PORT   load the documents into a fresh Groonga
#                                              database, start groonga-httpd on
#                                              127.0.0.1:PORT; prints the master's pid
#   groonga.sh stop WORKDIR                    stop it
# Table Docs (title, text), a TokenBigram + NormalizerAuto lexicon with positional
# indexes built after the load. nginx runs one worker per core with reuseport. Groonga's
# result cache is turned off (groonga_cache_limit 0): silk caches no answers, and a
# benchmark that replays a fixed query mix would otherwise measure a cache.
set -euo pipefail
cmd="$1"
work="$(mkdir -p "$2" && cd "$2" && pwd)"
case "$cmd" in
start)
    docs="$3" port="$4"
    command -v groonga-httpd >/dev/null && command -v groonga >/dev/null ||
        { echo "groonga.sh: groonga-httpd not installed" >&2; exit 3; }
    rm -rf "$work/db" && mkdir -p "$work/db" "$work/logs"
    python3 - "$docs" "$work/load.grn" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as o:
    o.write("table_create Docs TABLE_HASH_KEY ShortText\n")
    o.write("column_create Docs title COLUMN_SCALAR ShortText\n")
    o.write("column_create Docs text COLUMN_SCALAR LongText\n")
    o.write("load --table Docs\n[\n")
    first = True
    for line in f:
        d = json.loads(line)
        rec = {"_key": d["id"], "title": d.get("title", ""), "text": d.get("text", "")}
        o.write(("" if first else ",\n") + json.dumps(rec, ensure_ascii=False))
        first = False
    o.write("\n]\n")
    o.write("table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram "
            "--normalizer NormalizerAuto\n")
    o.write("column_create Terms docs_title COLUMN_INDEX|WITH_POSITION Docs title\n")
    o.write("column_create Terms docs_text COLUMN_INDEX|WITH_POSITION Docs text\n")
PY
    groonga -n "$work/db/db" <"$work/load.grn" >"$work/load.log" 2>&1 ||
        { tail -5 "$work/load.log" >&2; exit 1; }
    cat >"$work/groonga-httpd.conf" <<CONF
worker_processes $(nproc);
user root root;
pid $work/httpd.pid;
error_log $work/logs/error.log;
daemon off;
events {
  worker_connections 4096;
}
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 300;
  groonga_database $work/db/db;
  groonga_log_path $work/logs/groonga.log;
  groonga_query_log_path $work/logs/query.log;
  groonga_cache_limit 0;
  server {
    listen 127.0.0.1:$port reuseport backlog=1024;
    location /d/ {
      groonga on;
      groonga_query_log_path off;
    }
  }
}
CONF
    groonga-httpd -p "$work/" -c "$work/groonga-httpd.conf" >"$work/logs/stdout.log" 2>&1 &
    echo $! >"$work/master.pid"
    for _ in $(seq 100); do
        (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
        sleep 0.1
    done
    cat "$work/master.pid"
    ;;
stop)
    if [ -s "$work/master.pid" ]; then
        kill -QUIT "$(cat "$work/master.pid")" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$(cat "$work/master.pid")" 2>/dev/null || break
            sleep 0.1
        done
        rm -f "$work/master.pid"
    fi
    ;;
*)
    echo "usage: groonga.sh start WORKDIR DOCS.jsonl PORT | stop WORKDIR" >&2
    exit 2
    ;;
esac
