#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The silk client against a real silkd on the corpus article: exit statuses, --json, batch
# mode, colour rules, width, errors, unreachable daemon, bad flags, --ping/--stats/--reindex.
# (Terminal rendering under a pseudo-terminal is client_tty.sh; --start is client_start.sh.)
. "$(dirname "$0")/lib.sh"

corpus_article
index_corpus -3
sock="$T/silk.sock"
start_silkd "$sock" --corpus "$T/corpus"

silk() { "${SILK_WRAP[@]}" "$SILK_BIN/silk" --socket "$sock" "$@"; }
# st CMD...: runs it, sets $out, $err and $rc without stopping the script.
st() {
    rc=0
    "$@" >"$T/out" 2>"$T/err" || rc=$?
    out="$(cat "$T/out")"
    err="$(cat "$T/err")"
}
ESC=$'\033'

# ---- exit statuses ----------------------------------------------------------------------
st silk missile
assert_eq "$rc" 0 "hits: exit 0"
assert_contains "$out" "iran-north-korea-relations#" "hits: ids printed"
assert_contains "$out" "Iran–North Korea relations" "hits: article printed"
assert_contains "$out" "silkd took" "hits: footer with the daemon's time"
[[ "$out" != *"$ESC"* ]] || fail "escape codes in piped output"
ok "piped output: no escape codes"

st silk zzxqvwk
assert_eq "$rc" 1 "no hits: exit 1"
assert_contains "$out" "No hits" "no hits: said so"

st silk 'axis "of evil'
assert_eq "$rc" 2 "bad query: exit 2"
[[ "$err" =~ ^silk:\ bad\ query:\ .*quote ]] || fail "bad query message: '$err'"
ok "bad query: 'silk: bad query: …quote…' ($err)"
assert_eq "$(wc -l <"$T/err")" 1 "bad query: one line on stderr when not a terminal"

# ---- --json -------------------------------------------------------------------------------
st silk --json axis of evil
assert_eq "$rc" 0 "json: exit 0"
python3 - "$T/out" <<'EOF' || fail "json output does not match the protocol"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 1, lines
r = json.loads(lines[0])
assert r["ok"] is True and r["id"] == 1, r
for k, t in (("took_us", int), ("total", int), ("relaxed", bool), ("hits", list)):
    assert isinstance(r[k], t), (k, r.get(k))
assert r["total"] >= len(r["hits"]) >= 1
for i, h in enumerate(r["hits"], 1):
    assert h["rank"] == i, h
    assert isinstance(h["id"], str) and "#" in h["id"], h
    for k in ("kind", "article", "section", "snippet"):
        assert isinstance(h[k], str), (k, h)
    assert isinstance(h["score"], (int, float)), h
    b = h["snippet"].encode("utf-8")
    for s, e in h["highlights"]:
        assert 0 <= s < e <= len(b), (s, e, len(b))
        b[s:e].decode("utf-8")  # on UTF-8 boundaries
print("json ok:", r["total"], "hits")
EOF
ok "json: one line per query, fields and highlights as the protocol says"
# The words of the command line are joined into one query.
j1="$(silk --json axis of evil | python3 -c 'import json,sys; print([h["id"] for h in json.load(sys.stdin)["hits"]])')"
j2="$(silk --json "axis of evil" | python3 -c 'import json,sys; print([h["id"] for h in json.load(sys.stdin)["hits"]])')"
assert_eq "$j1" "$j2" "words joined into one query"

st silk --json 'axis "of evil'
assert_eq "$rc" 2 "json bad query: exit 2"
assert_contains "$out" '"bad_query"' "json bad query: the daemon's error line is printed"

# ---- limit, offset, any, relaxed, did you mean ----------------------------------------------
ids() { python3 -c 'import json,sys; print(" ".join(h["id"] for h in json.load(sys.stdin)["hits"]))'; }
all="$(silk --json -n 5 korea | ids)"
two="$(silk --json -n 2 korea | ids)"
off="$(silk --json --limit 2 --offset 1 korea | ids)"
assert_eq "$(wc -w <<<"$all")" 5 "--limit 5: five hits"
assert_eq "$two" "$(cut -d' ' -f1-2 <<<"$all")" "-n 2: the first two"
assert_eq "$off" "$(cut -d' ' -f2-3 <<<"$all")" "--offset 1: the next two"
st silk -n 2 --offset 1 korea
assert_contains "$out" "Hits 2–3 of" "paging footer"

st silk --json missile zzxqvwk
assert_eq "$rc" 0 "relaxed: exit 0 (all-words query relaxed to any)"
assert_contains "$out" '"relaxed":true' "relaxed: the daemon relaxed it"
st silk missile zzxqvwk
assert_contains "$out" "showing documents with any of them" "relaxed: note in the footer"
st silk --any --json missile zzxqvwk
assert_eq "$rc" 0 "--any: exit 0"
assert_contains "$out" '"relaxed":false' "--any: nothing to relax"

