#!/usr/bin/env bash
# graft train's throughput against PyTorch (Debian's python3-torch, installed when missing) on the same model, optimizer,
# loss, batch size and data, one thread each; both count samples per second of the batch loop only (no start-up, no
# evaluation). Models (train_torch.py describes each PyTorch twin):
#   mlp  the samples' example-3 hybrid: frozen donors, dense:32 bridge, Adam 0.01, samples/example3_train.csv (80%)
#   cnn  the MNIST CNN ../shared/fixtures/wild/mnist_digit.keras trained whole on 2,048 generated images, 10 classes
#   ts   samples/ts_extractor.h5 + dense:8 + samples/ts_lstm.h5 trained whole on samples/ts_train_x.npy / _y.npy
# Runs are interleaved so that machine noise hits both alike; medians are reported.
# Usage: bench/train.sh [EPOCHS] [RUNS] [BATCH] [MODEL...]    (EPOCHS: of mlp; cnn and ts run a fifth as many, at least 1)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
epochs=${1:-20}
runs=${2:-3}
batch=${3:-32}
shift $(( $# < 3 ? $# : 3 ))
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(mlp cnn ts)
python=/usr/bin/python3
fixtures=${GRAFT_FIXTURES:-$here/../shared/fixtures}
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "installing Debian's python3-torch (the reference framework) ..." >&2
  apt-get install -y -q python3-torch >/dev/null
fi
"$here/bin/graft" --version >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
rate() { "$python" -c 'import json,sys; print(json.load(sys.stdin)["samples_per_second"])'; }
short=$(( epochs / 5 > 0 ? epochs / 5 : 1 ))

printf '%-5s %6s %6s %12s %12s %7s\n' model epochs batch "graft/s" "PyTorch/s" ratio
for m in "${models[@]}"; do
  case "$m" in
    mlp) "$here/bin/graft" merge "$here/samples/example3_first.h5" "$here/samples/example3_second.h5" \
           --bridge dense:32 --freeze donors -o "$work/mlp.h5" --force 2>/dev/null
         e=$epochs
         graft=(train "$work/mlp.h5" --data "$here/samples/example3_train.csv" --target label --validation-split 0.2 --learning-rate 0.01)
         torch=(mlp "$here/samples/example3_train.csv") ;;
    cnn) "$python" -c "
import numpy as np
r = np.random.default_rng(1)
np.save('$work/cnn_x.npy', r.random((2048, 28, 28, 1), dtype=np.float32))
np.save('$work/cnn_y.npy', np.eye(10, dtype=np.float32)[r.integers(0, 10, 2048)])"
         e=$short
         graft=(train "$fixtures/wild/mnist_digit.keras" --x "$work/cnn_x.npy" --y "$work/cnn_y.npy" --trainable all)
         torch=(cnn "$work/cnn_x.npy" "$work/cnn_y.npy") ;;
    ts)  "$here/bin/graft" merge "$here/samples/ts_extractor.h5" "$here/samples/ts_lstm.h5" --bridge dense:8 -o "$work/ts.h5" --force 2>/dev/null
         e=$short
         graft=(train "$work/ts.h5" --x "$here/samples/ts_train_x.npy" --y "$here/samples/ts_train_y.npy" --trainable all)
         torch=(ts "$here/samples/ts_train_x.npy" "$here/samples/ts_train_y.npy") ;;
    *) echo "bench/train.sh: unknown model $m (mlp, cnn, ts)" >&2; exit 2 ;;
  esac
  g=(); t=()
  for i in $(seq "$runs"); do
    rm -f "$work/trained.h5"
    g+=("$("$here/bin/graft" "${graft[@]}" --epochs "$e" --batch-size "$batch" -o "$work/trained.h5" --force --quiet --json | rate)")
    t+=("$(OMP_NUM_THREADS=1 "$python" "$here/bench/train_torch.py" "${torch[@]}" "$e" "$batch")")
  done
  mg=$(printf '%s\n' "${g[@]}" | median); mt=$(printf '%s\n' "${t[@]}" | median)
  awk -v m="$m" -v e="$e" -v b="$batch" -v a="$mg" -v c="$mt" 'BEGIN {printf "%-5s %6d %6d %12.0f %12.0f %7.2f\n", m, e, b, a, c, a/c}'
done
echo "runs: $runs (medians); PyTorch $("$python" -c 'import torch; print(torch.__version__)'), 1 thread each; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
