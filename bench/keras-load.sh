#!/usr/bin/env bash
# Do the files graft writes open in today's Keras? Converts every Keras fixture model graft computes
# (keras/, wild/, keras3-seed/, keras3-zoo/) to .keras and .h5, merges a few hybrids, then loads
# each file in real Keras 3.15.1 (the oracle, /work/keras-oracle; never used by tests or CI) and
# compares its predictions with graft's. Prints one line per file and the counts.
# Usage: bench/keras-load.sh [ONLY]   (ONLY: a substring of fixture paths, e.g. keras3-zoo)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fixtures=${GRAFT_FIXTURES:-$here/../shared/fixtures}
oracle=${KERAS_ORACLE:-/work/keras-oracle}
[ -x "$oracle/run.sh" ] || { echo "bench/keras-load.sh needs the Keras oracle at $oracle (KERAS_ORACLE=...)" >&2; exit 1; }
"$here/bin/graft" --version >/dev/null
cp="$here/target/graft.jar:$(cat "$here/target/runtime-classpath.txt")"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
javac -d "$work/classes" -cp "$cp" "$here/bench/KerasLoadFiles.java"

mkdir -p "$work/out/hybrids"
s="$fixtures/keras3-seed"
merge() { "$here/bin/graft" merge "$@" >/dev/null 2>&1 || echo "merge failed: $*" >&2; }
merge "$s/seed_ex1_first.keras" "$s/seed_ex1_second.keras" -o "$work/out/hybrids/seed_ex1.keras"
merge "$s/seed_ex3_first.h5" "$s/seed_ex3_second.h5" --bridge dense:32 -o "$work/out/hybrids/seed_ex3.h5"
merge "$s/ts_dense_first.keras" "$s/ts_dense_second.keras" --bridge dense:8 -o "$work/out/hybrids/ts_dense.keras"
merge "$here/samples/ts_extractor.h5" "$here/samples/ts_lstm.h5" --bridge dense:8 --freeze donors -o "$work/out/hybrids/samples_ts.keras"
merge "$here/samples/example3_first.h5" "$here/samples/example3_second.h5" --bridge dense:32 -o "$work/out/hybrids/samples_ex3.h5"

java -cp "$work/classes:$cp" KerasLoadFiles "$fixtures" "$work/out" "${1:-}" 2>/dev/null
"$oracle/run.sh" "$here/bench/keras_load.py" "$work/out" "$fixtures"
