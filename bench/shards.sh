#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench-shards: search latency of one index against the same corpus split in 3 shards
# (docs/scale-out.md), through silkd and bench/loadgen, on this machine:
#   single        one database
#   3 local       silk-index --shards 3, the folder's own stub (3 local glass shards)
#   2 local + 1   shard 2 served by xapian-tcpsrv on loopback
#   3 remote      every shard served by its own xapian-tcpsrv on loopback
# Prints a table and writes $BENCH_OUT/shards.json (default bench/data/results, ignored).
#   SHARDS_MB     size of the generated corpus (default 30; BENCH_QUICK=1: 4)
#   SHARDS_SECS   seconds measured per setup and connection count (default 3)
#   SHARDS_ROUNDS rounds over every setup (default 3); the table shows their medians
#   SHARDS_REUSE  nonempty: keep the indexes of the last run (latency only)
#   BUILD, BIN    as the Makefile's
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build}"
BIN="${BIN:-bin}"
# The generated corpus is made of the judged collections' sentences: SILK_DATA, else
# $SILK_SHARED/data, else ../shared/data; without them this benchmark is skipped.
SHARED="${SILK_DATA:-${SILK_SHARED:-../shared}/data}"
for c in cranfield korquad1-dev persianqa-test; do
    if [ ! -d "$SHARED/$c" ]; then
        echo "bench-shards: skipped: the judged collections are not all in $SHARED (its corpus" \
            "is generated from their sentences); point SILK_DATA at a folder holding" \
            "cranfield/, korquad1-dev/ and persianqa-test/" >&2
        exit 0
    fi
done
SHARED="$(cd "$SHARED" && pwd)"
OUT="${BENCH_OUT:-bench/data/results}"
if [ "${BENCH_QUICK:-0}" = 1 ]; then
    MB="${SHARDS_MB:-4}" SECS="${SHARDS_SECS:-1}" WARM=0.3 ROUNDS="${SHARDS_ROUNDS:-1}"
else
    MB="${SHARDS_MB:-30}" SECS="${SHARDS_SECS:-3}" WARM=1 ROUNDS="${SHARDS_ROUNDS:-3}"
