#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# silk-index: a second writer waits for the lock (or fails at once with --no-wait), and
# --full switches the index while a reader keeps reading it, never seeing a gap.
. "$(dirname "$0")/lib.sh"

C="$T/corpus"
I="$T/index"
# Enough distinct copies of the article that a run lasts a moment (fewer under sanitizers).
n=200
[ -n "${SILK_SANITIZED:-}" ] && n=60
[ -n "${SILK_VALGRIND:-}" ] && n=20
corpus_copies "$n"
# wait_lock_holder PID: until the lock file names PID (2 s at most; the caller checks).
wait_lock_holder() {
    for _ in $(seq 1 200); do
        [ "$(cat "$I.lock" 2>/dev/null)" == "$1" ] && return 0
        sleep 0.01
    done
}
docs=$((n * 55))
docs_files=$n

# --- --no-wait against a running writer -------------------------------------------------------
# exec, so that $! is silk-index itself.
(exec "${SILK_WRAP[@]}" "$SILK_BIN/silk-index" --corpus "$C" --index "$I" --quiet) &
holder=$!
track_pid "$holder"
wait_lock_holder "$holder"
assert_eq "$(cat "$I.lock")" "$holder" "the writer's pid is in the lock file"
set +e
index --corpus "$C" --index "$I" --no-wait 2>"$T/err"
rc=$?
set -e
kill -0 "$holder" 2>/dev/null || fail "the first writer finished too early for this test"
assert_eq "$rc" 1 "--no-wait while another silk-index writes: exit status 1"
assert_contains "$(cat "$T/err")" "is being written by another silk-index (pid $holder)" \
    "--no-wait names the other writer"

# --- without --no-wait the second writer waits, then finds nothing to do ------------------------
out=$(index --corpus "$C" --index "$I" 2>"$T/err2")
assert_contains "$(cat "$T/err2")" "waiting for another silk-index (pid $holder)" "second writer says it waits"
assert_contains "$out" "up to date" "second writer ran after the first one committed"
wait "$holder" || fail "first writer failed"
ok "first writer completed"
assert_eq "$(xapian-delve "$I" | sed -n 's/^number of documents = //p')" "$docs" "document count"

# --- --full under a reader ---------------------------------------------------------------------
sed -i '12s/^/Rebuilt. /' "$C/a1.txt"
(exec "${SILK_WRAP[@]}" "$SILK_BIN/silk-index" --corpus "$C" --index "$I" --full --quiet) &
full=$!
track_pid "$full"
reads=0
while kill -0 "$full" 2>/dev/null; do
    got=$(xapian-delve "$I" 2>&1 | sed -n 's/^number of documents = //p')
    [ "$got" == "$docs" ] || fail "a reader saw '$got' documents during --full"
    reads=$((reads + 1))
done
wait "$full" || fail "--full failed"
[ "$reads" -gt 0 ] || fail "no read happened during --full"
ok "$reads reads during --full all saw the complete index"
assert_eq "$(xapian-delve "$I" | sed -n 's/^number of documents = //p')" "$docs" "count after --full"
xapian-delve -1 -t rebuilt "$I" | grep -q . || fail "--full lacks the edit"
ok "--full has the edit"
[ -z "$(ls -d "$I".new-* 2>/dev/null)" ] || fail "--full left a .new folder"
xapian-check "$I" >/dev/null || fail "xapian-check after --full"
ok "xapian-check after --full"
# --- the corpus vanishes in the middle of a run: nothing is committed ----------------------------
rev=$(xapian-delve "$I" | sed -n 's/^revision = //p')
sed -i '13s/^/Vanishing. /' "$C"/*.txt
# --full re-reads every file, so the run reliably outlasts the moment the corpus moves.
(exec "${SILK_WRAP[@]}" "$SILK_BIN/silk-index" --full --corpus "$C" --index "$I" --quiet \
    2>"$T/verr") &
victim=$!
track_pid "$victim"
wait_lock_holder "$victim"
sleep 0.1
mv "$C" "$C.moved"
set +e
wait "$victim"
rc=$?
set -e
assert_eq "$rc" 1 "a corpus that vanishes mid-run is fatal"
assert_contains "$(cat "$T/verr")" "vanished during the run; nothing committed" "the reason is given"
assert_eq "$(xapian-delve "$I" | sed -n 's/^revision = //p')" "$rev" "nothing was committed"
xapian-check "$I" >/dev/null || fail "xapian-check after the vanished corpus"
mv "$C.moved" "$C"
index --corpus "$C" --index "$I" --quiet
assert_eq "$(xapian-delve -1 -t vanishing "$I" | tail -n +2 | wc -l)" "$docs_files" "the next run indexes the edits"
echo "all lock tests passed"
