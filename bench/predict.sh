#!/usr/bin/env bash
# graft predict's throughput against PyTorch (Debian's python3-torch) doing the same arithmetic on the same number of
# rows, one thread each (predict_torch.py describes each PyTorch twin):
#   cnn          the MNIST CNN ../shared/fixtures/wild/mnist_digit.keras (Conv2D, MaxPooling2D x2, Dense), 8,000 images
#   lstm         samples/ts_lstm.h5 (LSTM(32) over 16 steps of 8, Dense), 200,000 sequences
#   mlp          the seed's example-3 hybrid (5 Dense layers, merged here), 200,000 rows
#   transformer  the Keras 3 zoo's transformer encoder block (MultiHeadAttention, LayerNormalization, Dense), 200,000 rows
#                (20,000 took less time than the start-up's noise once the block ran without SameDiff)
#   lstm_attention  LSTM(8) followed by Keras's dot Attention over its own output, mean over steps, Dense(1)
#                (src/test/resources/keras-reference/attention/lstm_attention.h5, made by bench/keras_attention_models.py),
#                200,000 sequences of (10, 4) (20,000 ran in about a tenth of a second, within the start-up noise)
# graft's time is that of a ROWS-row predict minus a 1-row predict (JVM start, model build and file I/O cancel out);
# PyTorch's that of its forward passes. Runs are interleaved so that machine noise hits both alike; medians are reported.
# Usage: bench/predict.sh [RUNS] [MODEL...]    (ROWS=n overrides every model's row count)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-3}
shift || true
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(cnn lstm mlp transformer lstm_attention)
python=/usr/bin/python3
fixtures=${GRAFT_FIXTURES:-$here/../shared/fixtures}
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "installing Debian's python3-torch (the reference framework) ..." >&2
  apt-get install -y -q python3-torch >/dev/null
fi
"$here/bin/graft" --version >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
seconds() { "$here/bin/graft" predict "$1" --input "$2" -o "$work/y.npy" --force --json 2>/dev/null \
  | "$python" -c 'import json,sys; print(json.load(sys.stdin)["seconds"])'; }

printf '%-12s %8s %14s %14s %7s\n' model rows "graft/s" "PyTorch/s" ratio
for m in "${models[@]}"; do
  case "$m" in
    cnn) model=$fixtures/wild/mnist_digit.keras; shape="28,28,1"; rows=8000 ;;
    lstm) model=$here/samples/ts_lstm.h5; shape="16,8"; rows=200000 ;;
    mlp) model=$work/hybrid.h5; shape="10"; rows=200000
      "$here/bin/graft" merge "$here/samples/example3_first.h5" "$here/samples/example3_second.h5" \
        --bridge dense:32 -o "$model" --force 2>/dev/null ;;
    transformer) model=$fixtures/keras3-zoo/transformer_postnorm_relu.keras; shape="5,8"; rows=200000 ;;
    lstm_attention) model=$here/src/test/resources/keras-reference/attention/lstm_attention.h5; shape="10,4"; rows=200000 ;;
    *) echo "bench/predict.sh: unknown model $m (cnn, lstm, mlp, transformer, lstm_attention)" >&2; exit 2 ;;
  esac
  rows=${ROWS:-$rows}
  [ -f "$model" ] || { echo "bench/predict.sh: $model not found (set GRAFT_FIXTURES)" >&2; exit 1; }
  "$python" -c "
import numpy as np, sys
shape = tuple(int(d) for d in '$shape'.split(','))
r = np.random.default_rng(1)
np.save('$work/x.npy', r.standard_normal(($rows,) + shape, dtype=np.float32))
np.save('$work/x1.npy', r.standard_normal((1,) + shape, dtype=np.float32))"
  g=(); t=()
  for i in $(seq "$runs"); do
    big=$(seconds "$model" "$work/x.npy"); one=$(seconds "$model" "$work/x1.npy")
    g+=("$(awk -v r="$rows" -v b="$big" -v o="$one" 'BEGIN {printf "%.1f", (r - 1) / (b - o)}')")
    t+=("$(OMP_NUM_THREADS=1 "$python" "$here/bench/predict_torch.py" "$m" "$rows")")
  done
  mg=$(printf '%s\n' "${g[@]}" | median); mt=$(printf '%s\n' "${t[@]}" | median)
  awk -v m="$m" -v r="$rows" -v a="$mg" -v b="$mt" 'BEGIN {printf "%-12s %8d %14.0f %14.0f %7.2f\n", m, r, a, b, a/b}'
done
echo "runs: $runs (medians); PyTorch $("$python" -c 'import torch; print(torch.__version__)'), 1 thread each; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
