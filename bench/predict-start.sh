#!/usr/bin/env bash
# predict's time to first output: the wall time of a whole `graft predict` (JVM start, reading the
# model, building the engine network, computing, writing) on the samples' small models, a fresh JVM
# each, as a user runs it. With OTHER (another checkout of graft, e.g. the previous release), both are
# measured interleaved in the same run and the ratio this/other is printed (below 1: this one starts faster).
# Usage: bench/predict-start.sh [OTHER] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
other=${1:-}
runs=${2:-7}
"$here/bin/graft" --version >/dev/null
[ -z "$other" ] || "$other/bin/graft" --version >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
s="$here/samples"
cases=(
  "example1_first.h5|$s/example1_first.h5 --input $s/example3_train.csv --drop label"
  "ts_classifier.h5|$s/ts_classifier.h5 --input $s/ts_train_x.npy"
  "example3_first.h5|$s/example3_first.h5 --input $s/example3_train.csv --drop label"
  "ts_extractor.h5|$s/ts_extractor.h5 --input $s/ts_train_x.npy"
)
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

printf '%-20s %12s' "model" "this (ms)"
[ -z "$other" ] || printf ' %12s %12s' "other (ms)" "this/other"
printf '\n'
for c in "${cases[@]}"; do
  name=${c%%|*}; read -r -a args <<< "${c#*|}"
  mine=(); theirs=()
  for _ in $(seq "$runs"); do   # interleaved, so machine noise hits both alike
    mine+=("$(time_ms "$here/bin/graft" predict "${args[@]}" -o "$work/out.npy" --force)")
    [ -z "$other" ] || theirs+=("$(time_ms "$other/bin/graft" predict "${args[@]}" -o "$work/out.npy" --force)")
  done
  m=$(printf '%s\n' "${mine[@]}" | median)
  printf '%-20s %12s' "$name" "$m"
  if [ -n "$other" ]; then
    o=$(printf '%s\n' "${theirs[@]}" | median)
    printf ' %12s %12s' "$o" "$(awk -v a="$m" -v b="$o" 'BEGIN {printf "%.2f", a/b}')"
  fi
  printf '\n'
done
