# Shared helpers of the end-to-end tests; each test does `. "$(dirname "$0")/lib.sh"`.
# Every test runs the real programs from $SILK_BIN in a temporary folder removed at exit.
set -euo pipefail
SILK_ROOT="${SILK_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
SILK_BIN="$(cd "$SILK_ROOT" && cd "${SILK_BIN:-bin}" && pwd)"
SHARED="$(cd "$SILK_ROOT/../shared" 2>/dev/null && pwd || true)"
T="$(mktemp -d "${TMPDIR:-/tmp}/silk-test.XXXXXX")"
_silk_pids=()
_silk_cleanup() {
    local p
    for p in "${_silk_pids[@]:-}"; do
        [ -n "$p" ] && kill "$p" 2>/dev/null || true
    done
    for p in "${_silk_pids[@]:-}"; do
        [ -n "$p" ] && wait "$p" 2>/dev/null || true
    done
    rm -rf "$T"
}
trap _silk_cleanup EXIT

# Under `make valgrind` programs run under memcheck; SILK_WRAP is empty otherwise.
if [ -n "${SILK_VALGRIND:-}" ]; then
    SILK_WRAP=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
        --suppressions="$SILK_ROOT/tests/valgrind.supp")
else
    SILK_WRAP=()
fi

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
ok() { echo "ok: $*"; }
# assert_eq ACTUAL EXPECTED WHAT
assert_eq() {
    [ "$1" == "$2" ] || fail "$3: expected '$2', got '$1'"
    ok "$3"
}
# assert_contains HAYSTACK NEEDLE WHAT
assert_contains() {
    [[ "$1" == *"$2"* ]] || fail "$3: '$2' not in output: ${1:0:2000}"
    ok "$3"
}
index() { "${SILK_WRAP[@]}" "$SILK_BIN/silk-index" "$@"; }
# Remember a background pid so it is killed at exit.
track_pid() { _silk_pids+=("$1"); }
# wait_for_socket PATH [SECONDS]: until a socket file exists there.
wait_for_socket() {
    local i n=$((${2:-20} * 10))
    for ((i = 0; i < n; i++)); do
        [ -S "$1" ] && return 0
        sleep 0.1
    done
    fail "socket $1 did not appear"
}
