#!/usr/bin/env bash
# graft predict's throughput against PyTorch (Debian's python3-torch) doing the same arithmetic on the same batch, one
# thread each, for two models computed by graft's own engine layers:
# - the Keras 3 zoo's transformer encoder block (MultiHeadAttention, Add, LayerNormalization, Dense feed-forward),
#   ROWS random rows of (5, 8);
# - an LSTM followed by Keras's Attention (src/test/resources/keras-reference/attention/lstm_attention.h5, made by
#   bench/keras_attention_models.py), ROWS random rows of (10, 4).
# graft's time is that of a ROWS-row predict minus a 1-row predict (JVM start, model build and file I/O cancel out);
# PyTorch's that of its forward passes (predict_torch.py).
# Usage: bench/predict.sh [ROWS] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rows=${1:-20000}
runs=${2:-3}
python=/usr/bin/python3
transformer=${GRAFT_FIXTURES:-$here/../shared/fixtures}/keras3-zoo/transformer_postnorm_relu.keras
lstm_attention=$here/src/test/resources/keras-reference/attention/lstm_attention.h5
[ -f "$transformer" ] || { echo "bench/predict.sh: $transformer not found (set GRAFT_FIXTURES)" >&2; exit 1; }
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "installing Debian's python3-torch (the reference framework) ..." >&2
  apt-get install -y -q python3-torch >/dev/null
fi
"$here/bin/graft" --version >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# npy NAME ROWS STEPS FEATURES: seeded N(0, 1) float32 rows
npy() {
  "$python" - "$work/$1" "$2" "$3" "$4" <<'PY'
import struct, sys, random
path, n, steps, features = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d, %d), }" % (n, steps, features)
header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"   # magic + header a multiple of 64 bytes
with open(path, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    r = random.Random(1)
    f.write(struct.pack("<%df" % (n * steps * features), *[r.gauss(0, 1) for _ in range(n * steps * features)]))
PY
}

seconds() { "$here/bin/graft" predict "$1" --input "$2" -o "$work/y.npy" --force --json 2>/dev/null \
  | "$python" -c 'import json,sys; print(json.load(sys.stdin)["seconds"])'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# bench TITLE MODEL TORCH_KIND STEPS FEATURES
bench() {
  local title=$1 model=$2 kind=$3 steps=$4 features=$5 g=() t=() big one
  npy "$kind.npy" "$rows" "$steps" "$features"
  npy "${kind}1.npy" 1 "$steps" "$features"
  for i in $(seq "$runs"); do   # interleaved, so machine noise hits both alike
    big=$(seconds "$model" "$work/$kind.npy"); one=$(seconds "$model" "$work/${kind}1.npy")
    g+=("$(awk -v r="$rows" -v b="$big" -v o="$one" 'BEGIN {printf "%.1f", (r - 1) / (b - o)}')")
    t+=("$(OMP_NUM_THREADS=1 "$python" "$here/bench/predict_torch.py" "$kind" "$rows" "$steps" "$features")")
  done
  local mg mt
  mg=$(printf '%s\n' "${g[@]}" | median); mt=$(printf '%s\n' "${t[@]}" | median)
  echo "$title, rows per run: $rows, runs: $runs"
  echo "  graft predict, median:           $mg samples/s"
  echo "  PyTorch $torch_version 1 thread, median: $mt samples/s"
  awk -v a="$mg" -v b="$mt" 'BEGIN {printf "  ratio graft/PyTorch:             %.2f\n", a/b}'
}

torch_version=$("$python" -c 'import torch; print(torch.__version__)')
bench "transformer block (zoo transformer_postnorm_relu)" "$transformer" transformer 5 8
bench "LSTM + Attention (lstm_attention.h5)" "$lstm_attention" lstm_attention 10 4
