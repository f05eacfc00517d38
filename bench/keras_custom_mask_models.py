"""Functional Keras 3 models whose mask= the user computed with Keras operations that do NOT recompute a layer's own mask,
so graft must refuse them by name (never compute without that mask). Run with the project's Keras oracle:

    /work/keras-oracle/run.sh bench/keras_custom_mask_models.py src/test/resources/keras-reference/custom-mask-ops

- fn_custom_mask_masking_lstm: x -> Masking(0) -> LSTM(2, mask=any(x != 0.5, axis=-1)): a NotEqual against another
  value than the Masking layer's
- fn_custom_mask_attention: x -> Attention()([x, x], mask=[m, m]), m = any(x != 5, axis=-1): an attention layer given a
  mask no Masking or Embedding layer computes
- fn_own_mask_dense_lstm: Masking(0) -> Dense(3) -> LSTM(2, mask=any(x != 0, -1)): the Masking layer's own mask, which
  graft traces through the Dense: computed (Keras's predictions stored)
- fn_own_mask_conv_lstm: the same through a Conv1D, which drops Keras's mask: graft traces none there, so it refuses
"""
import json
import os
import sys

import h5py
import numpy as np
import keras
from keras import layers, ops
import torch


def _tuple_dims(reduce):
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
keras.utils.set_random_seed(41)


def save(name, model, inputs):
    model.save(os.path.join(out, name + ".h5"))
    model.save(os.path.join(out, name + ".keras"))
    y = model.predict(inputs, verbose=0)
    with h5py.File(os.path.join(out, name + "_inputs_and_outputs.h5"), "w") as f:
        f.create_dataset("inputs/x", data=inputs)
        f.create_dataset("outputs/output_0", data=y)
        f.attrs["inputs"] = json.dumps(["x"])
        f.attrs["outputs"] = json.dumps(["output_0"])
        f.attrs["computed_by"] = "keras %s (%s)" % (keras.__version__, keras.backend.backend())
        f.attrs["case"] = json.dumps({"family": "custom mask ops (refused)", "model": name})
    print(name, "saved", sorted({l["class_name"] for l in model.get_config()["layers"]}))


rng = np.random.default_rng(11)
x = keras.Input((6, 3), name="x")
xs = rng.normal(size=(3, 6, 3)).astype("float32")
xs[0, 2] = 0.5
xs[1, 4] = 0
m = ops.any(ops.not_equal(x, 0.5), axis=-1)
save("fn_custom_mask_masking_lstm", keras.Model(x, layers.LSTM(2)(layers.Masking(0.0)(x), mask=m)), xs)

x = keras.Input((5, 4), name="x")
xs = rng.normal(size=(3, 5, 4)).astype("float32")
xs[0, 1] = 5
m = ops.any(ops.not_equal(x, 5.0), axis=-1)
save("fn_custom_mask_attention", keras.Model(x, layers.Attention()([x, x], mask=[m, m])), xs)

# the user's mask equals the Masking layer's own, through a Dense (which keeps Keras's mask): graft computes it (matches)
x = keras.Input((6, 3), name="x")
xs = rng.normal(size=(3, 6, 3)).astype("float32")
xs[0, 2] = 0
xs[2, 5] = 0
m = ops.any(ops.not_equal(x, 0.0), axis=-1)
save("fn_own_mask_dense_lstm", keras.Model(x, layers.LSTM(2)(layers.Dense(3)(layers.Masking(0.0)(x)), mask=m)), xs)

# the same mask after a Conv1D, which drops Keras's mask: graft traces none there, so it must refuse
save("fn_own_mask_conv_lstm", keras.Model(x, layers.LSTM(2)(layers.Conv1D(3, 2, padding="same")(layers.Masking(0.0)(x)), mask=m)), xs)
