#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A user's clone has nothing beside it: no test may read the `shared` folder beside the
# checkout (or any folder outside it). This checks the sources of every test for such a path;
# the pattern is built from parts so that this file does not name the path itself.
. "$(dirname "$0")/lib.sh"
cd "$SILK_ROOT"
up='\.\.'
hits="$(grep -rnE "$up/shared|SILK_SHARED|SILK_DATA" tests/unit tests/e2e tests/fuzz tests/support \
    tests/run.sh --include='*.c' --include='*.h' --include='*.sh' --include='*.py' |
    grep -v '^tests/e2e/standalone.sh:' || true)"
[ -z "$hits" ] || fail "tests read outside the checkout: $hits"
ok "no test reads outside the checkout"
