#!/usr/bin/env bash
# One training step on every model file graft computes in the fixture folders and samples/, classified:
# trained (finite loss), refused (one line naming the layer or the reason), no weights, failed (exception,
# a message of several lines, NaN). Files predict does not compute on random inputs count apart ("not computed").
# The Java half is the test helper dev.graft.engine.train.TrainingSweep (TrainingSweepTest runs a subset of it).
# Usage: bench/train-sweep.sh [FOLDER...]   (default: keras wild keras3-seed dl4j samples; keras3-zoo works too)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fixtures=${GRAFT_FIXTURES:-$here/../shared/fixtures}
"$here/bin/graft" --version >/dev/null
if [ ! -f "$here/target/test-classes/dev/graft/engine/train/TrainingSweep.class" ] \
   || [ -n "$(find "$here/src" -newer "$here/target/test-classes/dev/graft/engine/train/TrainingSweep.class" -name '*.java' -print -quit)" ]; then
  (cd "$here" && mvn -B -q -o -Djavacpp.platform="$("$here/bin/platform")" -DskipTests test-compile) >&2
fi
cp="$here/target/test-classes:$here/target/classes:$(cat "$here/target/runtime-classpath.txt")"
OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} java -Xmx4g -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -cp "$cp" \
  dev.graft.engine.train.TrainingSweep "$fixtures" "$here/samples" "$@" 2>/dev/null | grep --line-buffered -v "^Added differentiated op"
