#!/usr/bin/env bash
# graft train's throughput against PyTorch (Debian's python3-torch) on the same model, batch size
# and data, in the same invocation: the samples' example-3 hybrid, frozen donors, dense:32 bridge,
# Adam, binary cross-entropy, batch 32 (or BATCH), samples/example3_train.csv (80% for training), one thread
# each. Both count samples per second of the batch loop only (no start-up, no evaluation).
# Usage: bench/train.sh [EPOCHS] [RUNS] [BATCH]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
epochs=${1:-20}
runs=${2:-3}
batch=${3:-32}
python=/usr/bin/python3
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "installing Debian's python3-torch (the reference framework) ..." >&2
  apt-get install -y -q python3-torch >/dev/null
fi
"$here/bin/graft" --version >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$here/bin/graft" merge "$here/samples/example3_first.h5" "$here/samples/example3_second.h5" \
  --bridge dense:32 --freeze donors -o "$work/hybrid.h5" 2>/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
g=(); t=()
for i in $(seq "$runs"); do   # interleaved, so machine noise hits both alike
  rm -f "$work/trained.h5"
  g+=("$("$here/bin/graft" train "$work/hybrid.h5" --data "$here/samples/example3_train.csv" --target label \
        --validation-split 0.2 --epochs "$epochs" --batch-size "$batch" --learning-rate 0.01 -o "$work/trained.h5" --quiet --json \
        | "$python" -c 'import json,sys; print(json.load(sys.stdin)["samples_per_second"])')")
  t+=("$(OMP_NUM_THREADS=1 "$python" "$here/bench/train_torch.py" "$here/samples/example3_train.csv" "$epochs" "$batch")")
done
mg=$(printf '%s\n' "${g[@]}" | median); mt=$(printf '%s\n' "${t[@]}" | median)
echo "epochs per run:              $epochs (batch $batch), runs: $runs"
echo "graft train, median:         $mg samples/s"
echo "PyTorch $("$python" -c 'import torch; print(torch.__version__)'), median:  $mt samples/s"
awk -v a="$mg" -v b="$mt" 'BEGIN {printf "ratio graft/PyTorch:         %.2f\n", a/b}'
