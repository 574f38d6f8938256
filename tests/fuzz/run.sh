#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs each libFuzzer target given on the command line for FUZZ_SECONDS, on a copy of its
# seed corpus (tests/fuzz/seeds/<name without fuzz_>/), and fails on any crash.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${FUZZ_SECONDS:-30}"
status=0
for bin in "$@"; do
    name="$(basename "$bin")"
    seeds="tests/fuzz/seeds/${name#fuzz_}"
    work="build-fuzz/corpus/${name#fuzz_}"
    mkdir -p "$work"
    [ -d "$seeds" ] && cp -n "$seeds"/* "$work"/ 2>/dev/null || true
    echo "== $name for ${secs}s"
    if ! "$bin" -max_total_time="$secs" -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="build-fuzz/$name-" "$work" 2>"build-fuzz/$name.log"; then
        echo "FAIL: $name crashed; see build-fuzz/$name.log" >&2
        tail -n 40 "build-fuzz/$name.log" >&2
        status=1
    fi
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "build-fuzz/$name.log" || true
done
exit $status
