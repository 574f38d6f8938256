#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Licensing: LICENSE is the GPL, version 2 (silk links Xapian, GPL-2.0-or-later), and every
# source file of the tree (C, C++, headers, shell, Python, make files) names the licence in an
# SPDX line within its first three lines, as debian/copyright says.
. "$(dirname "$0")/lib.sh"
cd "$SILK_ROOT"
grep -q "GNU GENERAL PUBLIC LICENSE" LICENSE || fail "LICENSE is not the GPL"
grep -q "Version 2, June 1991" LICENSE || fail "LICENSE is not version 2 of the GPL"
grep -q "^License: GPL-2+" debian/copyright || fail "debian/copyright does not say GPL-2+"
missing=()
n=0
while IFS= read -r f; do
    case "$f" in
    debian/* | corpus/* | tests/data/*) continue ;;
    *.c | *.h | *.cc | *.S | *.sh | *.py | *.mk | *.bash | *.fish | Makefile | .ci/run | dist/completions/_silk) ;;
    *) continue ;;
    esac
    [ -f "$f" ] || continue
    n=$((n + 1))
    head -n 3 "$f" | grep -q "SPDX-License-Identifier: GPL-2.0-or-later" || missing+=("$f")
done < <(git ls-files 2>/dev/null || find . -type f | sed 's|^\./||')
[ "$n" -gt 50 ] || fail "only $n source files found: is this the silk tree?"
[ "${#missing[@]}" -eq 0 ] || fail "no SPDX line in: ${missing[*]}"
ok "$n source files carry SPDX-License-Identifier: GPL-2.0-or-later"
