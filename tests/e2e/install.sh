#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make install DESTDIR=… PREFIX=/usr`: the installed programs index the corpus, serve it and
# answer a query; man pages, completions, units and the example config are in place (the
# units valid for systemd-analyze when it can run); `make uninstall` leaves no file.
. "$(dirname "$0")/lib.sh"

dest="$T/root"
# The programs under test may be a sanitizer build: install those as they are, not rebuilt.
make -C "$SILK_ROOT" --no-print-directory install DESTDIR="$dest" PREFIX=/usr \
    BIN="$SILK_BIN" BUILD="${SILK_BUILD:-build}" INSTALL_PREREQS=man >"$T/install.log" 2>&1 || fail "make install: $(tail -n 20 "$T/install.log")"
ok "make install DESTDIR=… PREFIX=/usr"

for f in usr/bin/silk usr/bin/silk-index usr/bin/silkd; do
    [ -x "$dest/$f" ] || fail "$f not installed as a program"
done
ok "programs in usr/bin"
for f in usr/share/man/man1/silk.1 usr/share/man/man1/silk-index.1 usr/share/man/man8/silkd.8 \
    usr/share/man/man7/silk-query.7 usr/share/man/man7/silk-protocol.7 \
    usr/share/man/man5/silk.conf.5 \
    usr/share/bash-completion/completions/silk usr/share/bash-completion/completions/silk-index \
    usr/share/bash-completion/completions/silkd usr/share/zsh/site-functions/_silk \
    usr/share/fish/vendor_completions.d/silk.fish \
    usr/share/fish/vendor_completions.d/silk-index.fish \
    usr/share/fish/vendor_completions.d/silkd.fish \
    usr/lib/systemd/user/silkd.socket usr/lib/systemd/user/silkd.service \
    usr/lib/systemd/user/silk-index.service usr/lib/systemd/user/silk-index.path \
    usr/share/doc/silk/silk.conf.example; do
    [ -f "$dest/$f" ] || fail "$f not installed"
    [ "$(stat -c %a "$dest/$f")" = 644 ] || fail "$f: mode $(stat -c %a "$dest/$f"), not 644"
done
ok "man pages, completions, units and example config installed, mode 644"
head -n 20 "$dest/usr/share/man/man1/silk.1" | grep -q '^\.TH "silk" "1"' ||
    fail "silk.1 is not a rendered man page"
ok "man pages are rendered roff"

grep -qE '^ExecStart=/usr/bin/silkd( |$)' "$dest/usr/lib/systemd/user/silkd.service" ||
    fail "silkd.service does not run /usr/bin/silkd: $(grep ExecStart "$dest/usr/lib/systemd/user/silkd.service")"
grep -q '^ExecStart=/usr/bin/silk-index ' "$dest/usr/lib/systemd/user/silk-index.service" ||
    fail "silk-index.service does not run /usr/bin/silk-index"
if grep -rq '@BINDIR@' "$dest/usr/lib/systemd/user"; then fail "@BINDIR@ left in a unit"; fi
ok "units name the installed programs"

