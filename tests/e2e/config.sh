#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The configuration file (silk.conf(5)), read by silk, silkd and silk-index: every key of
# dist/silk.conf.example is accepted by each program; each program honours its keys; flags
# win over the environment, which wins over the file; the lookup order (--config,
# $SILK_CONFIG, $XDG_CONFIG_HOME/silk/silk.conf); an unknown key, a bad value, a missing
# explicit file are errors naming FILE:LINE with exit 2; [ranking] is left to the searcher;
# silkd gives its file to the reindex child.
. "$(dirname "$0")/lib.sh"

export HOME="$T/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share"
unset SILK_CONFIG SILK_INDEX SILK_CORPUS SILK_SOCKET SILK_INDEXER XDG_RUNTIME_DIR
mkdir -p "$HOME" "$T/elsewhere"
corpus_article "$XDG_DATA_HOME/silk/corpus"

# run PROG ARGS...: runs a program from an unrelated folder; sets rc, out, err.
run() {
    rc=0
    (cd "$T/elsewhere" && "${SILK_WRAP[@]}" "$SILK_BIN/$@") >"$T/out" 2>"$T/err" || rc=$?
    out="$(cat "$T/out")"
    err="$(cat "$T/err")"
}

# ---- every key of the example is accepted ---------------------------------------------------
ex="$SILK_ROOT/dist/silk.conf.example"
all="$T/all.conf"
sed -E 's/^#([a-z][a-z-]* = )/\1/' "$ex" >"$all"
nkeys=$(grep -cE '^[a-z][a-z-]* = ' "$all")
[ "$nkeys" -ge 30 ] || fail "the example shows only $nkeys keys"
# Each key of the file's vocabulary (silk.conf(5)) is in the example, and each silkd
# option but --help, --print-socket, --config has its key under [daemon] or [paths].
for opt in $("$SILK_BIN/silkd" --help | grep -oE '^  --[a-z-]+' | sed 's/^  --//'); do
    case "$opt" in help | print-socket | config) continue ;; esac
    grep -qE "^$opt = " "$all" || fail "silkd --$opt has no key in dist/silk.conf.example"
done
ok "every silkd option has its key in the example"
for opt in max-size shards quiet no-wait; do
    grep -qE "^$opt = " "$all" || fail "silk-index --$opt has no key in the example"
done
run silk-index --config "$all" --quiet
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "silk-index on the example with every key set: exit $rc: $err"
ok "silk-index accepts every key of the example ($nkeys keys)"
run silkd --config "$all" --print-socket
assert_eq "$rc" 0 "silkd accepts every key of the example ($err)"
assert_eq "$out" /run/user/1000/silk/silk.sock "silkd: [paths] socket of the example"
run silk --config "$all" --socket "$T/nobody.sock" missile
assert_contains "$err" "no silkd running" "silk accepts every key of the example (it gets as far as connecting)"
# As shipped (all commented out), the example changes nothing.
run silkd --config "$ex" --print-socket
assert_eq "$out" "/tmp/silk-$(id -u)/silk.sock" "the example as shipped: the default socket"

# ---- each program honours its keys ----------------------------------------------------------
mkdir -p "$XDG_CONFIG_HOME/silk"
conf="$XDG_CONFIG_HOME/silk/silk.conf" # the default place: no --config needed
mkdir -m 700 "$T/run"
cat >"$conf" <<CONF
# relative paths are relative to this file's folder
[paths]
corpus = ../../.local/share/silk/corpus
index = ~/idx
socket = $T/run/c.sock

[indexer]
max-size = 1K

[daemon]
threads = 3

[client]
limit = 1
json = true

[ranking]
; the searcher's: accepted, kept for it
k1 = 1.2
CONF
run silk-index
assert_eq "$rc" 3 "silk-index: [indexer] max-size = 1K skips the article (exit 3)"
assert_contains "$err" "iran-north-korea-relations.txt" "silk-index: names the skipped file"
[ -d "$HOME/idx" ] || fail "silk-index did not write [paths] index = ~/idx"
ok "silk-index: [paths] corpus (relative to the file) into index (~/idx)"
run silk-index --max-size 1M --quiet
assert_eq "$rc" 0 "silk-index: --max-size wins over [indexer] max-size"
SILK_INDEX="$T/env-index" run silk-index --max-size 1M --quiet
[ -d "$T/env-index" ] || fail "SILK_INDEX did not win over [paths] index"
ok "silk-index: \$SILK_INDEX wins over [paths] index"

