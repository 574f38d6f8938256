#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages (docs/man/*.scd): each renders with scdoc with nothing on stderr, and with
# man -l without warnings; the long options of each program's --help and the options of its
# page's OPTIONS section are the same set (a new flag needs its paragraph in the page, and a
# documented flag must exist).
. "$(dirname "$0")/lib.sh"

command -v scdoc >/dev/null 2>&1 || fail "scdoc is not installed (scripts/install-deps.sh installs it)"
mandir="$SILK_ROOT/docs/man"
pages=("$mandir"/*.scd)
[ "${#pages[@]}" -ge 5 ] || fail "expected at least 5 man page sources in docs/man, found ${#pages[@]}"

for src in "${pages[@]}"; do
    name="$(basename "$src" .scd)"
    rc=0
    scdoc <"$src" >"$T/$name" 2>"$T/$name.err" || rc=$?
    [ "$rc" -eq 0 ] || fail "scdoc $name: exit $rc: $(cat "$T/$name.err")"
    [ ! -s "$T/$name.err" ] || fail "scdoc $name wrote to stderr: $(cat "$T/$name.err")"
    [ -s "$T/$name" ] || fail "scdoc $name: empty output"
    for section in NAME SYNOPSIS DESCRIPTION "SEE ALSO"; do
        grep -qE "^\.SH \"?$section\"?$" "$T/$name" || fail "$name has no $section section"
    done
    ok "scdoc renders $name without a message, with NAME, SYNOPSIS, DESCRIPTION, SEE ALSO"
done

if command -v man >/dev/null 2>&1; then
    for src in "${pages[@]}"; do
        name="$(basename "$src" .scd)"
        LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$T/$name" >"$T/$name.txt" \
            2>"$T/$name.man.err" || fail "man -l $name failed: $(cat "$T/$name.man.err")"
        [ ! -s "$T/$name.man.err" ] || fail "man -l $name warns: $(cat "$T/$name.man.err")"
        [ -s "$T/$name.txt" ] || fail "man -l $name printed nothing"
    done
    ok "man -l renders every page without a warning"
else
    echo "skip: man is not installed, pages not rendered with man -l"
fi

# long_opts: the --long-options in standard input, one a line, sorted and unique.
long_opts() { grep -oE -- '--[a-z][a-z0-9-]*' | sort -u; }
# The OPTIONS section of an scdoc source: from "# OPTIONS" to the next "# " heading.
options_section() { awk '/^# /{on = ($0 == "# OPTIONS"); next} on' "$1"; }

for pair in silk:silk.1 silk-index:silk-index.1 silkd:silkd.8; do
    prog="${pair%%:*}" page="${pair#*:}"
    src="$mandir/$page.scd"
    [ -f "$src" ] || fail "no man page $page for $prog"
    rc=0
    "${SILK_WRAP[@]}" "$SILK_BIN/$prog" --help >"$T/$prog.help" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || fail "$prog --help exited $rc"
    long_opts <"$T/$prog.help" >"$T/$prog.help.opts"
    [ -s "$T/$prog.help.opts" ] || fail "$prog --help lists no long option"
    options_section "$src" >"$T/$prog.section"
    [ -s "$T/$prog.section" ] || fail "$page has no OPTIONS section"
    long_opts <"$T/$prog.section" >"$T/$prog.page.opts"
    # In --help but not in the page: undocumented.
    missing="$(comm -23 "$T/$prog.help.opts" "$T/$prog.page.opts" | tr '\n' ' ')"
    [ -z "$missing" ] || fail "$prog --help has options missing from the OPTIONS of $page: $missing"
    # In the page but not in --help: documented but (no longer) there.
    extra="$(comm -13 "$T/$prog.help.opts" "$T/$prog.page.opts" | tr '\n' ' ')"
    [ -z "$extra" ] || fail "the OPTIONS of $page name options $prog --help does not have: $extra"
    ok "$prog: the $(wc -l <"$T/$prog.help.opts") long options of --help are those of $page"
    # Each option has its own paragraph: a line of the section starting with it in bold.
    while read -r o; do
        grep -qE -- "^(\*-[a-zA-Z]\*, )?\*$o\*" "$T/$prog.section" ||
            fail "$page: $o has no paragraph of its own in OPTIONS (a line starting *$o*)"
    done <"$T/$prog.help.opts"
    ok "$prog: every option has its paragraph in $page"
    # Each short option of --help ("  -n, --limit") is in the page too.
    for s in $(grep -oE '^ +-[a-zA-Z],' "$T/$prog.help" | tr -d ' ,' || true); do
        grep -q -- "\*$s\*" "$T/$prog.section" || fail "$page does not document $s"
    done
    ok "$prog: the short options of --help are in $page"
done

# The section 7 pages are found from the others.
grep -q 'silk-query\*(7)' "$mandir/silk.1.scd" || fail "silk(1) does not refer to silk-query(7)"
grep -q 'silk-protocol\*(7)' "$mandir/silkd.8.scd" || fail "silkd(8) does not refer to silk-protocol(7)"
ok "silk(1) and silkd(8) refer to silk-query(7) and silk-protocol(7)"