fi
W="bench/data/runs/shards"
mkdir -p "$W" "$OUT"
pids=()
cleanup() {
    local p
    for p in "${pids[@]:-}"; do
        [ -n "$p" ] || continue
        kill -- "-$p" 2>/dev/null || true
        kill "$p" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap cleanup EXIT
log() { echo "bench-shards: $*" >&2; }

# The corpus is generated again only when its size changed.
if [ ! -f "$W/gen.json" ] || [ "$(cat "$W/mb" 2>/dev/null)" != "$MB" ]; then
    log "generating a $MB MB corpus (seed 42)"
    rm -rf "$W/corpus" "$W/single" "$W/sh" "$W"/*.lock
    python3 bench/gen/gencorpus.py generate "$SHARED" "$W/corpus" --mb "$MB" --seed 42 >"$W/gen.json"
    python3 bench/gen/gencorpus.py queries "$SHARED" "$W/queries.tsv" --n 1000 --seed 3
    echo "$MB" >"$W/mb"
fi
cut -f2 "$W/queries.tsv" | grep -v '^$' >"$W/queries.txt"

# timed OUT CMD...: wall seconds of CMD into OUT.
timed() {
    local out="$1" t0
    shift
    t0=$(date +%s.%N)
    "$@" >/dev/null
    echo "$(date +%s.%N) - $t0" | bc >"$out"
}
if [ -n "${SHARDS_REUSE:-}" ] && [ -f "$W/t.sh" ] && [ -f "$W/sh/XAPIANDB" ]; then
    log "reusing the indexes of the last run (SHARDS_REUSE)"
else
    log "indexing: one database"
    rm -rf "$W/single" "$W/single.lock" "$W/sh"
    timed "$W/t.single" "$BIN/silk-index" --quiet --corpus "$W/corpus" --index "$W/single"
    log "indexing: 3 shards"
    timed "$W/t.sh" "$BIN/silk-index" --quiet --corpus "$W/corpus" --index "$W/sh" --shards 3
fi

. bench/common.sh # free_port, wait_port
ports=()
for k in 0 1 2; do
    p=$(free_port)
    setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$p" "$W/sh/shard-$k" \
        >>"$W/tcpsrv.log" 2>&1 &
    pids+=($!)
    wait_port "$p" || { log "xapian-tcpsrv did not start"; exit 1; }
    ports+=("$p")
done
abs="$(cd "$W" && pwd)"
printf 'meta %s/sh/meta\nglass %s/sh/shard-0\nglass %s/sh/shard-1\nremote 127.0.0.1:%s\n' \
    "$abs" "$abs" "$abs" "${ports[2]}" >"$W/mixed.stub"
printf 'meta %s/sh/meta\nremote 127.0.0.1:%s\nremote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' \
    "$abs" "${ports[0]}" "${ports[1]}" "${ports[2]}" >"$W/remote.stub"

rows="$W/rows.jsonl"
: >"$rows"
# CPU seconds (user + system) of the processes of the xapian-tcpsrv servers' process groups
# (each serves a connection in a forked child).
tcpsrv_cpu() {
    python3 - "${pids[@]:0:3}" <<'EOF'
import os, sys
tck = os.sysconf("SC_CLK_TCK")
groups = set(sys.argv[1:])
total = 0
for p in os.listdir("/proc"):
    if not p.isdigit():
        continue
    try:
        f = open("/proc/%s/stat" % p).read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    if f[2] in groups:
        total += int(f[11]) + int(f[12])
print(total / tck)
EOF
}
# measure NAME INDEX CONNS: silkd on INDEX (2 worker threads), loadgen at CONNS connections;
# one JSON row with the silkd CPU and the shard servers' CPU.
measure() {
    local name="$1" idx="$2" c="$3" sock="$W/silk.sock" cpu0 cpu1
    rm -f "$sock"
    "$BIN/silkd" --index "$idx" --corpus "$W/corpus" --socket "$sock" --threads 2 \
        --log-level warn 2>>"$W/silkd.log" &
    local spid=$!
    pids+=("$spid")
    for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
    log "latency: $name, $c connection(s)"
    # A warm-up run first: the shard servers' per-connection processes exist afterwards,
    # so their CPU time can be read before and after the measured run.
    "$BUILD/bench/loadgen" --socket "$sock" --queries "$W/queries.txt" --connections "$c" \
        --depth 1 --duration "$WARM" --warmup 0 >/dev/null 2>>"$W/loadgen.err"
    cpu0=$(tcpsrv_cpu)
    "$BUILD/bench/loadgen" --socket "$sock" --queries "$W/queries.txt" --connections "$c" \
        --depth 1 --duration "$SECS" --warmup 0 --server-pid "$spid" --json \
        2>>"$W/loadgen.err" | tail -n 1 >"$W/row.json"
    cpu1=$(tcpsrv_cpu)
    kill "$spid"
    wait "$spid" 2>/dev/null || true
    python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
r["config"] = sys.argv[2]
r["tcpsrv_cpu_s"] = float(sys.argv[4]) - float(sys.argv[3])
print(json.dumps(r))' "$W/row.json" "$name" "$cpu0" "$cpu1" >>"$rows"
}
# Rounds interleave the setups, so that a busy moment of the machine does not land on one.
for _ in $(seq "$ROUNDS"); do
    for c in 1 8; do
        measure "single" "$W/single" $c
        measure "3 local shards" "$W/sh" $c
        measure "2 local + 1 remote" "$W/mixed.stub" $c
        measure "3 remote" "$W/remote.stub" $c
    done
done

python3 - "$rows" "$W/gen.json" "$W/t.single" "$W/t.sh" "$SECS" "$ROUNDS" "$OUT/shards.json" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
gen = json.load(open(sys.argv[2]))
t1, t3 = float(open(sys.argv[3]).read()), float(open(sys.argv[4]).read())
secs = float(sys.argv[5])
print("bench-shards: %.1f MB, %d articles; silk-index wall time: one database %.1f s, 3 shards "
      "%.1f s; medians of %s rounds of %g s" % (gen["bytes"] / 1e6, gen["files"], t1, t3,
                                                sys.argv[6], secs))
print("%-20s %5s %7s %8s %8s %8s %10s %10s %6s" % (
    "config", "conns", "qps", "p50 ms", "p90 ms", "p99 ms", "silkd cpu", "shard cpu", "errors"))
print("%-20s %5s %7s %8s %8s %8s %10s %10s %6s" % ("", "", "", "", "", "", "ms/query",
                                                   "ms/query", ""))
out = []
configs = []
for r in rows:
    if (r["config"], r["connections"]) not in configs:
        configs.append((r["config"], r["connections"]))
for name, c in sorted(configs, key=lambda x: x[1]):
    rs = [r for r in rows if r["config"] == name and r["connections"] == c]
    med = lambda k: statistics.median(r[k] for r in rs)
    n = sum(r["requests"] for r in rs)
    cpu = sum(r["server_cpu"] * r["duration_s"] for r in rs)  # cores x seconds
    shard = sum(r["tcpsrv_cpu_s"] for r in rs)
    row = {"config": name, "connections": c, "qps": med("qps"), "p50_ms": med("p50_us") / 1e3,
           "p90_ms": med("p90_us") / 1e3, "p99_ms": med("p99_us") / 1e3,
           "silkd_cpu_ms_per_query": 1e3 * cpu / n if n else None,
           "tcpsrv_cpu_ms_per_query": 1e3 * shard / n if n else None,
           "errors": sum(r["errors"] for r in rs)}
    out.append(row)
    print("%-20s %5d %7.0f %8.3f %8.3f %8.3f %10.3f %10.3f %6d" % (
        name, c, row["qps"], row["p50_ms"], row["p90_ms"], row["p99_ms"],
        row["silkd_cpu_ms_per_query"], row["tcpsrv_cpu_ms_per_query"], row["errors"]))
json.dump({"corpus_mb": gen["bytes"] / 1e6, "files": gen["files"], "index_s_single": t1,
           "index_s_3shards": t3, "seconds": secs, "rounds": int(sys.argv[6]),
           "summary": out, "runs": rows}, open(sys.argv[7], "w"), indent=1)
EOF