st silk --json nucler weapns
dym="$(python3 -c 'import json,sys; print(json.load(sys.stdin).get("did_you_mean",""))' <"$T/out")"
[ -n "$dym" ] || fail "no did_you_mean for 'nucler weapns': $out"
st silk nucler weapns
assert_contains "$out" "Did you mean: $dym" "did you mean: printed in the footer"

# ---- Hangul and Persian, width --------------------------------------------------------------
# check_width FILE COLS: every line fits COLS display columns, valid UTF-8, no escapes.
check_width() {
    python3 - "$1" "$2" <<'EOF'
import sys, unicodedata
data = open(sys.argv[1], "rb").read().decode("utf-8")  # raises on invalid UTF-8
cols = int(sys.argv[2])
def width(s):
    w = 0
    for c in s:
        if unicodedata.combining(c) or unicodedata.category(c) in ("Cf", "Mn", "Me"):
            continue
        w += 2 if unicodedata.east_asian_width(c) in "WF" else 1
    return w
lines = data.replace("\r\n", "\n").split("\n")
bad = [l for l in lines if width(l) > cols]
assert not bad, bad
print(len(lines), "lines within", cols, "columns")
EOF
}
for q in 조선 ایران Balazs; do
    st env COLUMNS=40 "$SILK_BIN/silk" --socket "$sock" "$q"
    assert_eq "$rc" 0 "$q: exit 0"
    check_width "$T/out" 40 >/dev/null || fail "$q: a line wider than 40 columns: $out"
    ok "$q: every line within COLUMNS=40, valid UTF-8"
done
st env COLUMNS=40 "$SILK_BIN/silk" --socket "$sock" 조선
assert_contains "$out" "조선" "Hangul query: Hangul in the snippet"

# ---- colour --------------------------------------------------------------------------------
st silk --color=always missile
assert_contains "$out" "${ESC}[1mmissile" "--color=always: the match in bold"
st env NO_COLOR=1 "$SILK_BIN/silk" --socket "$sock" missile
[[ "$out" != *"$ESC"* ]] || fail "NO_COLOR: escape codes"
ok "NO_COLOR, piped: no escape codes"
st silk --color=never missile
[[ "$out" != *"$ESC"* ]] || fail "--color=never: escape codes"
ok "--color=never: no escape codes"

# ---- batch mode ----------------------------------------------------------------------------
printf 'missile\n\nzzxqvwk\naxis "of evil\n조선\n' >"$T/queries"
st silk --json <"$T/queries"
assert_eq "$rc" 2 "batch with a bad query: exit 2"
assert_eq "$(wc -l <"$T/out")" 4 "batch: one line per query (blank lines skipped)"
assert_contains "$err" "line 4: bad query" "batch: error names the input line"
python3 - "$T/out" <<'EOF' || fail "batch answers out of order"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [x["id"] for x in r] == [1, 2, 3, 4], r
assert r[0]["ok"] and r[0]["total"] > 0
assert r[1]["ok"] and r[1]["total"] == 0
assert not r[2]["ok"] and r[2]["error"]["code"] == "bad_query"
assert r[3]["ok"] and r[3]["total"] > 0 and "조선" in r[3]["hits"][0]["snippet"]
EOF
ok "batch: answers in input order"
printf 'missile\nzzxqvwk\n' | silk >"$T/out" 2>&1 || rc=$?
out="$(cat "$T/out")"
assert_contains "$out" "query: missile" "batch: query headers"
[[ "$out" == *"query: missile"*"query: zzxqvwk"* ]] || fail "batch headers out of order"
ok "batch: headers in order"
printf 'zzxqvwk\nqqxzvw\n' | silk >/dev/null 2>&1 && rc=0 || rc=$?
assert_eq "$rc" 1 "batch without any hit: exit 1"

# 300 queries through the pipelining window: the same answers, in order, as one by one.
words=(missile korea nuclear zzxqvwk iran 조선 ایران axis pyongyang weapons)
: >"$T/many"
for i in $(seq 0 299); do echo "${words[$((i % 10))]}" >>"$T/many"; done
for w in "${words[@]}"; do
    { silk --json "$w" || true; } | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["total"], [h["id"] for h in r["hits"]])'
done >"$T/expect"
silk --json <"$T/many" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert [r["id"] for r in rows] == list(range(1, 301)), "ids"
for r in rows[:10]:
    print(r["total"], [h["id"] for h in r["hits"]])
for i, r in enumerate(rows):
    assert (r["total"], r["hits"]) == (rows[i % 10]["total"], rows[i % 10]["hits"]), i
' >"$T/got" || fail "300 pipelined queries"
assert_eq "$(cat "$T/got")" "$(cat "$T/expect")" "300 pipelined queries: same answers as one by one, in order"

