#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A user's clone has nothing beside it: no test may read ../shared (or any folder outside
# the checkout). This checks the sources of every test for such a path.
. "$(dirname "$0")/lib.sh"
cd "$SILK_ROOT"
hits="$(grep -rnE '\.\./shared|SILK_SHARED|SILK_DATA' tests/unit tests/e2e tests/fuzz tests/support \
    tests/run.sh --include='*.c' --include='*.h' --include='*.sh' --include='*.py' |
    grep -v '^tests/e2e/standalone.sh:' || true)"
[ -z "$hits" ] || fail "tests read outside the checkout: $hits"
ok "no test reads outside the checkout"
