#!/usr/bin/env bash
# SIGKILL during merge, adapt and train writes, N times each (default 30): the output must be the old
# file or a complete new one, and no temporary file may be left once graft has run again there.
# The suite runs the same test with a few kills; this runs many (about 1.5 s per merge kill and
# 4 s per train kill on a 2-core machine).
#
#   bench/kill.sh [N]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-30}
cd "$here"
bin/test -q -Dtest=KillDuringWriteTest -Dsurefire.failIfNoSpecifiedTests=false -Dgraft.kills="$n" >"${TMPDIR:-/tmp}/graft-kill.log" 2>&1 \
  && echo "kill -9: $n kills during merge writes, $n during adapt writes, $n during train writes: every output old or complete, no leftovers" \
  || { echo "kill -9 test failed; see ${TMPDIR:-/tmp}/graft-kill.log"; grep -A5 'FAILURE\|ERROR' "${TMPDIR:-/tmp}/graft-kill.log" | head -30; exit 1; }
