#!/usr/bin/env bash
# Long mutation runs against graft, one JVM per run (so a JVM crash is seen as one).
#
#   bench/fuzz.sh [COUNT] [SEED] [JOBS]
#
# Mutates each seed file COUNT times (dev.graft.fuzz.FileMutator, deterministic: the same SEED
# gives the same files), runs `graft inspect` and `graft predict` on every mutated file, and
# reports: JVM crashes (signal exits, hs_err files), runs over 20 s (killed at 60 s), stack
# traces, unexpected errors, exit codes other than 0/1, refusals whose message does not name the
# file, and the largest peak memory. Files behind each finding are kept in the work folder
# (printed at the end); replay one with `graft inspect FILE`, and record the mutation as
# "<seed file> <mutation seed>" in src/test/resources/fuzz/regressions.txt.
#
# Seed files: samples/example1_first.h5, samples/dl4j_classifier.zip, and a .keras of the shared
# fixtures when present. Needs /usr/bin/time. GRAFT=/path/to/a/graft/command runs another build
# (default: this checkout's bin/graft).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
count=${1:-100}
seed=${2:-1}
jobs=${3:-2}
fixtures=${GRAFT_FIXTURES:-$here/../shared/fixtures}

graft=${GRAFT:-$here/bin/graft}
export graft
"$graft" --version >/dev/null || exit 1
if [ ! -f "$here/target/test-classes/dev/graft/fuzz/FileMutator.class" ] \
   || [ -n "$(find "$here/src/test/java/dev/graft/fuzz" -newer "$here/target/test-classes/dev/graft/fuzz/FileMutator.class" -print -quit)" ]; then
  (cd "$here" && mvn -B -q -o -Djavacpp.platform="$("$here/bin/platform")" test-compile) >/dev/null || { echo "fuzz: test-compile failed" >&2; exit 1; }
fi
cp_all="$here/target/test-classes:$here/target/classes:$(cat "$here/target/runtime-classpath.txt")"

work=$(mktemp -d "${TMPDIR:-/tmp}/graft-fuzz.XXXXXX")
mkdir -p "$work/in" "$work/out" "$work/log"
seeds=("$here/samples/example1_first.h5" "$here/samples/dl4j_classifier.zip")
[ -f "$fixtures/keras3-zoo/elu_05.keras" ] && seeds+=("$fixtures/keras3-zoo/elu_05.keras")
java -cp "$cp_all" dev.graft.fuzz.FileMutator "$work/in" "$count" "$seed" "${seeds[@]}" || exit 1

# Inputs of the right width for each seed model, so predict reaches the engine.
python3 - "$work" <<'PY'
import sys, random
w = sys.argv[1]
for name, cols in (("example1_first", 10), ("dl4j_classifier", 32), ("elu_05", 6)):
    with open(f"{w}/{name}.csv", "w") as f:
        f.write(",".join(f"c{i}" for i in range(cols)) + "\n")
        for _ in range(4):
            f.write(",".join(f"{random.random():.4f}" for _ in range(cols)) + "\n")
PY

run_one() {
  local file=$1 cmd=$2 work=$3 here=$4
  local base; base=$(basename "$file"); local stem=${base%%.*}
  local log="$work/log/$base.$cmd"
  local start end rc
  start=$(date +%s.%N)
  case $cmd in
    inspect) (cd "$work/out" && timeout -s KILL 60 /usr/bin/time -f "MAXRSS %M" "$graft" inspect "$file") >"$log.out" 2>"$log.err" ;;
    predict) (cd "$work/out" && timeout -s KILL 60 /usr/bin/time -f "MAXRSS %M" "$graft" predict "$file" --input "$work/$stem.csv" -o "$work/out/$base.csv") >"$log.out" 2>"$log.err" ;;
  esac
  rc=$?
  end=$(date +%s.%N)
  local rss; rss=$(grep -o 'MAXRSS [0-9]*' "$log.err" | tail -1 | cut -d' ' -f2)
  local msg; msg=$(grep -v '^MAXRSS\|^Command exited\|^Command terminated' "$log.err")
  local findings=""
  if [ $rc -ge 128 ] || grep -q "Command terminated by signal" "$log.err" || grep -q "SIGSEGV\|SIGBUS\|A fatal error has been detected" "$log.out" "$log.err"; then findings+=" crash"; fi
  if [ "$(echo "$end - $start > 20" | bc)" = 1 ]; then findings+=" slow"; fi
  if grep -q $'^\tat \|Exception in thread' "$log.err" "$log.out"; then findings+=" stacktrace"; fi
  if echo "$msg" | grep -q "unexpected error"; then findings+=" unexpected"; fi
  local code=$rc; grep -q "Command exited with non-zero status" "$log.err" && code=$(grep -o 'non-zero status [0-9]*' "$log.err" | awk '{print $3}')
  if [ "$code" != 0 ] && [ "$code" != 1 ] && [ $rc -lt 128 ]; then findings+=" exit$code"; fi
  if [ "$code" = 1 ] && ! echo "$msg" | grep -qF "$file"; then findings+=" unnamed"; fi
  printf '%s\t%s\t%s\t%s\t%.1f\t%s\t%s\n' "$base" "$cmd" "$code" "${rss:-0}" "$(echo "$end - $start" | bc)" "${findings# }" "$(echo "$msg" | head -1 | cut -c1-200)"
  [ -z "$findings" ] && rm -f "$log.out" "$log.err"
}
export -f run_one

ls "$work/in" | sed "s|^|$work/in/|" | while read -r f; do echo "$f inspect"; echo "$f predict"; done \
  | xargs -P "$jobs" -n 2 bash -c 'run_one "$0" "$1" "'"$work"'" "'"$here"'"' >"$work/results.tsv"

hs=$(find "$work/out" -name 'hs_err_pid*.log' | wc -l)
awk -F'\t' -v hs="$hs" -v work="$work" '
  { runs++; if ($6 ~ /crash/) crash++; if ($6 ~ /slow/) slow++; if ($6 ~ /stacktrace/) st++; if ($6 ~ /unexpected/) unexp++;
    if ($6 ~ /exit/) odd++; if ($6 ~ /unnamed/) unnamed++; if ($3 == 0) ok++; if ($3 == 1) refused++;
    if ($4 > maxrss) { maxrss = $4; maxfile = $1 " " $2 } if ($5 > maxt) { maxt = $5; maxtf = $1 " " $2 } }
  END { printf "runs %d (exit 0: %d, exit 1: %d)\n", runs, ok, refused;
        printf "JVM crashes %d (hs_err files %d), runs over 20 s %d, stack traces %d, unexpected errors %d, other exit codes %d, messages not naming the file %d\n",
               crash, hs, slow, st, unexp, odd, unnamed;
        printf "peak memory %.0f MB (%s), longest run %.1f s (%s)\n", maxrss / 1024, maxfile, maxt, maxtf;
        printf "details: %s/results.tsv\n", work }' "$work/results.tsv"
