#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian packages (only with SILK_TEST_DEB=1, as `make deb-test` and CI set it: the build
# takes a minute or two): dpkg-buildpackage builds them from a copy of the tree, lintian finds
# no error or warning, they install into an empty root (dpkg --root as root, else dpkg -x),
# and the installed programs index, serve and answer; removing them leaves no file.
. "$(dirname "$0")/lib.sh"

if [ "${SILK_TEST_DEB:-}" != 1 ]; then
    echo "skip: the Debian package test runs only with SILK_TEST_DEB=1 (make deb-test)"
    exit 0
fi
for tool in dpkg-buildpackage dh lintian fakeroot; do
    command -v "$tool" >/dev/null 2>&1 ||
        fail "$tool is missing: run scripts/install-deps.sh --deb (make deb-test does)"
done

out="${DEB_OUT:-$T/deb}"
case "$out" in /*) ;; *) out="$SILK_ROOT/$out" ;; esac
make -C "$SILK_ROOT" --no-print-directory deb DEB_OUT="$out" >"$T/build.log" 2>&1 ||
    fail "make deb: $(tail -n 40 "$T/build.log")"
version="$(cd "$SILK_ROOT" && dpkg-parsechangelog -S Version)"
arch="$(dpkg --print-architecture)"
debs=("$out/silk_${version}_$arch.deb" "$out/silkd_${version}_$arch.deb")
for d in "${debs[@]}" "$out/silk_${version}_$arch.changes"; do
    [ -f "$d" ] || fail "no $d after the build: $(ls "$out")"
done
ok "dpkg-buildpackage built silk and silkd $version"
beside="$(cd "$SILK_ROOT/.." && ls -d silk_* silk-dbgsym_* silkd_* silkd-dbgsym_* 2>/dev/null || true)"
assert_eq "$beside" "" "no package file beside the checkout"
[ ! -e "$out/silk-$version" ] || fail "the build copy $out/silk-$version was left behind"
ok "the build copy was removed"

# lintian: errors and warnings fail, the rest is shown.
lintian --info --pedantic "$out/silk_${version}_$arch.changes" >"$T/lintian.log" 2>&1 || true
grep -v 'running with root privileges' "$T/lintian.log" | sed 's/^/    lintian: /' || true
if grep -qE '^[EW]: ' "$T/lintian.log"; then
    fail "lintian errors or warnings: $(grep -E '^[EW]: ' "$T/lintian.log")"
fi
ok "lintian: no error, no warning"

# What goes where.
dpkg-deb -c "${debs[0]}" >"$T/silk.list"
dpkg-deb -c "${debs[1]}" >"$T/silkd.list"
for f in usr/bin/silk usr/bin/silk-index usr/share/man/man1/silk.1.gz \
    usr/share/man/man7/silk-query.7.gz usr/share/man/man7/silk-protocol.7.gz \
    usr/share/bash-completion/completions/silk usr/share/zsh/vendor-completions/_silk \
    usr/share/fish/vendor_completions.d/silk.fish usr/share/doc/silk/copyright \
    usr/share/doc/silk/silk.conf.example; do
    grep -q " \./$f\$" "$T/silk.list" || fail "silk.deb lacks $f"
done
for f in usr/bin/silkd usr/share/man/man8/silkd.8.gz usr/lib/systemd/user/silkd.socket \
    usr/lib/systemd/user/silkd.service usr/lib/systemd/user/silk-index.service \
    usr/lib/systemd/user/silk-index.path usr/share/bash-completion/completions/silkd; do
    grep -q " \./$f\$" "$T/silkd.list" || fail "silkd.deb lacks $f"
done
ok "silk.deb: client, indexer, man pages, completions; silkd.deb: daemon, units"

# Install into an empty root.
root="$T/root"
mkdir -p "$root"
if [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
    : >"$root/var/lib/dpkg/status"
    : >"$root/var/lib/dpkg/available"
    # The root has no libc: dependencies are the machine's; the maintainer scripts see
    # DPKG_ROOT and leave the machine's systemd state alone.
    dpkg --root="$root" --log=/dev/null --force-depends --force-script-chrootless \
        -i "${debs[@]}" >"$T/dpkg.log" 2>&1 || fail "dpkg --root -i: $(cat "$T/dpkg.log")"
    ok "dpkg --root installs both packages into an empty root"
else
    for d in "${debs[@]}"; do dpkg -x "$d" "$root"; done
    ok "dpkg -x unpacks both packages (not root: no dpkg --root)"
fi
ib="$root/usr/bin"
assert_eq "$("$ib/silk" --version)" "silk $version" "installed silk --version"

mkdir -p "$T/corpus"
cp "$SILK_ROOT/corpus/iran-north-korea-relations.txt" "$T/corpus/"
rc=0
"$ib/silk-index" --corpus "$T/corpus" --index "$T/index" >"$T/index.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "packaged silk-index exited $rc: $(cat "$T/index.log")"
sock="$T/silk.sock"
"$ib/silkd" --index "$T/index" --corpus "$T/corpus" --socket "$sock" 2>"$T/silkd.log" &
track_pid $!
wait_for_socket "$sock"
out="$("$ib/silk" --socket "$sock" --color=never -n 3 kind:reference author:szalontai)" ||
    fail "packaged silk: $out"
assert_contains "$out" "iran-north-korea-relations#ref-11" "packaged silk, silkd, silk-index answer a query"
out="$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$root/usr/share/man/man1/silk.1.gz" 2>&1)" ||
    fail "man -l silk.1.gz: $out"
assert_contains "$out" "--socket" "the packaged silk(1) renders"

if [ "$(id -u)" -eq 0 ]; then
    dpkg --root="$root" --log=/dev/null --force-depends --force-script-chrootless \
        --purge silkd silk >"$T/purge.log" 2>&1 || fail "dpkg --purge: $(cat "$T/purge.log")"
    left="$(cd "$root" && find . ! -type d ! -path './var/lib/dpkg/*')"
    [ -z "$left" ] || fail "dpkg --purge left files: $left"
    ok "dpkg --purge removes every file"
fi
