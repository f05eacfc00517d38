"""Reference numbers from real Keras 3 for graft's optimizer, loss and metric tests.

Run with the Keras oracle (../shared/tools/keras-oracle: Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_reference.py src/test/resources/keras-reference

Writes optimizers.json (each optimizer with some of its arguments: two variables, three steps of fixed
gradients handed to Keras's own apply_gradients, the variables after every step) and losses.json (each
loss and metric with some of its arguments, on fixed labels and predictions). Tests read these files;
they never run Keras.
"""
import json
import os
import sys

import numpy as np
import torch
import keras

# torch 1.13 (the oracle's) cannot reduce torch.all/any over a tuple of dims, which Keras's hinge losses
# ask for (README of the oracle, "Known limits"); reduce one dim at a time instead. No arithmetic changes.
for _name in ("all", "any"):
    _orig = getattr(torch, _name)

    def _reduce(x, dim=None, keepdim=False, _orig=_orig, **kw):
        if isinstance(dim, (tuple, list)):
            for d in sorted((d % x.dim() for d in dim), reverse=True):
                x = _orig(x, dim=d, keepdim=keepdim)
            return x
        return _orig(x, dim=dim, keepdim=keepdim, **kw) if dim is not None else _orig(x, **kw)
    setattr(torch, _name, _reduce)

out_dir = sys.argv[1]
rng = np.random.default_rng(16)

OPTIMIZERS = [
    ("sgd", {}), ("sgd", {"momentum": 0.9}), ("sgd", {"momentum": 0.9, "nesterov": True}),
    ("sgd", {"learning_rate": 0.1, "clipvalue": 0.05, "weight_decay": 0.1}),
    ("adam", {}), ("adam", {"amsgrad": True, "beta_1": 0.8, "clipnorm": 0.3}), ("adam", {"epsilon": 1e-3, "global_clipnorm": 0.5}),
    ("adamw", {}), ("adamw", {"weight_decay": 0.1, "learning_rate": 0.01}),
    ("rmsprop", {}), ("rmsprop", {"momentum": 0.5, "centered": True, "rho": 0.8}),
    ("adagrad", {}), ("adagrad", {"initial_accumulator_value": 0.0, "epsilon": 1e-4, "learning_rate": 0.1}),
    ("adadelta", {}), ("adadelta", {"learning_rate": 1.0, "rho": 0.5}),
    ("adamax", {}), ("adamax", {"beta_2": 0.9, "learning_rate": 0.01}),
    ("nadam", {}), ("nadam", {"beta_1": 0.8, "beta_2": 0.9, "learning_rate": 0.01}),
]
CLASSES = {"sgd": keras.optimizers.SGD, "adam": keras.optimizers.Adam, "adamw": keras.optimizers.AdamW,
           "rmsprop": keras.optimizers.RMSprop, "adagrad": keras.optimizers.Adagrad, "adadelta": keras.optimizers.Adadelta,
           "adamax": keras.optimizers.Adamax, "nadam": keras.optimizers.Nadam}

shapes = [(4, 3), (3,)]
initial = [rng.normal(0, 0.5, s).astype("float32") for s in shapes]
# gradients of several magnitudes, some tiny, so that epsilon placement shows
gradients = [[(rng.normal(0, 1, s) * rng.choice([1e-3, 0.1, 1.0], s)).astype("float32") for s in shapes] for _ in range(3)]

cases = []
for name, args in OPTIMIZERS:
    opt = CLASSES[name](**args)
    variables = [keras.Variable(v.copy()) for v in initial]
    after = []
    for step in gradients:
        opt.apply_gradients(zip([keras.ops.convert_to_tensor(g) for g in step], variables))
        after.append([np.asarray(keras.ops.convert_to_numpy(v), dtype="float64").ravel().tolist() for v in variables])
    cases.append({"optimizer": name, "args": args, "after": after, "config": {k: v for k, v in opt.get_config().items()
                                                                             if isinstance(v, (int, float, bool, str, type(None)))}})

with open(os.path.join(out_dir, "optimizers.json"), "w") as f:
    json.dump({"keras_version": keras.__version__, "backend": keras.backend.backend(),
               "shapes": shapes, "initial": [v.astype("float64").ravel().tolist() for v in initial],
               "gradients": [[g.astype("float64").ravel().tolist() for g in step] for step in gradients],
               "cases": cases}, f, indent=1)

