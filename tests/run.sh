#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every unit test binary, then every end-to-end script, and prints a summary.
#   SILK_BIN    folder of the programs under test (bin, build-asan/bin, ...)
#   SILK_BUILD  build folder holding tests/test_* binaries
#   TESTS       optional substring: only tests whose name contains it
set -u
cd "$(dirname "$0")/.."
export SILK_BIN="${SILK_BIN:-bin}" SILK_BUILD="${SILK_BUILD:-build}"
export SILK_ROOT="$PWD"
filter="${TESTS:-}"
pass=0
failed=()
logdir="$SILK_BUILD/test-logs"
mkdir -p "$logdir"

run_one() {
    local name="$1"
    shift
    [ -n "$filter" ] && [[ "$name" != *"$filter"* ]] && return 0
    local start=$SECONDS
    if "$@" >"$logdir/$name.log" 2>&1; then
        pass=$((pass + 1))
        printf '  ok    %-40s %3ss\n' "$name" $((SECONDS - start))
    else
        failed+=("$name")
        printf '  FAIL  %-40s %3ss  (log: %s)\n' "$name" $((SECONDS - start)) "$logdir/$name.log"
        tail -n 30 "$logdir/$name.log" | sed 's/^/        /'
    fi
}

echo "unit tests ($SILK_BUILD/tests):"
for t in "$SILK_BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    if [ -n "${SILK_VALGRIND:-}" ]; then
        run_one "$(basename "$t")" valgrind --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp -q "$t"
    else
        run_one "$(basename "$t")" "$t"
    fi
done
echo "end-to-end tests (tests/e2e):"
for t in tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    [ "$t" = tests/e2e/lib.sh ] && continue # the helpers the scripts source, not a test
    run_one "$(basename "$t" .sh)" bash "$t"
done

echo "passed: $pass, failed: ${#failed[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
    printf 'failed: %s\n' "${failed[*]}"
    exit 1
fi
