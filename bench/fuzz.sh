#!/usr/bin/env bash
# Long mutation runs against graft: many files per JVM, a crash still seen as one.
#
#   bench/fuzz.sh [COUNT] [SEED] [JOBS]
#
# Mutates each seed file COUNT times (dev.graft.fuzz.FileMutator, deterministic: the same SEED
# gives the same files) and runs `graft inspect` and `graft predict` on every mutated file through
# dev.graft.fuzz.FuzzRunner: JOBS runner JVMs (default 1) at nice 19, each running its share of the
# runs one after another in process (a JVM start costs more than most runs). Each run is announced
# in a progress file before it starts; when a JVM dies (a native crash) or halts on a run over 60 s
# (a hang), this script records that run as a crash or a hang and starts a new JVM after it. A
# watchdog kills a JVM that shows no progress for 150 s.
#
# Reports: runs, JVM crashes (runner deaths, hs_err files), hangs, runs over 20 s, stack traces,
# unexpected errors, exit codes other than 0/1, refusals whose message does not name the file or
# spans several lines, the largest per-run peak RSS (VmHWM reset before each run: the run's peak in
# a warm JVM whose heap is capped at 512 MB, so a run needing more is an error, not a quiet peak),
# the largest rise of RSS during one run (what the run itself took) and the longest run. Files
# behind each finding are listed in the work folder's findings.tsv, with their logs in log/;
# replay one with `graft inspect FILE`, and keep a small one as a regression input in
# src/test/resources/dev/graft/fuzz/JazzerFuzzTestInputs/<h5|keras|dl4j>/ (JazzerFuzzTest
# replays every file there through inspect and predict on each build).
#
# Seed files: samples/example1_first.h5, samples/dl4j_classifier.zip, and a .keras of the shared
# fixtures when present. Needs a JDK and Maven (test classes).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
count=${1:-100}
seed=${2:-1}
jobs=${3:-1}
fixtures=${GRAFT_FIXTURES:-$here/../shared/fixtures}

"$here/bin/graft" --version >/dev/null || exit 1
if [ ! -f "$here/target/test-classes/dev/graft/fuzz/FuzzRunner.class" ] \
   || [ -n "$(find "$here/src/test/java/dev/graft/fuzz" "$here/target/classes" -newer "$here/target/test-classes/dev/graft/fuzz/FuzzRunner.class" -name '*.java' -print -quit)" ]; then
  (cd "$here" && nice -n 19 mvn -B -q -o -Djavacpp.platform="$("$here/bin/platform")" test-compile) >/dev/null || { echo "fuzz: test-compile failed" >&2; exit 1; }
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/graft-fuzz.XXXXXX")
mkdir -p "$work/in" "$work/out" "$work/log"
# The runners use a copy of the classes: a rebuild of this checkout during a long run must not mix versions.
cp -r "$here/target/classes" "$work/classes" && cp -r "$here/target/test-classes" "$work/test-classes" || exit 1
cp_all="$work/test-classes:$work/classes:$(cat "$here/target/runtime-classpath.txt")"
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

# One job a line: FILE<TAB>inspect, FILE<TAB>predict<TAB>INPUT<TAB>OUTPUT; dealt round-robin to the runners.
ls "$work/in" | while read -r base; do
  printf '%s\tinspect\n' "$work/in/$base"
  printf '%s\tpredict\t%s\t%s\n' "$work/in/$base" "$work/${base%%.*}.csv" "$work/out/$base.csv"
done | awk -v n="$jobs" -v w="$work" '{ print > (w "/jobs." (NR - 1) % n) }'

