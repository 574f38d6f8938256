#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The silk client on a real terminal: run under `script` (util-linux), which gives it a
# pseudo-terminal whose width we set with stty. On a terminal the matches are bold, every
# line fits the terminal's width in display columns (Hangul counts two), NO_COLOR turns the
# escapes off, and a bad query shows a caret under the position.
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || fail "script (util-linux) is not installed"

corpus_article
index_corpus -3
sock="$T/silk.sock"
start_silkd "$sock" --corpus "$T/corpus"

# on_tty COLS ARGS...: runs silk on a pseudo-terminal COLS wide; the transcript goes to
# $T/tty and $out (carriage returns removed).
on_tty() {
    local cols="$1" cmd
    shift
    printf -v cmd '%q ' "$SILK_BIN/silk" --socket "$sock" "$@"
    rc=0
    # TERM must not be "dumb" for auto colour; the terminal's width comes from stty.
    TERM=xterm script -qec "stty cols $cols rows 50; $cmd" /dev/null </dev/null >"$T/tty" || rc=$?
    out="$(tr -d '\r' <"$T/tty")"
}
# check_tty FILE COLS: after removing escapes, every line fits COLS columns and is UTF-8.
check_tty() {
    python3 - "$1" "$2" <<'EOF'
import re, sys, unicodedata
data = open(sys.argv[1], "rb").read().decode("utf-8").replace("\r", "")
data = re.sub(r"\x1b\[[0-9;]*m", "", data)
assert "\x1b" not in data, "stray escape"
cols = int(sys.argv[2])
def width(s):
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
bad = [l for l in data.split("\n") if width(l) > cols]
assert not bad, bad
EOF
}
ESC=$'\033'

on_tty 60 -n 3 missile
assert_eq "$rc" 0 "tty: exit 0"
assert_contains "$out" "${ESC}[1mmissile" "tty: the match is bold"
assert_contains "$out" "silkd took" "tty: footer"
check_tty "$T/tty" 60 || fail "tty: a line wider than 60 columns: $out"
ok "tty: every line within the terminal's 60 columns"

for q in 조선 ایران "north korea"; do
    for cols in 33 47; do
        on_tty "$cols" -n 3 "$q"
        assert_eq "$rc" 0 "tty $q: exit 0"
        check_tty "$T/tty" "$cols" || fail "tty $q: a line wider than $cols columns: $out"
        ok "tty $q: wrapped within $cols columns"
    done
done
on_tty 33 -n 1 조선
assert_contains "$out" "${ESC}[1m조선" "tty: Hangul match in bold"

on_tty 60 -n 3 missile --color=never
[[ "$out" != *"$ESC"* ]] || fail "tty --color=never: escapes"
ok "tty --color=never: no escapes"
rc=0
NO_COLOR=1 TERM=xterm script -qec "stty cols 60; $(printf '%q ' "$SILK_BIN/silk" --socket "$sock" missile)" \
    /dev/null </dev/null >"$T/tty" || rc=$?
assert_eq "$rc" 0 "tty NO_COLOR: exit 0"
[[ "$(cat "$T/tty")" != *"$ESC"* ]] || fail "tty NO_COLOR: escapes: $(cat -v "$T/tty")"
ok "tty NO_COLOR: no escapes"
rc=0
TERM=xterm script -qec "stty cols 60; $(printf '%q ' "$SILK_BIN/silk" --socket "$sock" --color=always missile) | cat" \
    /dev/null </dev/null >"$T/tty" || rc=$?
assert_contains "$(cat "$T/tty")" "${ESC}[1m" "--color=always through a pipe: bold"

on_tty 60 'axis "of evil'
assert_eq "$rc" 2 "tty bad query: exit 2"
assert_contains "$out" "silk: bad query:" "tty bad query: message"
assert_contains "$out" $'  axis "of evil\n       ^' "tty bad query: caret under the quote"
echo "client_tty: all checks passed"
