#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# silk-index against a hostile or merely unlucky corpus (issue 14): a file swapped for a link
# or a FIFO after the scan, a planted lock-file link, a private corpus, a name that is not
# UTF-8, and a same-size rewrite with its mtime restored.
. "$(dirname "$0")/lib.sh"

C="$T/corpus"
I="$T/index"
mkdir -p "$C"
src="$SILK_ROOT/corpus/iran-north-korea-relations.txt"
cp "$src" "$C/a.txt"
json() { index --corpus "$C" --index "$I" --json "$@" 2>"$T/err" || true; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

# --- a name that is not valid UTF-8 is skipped; the rest is indexed --------------------------
printf 'Bad name\n\nA paragraph about zanzibarite minerals.\n' >"$C/bad-$(printf '\xff').txt"
out=$(json)
assert_eq "$(echo "$out" | field ok)" True "a run with a non-UTF-8 file name succeeds"
assert_contains "$(cat "$T/err")" 'bad-\xFF.txt: skipped: the name is not valid UTF-8' \
    "the bad name is named (escaped) with the reason"
assert_eq "$(echo "$out" | field files_added)" 1 "the other file is indexed"
rm -f "$C"/bad-*

# --- a same-size rewrite with its mtime restored (cp -p) ----------------------------------------
sed 's/North Korea/North Kxrea/' "$src" >"$T/edited.txt"
[ "$(stat -c %s "$T/edited.txt")" == "$(stat -c %s "$C/a.txt")" ] || fail "the edit changed the size"
touch -r "$C/a.txt" "$T/edited.txt"
cp -p "$T/edited.txt" "$C/a.txt"
out=$(json)
assert_eq "$(echo "$out" | field files_changed)" 1 "a cp -p rewrite (same size and mtime) is re-indexed"
out=$(json)
assert_eq "$(echo "$out" | field up_to_date)" True "and the next run is up to date again"

# --- a file swapped for a symlink or a FIFO is not read by name ---------------------------------
# The swap must happen between the scan and the read: a big first file keeps the run busy
# while the later ones are swapped (when the machine is too fast for that, a visible skip).
echo "secret: the content of a file outside the corpus" >"$T/outside.txt"
for i in $(seq 1 400); do cat "$src"; done >"$C/0-big.txt"
cp "$src" "$C/z.txt" && echo "z extra line." >>"$C/z.txt"
cp "$src" "$C/y.txt" && echo "y extra line." >>"$C/y.txt"
(exec "${SILK_WRAP[@]}" "$SILK_BIN/silk-index" --corpus "$C" --index "$I" --json) \
    >"$T/swap.json" 2>"$T/swap.err" &
pid=$!
track_pid "$pid"
# Swap once the scan is done (the lock holds the writer's pid, the big file is being read).
for _ in $(seq 1 500); do
    [ "$(cat "$I.lock" 2>/dev/null)" == "$pid" ] && break
    sleep 0.005
done
sleep 0.05
rm -f "$C/z.txt" "$C/y.txt"
ln -s "$T/outside.txt" "$C/z.txt"
mkfifo "$C/y.txt"
timeout 60 tail --pid="$pid" -f /dev/null || fail "silk-index blocked on a FIFO swapped in"
wait "$pid" || true
if grep -q "z.txt: skipped: replaced since the scan" "$T/swap.err"; then
    ok "a file swapped for a link after the scan is skipped with a note"
    assert_contains "$(cat "$T/swap.err")" "y.txt: skipped: replaced since the scan" \
        "a file swapped for a FIFO is skipped, the run does not block"
else
    echo "skip: the run read the files before the swap (machine too fast): $(head -c 300 "$T/swap.err")"
fi
out=$(index --corpus "$C" --index "$I" --json 2>"$T/err" || true)
echo "$out" | grep -q '"ok":true' || fail "run after the swap: $out $(cat "$T/err")"
if cat "$I"/*.glass | grep -aq "content of a file outside the corpus"; then
    fail "a file outside the corpus was indexed through a link"
fi
ok "no file outside the corpus reaches the index"
rm -f "$C/z.txt" "$C/y.txt" "$C/0-big.txt"

# --- a lock file planted as a symlink is not followed -------------------------------------------
I2="$T/idx2"
echo "precious" >"$T/victim"
ln -s "$T/victim" "$I2.lock"
set +e
index --corpus "$C" --index "$I2" --quiet 2>"$T/err"
rc=$?
set -e
assert_eq "$rc" 1 "a lock file that is a symlink is refused"
assert_contains "$(cat "$T/err")" "symbolic link (not followed)" "and the message says why"
assert_eq "$(cat "$T/victim")" precious "the link's target is untouched"
rm -f "$I2.lock"
index --corpus "$C" --index "$I2" --quiet
assert_eq "$(stat -c %a "$I2.lock")" 600 "a new lock file is created 0600"

# --- privacy: a private corpus gives a private index --------------------------------------------
P="$T/priv"
mkdir -m 0700 "$P"
cp "$src" "$P/"
index --corpus "$P" --index "$T/pidx" --quiet
assert_eq "$(stat -c %a "$T/pidx")" 700 "the index of a 0700 corpus is 0700"
bad=$(find "$T/pidx" -type f -perm /077 | head -3)
assert_eq "$bad" "" "its files give nothing to group or other"
index --corpus "$P" --index "$T/pidx" --full --quiet
assert_eq "$(stat -c %a "$T/pidx")" 700 "--full's new folder is 0700 too"
# An index built while the corpus was open becomes private with it.
chmod 0755 "$P"
index --corpus "$P" --index "$T/pidx" --full --quiet
assert_eq "$(stat -c %a "$T/pidx")" 755 "an open corpus gives a readable index"
chmod 0700 "$P"
index --corpus "$P" --index "$T/pidx" --quiet
assert_eq "$(stat -c %a "$T/pidx")" 700 "closing the corpus closes the index on the next run"
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null || ! command -v xapian-delve >/dev/null; then
    echo "skip: reading the index as another user (needs root, setpriv and xapian-delve)"
else
    chmod 0755 "$T"
    set +e
    setpriv --reuid=65534 --regid=65534 --clear-groups xapian-delve "$T/pidx" >"$T/delve" 2>&1
    rc=$?
    set -e
    chmod 0700 "$T"
    [ "$rc" -ne 0 ] || fail "another user read the private index: $(head -3 "$T/delve")"
    ok "another user cannot read the index of a private corpus"
fi