# Queries longer than silkd's line limit are refused by the client, and in a batch only
# that line fails: the connection (and the other answers) survive.
long="$(head -c 70000 /dev/zero | tr '\0' 'a')"
st silk "$long"
assert_eq "$rc" 2 "overlong query: exit 2"
assert_contains "$err" "too long" "overlong query: said so"
printf 'missile\n%s\nkorea\n' "$long" >"$T/longbatch"
st silk --json <"$T/longbatch"
assert_eq "$rc" 2 "batch with an overlong line: exit 2"
assert_eq "$(wc -l <"$T/out")" 2 "batch with an overlong line: the other two answered"
assert_contains "$err" "line 2: query " "batch with an overlong line: names it"

# ---- ping, stats, reindex ------------------------------------------------------------------
st silk --ping
assert_eq "$rc" 0 "--ping: exit 0"
assert_contains "$out" "silkd is up at $sock" "--ping: says where"
st silk --stats
assert_eq "$rc" 0 "--stats: exit 0"
[ -n "$out" ] || fail "--stats printed nothing"
ok "--stats: $(wc -l <<<"$out") lines"
st silk --stats --json
python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["ok"] is True' <"$T/out" ||
    fail "--stats --json: $out"
ok "--stats --json parses"
echo "Axis of evil, a test paragraph about zebrafinch." >>"$T/corpus/iran-north-korea-relations.txt"
st silk --reindex
assert_eq "$rc" 0 "--reindex: exit 0 ($err)"
st silk zebrafinch
assert_eq "$rc" 0 "--reindex: the new word is found"

# ---- unreachable daemon, bad flags -----------------------------------------------------------
st "$SILK_BIN/silk" --socket "$T/nobody.sock" missile
assert_eq "$rc" 2 "no daemon: exit 2"
assert_eq "$(wc -l <<<"$err")" 1 "no daemon: one line"
assert_contains "$err" "$T/nobody.sock" "no daemon: names the socket"
assert_contains "$err" "silkd" "no daemon: says how to start one"
st env -u SILK_SOCKET XDG_RUNTIME_DIR="$T/xdg" "$SILK_BIN/silk" missile
assert_contains "$err" "$T/xdg/silk/silk.sock" "default socket: \$XDG_RUNTIME_DIR/silk/silk.sock"
st env SILK_SOCKET="$sock" "$SILK_BIN/silk" missile
assert_eq "$rc" 0 "default socket: \$SILK_SOCKET"

for bad in "--bogus missile" "missile --bogus" "iran -x" "-n abc missile" "-n" "--offset -1 missile" \
    "--color=sometimes missile" "--mode some iran" "--format xml iran" "--facets bogus iran" \
    "--ping --stats" "--ping missile"; do
    # shellcheck disable=SC2086
    st "$SILK_BIN/silk" --socket "$sock" $bad
    assert_eq "$rc" 2 "bad flags '$bad': exit 2"
    [[ "$err" == silk:* ]] || fail "bad flags '$bad': message '$err'"
done
st "$SILK_BIN/silk" --help
assert_eq "$rc" 0 "--help: exit 0"
assert_contains "$out" "--start" "--help documents --start"
st "$SILK_BIN/silk" --version
assert_contains "$out" "silk " "--version"
st "$SILK_BIN/silk" --socket "$sock" iran --bogus
assert_contains "$err" "unknown option '--bogus'" "an unknown option after the query: named"
# Options anywhere, as GNU tools parse them; `--` ends them.
a="$(silk --json -n 2 korea | ids)"
b="$(silk korea --json -n 2 | ids)"
assert_eq "$b" "$a" "options after the query words"
b="$(silk korea -n2 --json | ids)"
assert_eq "$b" "$a" "-n2 after the query words"
st silk korea --limit
assert_eq "$rc" 2 "an option without its value after the query: exit 2"
assert_contains "$err" "wants a value" "an option without its value: said so"
a="$(silk --json -- missile -nuclear | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
b="$(silk --json missile | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
[ "$a" -lt "$b" ] || fail "'missile -nuclear' ($a hits) is not narrower than 'missile' ($b)"
ok "'-nuclear' after the query is the exclusion operator ($a of $b hits)"
st silk -- -nuclear missile
[ "$rc" -ne 2 ] || fail "'-- -nuclear missile' was an error: $err"
# Without `--`, -nuclear is an option (-n uclear): refused, with the way to write it.
st silk missile -nuclear
assert_eq "$rc" 2 "'missile -nuclear' without --: exit 2"
assert_contains "$err" "silk -- missile -nuclear" "'missile -nuclear': the message shows how to write it"
a="$(silk --json --mode any iran OR syria | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
b="$(silk --json "iran OR syria" --mode any | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
assert_eq "$b" "$a" "--mode any after the query"
c="$(silk --json "iran OR syria" --any | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
assert_eq "$c" "$a" "--any is --mode any"
ok "a minus inside the query needs --; --mode is an option anywhere"
# Invalid UTF-8 on the command line is sent as U+FFFD, not refused.
st silk $'missile\xff'
[ "$rc" -ne 2 ] || fail "invalid UTF-8 query: $err"
ok "invalid UTF-8 in a query: no error"
echo "client: all checks passed"