if command -v systemd-analyze >/dev/null 2>&1; then
    # The units, pointed at the programs inside DESTDIR, checked offline. systemd-analyze
    # needs a runtime folder for --user; it checks the ExecStart programs exist.
    mkdir -p "$T/units" "$T/run" && chmod 700 "$T/run"
    for u in "$dest"/usr/lib/systemd/user/*; do
        sed "s|/usr/bin/|$dest/usr/bin/|" "$u" >"$T/units/$(basename "$u")"
    done
    rc=0
    (cd "$T/units" && XDG_RUNTIME_DIR="$T/run" systemd-analyze --user --man=no verify \
        ./silkd.socket ./silkd.service ./silk-index.service ./silk-index.path) >"$T/verify.log" 2>&1 || rc=$?
    if grep -q 'Failed to initialize manager\|Failed to lookup RuntimeDirectory' "$T/verify.log"; then
        echo "skip: systemd-analyze cannot run here: $(head -n 1 "$T/verify.log")"
    else
        [ "$rc" -eq 0 ] && [ ! -s "$T/verify.log" ] ||
            fail "systemd-analyze verify (exit $rc): $(cat "$T/verify.log")"
        ok "systemd-analyze --user verify: the four units are valid"
    fi
else
    echo "skip: systemd-analyze not installed, units not verified"
fi

# The installed programs, run from DESTDIR: index, serve, query.
ib="$dest/usr/bin"
mkdir -p "$T/corpus"
cp "$SILK_ROOT/corpus/iran-north-korea-relations.txt" "$SILK_ROOT/corpus/synonyms.txt" "$T/corpus/"
rc=0
"${SILK_WRAP[@]}" "$ib/silk-index" --corpus "$T/corpus" --index "$T/index" >"$T/index.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "installed silk-index exited $rc: $(cat "$T/index.log")"
ok "installed silk-index indexed the corpus"
sock="$T/silk.sock"
"${SILK_WRAP[@]}" "$ib/silkd" --index "$T/index" --corpus "$T/corpus" --socket "$sock" \
    2>"$T/silkd.log" &
track_pid $!
wait_for_socket "$sock"
ok "installed silkd serves on $sock"
out="$("${SILK_WRAP[@]}" "$ib/silk" --socket "$sock" --color=never '"axis of evil"')" ||
    fail "installed silk failed: $out"
assert_contains "$out" "iran-north-korea-relations#p1" "installed silk finds the phrase through silkd"
out="$("${SILK_WRAP[@]}" "$ib/silk" --socket "$sock" --reindex)" || fail "silk --reindex: $out"
ok "installed silkd re-indexes with the installed silk-index"
assert_contains "$("$ib/silk" --version)" "silk " "installed silk --version"
# The installed example configuration, every key uncommented, is accepted.
sed -E 's/^#([a-z][a-z-]* = )/\1/' "$dest/usr/share/doc/silk/silk.conf.example" >"$T/example.conf"
out="$("${SILK_WRAP[@]}" "$ib/silkd" --config "$T/example.conf" --print-socket 2>&1)" ||
    fail "installed silkd refuses the installed example configuration: $out"
ok "installed silkd accepts the installed example configuration"

make -C "$SILK_ROOT" --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr \
    >"$T/uninstall.log" 2>&1 || fail "make uninstall: $(tail -n 20 "$T/uninstall.log")"
left="$(find "$dest" ! -type d)"
[ -z "$left" ] || fail "make uninstall left files: $left"
ok "make uninstall removed every file it installed"
[ ! -e "$dest/usr/share/doc/silk" ] || fail "make uninstall left share/doc/silk"
ok "make uninstall removed silk's own doc folder"

# The default prefix, /usr/local (staged in a DESTDIR), as docs/install.md shows it.
mk() { make -C "$SILK_ROOT" --no-print-directory BIN="$SILK_BIN" BUILD="${SILK_BUILD:-build}" \
    INSTALL_PREREQS=man "$@" >"$T/mk.log" 2>&1 || fail "make $*: $(tail -n 20 "$T/mk.log")"; }
mk install DESTDIR="$T/local"
for f in usr/local/bin/silkd usr/local/share/man/man8/silkd.8 \
    usr/local/share/zsh/site-functions/_silk usr/local/lib/systemd/user/silkd.service; do
    [ -f "$T/local/$f" ] || fail "default prefix: $f not installed"
done
grep -qE '^ExecStart=/usr/local/bin/silkd( |$)' "$T/local/usr/local/lib/systemd/user/silkd.service" ||
    fail "default prefix: silkd.service does not run /usr/local/bin/silkd"
mk uninstall DESTDIR="$T/local"
[ -z "$(find "$T/local" ! -type d)" ] || fail "default prefix: uninstall left $(find "$T/local" ! -type d)"
ok "make install / uninstall with the default prefix /usr/local"

# A user's own install, no root: PREFIX=~/.local, the units where systemd --user looks.
home="$T/home"
mkdir -p "$home"
mk install PREFIX="$home/.local" SYSTEMDUSERDIR="$home/.local/share/systemd/user"
[ -x "$home/.local/bin/silk" ] || fail "~/.local: silk not installed"
[ -f "$home/.local/share/systemd/user/silkd.socket" ] || fail "~/.local: silkd.socket not installed"
grep -qE "^ExecStart=$home/.local/bin/silkd( |$)" "$home/.local/share/systemd/user/silkd.service" ||
    fail "~/.local: silkd.service does not run ~/.local/bin/silkd"
assert_contains "$("$home/.local/bin/silk" --version)" "silk " "~/.local: the installed silk runs"
mk uninstall PREFIX="$home/.local" SYSTEMDUSERDIR="$home/.local/share/systemd/user"
[ -z "$(find "$home" ! -type d)" ] || fail "~/.local: uninstall left $(find "$home" ! -type d)"
ok "make install / uninstall PREFIX=~/.local SYSTEMDUSERDIR=~/.local/share/systemd/user"
