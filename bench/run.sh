#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# silk benchmarks against peers (issue 8): relevance, indexing throughput, query latency
# and throughput, plus the other parts' benchmark targets. Run by `make bench`, which
# builds everything first; BENCH_QUICK=1 is a smoke run of the same steps (< 2 minutes).
#
#   BUILD, BIN       where make put the objects / programs (default build, bin)
#   BENCH_QUICK=1    small generated corpus (2 MB), 0.5 s load runs, 500 KorQuAD questions
#   BENCH_MB         size of the generated corpus in MB (default 200)
#   BENCH_SECONDS    length of each load run (default 10)
#   BENCH_ONLY       space-separated sections to run: relevance indexing latency extra
#   BENCH_OUT        where the results go (default bench/data/results, ignored by git)
#
# Prints one table per section with silk and every peer side by side and writes the same
# figures to $BENCH_OUT/latest.json; `make bench-update-results` copies them over the
# checked-in bench/results/. Generated data lives under bench/data/ (ignored by git). A
# peer that is not installed is reported as missing, never skipped silently.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BUILD="${BUILD:-build}"
BIN="${BIN:-bin}"
MAKE="${MAKE:-make}"
QUICK="${BENCH_QUICK:-0}"
[ "$QUICK" = "0" ] && QUICK=""
# The judged collections (cranfield/, korquad1-dev/, persianqa-test/): SILK_DATA, else
# $SILK_SHARED/data, else ../shared/data beside the checkout.
SHARED="${SILK_DATA:-${SILK_SHARED:-$ROOT/../shared}/data}"
DATA="$ROOT/bench/data"
W="$DATA/runs"
OUT="${BENCH_OUT:-bench/data/results}"
case "$OUT" in /*) ;; *) OUT="$ROOT/$OUT" ;; esac
export BENCH_OUT="$OUT" # for the other parts' targets run below
REC="$W/records.jsonl"
CORES="$(nproc)"
if [ -n "$QUICK" ]; then
    GEN_MB="${BENCH_MB:-2}" DUR="${BENCH_SECONDS:-0.5}" WARM=0.2 KQ_LIMIT=500 GEN_Q=200
    TUNE_K1="1.2 2.5" TUNE_B="0.5 0.75"
else
    GEN_MB="${BENCH_MB:-200}" DUR="${BENCH_SECONDS:-10}" WARM=1 KQ_LIMIT=0 GEN_Q=1000
    TUNE_K1="0.9 1.2 1.6 2.0 2.5 3.0 4.0" TUNE_B="0.3 0.5 0.6 0.75 0.9"
fi
ONLY="${BENCH_ONLY:-relevance indexing latency extra}"
SPHINX_PORT=19306
GROONGA_PORT=19307
export LC_ALL=C.UTF-8

T0=$SECONDS
log() { printf '[bench %4ss] %s\n' $((SECONDS - T0)) "$*" >&2; }
want() { [[ " $ONLY " == *" $1 "* ]]; }

# rec BASE_JSON [MEASURE_JSON]: appends one record (the two objects merged).
rec() {
    python3 -c 'import json,sys
a = json.loads(sys.argv[1])
if len(sys.argv) > 2 and sys.argv[2].strip():
    a.update(json.loads(sys.argv[2].strip().splitlines()[-1]))
print(json.dumps(a, ensure_ascii=False))' "$@" >>"$REC"
}
note() { rec "$(python3 -c 'import json,sys; print(json.dumps({"section":"note","text":sys.argv[1]}))' "$1")"; }

# ---- daemons we start, stopped at exit ------------------------------------------------
SILKD_PID=""
cleanup() {
    stop_silkd
    ./bench/peers/sphinx.sh stop "$W/sphinx" >/dev/null 2>&1 || true
    ./bench/peers/groonga.sh stop "$W/groonga" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_silkd INDEX: serves INDEX on $W/silk.sock.
start_silkd() {
    stop_silkd
    rm -f "$W/silk.sock"
    "$BIN/silkd" --index "$1" --socket "$W/silk.sock" --threads "$CORES" \
        >"$W/silkd.log" 2>&1 &
    SILKD_PID=$!
    for _ in $(seq 300); do
        [ -S "$W/silk.sock" ] && return 0
        kill -0 "$SILKD_PID" 2>/dev/null || break
        sleep 0.1
    done
    log "silkd did not start: $(tail -3 "$W/silkd.log")"
    SILKD_PID=""
    return 1
}
stop_silkd() {
    if [ -n "$SILKD_PID" ]; then
        kill "$SILKD_PID" 2>/dev/null
        wait "$SILKD_PID" 2>/dev/null
        SILKD_PID=""
    fi
}

# timed OUTFILE CMD...: runs CMD under GNU time; OUTFILE gets "seconds max_rss_kib
# user_seconds system_seconds".
timed() {
    local out="$1"
    shift
    /usr/bin/time -f '%e %M %U %S' -o "$out" "$@"
}

have_silk() { [ -x "$BIN/silk-index" ] && [ -x "$BIN/silkd" ]; }

# silk_index CORPUS_DIR INDEX_DIR: a silk-index run (full when INDEX_DIR is new). Exit
# status 3 means "indexed, with problems reported" (an invalid line, a skipped file).
silk_index() {
    "$BIN/silk-index" --corpus "$1" --index "$2" || [ $? -eq 3 ]
}

rm -rf "$W"
mkdir -p "$W" "$OUT"
# A smoke run's figures are not worth checking in: bench-update-results refuses them.
if [ -n "$QUICK" ]; then : >"$OUT/QUICK"; else rm -f "$OUT/QUICK"; fi
: >"$REC"
log "cores: $CORES, quick: ${QUICK:-no}, generated corpus: $GEN_MB MB, load runs: $DUR s"
# The sections that need the judged collections (relevance, and the generated corpus made
# from their sentences: indexing, latency on Cranfield and the generated corpus) are
# skipped, each with a line saying so, when a collection is missing; the others run.
HAVE_DATA=1
for c in cranfield korquad1-dev persianqa-test; do
    [ -d "$SHARED/$c" ] || HAVE_DATA=""
done
if [ -n "$HAVE_DATA" ]; then
    log "judged collections: $SHARED (SILK_DATA; default ../shared/data)"
else
    log "judged collections: not all in $SHARED (SILK_DATA; default ../shared/data)"
fi
skip() { # SECTION: the skip line, on stderr and in the report
    local m="skipping $1: the judged collections (cranfield/, korquad1-dev/, persianqa-test/) are not all in $SHARED; point SILK_DATA at a folder holding them (docs/benchmarks.md)"
    echo "bench: $m" >&2
    note "$m"
}
have_silk || note "silk-index/silkd not built: silk rows are missing"

# ---- 1. relevance ----------------------------------------------------------------------
EVAL="$DATA/eval"
if [ -n "$HAVE_DATA" ]; then
    python3 bench/eval/convert.py "$SHARED" "$EVAL" >"$W/convert.log" || { cat "$W/convert.log"; exit 1; }
fi
relevance_one() {
    local c="$1" d="$EVAL/$1" q="$EVAL/$1/queries.tsv" r
    if [ -n "$QUICK" ] && [ "$c" = korquad ]; then
        head -n "$KQ_LIMIT" "$EVAL/$c/queries.tsv" >"$W/$c.queries.tsv"
        q="$W/$c.queries.tsv"
    fi
    cp "$q" "$W/$c.queries" 2>/dev/null
    # The judgments of the queries run (all of them but in a quick run).
    local qrels="$W/$c.qrels"
    awk 'NR == FNR { want[$1] = 1; next } ($1 in want)' FS='\t' "$q" FS=' ' "$d/qrels.txt" >"$qrels"
    log "relevance: $c"
    "$BUILD/bench/fts5peer" index "$W/$c.fts5" "$d/docs.jsonl" >/dev/null &&
        "$BUILD/bench/fts5peer" run "$W/$c.fts5" "$q" >"$W/$c.fts5.run" 2>"$W/$c.fts5.err" &&
        rec "{\"section\":\"relevance\",\"dataset\":\"$c\",\"engine\":\"fts5\"}" \
            "$("$BUILD/bench/score" "$qrels" "$W/$c.fts5.run")"
    "$BUILD/bench/xapianpeer" index "$W/$c.xapian" "$d/docs.jsonl" >/dev/null &&
        "$BUILD/bench/xapianpeer" run "$W/$c.xapian" "$q" >"$W/$c.xapian.run" 2>"$W/$c.xapian.err" &&
        rec "{\"section\":\"relevance\",\"dataset\":\"$c\",\"engine\":\"xapian\"}" \
            "$("$BUILD/bench/score" "$qrels" "$W/$c.xapian.run")"
    have_silk || return 0
    # silk indexes the collection as a JSONL corpus (one document per line).
    mkdir -p "$W/$c.corpus"
    cp "$d/docs.jsonl" "$W/$c.corpus/docs.jsonl"
    if ! silk_index "$W/$c.corpus" "$W/$c.silk" >"$W/$c.silk-index.log" 2>&1; then
        note "silk-index failed on $c: $(tail -2 "$W/$c.silk-index.log" | tr '\n' ' ')"
        return 0
    fi
    start_silkd "$W/$c.silk" || return 0
    # `any` (the target's mode) and the daemon's default mode (`all`, relaxed when nothing
    # has every word: what a person at the terminal gets), both with silkd's defaults.
    local mode engine
    for mode in any all; do
        engine=silk
        [ "$mode" = all ] && engine="silk (all)"
        if python3 bench/eval/silk_run.py "$W/silk.sock" "$q" "$W/$c.silk-$mode.run" --mode "$mode" \
            2>"$W/$c.silk-$mode.err"; then
            local errs
            errs="$(sed -n 's/.*errors: //p' "$W/$c.silk-$mode.err")"
            rec "{\"section\":\"relevance\",\"dataset\":\"$c\",\"engine\":\"$engine\",\"errors\":\"$errs\"}" \
                "$("$BUILD/bench/score" "$qrels" "$W/$c.silk-$mode.run")"
        else
            note "silk relevance run on $c ($mode) failed: $(tail -2 "$W/$c.silk-$mode.err" | tr '\n' ' ')"
        fi
    done
    stop_silkd
}
# tune_rows: silk's ranking parameters tuned on Cranfield only (bench/eval/tune.py: bag of
# words over weighting schemes and their parameters, then feedback and proximity over the
# best, through the real search library in process), with the 2-fold cross-validation; the
# chosen set is then applied unchanged to the three collections in process ("silk-tuned"
# rows, in `any` and in `all` mode). The "silk" rows are the daemon with its defaults.
tune_rows() {
    local set c mode engine
    [ -x "$BUILD/bench/tune" ] && [ -d "$W/cranfield.silk" ] || return 0
    log "relevance: tuning the ranking parameters on Cranfield (and 2-fold cross-validation)"
    python3 bench/eval/tune.py "$BUILD/bench/tune" "$W/cranfield.silk" "$W/cranfield.queries" \
        "$W/cranfield.qrels" ${QUICK:+--quick} >"$W/tune.jsonl" 2>"$W/tune.err" ||
        { note "tuning failed: $(tail -1 "$W/tune.err")"; return 0; }
    cat "$W/tune.jsonl" >>"$REC"
    set=$(python3 -c 'import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("section") == "tuning-chosen":
        print(r["set"])' "$W/tune.jsonl")
    [ -n "$set" ] || return 0
    for c in cranfield korquad persianqa; do
        [ -d "$W/$c.silk" ] || continue
        for mode in any all; do
            engine=silk-tuned
            [ "$mode" = all ] && engine="silk-tuned (all)"
            rec "{\"section\":\"relevance\",\"dataset\":\"$c\",\"engine\":\"$engine\",\"set\":\"$set\"}" \
                "$("$BUILD/bench/tune" --mode "$mode" "$W/$c.silk" "$W/$c.queries" "$W/$c.qrels" "$set" |
                    python3 -c 'import json, re, sys
kv = dict(re.findall(r"(\w+)=([0-9.]+)", sys.stdin.read()))
print(json.dumps({k: float(kv[k]) for k in ("map", "ndcg10", "recall100", "mrr10")}))')"
        done
    done
}
if want relevance && [ -z "$HAVE_DATA" ]; then
    skip relevance
elif want relevance; then
    for c in cranfield korquad persianqa; do relevance_one "$c"; done
    tune_rows
    [ -n "$QUICK" ] && note "quick run: KorQuAD relevance uses its first $KQ_LIMIT questions only"
fi

# ---- 2. indexing throughput -------------------------------------------------------------
GEN="$W/gen"
index_row() { # ENGINE RUN TIMEFILE INDEXPATH [FILES]
    local secs rss usr sys size
    read -r secs rss usr sys <"$3"
    size=$(du -sb "$4" 2>/dev/null | cut -f1)
    rec "$(python3 -c 'import json,sys
e, run, secs, rss, size, mb, files, usr, sys_ = sys.argv[1:10]
secs = float(secs)
cpu = float(usr or 0) + float(sys_ or 0)
print(json.dumps({"section": "indexing", "engine": e, "run": run, "mb": float(mb),
    "seconds": secs, "mb_s": float(mb) / secs if secs > 0 else None,
    "cpu_s": cpu, "mb_per_cpu_s": float(mb) / cpu if cpu > 0 else None,
    "peak_rss_mib": int(rss) / 1024, "index_mib": int(size or 0) / 1048576,
    "files": files}))' "$1" "$2" "$secs" "$rss" "${size:-0}" "$GEN_BYTES_MB" "${5:-}" "${usr:-0}" "${sys:-0}")"
}
if { want indexing || want latency; } && [ -z "$HAVE_DATA" ]; then
    want indexing && skip "indexing (its corpus is generated from the collections' sentences)"
    want latency && skip "latency on cranfield and the generated corpus (the article's still runs)"
elif want indexing || want latency; then
    log "generating the corpus ($GEN_MB MB, seed 42)"
    rm -rf "$GEN" && mkdir -p "$GEN"
    python3 bench/gen/gencorpus.py generate "$SHARED" "$GEN/corpus" --mb "$GEN_MB" \
        --jsonl "$GEN/docs.jsonl" >"$GEN/gen.json" || exit 1
    python3 bench/gen/gencorpus.py queries "$SHARED" "$GEN/queries.tsv" --n "$GEN_Q"
    GEN_BYTES_MB=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes"]/1e6)' "$GEN/gen.json")
    GEN_FILES=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"])' "$GEN/gen.json")
fi
if want indexing && [ -n "$HAVE_DATA" ]; then
    if have_silk; then
        # One core first (--jobs 1: the single-writer gain apart from the second core), then
        # every core (the default); the incremental run goes on the second index.
        log "indexing: silk-index full build, --jobs 1"
        timed "$GEN/t.silk1" "$BIN/silk-index" --corpus "$GEN/corpus" --index "$GEN/silk1.idx" \
            --json --jobs 1 >"$GEN/silk-full1.log" 2>&1
        rc=$?
        if [ $rc -eq 0 ] || [ $rc -eq 3 ]; then
            index_row silk-index "full, --jobs 1" "$GEN/t.silk1" "$GEN/silk1.idx" "$GEN_FILES"
        else
            note "silk-index --jobs 1 full build failed: $(tail -2 "$GEN/silk-full1.log" | tr '\n' ' ')"
        fi
        rm -rf "$GEN/silk1.idx"
        log "indexing: silk-index full build, --jobs $CORES"
        timed "$GEN/t.silk" "$BIN/silk-index" --corpus "$GEN/corpus" --index "$GEN/silk.idx" \
            --json --jobs "$CORES" >"$GEN/silk-full.log" 2>&1
        rc=$?
        if [ $rc -eq 0 ] || [ $rc -eq 3 ]; then
            index_row silk-index "full, --jobs $CORES" "$GEN/t.silk" "$GEN/silk.idx" "$GEN_FILES"
            mutated=$(python3 bench/gen/gencorpus.py mutate "$GEN/corpus" --fraction 0.01 |
                python3 -c 'import json,sys; print(json.load(sys.stdin)["changed"])')
            log "indexing: silk-index incremental ($mutated files changed)"
            timed "$GEN/t.silk-inc" "$BIN/silk-index" --corpus "$GEN/corpus" --index "$GEN/silk.idx" \
                --json >"$GEN/silk-inc.log" 2>&1
            rc=$?
            if [ $rc -eq 0 ] || [ $rc -eq 3 ]; then
                index_row silk-index "incremental (1%)" "$GEN/t.silk-inc" "$GEN/silk.idx" "$mutated"
            else
                note "silk-index incremental run failed: $(tail -2 "$GEN/silk-inc.log" | tr '\n' ' ')"
            fi
        else
            note "silk-index full build failed: $(tail -2 "$GEN/silk-full.log" | tr '\n' ' ')"
        fi
    fi
    log "indexing: FTS5"
    timed "$GEN/t.fts5" "$BUILD/bench/fts5peer" index "$GEN/fts5.db" "$GEN/docs.jsonl" >/dev/null &&
        index_row fts5 full "$GEN/t.fts5" "$GEN/fts5.db"
    log "indexing: Xapian TermGenerator"
    timed "$GEN/t.xapian" "$BUILD/bench/xapianpeer" index "$GEN/xapian.db" "$GEN/docs.jsonl" >/dev/null &&
        index_row xapian-termgenerator full "$GEN/t.xapian" "$GEN/xapian.db"
    # silk-index links jemalloc; the same baseline with jemalloc preloaded shows how much of
    # the single-core ratio is the allocator and how much silk's own writer.
    JEMALLOC="$(pkg-config --variable=libdir jemalloc 2>/dev/null)/libjemalloc.so.2"
    if [ -f "$JEMALLOC" ]; then
        log "indexing: Xapian TermGenerator, jemalloc preloaded"
        rm -rf "$GEN/xapian-je.db"
        LD_PRELOAD="$JEMALLOC" timed "$GEN/t.xapian-je" "$BUILD/bench/xapianpeer" index \
            "$GEN/xapian-je.db" "$GEN/docs.jsonl" >/dev/null &&
            index_row xapian-termgenerator "full, jemalloc preloaded" "$GEN/t.xapian-je" "$GEN/xapian-je.db"
        rm -rf "$GEN/xapian-je.db"
    else
        note "no libjemalloc.so.2: the Xapian baseline was not also run with silk-index's allocator"
    fi
    note "indexing MB/s = bytes of the generated .txt articles / wall seconds; FTS5 and Xapian index the same paragraphs and references (as JSONL), silk-index reads the .txt files"
fi

# ---- 3. query latency and throughput ----------------------------------------------------
# mkmix QUERIES.tsv MODE OUT [RANK_JSON]: the loadgen mix, one request line per query, with
# the same word-only treatment as the relevance runs (bench/eval/silk_run.py), and the
# request's "rank" overrides when given.
mkmix() {
    python3 - "$1" "$2" "$3" "${4:-}" <<'PY'
import json, sys
sys.path.insert(0, "bench/eval")
from silk_run import as_words
src, mode, out, rank = sys.argv[1:5]
with open(src, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as o:
    for line in f:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        text = as_words(line.split("\t", 1)[-1])
        if text:
            req = {"q": text, "mode": mode, "limit": 10}
            if rank:
                req["rank"] = json.loads(rank)
            o.write(json.dumps(req, ensure_ascii=False) + "\n")
PY
}
# FB_ON / FB_OFF: the request overrides of the feedback latency rows (issue 19): feedback on
# every query of an any-word search (the adaptive rule's word count set to 1), and off.
FB_ON='{"fb_min_words":1}'
FB_OFF='{"fb_docs":0}'
# lat_feedback DATASET QUERIES INDEX: one connection through silkd, and in process
# (bench/tune), any-word searches with and without feedback.
lat_feedback() {
    local ds="$1" q="$2" idx="$3" how rank
    for how in off on; do
        rank="$FB_OFF"
        [ "$how" = on ] && rank="$FB_ON"
        mkmix "$q" any "$W/$ds.fb-$how.mix" "$rank"
        rec "{\"section\":\"latency\",\"dataset\":\"$ds\",\"engine\":\"silkd any, feedback $how\",\"conns\":1}" \
            "$(loadgen_run "$W/$ds.fb-$how.mix" 1)"
        [ -x "$BUILD/bench/tune" ] || continue
        rec "{\"section\":\"latency\",\"dataset\":\"$ds\",\"engine\":\"in-process any, feedback $how\",\"conns\":1}" \
            "$("$BUILD/bench/tune" --limit 10 "$idx" "$q" - "$(python3 -c 'import json, sys
print(",".join("%s=%s" % kv for kv in json.loads(sys.argv[1]).items()))' "$rank")" |
                python3 -c 'import json, re, sys
kv = dict(re.findall(r"(\w+)=([0-9.]+)", sys.stdin.read()))
print(json.dumps({"p50_us": float(kv["p50_us"]), "p99_us": float(kv["p99_us"]),
                  "feedback": int(float(kv["feedback"]))}))')"
    done
}
# lat_silk DATASET MIX: loadgen against the running silkd at 1/8/64 connections (one
# request in flight per connection, as the peers' generator), over NDJSON and then over
# HTTP/1.1 keep-alive GET /search on the same socket (silkd-http), then ping at 8.
lat_silk() {
    local ds="$1" mix="$2" c
    [ -x "$BUILD/bench/loadgen" ] || { note "bench/loadgen not built: no silkd load figures"; return 0; }
    for c in 1 8 64; do
        rec "{\"section\":\"latency\",\"dataset\":\"$ds\",\"engine\":\"silkd\",\"conns\":$c}" \
            "$(loadgen_run "$mix" "$c")"
        rec "{\"section\":\"latency\",\"dataset\":\"$ds\",\"engine\":\"silkd-http\",\"conns\":$c}" \
            "$(loadgen_run "$mix" "$c" --http)"
    done
    rec "{\"section\":\"latency\",\"dataset\":\"$ds\",\"engine\":\"silkd-ping\",\"conns\":8}" \
        "$(loadgen_run "$mix" 8 --ping)"
}
# loadgen_run MIX CONNS [--ping]: one loadgen run, JSON on stdout (keys renamed to ours).
loadgen_run() {
    local mix="$1" c="$2"
    shift 2
    "$BUILD/bench/loadgen" --socket "$W/silk.sock" --queries "$mix" --connections "$c" \
        --depth 1 --duration "$DUR" --warmup "$WARM" --server-pid "$SILKD_PID" --json "$@" \
        2>>"$W/loadgen.err" | tail -n 1 |
        sed 's/"connections"/"conns"/; s/"server_cpu"/"cpu_server"/; s/"loadgen_cpu"/"cpu_client"/'
}
# lat_daemon TITLE SHORT SCRIPT PROGRAM PACKAGE ENGINE PROTO PORT [children]: latency of a
# peer daemon that bench/peers/SCRIPT.sh starts on PORT (when PROGRAM is installed), through
# peerload at 1, 8 and 64 connections, on the caller's $ds, $docs, $q and $orflag. With
# "children", the CPU of the daemon's child processes (nginx workers) counts too.
lat_daemon() {
    local title="$1" short="$2" script="./bench/peers/$3.sh" prog="$4" pkg="$5" engine="$6"
    local proto="$7" port="$8" children="${9:-}" pid p c
    if ! command -v "$prog" >/dev/null; then
        note "$title is not installed ($pkg): no $short figures"
        return 0
    fi
    log "latency $ds: $title"
    if pid=$("$script" start "$W/$3" "$docs" "$port" 2>"$W/$3.err") && [ -n "$pid" ]; then
        local pids=(--server-pid "$pid")
        if [ -n "$children" ]; then
            for p in $(pgrep -P "$pid"); do pids+=(--server-pid "$p"); done
        fi
        for c in 1 8 64; do
            rec "{\"section\":\"latency\",\"dataset\":\"$ds\",\"engine\":\"$engine\"}" \
                "$("$BUILD/bench/peerload" --proto "$proto" --port "$port" --queries "$q" \
                    --conns "$c" --seconds "$DUR" --warmup "$WARM" "${orflag[@]}" "${pids[@]}")"
        done
    else
        note "$title failed to start on $ds: $(tail -2 "$W/$3.err" | tr '\n' ' ')"
    fi
    "$script" stop "$W/$3" >/dev/null 2>&1
}
# lat_peers DATASET DOCS QUERIES OR(0/1) [FTS5_DB XAPIAN_DB]: the in-process floors (on the
# given databases when the earlier sections built them, else on fresh ones) and the two
# peer daemons.
lat_peers() {
    local ds="$1" docs="$2" q="$3" or="$4" fdb="${5:-}" xdb="${6:-}" orflag=()
    [ "$or" = 1 ] && orflag=(--or)
    log "latency $ds: in-process floors"
    if [ -z "$fdb" ] || [ ! -e "$fdb" ]; then
        fdb="$W/lat-$ds.fts5"
        "$BUILD/bench/fts5peer" index "$fdb" "$docs" >/dev/null
    fi
    if [ -z "$xdb" ] || [ ! -e "$xdb" ]; then
        xdb="$W/lat-$ds.xapian"
        "$BUILD/bench/xapianpeer" index "$xdb" "$docs" >/dev/null
    fi
    rec "{\"section\":\"latency\",\"dataset\":\"$ds\",\"engine\":\"fts5-inproc\",\"conns\":1}" \
        "$("$BUILD/bench/fts5peer" lat "$fdb" "$q" "$DUR" 10)"
    rec "{\"section\":\"latency\",\"dataset\":\"$ds\",\"engine\":\"xapian-inproc\",\"conns\":1}" \
        "$("$BUILD/bench/xapianpeer" lat "$xdb" "$q" "$DUR" 10)"
    lat_daemon "Sphinx searchd" Sphinx sphinx searchd sphinxsearch sphinx sphinxql "$SPHINX_PORT" ""
    lat_daemon groonga-httpd groonga groonga groonga-httpd groonga-httpd groonga-httpd http \
        "$GROONGA_PORT" children
}
if want latency; then
    # The corpus article with its query mix; Cranfield with its (long, OR) queries; the
    # generated corpus with short queries drawn from its own sentences.
    mkdir -p "$W/article"
    python3 bench/gen/gencorpus.py txt2jsonl corpus/*.txt "$W/article/docs.jsonl"
    grep -v '^#' bench/queries/article.txt | grep -v '^$' >"$W/article/queries.txt"
    for ds in article ${HAVE_DATA:+cranfield generated}; do
        case "$ds" in
        article) docs="$W/article/docs.jsonl" q="$W/article/queries.txt" mode=all or=0 corpus="$ROOT/corpus" ;;
        cranfield) docs="$EVAL/cranfield/docs.jsonl" q="$EVAL/cranfield/queries.tsv" mode=any or=1 corpus="$W/cranfield.corpus" ;;
        generated) docs="$GEN/docs.jsonl" q="$GEN/queries.tsv" mode=all or=0 corpus="$GEN/corpus" ;;
        esac
        if have_silk; then
            idx="$W/lat-$ds.silk"
            [ "$ds" = generated ] && [ -d "$GEN/silk.idx" ] && idx="$GEN/silk.idx"
            [ "$ds" = cranfield ] && [ -d "$W/cranfield.silk" ] && idx="$W/cranfield.silk"
            if [ ! -e "$idx" ]; then
                mkdir -p "$W/cranfield.corpus" && cp "$EVAL/cranfield/docs.jsonl" "$W/cranfield.corpus/docs.jsonl"
                silk_index "$corpus" "$idx" >"$W/lat-$ds.index.log" 2>&1 ||
                    note "silk-index failed on $ds: $(tail -2 "$W/lat-$ds.index.log" | tr '\n' ' ')"
            fi
            if start_silkd "$idx"; then
                log "latency $ds: silkd"
                mkmix "$q" "$mode" "$W/$ds.mix"
                lat_silk "$ds" "$W/$ds.mix"
                [ "$ds" = cranfield ] || lat_feedback "$ds" "$q" "$idx"
                rss=$(awk '/VmHWM/ {print $2}' "/proc/$SILKD_PID/status" 2>/dev/null)
                rec "{\"section\":\"latency\",\"dataset\":\"$ds\",\"engine\":\"silkd-rss\",\"peak_rss_mib\":$(( ${rss:-0} / 1024 ))}"
                stop_silkd
            fi
        fi
        case "$ds" in
        cranfield) lat_peers "$ds" "$docs" "$q" "$or" "$W/cranfield.fts5" "$W/cranfield.xapian" ;;
        generated) lat_peers "$ds" "$docs" "$q" "$or" "$GEN/fts5.db" "$GEN/xapian.db" ;;
        *) lat_peers "$ds" "$docs" "$q" "$or" ;;
        esac
    done
fi

# ---- 4. the other parts' benchmarks ------------------------------------------------------
EXTRA_LOGS=()
# extra_target NAME TARGET [MAKE ARGS...]: runs another part's benchmark target, its output
# kept verbatim in the report.
extra_target() {
    local name="$1" t="$2"
    shift 2
    # Whether the target exists: its rule in one of the included bench/*.mk files (not
    # `make -n`, which would run the target's recursive make lines for real).
    if grep -qs "^$t:" bench/*.mk; then
        log "$name"
        BENCH_QUICK="${QUICK:+1}" "$MAKE" --no-print-directory "$t" BUILD="$BUILD" BIN="$BIN" "$@" \
            >"$W/$name.log" 2>&1 || echo "($t exited with an error)" >>"$W/$name.log"
        EXTRA_LOGS+=("$W/$name.log")
    else
        note "make $t does not exist yet: not run"
    fi
}
if want extra; then
    extra_target bench-tokenizer bench-tokenizer
    extra_target bench-search bench-search
    if [ -n "$QUICK" ]; then
        extra_target bench-cli bench-cli CLI_RUNS=10
    else
        extra_target bench-cli bench-cli
        # The same on the large generated corpus (issue 7 asks for both).
        [ -d "$GEN/corpus" ] && extra_target bench-cli-generated bench-cli CLI_CORPUS="$GEN/corpus"
    fi
    extra_target bench-shards bench-shards
fi

python3 bench/report.py "$REC" "$OUT/latest.json" "${EXTRA_LOGS[@]}"
log "done in $((SECONDS - T0)) s"
