# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers of the end-to-end tests; each test does `. "$(dirname "$0")/lib.sh"`.
# Every test runs the real programs from $SILK_BIN in a temporary folder removed at exit.
set -euo pipefail
SILK_ROOT="${SILK_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
SILK_BIN="$(cd "$SILK_ROOT" && cd "${SILK_BIN:-bin}" && pwd)"
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
# No test reads the configuration file or the data folder of the user who runs it: the
# default file is the empty /dev/null (tests of the configuration set their own), and the
# XDG data folder, where the index lives by default, is inside $T.
export SILK_CONFIG=/dev/null
export XDG_DATA_HOME="$T/xdg-data" XDG_CONFIG_HOME="$T/xdg-config"

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

# ---- the set-up most tests share ------------------------------------------------------------

# python_helpers: lets the Python parts import daemon_client and fault_util from tests/e2e,
# without leaving __pycache__ in the source tree.
python_helpers() {
    export PYTHONDONTWRITEBYTECODE=1
    export PYTHONPATH="$SILK_ROOT/tests/e2e"
}

# corpus_article [DIR]: a corpus folder (default $T/corpus) holding a copy of the article.
corpus_article() {
    mkdir -p "${1:-$T/corpus}"
    cp "$SILK_ROOT/corpus/iran-north-korea-relations.txt" "${1:-$T/corpus}/"
}

# corpus_copy I [DIR]: copy number I of the article, DIR/a<I>.txt (default $T/corpus),
# numbered in its title and first paragraph so that every copy is a distinct document.
corpus_copy() {
    local dir="${2:-$T/corpus}"
    mkdir -p "$dir"
    sed "1s/\$/ $1/; 12s/^/Copy $1. /" "$SILK_ROOT/corpus/iran-north-korea-relations.txt" \
        >"$dir/a$1.txt"
}

# corpus_copies N [DIR]: copies 1 to N (see corpus_copy).
corpus_copies() {
    local i
    for i in $(seq 1 "$1"); do
        corpus_copy "$i" "${2:-$T/corpus}"
    done
}

# corpus_generated N SEED: N generated articles in $T/corpus (tests/e2e/fault_util.py).
corpus_generated() {
    python3 "$SILK_ROOT/tests/e2e/fault_util.py" gen "$T/corpus" "$1" "$2"
}

# index_corpus [-3] [ARGS...]: silk-index of $T/corpus into $INDEX (default $T/index) with
# ARGS, its output in $T/index.log. Fails the test unless it exits 0, or with -3 also 3
# (some files had problems, as the article's citations may give).
index_corpus() {
    local rc=0 also=0
    if [ "${1:-}" == "-3" ]; then
        also=3
        shift
    fi
    index --corpus "$T/corpus" --index "${INDEX:-$T/index}" "$@" >"$T/index.log" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq "$also" ] ||
        fail "silk-index exited $rc: $(cat "$T/index.log")"
}

# start_silkd [-w SECONDS] [-l LOG] [-p VAR] SOCK ARGS...: starts silkd on $INDEX (default
# $T/index) with --socket SOCK and ARGS in the background, under SILK_WRAP and after the
# command in the array SILKD_PREFIX (e.g. setpriv), its stderr in LOG (default
# $T/silkd.log); waits up to SECONDS (default 20) for the socket. Sets $VAR (default $pid)
# to its pid and tracks it.
SILKD_PREFIX=()
start_silkd() {
    local wait=20 log="$T/silkd.log" var=pid
    while [ $# -gt 0 ]; do
        case "$1" in
        -w) wait="$2" && shift 2 ;;
        -l) log="$2" && shift 2 ;;
        -p) var="$2" && shift 2 ;;
        *) break ;;
        esac
    done
    local at="$1"
    shift
    "${SILKD_PREFIX[@]}" "${SILK_WRAP[@]}" "$SILK_BIN/silkd" --index "${INDEX:-$T/index}" \
        --socket "$at" "$@" 2>"$log" &
    printf -v "$var" %s $!
    track_pid $!
    wait_for_socket "$at" "$wait"
}

# stop_silkd [PID [WHAT]]: SIGTERM to silkd (default $pid), which must then exit 0.
stop_silkd() {
    local p="${1:-$pid}"
    kill -TERM "$p"
    wait "$p" || fail "${2:-silkd exit status}"
}

# as_nobody: when the test runs as root and can drop to user nobody, sets AS_NOBODY to the
# setpriv command that does, makes $T reachable by that user, and stages the programs under
# test in $T/bin (the checkout may sit in a private 0700 folder nobody cannot enter), then
# returns 0. Otherwise prints a visible skip line naming what is not tested, and returns 1.
AS_NOBODY=()
as_nobody() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "skip: $1: needs root to run a program as another user (run as $(id -un))"
        return 1
    fi
    if ! setpriv --reuid=nobody --regid=nogroup --clear-groups -- true 2>"$T/setpriv.err"; then
        echo "skip: $1: cannot drop to user nobody: $(cat "$T/setpriv.err")"
        return 1
    fi
    AS_NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
    chmod 755 "$T"
    if [ "$SILK_BIN" != "$T/bin" ]; then
        mkdir -p "$T/bin"
        cp "$SILK_BIN/silk" "$SILK_BIN/silkd" "$SILK_BIN/silk-index" "$T/bin/"
        chmod 755 "$T/bin" "$T/bin/"*
        SILK_BIN="$T/bin"
    fi
    # The Python helpers too, for tests that run them as that user.
    if [ -n "${PYTHONPATH:-}" ] && [ "$PYTHONPATH" = "$SILK_ROOT/tests/e2e" ]; then
        mkdir -p "$T/py"
        cp "$SILK_ROOT/tests/e2e/"*.py "$T/py/"
        chmod -R a+rX "$T/py"
        export PYTHONPATH="$T/py"
    fi
    "${AS_NOBODY[@]}" "$SILK_BIN/silk" --version >/dev/null 2>"$T/nobody.err" ||
        fail "user nobody cannot run the staged programs: $(cat "$T/nobody.err")"
    return 0
}