# Losses and metrics on fixed data: probabilities (some at 0 and 1, to show the clipping), 0/1 labels,
# one-hot labels, class indices, real-valued targets.
p = rng.uniform(0, 1, (6, 3)).astype("float32")
p[0, 0], p[1, 1] = 0.0, 1.0
probs = (p / p.sum(axis=1, keepdims=True)).astype("float32")
binary = rng.integers(0, 2, (6, 3)).astype("float32")
indices = rng.integers(0, 3, (6, 1)).astype("float32")
indices[:3, 0] = probs[:3].argmax(axis=1)  # some rows right, so accuracies are not trivially 0
onehot = np.eye(3, dtype="float32")[indices[:, 0].astype(int)]
real_pred = rng.normal(0, 2, (6, 3)).astype("float32")
real_true = rng.normal(0, 2, (6, 3)).astype("float32")
positive_pred = np.abs(real_pred) + 0.1
positive_true = np.abs(real_true)

data = {"p": p, "probs": probs, "binary": binary, "indices": indices, "onehot": onehot, "real_pred": real_pred,
        "real_true": real_true, "positive_pred": positive_pred, "positive_true": positive_true}
L = keras.losses
LOSSES = [
    ("binary_crossentropy", {}, L.BinaryCrossentropy(), "binary", "p"),
    ("binary_crossentropy", {"label_smoothing": 0.2}, L.BinaryCrossentropy(label_smoothing=0.2), "binary", "p"),
    ("categorical_crossentropy", {}, L.CategoricalCrossentropy(), "onehot", "probs"),
    ("categorical_crossentropy", {"label_smoothing": 0.1}, L.CategoricalCrossentropy(label_smoothing=0.1), "onehot", "probs"),
    ("categorical_crossentropy", {}, L.CategoricalCrossentropy(), "onehot", "p"),
    ("sparse_categorical_crossentropy", {}, L.SparseCategoricalCrossentropy(), "indices", "probs"),
    ("sparse_categorical_crossentropy", {}, L.SparseCategoricalCrossentropy(), "indices", "p"),
    ("binary_crossentropy", {"from_logits": True}, L.BinaryCrossentropy(from_logits=True), "binary", "real_pred"),
    ("binary_crossentropy", {"from_logits": True, "label_smoothing": 0.1},
     L.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), "binary", "real_pred"),
    ("categorical_crossentropy", {"from_logits": True}, L.CategoricalCrossentropy(from_logits=True), "onehot", "real_pred"),
    ("sparse_categorical_crossentropy", {"from_logits": True}, L.SparseCategoricalCrossentropy(from_logits=True), "indices", "real_pred"),
    ("mean_squared_error", {}, L.MeanSquaredError(), "real_true", "real_pred"),
    ("mean_absolute_error", {}, L.MeanAbsoluteError(), "real_true", "real_pred"),
    ("mean_squared_logarithmic_error", {}, L.MeanSquaredLogarithmicError(), "positive_true", "positive_pred"),
    ("huber", {}, L.Huber(), "real_true", "real_pred"),
    ("huber", {"delta": 0.5}, L.Huber(delta=0.5), "real_true", "real_pred"),
    ("log_cosh", {}, L.LogCosh(), "real_true", "real_pred"),
    ("hinge", {}, L.Hinge(), "binary", "real_pred"),
    ("squared_hinge", {}, L.SquaredHinge(), "binary", "real_pred"),
    ("kl_divergence", {}, L.KLDivergence(), "onehot", "probs"),
    ("poisson", {}, L.Poisson(), "positive_true", "positive_pred"),
]
M = keras.metrics
METRICS = [
    ("binary_accuracy", {}, M.BinaryAccuracy(), "binary", "p"),
    ("binary_accuracy", {"threshold": 0.7}, M.BinaryAccuracy(threshold=0.7), "binary", "p"),
    ("categorical_accuracy", {}, M.CategoricalAccuracy(), "onehot", "probs"),
    ("sparse_categorical_accuracy", {}, M.SparseCategoricalAccuracy(), "indices", "probs"),
    ("mae", {}, M.MeanAbsoluteError(), "real_true", "real_pred"),
    ("mse", {}, M.MeanSquaredError(), "real_true", "real_pred"),
]


def value(x):
    return float(np.asarray(keras.ops.convert_to_numpy(x), dtype="float64"))


losses = [{"loss": n, "args": a, "labels": t, "predictions": q, "value": value(fn(data[t], data[q]))} for n, a, fn, t, q in LOSSES]
metrics = []
for n, a, m, t, q in METRICS:
    m.update_state(data[t], data[q])
    metrics.append({"metric": n, "args": a, "labels": t, "predictions": q, "value": value(m.result())})
with open(os.path.join(out_dir, "losses.json"), "w") as f:
    json.dump({"keras_version": keras.__version__, "backend": keras.backend.backend(),
               "data": {k: {"shape": list(v.shape), "values": v.astype("float64").ravel().tolist()} for k, v in data.items()},
               "losses": losses, "metrics": metrics}, f, indent=1)
print("wrote", len(cases), "optimizer cases,", len(losses), "losses,", len(metrics), "metrics to", out_dir)
