#!/usr/bin/env bash
# graft run against a shell loop, measured in one run:
#  1. MERGES merges of the samples' pairs (bridge auto, a different seed each) as one plan with
#     -j 2, against the same merges as MERGES separate `bin/graft merge` processes; then the plan
#     again, every step up to date;
#  2. `inspect --matrix` of every model in ../shared/fixtures/keras3-seed and samples/ against the
#     same joins run one `bin/graft inspect A B` at a time (PAIRS of them, chosen evenly, and the
#     time scaled to all pairs when PAIRS is smaller; 0 = all).
# Usage: bench/batch.sh [MERGES] [PAIRS]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
merges=${1:-100}
pairs_wanted=${2:-0}
graft="$here/bin/graft"
"$graft" --version >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
s="$here/samples"
ms() { echo $(( $(date +%s%N) / 1000000 )); }

echo "== $merges merges of the samples' pairs"
pairs=("example1_first.h5 example1_second.h5" "example2_first.h5 example2_second.h5" "example3_first.h5 example3_second.h5"
       "ts_extractor.h5 ts_lstm.h5" "ts_extractor.h5 ts_lstm32.h5" "ts_extractor.h5 ts_gru.h5")
{
  echo "steps:"
  for i in $(seq "$merges"); do
    read -r a b <<<"${pairs[$(( (i - 1) % ${#pairs[@]} ))]}"
    echo "  - merge: [$s/$a, $s/$b, --bridge, auto, --seed, \"$i\", -o, plan/m$i.h5]"
  done
} >"$work/plan.yaml"
t0=$(ms)
for i in $(seq "$merges"); do
  read -r a b <<<"${pairs[$(( (i - 1) % ${#pairs[@]} ))]}"
  mkdir -p "$work/plan"
  "$graft" merge "$s/$a" "$s/$b" --bridge auto --seed "$i" -o "$work/plan/m$i.h5" >/dev/null 2>&1
done
t1=$(ms)
mv "$work/plan" "$work/loop"   # the plan writes the same paths: the files record the same command
t1=$(ms)
"$graft" run "$work/plan.yaml" -j 2 --quiet >/dev/null 2>"$work/run.log" || { tail -5 "$work/run.log"; exit 1; }
t2=$(ms)
"$graft" run "$work/plan.yaml" -j 2 --quiet >/dev/null 2>"$work/run2.log"
t3=$(ms)
same=0
for i in $(seq "$merges"); do cmp -s "$work/loop/m$i.h5" "$work/plan/m$i.h5" && same=$((same + 1)); done
loop=$((t1 - t0)); plan=$((t2 - t1)); again=$((t3 - t2))
echo "separate processes:            $loop ms"
echo "one plan, -j 2:                $plan ms"
awk -v a="$loop" -v b="$plan" 'BEGIN {printf "speed-up:                      %.1fx\n", a/b}'
echo "the plan again (up to date):   $again ms ($(grep -c 'up to date$' "$work/run2.log") steps skipped)"
echo "outputs byte-identical:        $same of $merges"

echo "== join matrix"
models=()
fx="$here/../shared/fixtures/keras3-seed"
if [ -d "$fx" ]; then
  while IFS= read -r f; do models+=("$f"); done < <(ls "$fx"/*.h5 "$fx"/*.keras | grep -v '_inputs_and_outputs' | sort)
else
  echo "($fx absent: samples only)"
fi
while IFS= read -r f; do models+=("$f"); done < <(ls "$s"/*.h5 "$s"/*.zip | sort)
n=${#models[@]}
total=$(( n * (n - 1) ))
t0=$(ms)
"$graft" inspect --matrix --json "${models[@]}" >"$work/matrix.json" || true
t1=$(ms)
matrix=$((t1 - t0))
step=1
if [ "$pairs_wanted" -gt 0 ] && [ "$pairs_wanted" -lt "$total" ]; then step=$(( total / pairs_wanted )); fi
done_pairs=0; k=0
t0=$(ms)
for i in $(seq 0 $((n - 1))); do
  for j in $(seq 0 $((n - 1))); do
    [ "$i" = "$j" ] && continue
    k=$((k + 1))
    [ $(( k % step )) = 0 ] || continue
    "$graft" inspect "${models[$i]}" "${models[$j]}" >/dev/null 2>&1 || true
    done_pairs=$((done_pairs + 1))
  done
done
t1=$(ms)
one=$((t1 - t0))
scaled=$(awk -v t="$one" -v d="$done_pairs" -v all="$total" 'BEGIN {printf "%d", t * all / d}')
echo "models:                        $n ($total ordered pairs)"
echo "inspect --matrix, one process: $matrix ms"
echo "inspect A B, one at a time:    $one ms for $done_pairs pairs$([ "$done_pairs" -lt "$total" ] && echo ", $scaled ms scaled to all $total")"
awk -v a="$scaled" -v b="$matrix" 'BEGIN {printf "speed-up:                      %.0fx\n", a/b}'
