#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end latency of one query typed in a shell: `silk QUERY` against a warm silkd,
# beside `quest` (Xapian's QueryParser, on silk's own index), `sqlite3` with FTS5 on the
# same paragraphs, and `rg` over the corpus files. Every run is a fresh process, as when a
# person runs the command, so process start-up is part of the figure; `/bin/true` is
# measured too, as the floor that no command can beat on this machine.
#
#   bench/cli_latency.sh [--corpus DIR] [--index DIR] [--runs N] [--out FILE] [--query Q]...
#
# --query (repeatable) replaces the default queries (which suit the corpus article, or for
# another corpus the one bench/gen generates).
# --index serves an index of the corpus built before (a large corpus takes minutes).
# BIN (default bin) holds the silk programs. Uses hyperfine (-N, no shell in between) when
# it is installed and NO_HYPERFINE is unset, else a bash loop timed with $EPOCHREALTIME.
# Prints a Markdown table of medians (and p90) in milliseconds, and writes it to --out
# (default $BENCH_OUT/cli_latency.md for the corpus article, else
# $BENCH_OUT/cli_latency_large.md; BENCH_OUT defaults to bench/data/results, ignored by git:
# `make bench-update-results` copies them over the checked-in bench/results/).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/corpus"
runs=200
out=""
queries=()
index=""
while [ $# -gt 0 ]; do
    case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --query) queries+=("$2"); shift 2 ;;
    --index) index="$(cd "$2" && pwd)"; shift 2 ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "cli_latency.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
