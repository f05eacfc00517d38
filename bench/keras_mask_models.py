"""Small Keras 3 models where a mask's values reach a layer that does not read the mask, saved with Keras's predictions:
Keras's Masking outputs inputs * any(inputs != mask_value) (masked steps become 0) and a mask_zero Embedding returns
row 0's stored vector at index 0. Run with the project's Keras oracle (real Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_mask_models.py src/test/resources/keras-reference/mask

Writes per model NAME: NAME.h5, NAME.keras and NAME_inputs_and_outputs.h5 (the keras3-zoo layout, as
bench/keras_recurrent_models.py). Weights random (seeded, N(0, 0.5)), row 0 of every embedding far from zero.
- masking_neg1_dense: Masking(-1) -> Dense(2) per step (the model's output holds masked steps)
- masking_2_conv1d: Masking(2) -> Conv1D(3, 2) -> Flatten -> Dense(2)
- masking_neg1_lstm_zero_step: Masking(-1) -> LSTM(3) -> Dense(1); an unmasked step of all zeros among masked ones
- masking_half_dense_gru: Masking(0.5) -> Dense(3) -> GRU(2, return_sequences) -> Dense(1) per step, a step of zeros
- embedding_mask_flatten: Embedding(10, 4, mask_zero) -> Flatten -> Dense(2), index 0 present
- embedding_mask_dense_seq: Embedding(7, 3, mask_zero) -> Dense(2) per step (the output holds index 0's steps)
"""
import json
import os
import sys

import h5py
import numpy as np
import keras
from keras import layers

import torch


def _tuple_dims(reduce):
    # torch 1.13 (the oracle's) lacks torch.any/torch.all over a tuple of dims, which Keras's Masking uses
    def wrapped(x, dim=None, keepdim=False, **kw):
        if isinstance(dim, (tuple, list)):
            for d in sorted((d % x.ndim for d in dim), reverse=True):
                x = reduce(x, dim=d, keepdim=keepdim, **kw)
            return x
        return reduce(x, **kw) if dim is None else reduce(x, dim=dim, keepdim=keepdim, **kw)
    return wrapped


torch.any = _tuple_dims(torch.any)
torch.all = _tuple_dims(torch.all)

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
keras.utils.set_random_seed(23)


def save(name, model, inputs):
    rng = np.random.default_rng(len(name) + 300)
    for w in model.weights:
        v = rng.normal(0, 0.5, size=w.shape).astype("float32")
        if "embedding" in w.path or "embed" in w.path:
            v[0] = 1.0 + np.abs(v[0])
        w.assign(v)
    model.save(os.path.join(out, name + ".h5"))
    model.save(os.path.join(out, name + ".keras"))
    ys = model.predict(inputs, verbose=0)
    ys = ys if isinstance(ys, list) else [ys]
    with h5py.File(os.path.join(out, name + "_inputs_and_outputs.h5"), "w") as f:
        names = [t.name for t in model.inputs]
        for n, x in zip(names, inputs):
            f.create_dataset("inputs/" + n, data=x)
        for i, y in enumerate(ys):
            f.create_dataset("outputs/output_%d" % i, data=np.asarray(y))
        f.attrs["inputs"] = json.dumps(names)
        f.attrs["outputs"] = json.dumps(["output_%d" % i for i in range(len(ys))])
        f.attrs["computed_by"] = "keras %s (%s)" % (keras.__version__, keras.backend.backend())
        f.attrs["case"] = json.dumps({"family": "mask", "layer_class": "Composite", "args": {}, "model": name})


rng = np.random.default_rng(7)


def seq(*shape, scale=2.0):
    return (rng.normal(size=shape) * scale).astype("float32")


def masked(x, value, rows_steps):
    x = x.copy()
    for r, s in rows_steps:
        x[r, s, :] = value
    return x


save("masking_neg1_dense", keras.Sequential([keras.Input((5, 3)), layers.Masking(mask_value=-1.0, name="mask"),
                                             layers.Dense(2, name="head")]),
     [masked(seq(3, 5, 3), -1.0, [(0, 1), (1, 4), (2, 0), (2, 2)])])
save("masking_2_conv1d", keras.Sequential([keras.Input((6, 2)), layers.Masking(mask_value=2.0, name="mask"),
                                           layers.Conv1D(3, 2, name="conv"), layers.Flatten(name="flat"), layers.Dense(2, name="head")]),
     [masked(seq(3, 6, 2), 2.0, [(0, 0), (0, 3), (1, 5), (2, 2)])])
save("masking_neg1_lstm_zero_step", keras.Sequential([keras.Input((5, 2)), layers.Masking(mask_value=-1.0, name="mask"),
                                                      layers.LSTM(3, name="lstm"), layers.Dense(1, name="head")]),
     [masked(masked(seq(3, 5, 2), -1.0, [(0, 4), (1, 0), (2, 3)]), 0.0, [(0, 2), (1, 3), (2, 4)])])
save("masking_half_dense_gru", keras.Sequential([keras.Input((5, 2)), layers.Masking(mask_value=0.5, name="mask"),
                                                 layers.Dense(3, name="proj"), layers.GRU(2, return_sequences=True, name="gru"),
                                                 layers.Dense(1, name="head")]),
     [masked(masked(seq(3, 5, 2), 0.5, [(0, 4), (1, 1), (2, 3)]), 0.0, [(0, 1), (2, 2)])])
save("embedding_mask_flatten", keras.Sequential([keras.Input((5,), dtype="int32"), layers.Embedding(10, 4, mask_zero=True, name="embed"),
                                                 layers.Flatten(name="flat"), layers.Dense(2, name="head")]),
     [np.array([[3, 0, 5, 9, 0], [1, 2, 3, 4, 5], [0, 0, 7, 0, 8]], dtype="int32")])
save("embedding_mask_dense_seq", keras.Sequential([keras.Input((4,), dtype="int32"), layers.Embedding(7, 3, mask_zero=True, name="embed"),
                                                   layers.Dense(2, name="head")]),
     [np.array([[0, 2, 6, 0], [5, 1, 0, 3]], dtype="int32")])
