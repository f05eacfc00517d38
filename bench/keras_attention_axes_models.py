"""Small Keras 3 models of MultiHeadAttention over inputs of rank 4 and 5 with attention_axes other than the steps,
saved with Keras's predictions. Run with the project's Keras oracle (real Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_attention_axes_models.py src/test/resources/keras-reference/attention-axes

Writes per model NAME: NAME.h5 (Keras 3's legacy HDF5), NAME.keras, and NAME_inputs_and_outputs.h5 (the keras3-zoo
layout). Weights are random (seeded).
- mha_axes_2: (3, 4, 5) -> MultiHeadAttention(2, 3, attention_axes=(2,))(x, x)
- mha_axes_1_cross: q (3, 4, 5), v (2, 4, 6) -> MultiHeadAttention(2, 2, value_dim=3, output_shape=7, attention_axes=(1,))(q, v)
- mha_axes_12: (3, 4, 5) -> MultiHeadAttention(1, 4, attention_axes=(1, 2))(x, x)
- mha_axes_default_rank4: (2, 3, 4) -> MultiHeadAttention(2, 2)(x, x) (Keras's default: every axis but batch and features)
- mha_axes_negative_key: q (3, 4, 5), v (3, 2, 4), key k (3, 2, 6) -> MultiHeadAttention(2, 2, attention_axes=(-2,))(q, v, key=k)
- mha_axes_rank5: (2, 3, 2, 4) -> MultiHeadAttention(2, 2, attention_axes=(1, 3))(x, x) -> Dense(3)
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
keras.utils.set_random_seed(12)


def randomize(model, rng):
    for w in model.weights:
        v = rng.normal(0, 0.5, size=w.shape).astype("float32")
        if "embed" in w.path:
            v[0] = 1.0 + np.abs(v[0])   # Keras returns row 0's stored vector at index 0: not zeros
        w.assign(v)


def save(name, model, inputs):
    rng = np.random.default_rng(len(name))
    randomize(model, rng)
    model.save(os.path.join(out, name + ".h5"))
    model.save(os.path.join(out, name + ".keras"))
    ys = model.predict(inputs, verbose=0)
    ys = ys if isinstance(ys, list) else [ys]
    # Keras 3.15's legacy .h5 reader fails on Attention's score_mode (reads "dot" as the function), so only the .keras
    # file is reloaded here; graft reads both.
    for f in (name + ".keras",):
        again = keras.models.load_model(os.path.join(out, f), compile=False).predict(inputs, verbose=0)
        again = again if isinstance(again, list) else [again]
        assert all(np.abs(a - b).max() < 1e-6 for a, b in zip(ys, again)), (f, [np.abs(a - b).max(axis=-1) for a, b in zip(ys, again)], ys, again)
    with h5py.File(os.path.join(out, name + "_inputs_and_outputs.h5"), "w") as f:
        names = [t.name for t in model.inputs]
        for n, x in zip(names, inputs):
            f.create_dataset("inputs/" + n, data=x)
        for i, y in enumerate(ys):
            f.create_dataset("outputs/output_%d" % i, data=np.asarray(y))
        f.attrs["inputs"] = json.dumps(names)
        f.attrs["outputs"] = json.dumps(["output_%d" % i for i in range(len(ys))])
        f.attrs["computed_by"] = "keras %s (%s)" % (keras.__version__, keras.backend.backend())
        f.attrs["case"] = json.dumps({"family": "attention-axes", "layer_class": "Composite", "args": {}, "model": name})


rng = np.random.default_rng(7)


def normal(*shape):
    return rng.normal(size=(3,) + shape).astype("float32")


x = keras.Input((3, 4, 5), name="x")
save("mha_axes_2", keras.Model(x, layers.MultiHeadAttention(2, 3, attention_axes=(2,), name="mha")(x, x)), [normal(3, 4, 5)])

q = keras.Input((3, 4, 5), name="q")
v = keras.Input((2, 4, 6), name="v")
y = layers.MultiHeadAttention(2, 2, value_dim=3, output_shape=7, attention_axes=(1,), name="mha")(q, v)
save("mha_axes_1_cross", keras.Model([q, v], y), [normal(3, 4, 5), normal(2, 4, 6)])

x = keras.Input((3, 4, 5), name="x")
save("mha_axes_12", keras.Model(x, layers.MultiHeadAttention(1, 4, attention_axes=(1, 2), name="mha")(x, x)), [normal(3, 4, 5)])

x = keras.Input((2, 3, 4), name="x")
save("mha_axes_default_rank4", keras.Model(x, layers.MultiHeadAttention(2, 2, name="mha")(x, x)), [normal(2, 3, 4)])

q = keras.Input((3, 4, 5), name="q")
v = keras.Input((3, 2, 4), name="v")
k = keras.Input((3, 2, 6), name="k")
y = layers.MultiHeadAttention(2, 2, attention_axes=(-2,), name="mha")(q, v, key=k)
save("mha_axes_negative_key", keras.Model([q, v, k], y), [normal(3, 4, 5), normal(3, 2, 4), normal(3, 2, 6)])

x = keras.Input((2, 3, 2, 4), name="x")
h = layers.MultiHeadAttention(2, 2, attention_axes=(1, 3), name="mha")(x, x)
save("mha_axes_rank5", keras.Model(x, layers.Dense(3, name="head")(h)), [normal(2, 3, 2, 4)])