# Paths given by the caller are relative to where they ran us from.
corpus="$(cd "$corpus" && pwd)"
if [ -z "$out" ]; then
    results="${BENCH_OUT:-bench/data/results}"
    case "$results" in /*) ;; *) results="$root/$results" ;; esac
    out="$results/cli_latency.md"
    [ "$corpus" = "$root/corpus" ] || out="$results/cli_latency_large.md"
fi
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
cd "$root"
BIN="${BIN:-bin}"
# The command line as the table shows it: paths inside the repository relative to it,
# others as DIR, so that no path of this machine ends up in a committed result.
rel() { case "$1" in "$root"/*) echo "${1#"$root"/}" ;; *) echo DIR ;; esac; }
invocation="bench/cli_latency.sh --corpus $(rel "$corpus")${index:+ --index $(rel "$index")} --runs $runs"
for q in "${queries[@]}"; do invocation="$invocation --query '$q'"; done
for p in "$BIN/silk" "$BIN/silkd" "$BIN/silk-index"; do
    [ -x "$p" ] || { echo "cli_latency.sh: $p is missing; run make first" >&2; exit 2; }
done
for t in quest sqlite3 rg python3; do
    command -v "$t" >/dev/null || { echo "cli_latency.sh: $t is not installed (make deps)" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/silk-cli-bench.XXXXXX")"
silkd_pid=""
cleanup() {
    [ -n "$silkd_pid" ] && kill "$silkd_pid" 2>/dev/null && wait "$silkd_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

echo "corpus: $(rel "$corpus") ($(du -sh "$corpus" | cut -f1)), $runs runs per command" >&2
if [ -z "$index" ]; then
    index="$work/index"
    rc=0
    "$BIN/silk-index" --corpus "$corpus" --index "$index" >"$work/index.log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
        cat "$work/index.log" >&2
        exit 1
    fi
fi
sock="$work/silk.sock"
"$BIN/silkd" --index "$index" --corpus "$corpus" --socket "$sock" 2>"$work/silkd.log" &
silkd_pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { cat "$work/silkd.log" >&2; exit 1; }
python3 bench/cli_fts5.py "$corpus" "$work/fts.db" >&2

# quest reads silk's index directly (it is a Xapian database); it parses the query with
# Xapian's QueryParser and prints the top 10 with their stored data.
quest_db="$index"
if ! quest -d "$quest_db" -m 1 iran >/dev/null 2>&1; then
    echo "cli_latency.sh: quest cannot open silk's index at $quest_db" >&2
    exit 1
fi

# Default queries: words of the corpus article for it, and for any other corpus words of
# the corpus that bench/gen builds from Cranfield, KorQuAD and PersianQA sentences.
if [ "${#queries[@]}" -eq 0 ]; then
    if [ "$corpus" = "$root/corpus" ]; then
        queries=("missile" "nuclear weapons" "axis of evil" "조선" "ایران")
    else
        queries=("boundary layer" "supersonic" "heat transfer" "대한민국" "ایران")
    fi
fi
# Commands are strings that hyperfine -N splits like a shell would (quotes only), so the
# queries are single-quoted and may not contain a single quote.
sq() { printf "'%s'" "$1"; }
silk_cmd() { echo "$BIN/silk --socket $sock -n 10 --color=never $(sq "$1")"; }
quest_cmd() { echo "quest -d $quest_db -m 10 $(sq "$1")"; }
sqlite_cmd() {
    echo "sqlite3 $work/fts.db \"SELECT id, snippet(docs, 2, '[', ']', '…', 24) FROM docs WHERE docs MATCH '$1' ORDER BY rank LIMIT 10\""
}
rg_cmd() { echo "rg -i -F -m 10 $(sq "$1") $corpus"; }

# Warm the daemon, the page cache and the peers' files.
for q in "${queries[@]}"; do
    for _ in 1 2 3; do
        eval "$(silk_cmd "$q")" >/dev/null || true
        eval "$(quest_cmd "$q")" >/dev/null || true
        eval "$(sqlite_cmd "$q")" >/dev/null || true
        eval "$(rg_cmd "$q")" >/dev/null || true
    done
done

# measure COMMAND: prints "median p90" of COMMAND's run time in milliseconds.
measure() {
    local cmd="$1"
    if [ -z "${NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null; then
        hyperfine -N -i --style none --warmup 10 --runs "$runs" --export-json "$work/h.json" \
            "$cmd" >/dev/null 2>&1
        python3 - "$work/h.json" <<'EOF'
import json, sys
t = sorted(json.load(open(sys.argv[1]))["results"][0]["times"])
print("%.2f %.2f" % (t[len(t) // 2] * 1e3, t[int(len(t) * 0.9)] * 1e3))
EOF
    else
        local i t0 t1 times=()
        for ((i = 0; i < runs; i++)); do
            t0=$EPOCHREALTIME
            eval "$cmd" >/dev/null 2>&1 || true
            t1=$EPOCHREALTIME
            times+=("$((${t1/./} - ${t0/./}))")
        done
        printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f %.2f\n", a[int(NR/2)+1]/1000, a[int(NR*0.9)]/1000}'
    fi
}

method=$([ -z "${NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null && echo "hyperfine -N" ||
    echo "a bash loop timed with \$EPOCHREALTIME")
floor="$(measure /bin/true)"
{
    echo "End-to-end latency of one query from a shell (fresh process per query), in ms:"
    echo "median (p90) of $runs runs each, measured with $method on $(nproc) cores"
    echo "(\`${invocation% }\`)."
    echo "Corpus: \`$(rel "$corpus")\` ($(du -sh "$corpus" | cut -f1)); \`/bin/true\` takes $(cut -d' ' -f1 <<<"$floor") ms here."
    echo
    echo "| query | silk hits | silk | quest | sqlite3 FTS5 | rg |"
    echo "|---|---:|---:|---:|---:|---:|"
} >"$work/table"
for q in "${queries[@]}"; do
    hits="$("$BIN/silk" --socket "$sock" --json "$q" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("total","?"))')"
    row="| \`$q\` | $hits"
    for tool in silk quest sqlite rg; do
        read -r med p90 < <(measure "$("${tool}_cmd" "$q")")
        row="$row | $med ($p90)"
    done
    echo "$row |" >>"$work/table"
    echo "measured: $q" >&2
done
cat >>"$work/table" <<'EOF'

Notes. `quest` parses with Xapian's QueryParser, whose default operator is OR (silk's is
AND), and which does not know silk's Hangul bigrams: a Hangul word that is only part of
longer words finds nothing with it. FTS5's unicode61 tokenizer does not split Hangul words
either. `rg -F -i -m 10` scans every file for the literal string.
EOF
mkdir -p "$(dirname "$out")"
cp "$work/table" "$out"
cat "$work/table"
