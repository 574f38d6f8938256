#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# silk-index crash safety: kill -9 at random moments of runs (the first build, incremental
# runs with edits, removals and additions, and --full rebuilds). After each kill the index
# passes xapian-check and still holds a complete earlier revision, and the next run
# completes the work: the document count and the edits are exactly what the corpus says.
. "$(dirname "$0")/lib.sh"

C="$T/corpus"
I="$T/index"
n=100
kills=12
[ -n "${SILK_SANITIZED:-}" ] && n=30
[ -n "${SILK_VALGRIND:-}" ] && n=10
corpus_copies "$n"
next=$((n + 1))

count() { xapian-delve "$I" | sed -n 's/^number of documents = //p'; }
freq() { xapian-delve -1 -t "$1" "$I" 2>/dev/null | tail -n +2 | wc -l; }
files() { find "$C" -name '*.txt' | wc -l; }
# A random sleep of up to $1 milliseconds.
nap() { local ms=$((RANDOM % $1)); sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"; }
# run_killed MS ARGS...: starts silk-index, kills it with SIGKILL within MS milliseconds.
run_killed() {
    local ms=$1
    shift
    (exec "${SILK_WRAP[@]}" "$SILK_BIN/silk-index" --corpus "$C" --index "$I" --quiet "$@") &
    local pid=$!
    track_pid "$pid"
    nap "$ms"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
check_intact() {
    [ -f "$I/iamglass" ] || return 0 # killed before the database existed
    xapian-check "$I" >/dev/null 2>&1 || fail "xapian-check failed after kill $1"
    # Every committed revision is a whole run: whole articles of 55 documents each.
    local c
    c=$(count)
    [ $((c % 55)) -eq 0 ] || fail "after kill $1 the index holds $c documents (a partial run)"
}

# Time one complete build to pick the kill window, on a copy of the corpus.
start=$(date +%s%N)
index --corpus "$C" --index "$T/timing" --quiet
full_ms=$((($(date +%s%N) - start) / 1000000 + 50))
rm -rf "$T/timing" "$T/timing.lock"
ok "a full build takes about ${full_ms} ms"

# Kill 0: during the very first build.
run_killed "$full_ms"
check_intact 0
index --corpus "$C" --index "$I" --quiet
assert_eq "$(count)" "$((n * 55))" "the run after kill 0 completes the first build"

before=0 after=0
for k in $(seq 1 "$kills"); do
    # Changes: edit a few articles (a word unique to this round), remove one, add one.
    for j in 1 2 3 4 5; do
        f=$(find "$C" -name '*.txt' | shuf -n 1)
        sed -i "13s/^/Round$k marker. /" "$f"
    done
    rm -f "$(find "$C" -name '*.txt' | shuf -n 1)"
    corpus_copy "$next"
    next=$((next + 1))
    edited=$(grep -l "Round$k marker" "$C"/*.txt | wc -l)
    ino=$(stat -c %i "$I")
    rev=$(xapian-delve "$I" | sed -n 's/^revision = //p')
    if [ $((k % 4)) -eq 0 ]; then
        run_killed "$full_ms" --full
    else
        run_killed 400
    fi
    check_intact "$k"
    if [ "$(stat -c %i "$I")" == "$ino" ] &&
        [ "$(xapian-delve "$I" | sed -n 's/^revision = //p')" == "$rev" ]; then
        before=$((before + 1))
    else
        after=$((after + 1))
    fi
    index --corpus "$C" --index "$I" --quiet
    xapian-check "$I" >/dev/null || fail "xapian-check after the run following kill $k"
    [ "$(count)" -eq "$(($(files) * 55))" ] || fail "after kill $k: $(count) documents for $(files) files"
    [ "$(freq "round${k}")" -eq "$edited" ] || fail "after kill $k: round$k in $(freq "round${k}") documents, edited $edited"
    [ -z "$(ls -d "$I".new-* 2>/dev/null)" ] || fail "a .new folder survived the run after kill $k"
done
ok "$kills kills at random moments ($before before the commit, $after after it): each left a checkable index, each next run completed"
out=$(index --corpus "$C" --index "$I")
assert_contains "$out" "up to date" "nothing left to do at the end"
echo "all crash tests passed"
