#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds silk's Debian packages into OUT (default build/deb): `make deb` calls it.
#   dist/build-deb.sh [OUT]
# dpkg-buildpackage writes its results into the parent folder of the tree it builds. So the
# files of this checkout (those git tracks, plus new ones it does not ignore; without git,
# everything but the build folders) are copied to OUT/silk-VERSION, the package is built
# there, and the .deb, .buildinfo and .changes files land in OUT, never beside the checkout.
# DEB_BUILD_OPTIONS passes through (nocheck skips the smoke test of debian/rules).
set -eu
cd "$(dirname "$0")/.."
out="${1:-build/deb}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
version="$(dpkg-parsechangelog -S Version)"
src="$out/silk-$version"
rm -rf "$src"
mkdir -p "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard |
        xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
        tar --null -T - -cf - | tar -xf - -C "$src"
else
    tar --exclude=./build --exclude=./build-asan --exclude=./build-fuzz \
        --exclude=./build-valgrind --exclude=./bin --exclude=./var -cf - . | tar -xf - -C "$src"
fi
rm -f "$out"/silk_* "$out"/silk-dbgsym_* "$out"/silkd_* "$out"/silkd-dbgsym_*
echo "silk: building the Debian packages in $src"
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
    tail -n 40 "$out/build.log" >&2
    echo "silk: dpkg-buildpackage failed (whole log: $out/build.log)" >&2
    exit 1
}
rm -rf "$src"
ls -1 "$out"/*.deb
