#!/usr/bin/env bash
# inspect's median wall time on a small Keras file against DL4J's KerasModelImport of the same
# file (a fresh JVM each, as a user runs them), measured in the same run. Goal: ratio <= 0.5.
# Usage: bench/inspect.sh [MODEL.h5] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
model=${1:-$here/samples/example1_first.h5}
runs=${2:-15}
"$here/bin/graft" --version >/dev/null
cp="$here/target/classes:$(cat "$here/target/runtime-classpath.txt")"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
javac -d "$work" -cp "$cp" "$here/bench/ImportBaseline.java"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

inspect=(); import=()
for _ in $(seq "$runs"); do   # interleaved, so machine noise hits both alike
  inspect+=("$(time_ms "$here/bin/graft" inspect "$model")")
  import+=("$(time_ms java -cp "$work:$cp" ImportBaseline "$model")")
done
mi=$(printf '%s\n' "${inspect[@]}" | median)
mk=$(printf '%s\n' "${import[@]}" | median)
echo "model:                         $model"
echo "runs:                          $runs"
echo "graft inspect, median:         ${mi} ms"
echo "DL4J KerasModelImport, median: ${mk} ms"
awk -v a="$mi" -v b="$mk" 'BEGIN {printf "ratio inspect/import:          %.2f (goal <= 0.50)\n", a/b}'
