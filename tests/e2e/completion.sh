#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shell completions (dist/completions): bash completes options, --color values, folders,
# kind: values and the section: words of a running daemon; zsh and fish files parse and,
# when those shells are installed, complete the same; every long option of each program's
# --help is in each shell's completion of it.
. "$(dirname "$0")/lib.sh"

comp="$SILK_ROOT/dist/completions"
export PATH="$SILK_BIN:$PATH"

# A daemon on the corpus article, for the section: words.
mkdir -p "$T/corpus"
cp "$SILK_ROOT/corpus/iran-north-korea-relations.txt" "$T/corpus/"
rc=0
index --corpus "$T/corpus" --index "$T/index" >"$T/index.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "silk-index exited $rc: $(cat "$T/index.log")"
sock="$T/silk.sock"
"${SILK_WRAP[@]}" "$SILK_BIN/silkd" --index "$T/index" --corpus "$T/corpus" --socket "$sock" \
    2>"$T/silkd.log" &
track_pid $!
wait_for_socket "$sock"

# ---- bash ---------------------------------------------------------------------------------
# bcomp FILE FUNCTION LINE: what FUNCTION completes at the end of LINE, one candidate a line,
# sorted. COMP_WORDS is split as bash does, at blanks and at the characters of
# COMP_WORDBREAKS (so `kind:` is `kind` `:`).
bcomp() {
    bash --norc --noprofile -c '
        file="$1" fn="$2" line="$3"
        . "$file"
        COMP_LINE="$line" COMP_POINT=${#line}
        COMP_WORDS=()
        w=""
        for ((i = 0; i < ${#line}; i++)); do
            c="${line:i:1}"
            if [[ "$c" == [[:blank:]] ]]; then
                [ -n "$w" ] && COMP_WORDS+=("$w")
                w=""
            elif [[ "$c" == [:=] ]]; then
                [ -n "$w" ] && COMP_WORDS+=("$w")
                COMP_WORDS+=("$c")
                w=""
            else
                w+="$c"
            fi
        done
        COMP_WORDS+=("$w")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        "$fn"
        printf "%s\n" "${COMPREPLY[@]}" | sort
    ' bcomp "$@"
}
sb="$comp/silk.bash"
bash -n "$sb" || fail "silk.bash does not parse"
bash -n "$comp/silk-index.bash" || fail "silk-index.bash does not parse"
bash -n "$comp/silkd.bash" || fail "silkd.bash does not parse"
ok "bash completion files parse"

assert_eq "$(bcomp "$sb" _silk 'silk --so')" "--socket" "bash: silk --so → --socket"
assert_eq "$(bcomp "$sb" _silk 'silk --re')" "--reindex" "bash: silk --re → --reindex"
kinds=$'infobox\nlead\nparagraph\nreading\nreference'
assert_eq "$(bcomp "$sb" _silk 'silk kind:')" "$kinds" "bash: silk kind: → the five kinds"
assert_eq "$(bcomp "$sb" _silk 'silk iran kind:re')" $'reading\nreference' "bash: silk iran kind:re → reading, reference"
assert_eq "$(bcomp "$sb" _silk 'silk --color=')" $'always\nauto\nnever' "bash: --color= values"
assert_contains "$(bcomp "$sb" _silk 'silk ')" "section:" "bash: an empty word → field names"
assert_eq "$(bcomp "$sb" _silk 'silk au')" "author:" "bash: silk au → author:"
assert_eq "$(bcomp "$sb" _silk 'silk sh')" "show" "bash: silk sh → show (the command word)"
assert_eq "$(bcomp "$sb" _silk 'silk iran sh')" "" "bash: show only as the first word"
assert_eq "$(bcomp "$sb" _silk 'silk --mode a')" $'all\nany' "bash: --mode values"
assert_eq "$(bcomp "$sb" _silk 'silk --format ')" $'ids\njson\ntext' "bash: --format values"
assert_eq "$(bcomp "$sb" _silk 'silk --facets kind,y')" "kind,year" "bash: --facets completes after a comma"
# Without COMP_LINE (as some callers do), from COMP_WORDS alone.
out="$(bash --norc --noprofile -c '. "$1"; COMP_WORDS=(silk kind :); COMP_CWORD=2; _silk
    printf "%s\n" "${COMPREPLY[@]}" | sort' x "$sb")"
assert_eq "$out" "$kinds" "bash: silk kind: from COMP_WORDS alone"
# With ':' not a word break, the candidates keep their field name.
out="$(bash --norc --noprofile -c '. "$1"; COMP_WORDBREAKS=" "; COMP_LINE="silk kind:p"
    COMP_POINT=11; COMP_WORDS=(silk kind:p); COMP_CWORD=1; _silk; printf "%s\n" "${COMPREPLY[@]}"' x "$sb")"
assert_eq "$out" "kind:paragraph" "bash: kind:p → kind:paragraph when ':' does not break words"
mkdir -p "$T/sockdir"
out="$(cd "$T" && bcomp "$sb" _silk 'silk --socket sil')"
assert_eq "$out" "silk.sock" "bash: --socket completes a socket file"
out="$(bcomp "$sb" _silk "silk --socket $sock section:")"
assert_contains "$out" "history" "bash: section: words from the daemon (history)"
assert_contains "$out" "military" "bash: section: words from the daemon (military)"
out="$(bcomp "$sb" _silk "silk --socket $sock section:hi")"
assert_eq "$out" "history" "bash: section:hi → history"
out="$(bcomp "$sb" _silk "silk --socket $T/none.sock section:")"
assert_eq "$out" "" "bash: section: with no daemon completes nothing"
out="$(cd "$T" && bcomp "$comp/silk-index.bash" _silk_index 'silk-index --corpus cor')"
assert_eq "$out" "corpus" "bash: silk-index --corpus completes a folder"
assert_eq "$(bcomp "$comp/silk-index.bash" _silk_index 'silk-index --no')" "--no-wait" "bash: silk-index --no → --no-wait"
out="$(cd "$T" && bcomp "$comp/silkd.bash" _silkd 'silkd --index ind')"
assert_eq "$out" "index" "bash: silkd --index completes a folder"
assert_eq "$(bcomp "$comp/silkd.bash" _silkd 'silkd --log-level d')" "debug" "bash: silkd --log-level values"
assert_eq "$(bcomp "$comp/silkd.bash" _silkd 'silkd --print')" "--print-socket" "bash: silkd --print → --print-socket"

# ---- every option of --help, in every shell's completion ---------------------------------
for pair in silk:silk.bash:_silk:silk.fish silk-index:silk-index.bash:_silk:silk-index.fish \
    silkd:silkd.bash:_silk:silkd.fish; do
    IFS=: read -r prog bfile zfile ffile <<<"$pair"
    for o in $("$SILK_BIN/$prog" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
        grep -qE -- "(^|[ '\"])$o([ =\"'\[]|$)" "$comp/$bfile" || fail "$bfile lacks $o (from $prog --help)"
        # zsh: one file for the three programs; the option in that program's function.
        fn="_silk_cmd_${prog//-/_}"
        awk -v fn="$fn" '$0 ~ "^" fn "\\(\\)" {on = 1} on && /^}/ {on = 0} on' "$comp/$zfile" |
            grep -qE -- "'(\([^)]*\))?$o[=+\[]|\{[^}]*$o[=+]?[,}]" ||
            fail "_silk ($fn) lacks $o (from $prog --help)"
        grep -qE -- "-l ${o#--}( |$)" "$comp/$ffile" || fail "$ffile lacks $o (from $prog --help)"
    done
done
ok "every long option of each --help is in its bash, zsh and fish completion"

# ---- zsh ----------------------------------------------------------------------------------
if command -v zsh >/dev/null 2>&1; then
    zsh -n "$comp/_silk" || fail "_silk does not parse (zsh -n)"
    ok "zsh -n _silk"
    # A real interactive zsh under a pseudo-terminal (zsh/zpty), with compinit on our
    # folder: type, press Tab, read what zsh shows.
    cat >"$T/z.zsh" <<EOF
zmodload zsh/zpty || exit 3
zpty -b z 'PS1="> " TERM=dumb zsh -f -i'
zpty -w z 'fpath=($comp \$fpath); PATH=$SILK_BIN:\$PATH; autoload -Uz compinit; compinit -u -D; setopt nobeep'
zpty -w -n z \$'silk --so\t'
sleep 1
zpty -w -n z \$'\C-u silk kind:\t\t'
sleep 1
zpty -w -n z \$'\C-u silk --socket $sock section:\t\t'
sleep 2
zpty -w -n z \$'\C-u silkd --log\t'
sleep 1
while zpty -r -t z out; do print -r -- \$out; done
zpty -d z
EOF
    rc=0
    timeout 30 zsh -f "$T/z.zsh" >"$T/z.out" 2>&1 || rc=$?
    if [ "$rc" -eq 3 ]; then
        echo "skip: zsh has no zsh/zpty module, completions only parsed"
    else
        out="$(tr -d '\r' <"$T/z.out")"
        assert_contains "$out" "silk --socket=" "zsh: silk --so → --socket="
        assert_contains "$out" "paragraph" "zsh: silk kind: lists the kinds (paragraph)"
        assert_contains "$out" "reference" "zsh: silk kind: lists the kinds (reference)"
        assert_contains "$out" "history" "zsh: section: words from the daemon (history)"
        assert_contains "$out" "silkd --log-level" "zsh: silkd --log → --log-level"
    fi
else
    echo "skip: zsh is not installed, _silk not checked"
fi

# ---- fish ---------------------------------------------------------------------------------
if command -v fish >/dev/null 2>&1; then
    for f in silk.fish silk-index.fish silkd.fish; do
        fish -n "$comp/$f" || fail "$f does not parse (fish -n)"
    done
    ok "fish -n on the three fish files"
    # fcomp FILE LINE: the candidates fish offers at the end of LINE, without descriptions.
    fcomp() {
        fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$1" "$2" | cut -f1 | sort
    }
    assert_eq "$(fcomp "$comp/silk.fish" 'silk --so')" "--socket" "fish: silk --so → --socket"
    assert_eq "$(fcomp "$comp/silk.fish" 'silk kind:')" \
        "$(printf 'kind:%s\n' infobox lead paragraph reading reference)" "fish: silk kind: → the five kinds"
    assert_contains "$(fcomp "$comp/silk.fish" 'silk ')" "year:" "fish: an empty word → field names"
    assert_contains "$(fcomp "$comp/silk.fish" 'silk sh')" "show" "fish: silk sh → show"
    assert_eq "$(fcomp "$comp/silk.fish" 'silk --format ')" $'ids\njson\ntext' "fish: --format values"
    out="$(fcomp "$comp/silk.fish" "silk --socket $sock section:")"
    assert_contains "$out" "section:history" "fish: section: words from the daemon"
    assert_eq "$(fcomp "$comp/silkd.fish" 'silkd --log-level ')" $'debug\nerror\ninfo\nwarn' "fish: silkd --log-level values"
    out="$(cd "$T" && fcomp "$comp/silk-index.fish" 'silk-index --corpus cor')"
    assert_eq "$out" "corpus/" "fish: silk-index --corpus completes a folder"
else
    echo "skip: fish is not installed, fish completions not checked"
fi
