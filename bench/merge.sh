#!/usr/bin/env bash
# merge's cost, measured in one run:
#  1. merge of seed example 3 through dense:32: wall time and peak memory (median of RUNS);
#  2. merge of two generated donors of about 100 million parameters each against a plain copy of
#     the same bytes (cp of both donors): time ratio, and merge's peak memory against donor size.
# Usage: bench/merge.sh [RUNS] [WIDTH]   (WIDTH 10000 gives Dense(10000 -> 10000): 100,010,000 parameters)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-5}
width=${2:-10000}
"$here/bin/graft" --version >/dev/null
cp="$here/target/graft.jar:$(cat "$here/target/runtime-classpath.txt")"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
javac -d "$work" -cp "$cp" "$here/bench/BigDonor.java"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# Runs a command, prints "<wall ms> <peak RSS KB>".
measure() {
  local s e
  s=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1
  e=$(date +%s%N)
  echo "$(( (e - s) / 1000000 )) $(tail -n 1 "$work/rss")"
}
if ! /usr/bin/time -f '%M' true 2>/dev/null; then echo "bench/merge.sh needs GNU time (/usr/bin/time)" >&2; exit 1; fi

echo "== merge of seed example 3 (dense:32)"
ms=(); kb=()
for i in $(seq "$runs"); do
  rm -f "$work/ex3.h5"
  read -r t m < <(measure "$here/bin/graft" merge "$here/samples/example3_first.h5" "$here/samples/example3_second.h5" --bridge dense:32 -o "$work/ex3.h5")
  ms+=("$t"); kb+=("$m")
done
echo "wall time, median of $runs:     $(printf '%s\n' "${ms[@]}" | median) ms"
echo "peak memory, median:           $(( $(printf '%s\n' "${kb[@]}" | median | cut -d. -f1) / 1024 )) MB"

echo "== merge of two generated donors, Dense($width -> $width) each"
java -Xmx4g -cp "$work:$cp" BigDonor "$work/big1.h5" "$width" 1
java -Xmx4g -cp "$work:$cp" BigDonor "$work/big2.h5" "$width" 2
donor_bytes=$(( $(stat -c %s "$work/big1.h5") + $(stat -c %s "$work/big2.h5") ))
echo "donors:                        $(( donor_bytes / 1048576 )) MB together"
mt=(); mm=(); ct=()
for i in $(seq "$runs"); do   # interleaved, so machine noise hits both alike
  rm -f "$work/big.h5" "$work/copy1.h5" "$work/copy2.h5"
  read -r t m < <(measure "$here/bin/graft" merge "$work/big1.h5" "$work/big2.h5" -o "$work/big.h5")
  mt+=("$t"); mm+=("$m")
  read -r t _ < <(measure sh -c "cp '$work/big1.h5' '$work/copy1.h5' && cp '$work/big2.h5' '$work/copy2.h5'")
  ct+=("$t")
done
m=$(printf '%s\n' "${mt[@]}" | median); c=$(printf '%s\n' "${ct[@]}" | median)
peak=$(printf '%s\n' "${mm[@]}" | median | cut -d. -f1)
echo "merge, median of $runs:          $m ms"
echo "plain copy of the same bytes:  $c ms"
awk -v a="$m" -v b="$c" 'BEGIN {printf "time ratio merge/copy:         %.2f\n", a/b}'
echo "merge peak memory:             $(( peak / 1024 )) MB"
awk -v a="$peak" -v b="$donor_bytes" 'BEGIN {printf "peak memory / donor size:      %.2f\n", a*1024/b}'
