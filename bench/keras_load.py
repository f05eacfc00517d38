"""The Keras half of bench/keras-load.sh, run by the Keras oracle (real Keras 3.15.1): loads every
file graft wrote (.keras and .h5), predicts on the same inputs and compares with graft's
predictions. Prints one line per file and the counts by outcome."""
import collections, os, sys, warnings
import numpy as np
warnings.filterwarnings("ignore")
import keras

work = sys.argv[1]
fixtures = sys.argv[2]
tol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-4


def keras_reference(source, xs):
    """Keras's own predictions from the donor file, when Keras 3 opens it; else None."""
    path = os.path.join(fixtures, source)
    if not os.path.exists(path):
        return None
    try:
        m = keras.models.load_model(path, compile=False)
        y = m.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        return np.asarray(y[0] if isinstance(y, (list, tuple)) else y, dtype=np.float64)
    except Exception:
        return None


def keras2_hard_sigmoid_diff(path, xs, expected):
    from keras.src import activations
    table = activations.ALL_OBJECTS_DICT
    keras3 = table["hard_sigmoid"]

    def hard_sigmoid(x):  # named so that a layer Keras clones through its config (Bidirectional) keeps it by name
        return keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)

    table["hard_sigmoid"] = hard_sigmoid
    try:
        m = keras.models.load_model(path, compile=False)
        y = m.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        return max_diff(y[0] if isinstance(y, (list, tuple)) else y, expected)
    except Exception:
        return float("inf")
    finally:
        table["hard_sigmoid"] = keras3


def max_diff(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - b))) if np.shape(a) == np.shape(b) else float("inf")
counts = collections.Counter()
reasons = collections.Counter()
for line in open(os.path.join(work, "manifest.tsv")):
    mid, source, n_inputs, hard_sigmoid = line.rstrip("\n").split("\t")
    xs = [np.load(os.path.join(work, f"{mid}_x{i}.npy")) for i in range(int(n_inputs))]
    expected = np.load(os.path.join(work, f"{mid}_y.npy"))
    reference = keras_reference(source, xs)
    counts[("source", "opens in Keras 3" if reference is not None else "does not open in Keras 3")] += 1
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
            diff = max_diff(y, expected)
        except Exception as e:
            counts[(ext, "predict failed")] += 1
            print(f"{ext}\tPREDICT-FAILED\t{source}\t{type(e).__name__}: {str(e).splitlines()[0][:160]}")
            continue
        kind = "same as graft" if diff <= tol else ("differs from graft (Keras-2 hard_sigmoid)" if hard_sigmoid == "1" else "differs from graft")
        counts[(ext, kind)] += 1
        if hard_sigmoid == "1" and diff > tol:
            # Is hard_sigmoid the only difference? Reload with Keras 2's definition in Keras 3's activation table.
            k2 = keras2_hard_sigmoid_diff(path, xs, expected)
            k2kind = "same as graft with Keras 2's hard_sigmoid" if k2 <= tol else "differs from graft even with Keras 2's hard_sigmoid"
            counts[(ext, k2kind)] += 1
            kind += f"; {k2kind} (max abs diff {k2:.3g})"
        if reference is not None:
            counts[(ext, "same as Keras on the donor file" if max_diff(y, reference) <= tol else "differs from Keras on the donor file")] += 1
        if not compiled:
            counts[(ext, "loaded only with compile=False")] += 1
        print(f"{ext}\t{kind}\t{source}\tmax abs diff {diff:.3g}{'' if compiled else ' (compile=False)'}")
print("\n== counts (tolerance %g; 'donor file': Keras 3's own load of the original, where it opens)" % tol)
for k in sorted(counts):
    print(f"{k[0]}\t{k[1]}\t{counts[k]}")
if reasons:
    print("\n== load failures by reason")
    for (ext, r), c in reasons.most_common():
        print(f"{ext}\t{c}\t{r}")
