#!/usr/bin/env bash
# merge's time to write a .zip hybrid (the engine builds and writes the network), median of RUNS
# fresh processes for each merge below; run it before and after a change and compare the ratios.
# Usage: bench/merge-zip.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-5}
"$here/bin/graft" --version >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
s="$here/samples"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
bench() {
  local label=$1; shift
  local ms=()
  for i in $(seq "$runs"); do
    rm -f "$work/h.zip"
    local b e
    b=$(date +%s%N)
    "$here/bin/graft" merge "$@" -o "$work/h.zip" >/dev/null 2>&1
    e=$(date +%s%N)
    ms+=($(( (e - b) / 1000000 )))
  done
  printf '%-44s %6s ms\n' "$label" "$(printf '%s\n' "${ms[@]}" | median)"
}
bench "keras -> dl4j_classifier.zip (direct)" "$s/example1_first.h5" "$s/dl4j_classifier.zip"
bench "dl4j_classifier.zip -> keras (dense:10)" "$s/dl4j_classifier.zip" "$s/example1_first.h5" --bridge dense:10
bench "example3 (dense:32, --freeze donors)" "$s/example3_first.h5" "$s/example3_second.h5" --bridge dense:32 --freeze donors
bench "ts_extractor -> ts_lstm (dense:8)" "$s/ts_extractor.h5" "$s/ts_lstm.h5" --bridge dense:8
