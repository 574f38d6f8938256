#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make run`: index corpus/ into var/index, then serve it with silkd in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
echo "silk: indexing corpus/ into var/index"
rc=0
bin/silk-index --corpus corpus --index var/index || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
    echo "silk: indexing failed (exit $rc)" >&2
    exit "$rc"
fi
sock="$(bin/silkd --print-socket)"
echo "silk: serving var/index on $sock (Ctrl-C stops)"
echo "silk: try, in another terminal:  bin/silk \"axis of evil\""
exec bin/silkd --index var/index --corpus corpus
