#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the Debian packages silk needs, only when something is missing.
# Called by `make deps` (and so by `make run`, `make test`, `make bench`).
set -eu

PKGS="gcc g++ make pkg-config libxapian-dev libuv1-dev libutf8proc-dev libjansson-dev libgumbo-dev libmd4c-dev \
libinih-dev libsystemd-dev libhttp-parser-dev libjemalloc-dev \
libcmocka-dev xapian-tools socat clang libclang-rt-14-dev clang-format valgrind \
libsqlite3-dev sqlite3 python3 procps ripgrep util-linux scdoc zsh fish \
systemd chromium chromium-driver python3-selenium"

# `install-deps.sh --bench` (called by `make bench`) installs what only the benchmarks
# need instead: the peer daemons, GNU time for peak RSS and hyperfine (bench-cli). Kept
# out of the main list so `make test` on a fresh machine does not pull them in.
BENCH_PKGS="sphinxsearch groonga-bin groonga-httpd time hyperfine"
# `install-deps.sh --deb` (called by `make deb`, `make deb-test`): what building and checking
# the Debian package needs, beyond debian/control's Build-Depends, which the main list has.
DEB_PKGS="debhelper dpkg-dev lintian fakeroot scdoc"

# `install-deps.sh --missing` (called by a plain `make`, which never installs) only prints
# the packages a build needs that are not installed, and exits 0.
BUILD_PKGS="gcc g++ make pkg-config libxapian-dev libuv1-dev libutf8proc-dev libjansson-dev libgumbo-dev libmd4c-dev \
libinih-dev libsystemd-dev libhttp-parser-dev libjemalloc-dev libcmocka-dev"

mode=install
case "${1:-}" in
--bench) PKGS="$BENCH_PKGS" ;;
--deb) PKGS="$DEB_PKGS" ;;
--missing)
    PKGS="$BUILD_PKGS"
    mode=list
    ;;
esac

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
if [ "$mode" = list ]; then
    echo "$missing"
    exit 0
fi

echo "silk: installing missing packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "silk: these Debian packages are missing and I am not root (and there is no sudo):" >&2
    echo "  $missing" >&2
    echo "silk: install them with: apt-get install -y$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
