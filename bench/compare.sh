#!/usr/bin/env bash
# This checkout's predict and train throughput against another checkout's (e.g. the last release, unpacked with
# `git archive REV | tar -x -C DIR` and built once with `DIR/bin/graft --version`), on the models of bench/predict.sh
# and bench/train.sh, runs interleaved (other, this, other, this, ...) so that a busy machine slows both alike;
# medians reported with the ratio this/other (above 1: this checkout is faster). No PyTorch here: bench/predict.sh and
# bench/train.sh give the ratios to PyTorch.
# Throughputs as those scripts count them: train's samples per second of the batch loop (batch 32; mlp 20 epochs, cnn
# and ts 4), predict's rows per second of a many-row run minus a 1-row run.
# Usage: bench/compare.sh OTHER [RUNS] [BENCH...]   BENCH: train:mlp train:cnn train:ts predict:cnn predict:lstm
#        predict:mlp predict:transformer predict:lstm_attention (default: all)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
other=$(cd "${1:?usage: bench/compare.sh OTHER [RUNS] [BENCH...]}" && pwd)
runs=${2:-3}
shift $(( $# < 2 ? $# : 2 ))
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(train:mlp train:cnn train:ts predict:cnn predict:lstm predict:mlp predict:transformer predict:lstm_attention)
python=/usr/bin/python3
fixtures=${GRAFT_FIXTURES:-$here/../shared/fixtures}
"$here/bin/graft" --version >/dev/null
"$other/bin/graft" --version >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
json() { "$python" -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
trained() { "$1/bin/graft" "${@:2}" -o "$work/trained.h5" --force --quiet --json | json samples_per_second; }
seconds() { "$1/bin/graft" predict "$2" --input "$3" -o "$work/y.npy" --force --json 2>/dev/null | json seconds; }
predicted() {
  local big one
  big=$(seconds "$1" "$2" "$work/x.npy"); one=$(seconds "$1" "$2" "$work/x1.npy")
  awk -v r="$3" -v b="$big" -v o="$one" 'BEGIN {printf "%.1f", (r - 1) / (b - o)}'
}

"$here/bin/graft" merge "$here/samples/example3_first.h5" "$here/samples/example3_second.h5" --bridge dense:32 --freeze donors \
  -o "$work/mlp.h5" --force 2>/dev/null
"$here/bin/graft" merge "$here/samples/example3_first.h5" "$here/samples/example3_second.h5" --bridge dense:32 -o "$work/hybrid.h5" \
  --force 2>/dev/null
"$here/bin/graft" merge "$here/samples/ts_extractor.h5" "$here/samples/ts_lstm.h5" --bridge dense:8 -o "$work/ts.h5" --force 2>/dev/null
"$python" -c "
import numpy as np
r = np.random.default_rng(1)
np.save('$work/cnn_x.npy', r.random((2048, 28, 28, 1), dtype=np.float32))
np.save('$work/cnn_y.npy', np.eye(10, dtype=np.float32)[r.integers(0, 10, 2048)])"

printf '%-24s %12s %12s %7s\n' bench "other/s" "this/s" ratio
for b in "${benches[@]}"; do
  case "$b" in
    train:mlp) args=(train "$work/mlp.h5" --data "$here/samples/example3_train.csv" --target label --validation-split 0.2
                     --learning-rate 0.01 --epochs 20 --batch-size 32) ;;
    train:cnn) args=(train "$fixtures/wild/mnist_digit.keras" --x "$work/cnn_x.npy" --y "$work/cnn_y.npy" --trainable all
                     --epochs 4 --batch-size 32) ;;
    train:ts) args=(train "$work/ts.h5" --x "$here/samples/ts_train_x.npy" --y "$here/samples/ts_train_y.npy" --trainable all
                    --epochs 4 --batch-size 32) ;;
    predict:cnn) model=$fixtures/wild/mnist_digit.keras; shape="28,28,1"; rows=8000 ;;
    predict:lstm) model=$here/samples/ts_lstm.h5; shape="16,8"; rows=200000 ;;
    predict:mlp) model=$work/hybrid.h5; shape="10"; rows=200000 ;;
    predict:transformer) model=$fixtures/keras3-zoo/transformer_postnorm_relu.keras; shape="5,8"; rows=200000 ;;
    predict:lstm_attention) model=$here/src/test/resources/keras-reference/attention/lstm_attention.h5; shape="10,4"; rows=200000 ;;
    *) echo "bench/compare.sh: unknown bench $b" >&2; exit 2 ;;
  esac
  if [[ $b == predict:* ]]; then
    "$python" -c "
import numpy as np
shape = tuple(int(d) for d in '$shape'.split(','))
r = np.random.default_rng(1)
np.save('$work/x.npy', r.standard_normal(($rows,) + shape, dtype=np.float32))
np.save('$work/x1.npy', r.standard_normal((1,) + shape, dtype=np.float32))"
  fi
  o=(); t=()
  for i in $(seq "$runs"); do
    if [[ $b == train:* ]]; then
      o+=("$(trained "$other" "${args[@]}")"); t+=("$(trained "$here" "${args[@]}")")
    else
      o+=("$(predicted "$other" "$model" "$rows")"); t+=("$(predicted "$here" "$model" "$rows")")
    fi
  done
  mo=$(printf '%s\n' "${o[@]}" | median); mt=$(printf '%s\n' "${t[@]}" | median)
  awk -v b="$b" -v o="$mo" -v t="$mt" 'BEGIN {printf "%-24s %12.0f %12.0f %7.2f\n", b, o, t, t/o}'
done
echo "runs: $runs (medians), interleaved; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
