#!/usr/bin/env bash
# graft predict's throughput against PyTorch (Debian's python3-torch) doing the same arithmetic on the same batch:
# the Keras 3 zoo's transformer encoder block (MultiHeadAttention, Add, LayerNormalization, Dense feed-forward; graft's
# own engine layers), ROWS random rows of (5, 8), one thread each. graft's time is that of a ROWS-row predict minus a
# 1-row predict (JVM start, model build and file I/O cancel out); PyTorch's that of its forward passes (predict_torch.py).
# Not covered: an LSTM + Attention model (graft does not compute Keras's Attention layer yet).
# Usage: bench/predict.sh [ROWS] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rows=${1:-20000}
runs=${2:-3}
python=/usr/bin/python3
model=${GRAFT_FIXTURES:-$here/../shared/fixtures}/keras3-zoo/transformer_postnorm_relu.keras
[ -f "$model" ] || { echo "bench/predict.sh: $model not found (set GRAFT_FIXTURES)" >&2; exit 1; }
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "installing Debian's python3-torch (the reference framework) ..." >&2
  apt-get install -y -q python3-torch >/dev/null
fi
"$here/bin/graft" --version >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$python" - "$work" "$rows" <<'PY'
import struct, sys, random
work, rows = sys.argv[1], int(sys.argv[2])
def npy(path, n):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, 5, 8), }" % n
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"   # magic + header a multiple of 64 bytes
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        r = random.Random(1)
        f.write(struct.pack("<%df" % (n * 40), *[r.gauss(0, 1) for _ in range(n * 40)]))
npy(work + "/x.npy", rows)
npy(work + "/x1.npy", 1)
PY

seconds() { "$here/bin/graft" predict "$model" --input "$1" -o "$work/y.npy" --force --json 2>/dev/null \
  | "$python" -c 'import json,sys; print(json.load(sys.stdin)["seconds"])'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
g=(); t=()
for i in $(seq "$runs"); do   # interleaved, so machine noise hits both alike
  big=$(seconds "$work/x.npy"); one=$(seconds "$work/x1.npy")
  g+=("$(awk -v r="$rows" -v b="$big" -v o="$one" 'BEGIN {printf "%.1f", (r - 1) / (b - o)}')")
  t+=("$(OMP_NUM_THREADS=1 "$python" "$here/bench/predict_torch.py" "$rows" 5 8)")
done
mg=$(printf '%s\n' "${g[@]}" | median); mt=$(printf '%s\n' "${t[@]}" | median)
echo "transformer block, rows per run: $rows, runs: $runs"
echo "graft predict, median:           $mg samples/s"
echo "PyTorch $("$python" -c 'import torch; print(torch.__version__)') 1 thread, median: $mt samples/s"
awk -v a="$mg" -v b="$mt" 'BEGIN {printf "ratio graft/PyTorch:             %.2f\n", a/b}'
