#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Trust of paths (issue 14): an index file never makes silk run a program it names (a Xapian
# stub's `remote :PROGRAM` line) unless silkd --allow-remote-programs; an index or corpus
# that other users can write is refused, as OpenSSH's StrictModes, with a message naming
# the path and why.
. "$(dirname "$0")/lib.sh"

C="$T/corpus"
mkdir -p "$C"
cp "$SILK_ROOT/corpus/iran-north-korea-relations.txt" "$C/"

# --- a stub file naming a program -------------------------------------------------------------
cat >"$T/evil.sh" <<EOS
#!/bin/sh
touch "$T/ran"
exit 1
EOS
chmod 0755 "$T/evil.sh"
printf 'remote :%s\n' "$T/evil.sh" >"$T/stub"
sock="$T/s.sock"
"${SILK_WRAP[@]}" "$SILK_BIN/silkd" --index "$T/stub" --corpus "$C" --socket "$sock" \
    --threads 1 2>"$T/silkd.log" &
pid=$!
track_pid "$pid"
wait_for_socket "$sock"
sleep 0.3
kill "$pid"
wait "$pid" || true
[ ! -e "$T/ran" ] || fail "silkd ran the program named by the index's stub file"
ok "silkd does not run the program of a stub's remote :PROGRAM line"
assert_contains "$(cat "$T/silkd.log")" "refusing to run the program '$T/evil.sh'" \
    "silkd says why it refused the stub"
# The operator may ask for exactly that.
"${SILK_WRAP[@]}" "$SILK_BIN/silkd" --index "$T/stub" --corpus "$C" --socket "$sock" \
    --threads 1 --allow-remote-programs 2>"$T/silkd2.log" &
pid=$!
track_pid "$pid"
wait_for_socket "$sock"
for _ in $(seq 1 50); do
    [ -e "$T/ran" ] && break
    sleep 0.1
done
kill "$pid"
wait "$pid" || true
[ -e "$T/ran" ] || fail "--allow-remote-programs did not run the stub's program"
ok "--allow-remote-programs lets the stub's program run"
assert_contains "$("$SILK_BIN/silkd" --help)" "--allow-remote-programs" "--help names it"
rm -f "$T/ran"
# silk-index never opens a stub as its database either.
set +e
index --corpus "$C" --index "$T/stub" --quiet 2>"$T/err"
rc=$?
set -e
[ ! -e "$T/ran" ] || fail "silk-index ran the program named by the index's stub file"
assert_eq "$rc" 1 "silk-index on a stub file fails"

# --- StrictModes ------------------------------------------------------------------------------
I="$T/private/index"
mkdir -m 0700 "$T/private"
index --corpus "$C" --index "$I" --quiet
ok "a private index and corpus under /tmp (sticky) are accepted"
chmod 0777 "$C"
set +e
index --corpus "$C" --index "$I" --quiet 2>"$T/err"
rc=$?
set -e
assert_eq "$rc" 1 "silk-index refuses a corpus writable by everyone"
assert_contains "$(cat "$T/err")" "refusing the corpus: $(realpath "$C") is writable by everyone" \
    "the message names the corpus and why"
chmod 0755 "$C"
chmod 0770 "$T/private"
set +e
index --corpus "$C" --index "$I" --quiet 2>"$T/err"
rc=$?
set -e
assert_eq "$rc" 1 "silk-index refuses an index in a group-writable folder"
assert_contains "$(cat "$T/err")" "refusing the index: $(realpath "$T/private") is writable by its group" \
    "the message names the folder above the index"
set +e
"$SILK_BIN/silkd" --index "$I" --corpus "$C" --socket "$sock" 2>"$T/err"
rc=$?
set -e
assert_eq "$rc" 1 "silkd refuses an index in a group-writable folder"
assert_contains "$(cat "$T/err")" "is writable by its group" "silkd says why"
chmod 0700 "$T/private"

# Another user's folder: only root can make one here.
if [ "$(id -u)" -ne 0 ]; then
    echo "skip: folders owned by another user (needs root to chown)"
else
    chown nobody "$C"
    set +e
    index --corpus "$C" --index "$I" --quiet 2>"$T/err"
    rc=$?
    set -e
    assert_eq "$rc" 1 "silk-index refuses a corpus that belongs to another user"
    assert_contains "$(cat "$T/err")" "belongs to another user" "and says so"
    chown root "$C"
fi
index --corpus "$C" --index "$I" --quiet
ok "trusted again once the permissions are fixed"