export OMP_NUM_THREADS=1
supervise() {
  local shard=$1 from=0 pid wd rc last i starts=0
  local jobsf="$work/jobs.$shard" progress="$work/progress.$shard" results="$work/results.$shard.tsv"
  : >"$progress"
  while :; do
    starts=$((starts + 1))
    (cd "$work/out" && exec nice -n 19 java -Xmx512m -Xshare:auto -Xlog:disable -Xlog:all=error:stderr -XX:+DisplayVMOutputToStderr \
      "-XX:ErrorFile=$work/out/hs_err_pid%p.log" -cp "$cp_all" dev.graft.fuzz.FuzzRunner "$jobsf" "$progress" "$results" "$from") \
      >>"$work/log/jvm.$shard.out" 2>>"$work/log/jvm.$shard.err" &
    pid=$!
    ( while kill -0 "$pid" 2>/dev/null; do
        sleep 10
        if [ $(( $(date +%s) - $(stat -c %Y "$progress") )) -gt 150 ]; then touch "$work/watchdog.$shard"; kill -9 "$pid" 2>/dev/null; fi
      done ) &
    wd=$!
    wait "$pid" 2>/dev/null; rc=$?
    kill "$wd" 2>/dev/null; wait "$wd" 2>/dev/null
    last=$(tail -n 1 "$progress")
    case $last in
      END) break ;;
      HANG*|BEGIN*)
        i=${last#* }
        local kind=crash; [ "${last%% *}" = HANG ] || [ -f "$work/watchdog.$shard" ] && kind=hang
        rm -f "$work/watchdog.$shard"
        IFS=$'\t' read -r file cmd _ <<<"$(sed -n "$((i + 1))p" "$jobsf")"
        printf '%s\t%s\t%s\t0\t0\t%s\tJVM exit %s\n' "$(basename "$file")" "$cmd" "$rc" "$kind" "$rc" >>"$results"
        echo "END-OF-JVM $rc" >>"$progress"
        from=$((i + 1)) ;;
      *) echo "fuzz: runner $shard did not start (exit $rc); see $work/log/jvm.$shard.err" >&2; break ;;
    esac
  done
  echo "$starts" >"$work/starts.$shard"
}

begin=$(date +%s)
for ((s = 0; s < jobs; s++)); do supervise "$s" & done
wait
cat "$work"/results.*.tsv >"$work/results.tsv"
awk -F'\t' '$6 != ""' "$work/results.tsv" >"$work/findings.tsv"
hs=$(find "$work/out" -name 'hs_err_pid*.log' | wc -l)
starts=$(cat "$work"/starts.* | awk '{ s += $1 } END { print s }')
files=$(ls "$work/in" | wc -l)
awk -F'\t' -v hs="$hs" -v work="$work" -v files="$files" -v starts="$starts" -v secs="$(( $(date +%s) - begin ))" '
  { runs++; if ($6 ~ /crash/) crash++; if ($6 ~ /hang/) hang++; if ($6 ~ /slow/) slow++; if ($6 ~ /stacktrace/) st++;
    if ($6 ~ /unexpected/) unexp++; if ($6 ~ /exit/) odd++; if ($6 ~ /unnamed/) unnamed++; if ($6 ~ /multiline/) multi++;
    if ($3 == 0) ok++; if ($3 == 1) refused++;
    if ($4 > maxrss) { maxrss = $4; maxfile = $1 " " $2 } if ($5 > maxt) { maxt = $5; maxtf = $1 " " $2 }
    if ($8 > maxgrow) { maxgrow = $8; growf = $1 " " $2 } }
  END { printf "files %d, runs %d (exit 0: %d, exit 1: %d) in %d s, %d runner JVM start(s)\n", files, runs, ok, refused, secs, starts;
        printf "JVM crashes %d (hs_err files %d), hangs over 60 s %d, runs over 20 s %d, stack traces %d, unexpected errors %d, other exit codes %d, messages not naming the file %d, multi-line messages %d\n",
               crash, hs, hang, slow, st, unexp, odd, unnamed, multi;
        printf "peak RSS of the runner JVM during one run %.0f MB (%s); largest rise during one run %.0f MB (%s); longest run %.2f s (%s)\n",
               maxrss / 1024, maxfile, maxgrow / 1024, growf, maxt, maxtf;
        printf "details: %s/results.tsv, findings: %s/findings.tsv\n", work, work }' "$work/results.tsv"
