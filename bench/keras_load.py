"""The Keras half of bench/keras-load.sh, run by the Keras oracle (real Keras 3.15.1): loads every
file graft wrote (.keras and .h5), predicts on the same inputs and compares with graft's
predictions. Prints one line per file and the counts by outcome."""
import collections, os, sys, warnings
import numpy as np
warnings.filterwarnings("ignore")
import keras

work = sys.argv[1]
tol = float(sys.argv[2]) if len(sys.argv) > 2 else 1e-4
counts = collections.Counter()
reasons = collections.Counter()
for line in open(os.path.join(work, "manifest.tsv")):
    mid, source, n_inputs, hard_sigmoid = line.rstrip("\n").split("\t")
    xs = [np.load(os.path.join(work, f"{mid}_x{i}.npy")) for i in range(int(n_inputs))]
    expected = np.load(os.path.join(work, f"{mid}_y.npy"))
    for ext in (".keras", ".h5"):
        path = os.path.join(work, mid + ext)
        compiled = True
        try:
            try:
                model = keras.models.load_model(path)
            except Exception:
                compiled = False
                model = keras.models.load_model(path, compile=False)
        except Exception as e:
            msg = f"{type(e).__name__}: {str(e).splitlines()[0][:160]}"
            counts[(ext, "load failed")] += 1
            reasons[(ext, msg[:120])] += 1
            print(f"{ext}\tLOAD-FAILED\t{source}\t{msg}")
            continue
        try:
            y = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
            y = y[0] if isinstance(y, (list, tuple)) else y
            diff = float(np.max(np.abs(np.asarray(y, dtype=np.float64) - expected))) if np.shape(y) == expected.shape else float("inf")
        except Exception as e:
            counts[(ext, "predict failed")] += 1
            print(f"{ext}\tPREDICT-FAILED\t{source}\t{type(e).__name__}: {str(e).splitlines()[0][:160]}")
            continue
        kind = "same" if diff <= tol else ("differs (Keras-2 hard_sigmoid)" if hard_sigmoid == "1" else "differs")
        counts[(ext, kind)] += 1
        if not compiled:
            counts[(ext, "loaded only with compile=False")] += 1
        print(f"{ext}\t{kind}\t{source}\tmax abs diff {diff:.3g}{'' if compiled else ' (compile=False)'}")
print("\n== counts (tolerance %g)" % tol)
for k in sorted(counts):
    print(f"{k[0]}\t{k[1]}\t{counts[k]}")
if reasons:
    print("\n== load failures by reason")
    for (ext, r), c in reasons.most_common():
        print(f"{ext}\t{c}\t{r}")