(cd "$T/elsewhere" && exec "${SILK_WRAP[@]}" "$SILK_BIN/silkd") 2>"$T/silkd.log" &
pid=$!
track_pid $pid
wait_for_socket "$T/run/c.sock"
ok "silkd: [paths] socket"
run silk --stats
assert_eq "$rc" 0 "silk --stats through the configured socket"
assert_contains "$out" '"threads":3' "silkd: [daemon] threads = 3 (and silk: json = true)"
assert_contains "$out" "\"index_path\":\"$HOME/idx\"" "silkd: [paths] index"
run silk missile
assert_eq "$(grep -o '"rank":' <<<"$out" | wc -l)" 1 "silk: [client] limit = 1"
run silk -n 2 missile
assert_eq "$(grep -o '"rank":' <<<"$out" | wc -l)" 2 "silk: -n 2 wins over [client] limit"
run silk --socket "$T/run/none.sock" missile
assert_contains "$err" "$T/run/none.sock" "silk: --socket wins over [paths] socket"
SILK_SOCKET="$T/run/env.sock" run silk missile
assert_contains "$err" "$T/run/env.sock" "silk: \$SILK_SOCKET wins over [paths] socket"
# The reindex child reads the same file: max-size 1K skips the changed article.
echo "A new last paragraph." >>"$XDG_DATA_HOME/silk/corpus/iran-north-korea-relations.txt"
run silk --reindex
assert_contains "$out" '"files_skipped":1' "silkd's reindex child honours [indexer] max-size"
stop_silkd "$pid" "silkd with the configuration file: exit status"

# --config and $SILK_CONFIG choose another file; a flag still wins over it.
other="$T/other.conf"
printf '[daemon]\nthreads = 2\n[paths]\nsocket = %s\n' "$T/run/o.sock" >"$other"
run silkd --config "$other" --print-socket
assert_eq "$out" "$T/run/o.sock" "silkd --config: that file, not the default one"
SILK_CONFIG="$other" run silkd --print-socket
assert_eq "$out" "$T/run/o.sock" "\$SILK_CONFIG: that file"
SILK_CONFIG="$other" run silkd --config "$conf" --print-socket
assert_eq "$out" "$T/run/c.sock" "--config wins over \$SILK_CONFIG"
run silkd --config "$other" --socket "$T/run/flag.sock" --print-socket
assert_eq "$out" "$T/run/flag.sock" "--socket wins over the file"

# ---- errors: FILE:LINE, exit 2, in each program -----------------------------------------------
bad="$T/bad.conf"
check_refused() { # WHAT WANT: each program refuses $bad with WANT in its message
    local prog
    for prog in "silk-index" "silkd --print-socket" "silk missile"; do
        # shellcheck disable=SC2086
        run $prog --config "$bad"
        assert_eq "$rc" 2 "$1: ${prog%% *} exits 2"
        assert_contains "$err" "$bad:$2" "$1: ${prog%% *} names the file and line"
    done
}
printf '[daemon]\nthreads = 2\nmax-conections = 5\n' >"$bad"
check_refused "an unknown key" "3: unknown key 'max-conections' in [daemon]"
printf '[client]\nlimit = 1\n[deamon]\nthreads = 2\n' >"$bad"
check_refused "an unknown section" "4: unknown section [deamon]"
printf '[paths]\nindex\n' >"$bad"
check_refused "a line that is not key = value" "2: not \`key = value\`"
printf '[daemon]\nmax-line = 1\n' >"$bad"
run silkd --config "$bad" --print-socket
assert_eq "$rc" 2 "silkd: a value out of range: exit 2"
assert_contains "$err" "$bad:2: max-line must be a number from 64" "silkd: a bad value names FILE:LINE and the range"
printf '[daemon]\nwatch = maybe\n' >"$bad"
run silkd --config "$bad" --print-socket
assert_contains "$err" "$bad:2: watch wants true or false" "silkd: a bad boolean"
printf '[indexer]\n\nmax-size = lots\n' >"$bad"
run silk-index --config "$bad"
assert_eq "$rc" 2 "silk-index: a bad value: exit 2"
assert_contains "$err" "$bad:3: max-size: not a size" "silk-index: a bad value names FILE:LINE"
printf '[client]\ncolor = blue\n' >"$bad"
run silk --config "$bad" missile
assert_eq "$rc" 2 "silk: a bad value: exit 2"
assert_contains "$err" "$bad:2: color wants auto, always or never" "silk: a bad value names FILE:LINE"
for prog in "silk-index" "silkd --print-socket" "silk missile"; do
    # shellcheck disable=SC2086
    run $prog --config "$T/missing.conf"
    assert_eq "$rc" 2 "${prog%% *}: a missing --config file: exit 2"
    assert_contains "$err" "$T/missing.conf" "${prog%% *}: names the missing file"
    SILK_CONFIG="$T/missing.conf" run $prog
    assert_eq "$rc" 2 "${prog%% *}: a missing \$SILK_CONFIG file: exit 2"
done
# A broken default file is an error too; a missing one is not (tested above by every run
# before $conf existed: silk-index of the example's defaults).
printf '[daemon]\nthreads = many\n' >"$conf"
run silkd --print-socket
assert_eq "$rc" 2 "a bad default file: exit 2"
assert_contains "$err" "$conf:2: threads must be a number" "a bad default file: names it"
for prog in silkd silk-index silk; do
    run $prog --help
    assert_eq "$rc" 0 "$prog --help works whatever the file"
done
rm "$conf"
echo "config: all checks passed"
