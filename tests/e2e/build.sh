#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The build itself: a plain `make` never installs, a missing package stops it at once
# with the apt-get line that fixes it, and every SANITIZER value does what it says or is
# refused. These run make in dry-run mode (-n) on the checkout, so they compile nothing.
. "$(dirname "$0")/lib.sh"
cd "$SILK_ROOT"

# 1. Plain `make` builds and never runs the package installer.
out="$(make -n 2>&1)"
[[ "$out" != *install-deps.sh* ]] || fail "plain make runs the installer: $out"
ok "plain make does not install packages"
out="$(make -n build 2>&1)"
[[ "$out" != *install-deps.sh* ]] || fail "make build runs the installer"
ok "make build does not install packages"
# ... while the goals the README says install first still do.
assert_contains "$(make -n test 2>&1)" "install-deps.sh" "make test installs what is missing first"

# 2. A missing package stops make before any compile, naming the apt-get line. A fake
# dpkg-query on PATH reports libcmocka-dev as not installed.
mkdir -p "$T/fakebin"
cat >"$T/fakebin/dpkg-query" <<'SH'
#!/bin/sh
# Answers like dpkg-query -W -f='${Status}' PKG: every package is installed but cmocka.
for last; do :; done
[ "$last" = libcmocka-dev ] && { echo "dpkg-query: no packages found matching $last" >&2; exit 1; }
printf 'install ok installed'
SH
chmod +x "$T/fakebin/dpkg-query"
set +e
out="$(PATH="$T/fakebin:$PATH" make -n 2>&1)"
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "make went on with a missing package: $out"
assert_contains "$out" "apt-get install -y libcmocka-dev" "a missing package stops make with the fix"
[[ "$out" != *"gcc "* ]] || fail "make compiled before stopping: $out"
ok "nothing is compiled when a package is missing"

# 3. SANITIZER: each supported value adds its flags (and gets its own build folder); any
# other value is refused.
for san in address undefined thread; do
    out="$(make -n -B SANITIZER=$san build-$san/lib/buf.o 2>&1)"
    case $san in
    address) want="-fsanitize=address,undefined" ;;
    undefined) want="-fsanitize=undefined" ;;
    thread) want="-fsanitize=thread" ;;
    esac
    assert_contains "$out" "$want" "SANITIZER=$san compiles with $want"
done
assert_contains "$(make -n SANITIZER=undefined 2>&1)" "build-undefined/" \
    "SANITIZER=undefined builds into build-undefined/"
set +e
out="$(make -n SANITIZER=bogus 2>&1)"
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "SANITIZER=bogus was accepted"
assert_contains "$out" "SANITIZER=bogus is not supported" "an unknown SANITIZER is refused"
