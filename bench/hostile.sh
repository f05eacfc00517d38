#!/usr/bin/env bash
# Time and peak memory of graft on every file of ../shared/fixtures/hostile, for inspect,
# predict, merge and train (HostileFilesTest asserts the behaviour; this measures it). Each should end
# with one line and exit 1 well within 5 s and 512 MB.
#
#   bench/hostile.sh        (GRAFT=cmd runs another build; default bin/graft)
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
graft=${GRAFT:-$here/bin/graft}
fixtures=${GRAFT_FIXTURES:-$here/../shared/fixtures}/hostile
work=$(mktemp -d "${TMPDIR:-/tmp}/graft-hostile.XXXXXX")
printf 'a,b\n1,2\n' > "$work/in.csv"
"$graft" --version >/dev/null || exit 1
printf '%-34s %-8s %4s %7s %8s  %s\n' file command exit seconds peak_MB message
for f in "$fixtures"/*; do
  case "$f" in *.md) continue ;; esac
  b=$(basename "$f")
  for cmd in inspect predict merge train; do
    case $cmd in
      inspect) args=(inspect "$f") ;;
      predict) args=(predict "$f" --input "$work/in.csv" -o "$work/p.csv") ;;
      merge) args=(merge "$f" "$here/samples/example1_second.h5" -o "$work/m.h5") ;;
      train) args=(train "$f" --data "$work/in.csv" --target b --epochs 1 -o "$work/t.zip") ;;
    esac
    start=$(date +%s.%N)
    (cd "$work" && timeout -s KILL 60 /usr/bin/time -f "MAXRSS %M" "$graft" "${args[@]}") >"$work/out" 2>"$work/err"
    rc=$?
    end=$(date +%s.%N)
    rss=$(grep -o 'MAXRSS [0-9]*' "$work/err" | cut -d' ' -f2)
    [ $rc -ne 0 ] && rc=$(grep -o 'non-zero status [0-9]*' "$work/err" | awk '{print $3}')
    msg=$(grep -v '^MAXRSS\|^Command' "$work/err" | head -1 | cut -c1-110)
    printf '%-34s %-8s %4s %7.1f %8.0f  %s\n' "$b" "$cmd" "${rc:-?}" "$(echo "$end - $start" | bc)" "$(( ${rss:-0} / 1024 ))" "$msg"
  done
done
echo "files written: $(ls "$work" | grep -v '^in.csv$\|^out$\|^err$' | wc -l)"
