"""Functional Keras 3 models in which Keras records a layer's mask as operation layers: Masking(v) -> NotEqual(x, v),
Any(axis=-1), and Embedding(mask_zero) -> NotEqual(x, 0), passed to the next layer as mask=. Saved with Keras's
predictions and one SGD step (the layout of bench/keras_batchnorm_models.py). Run with the project's Keras oracle:

    /work/keras-oracle/run.sh bench/keras_mask_op_models.py src/test/resources/keras-reference/mask-ops

- fn_masking_lstm: x -> Masking(0) -> LSTM(3), masked steps in the middle and at the end
- fn_masking_half_gru_seq: x -> Masking(0.5) -> GRU(2, return_sequences), a masked step of 0.5s
- fn_embedding_mask_lstm: ids -> Embedding(9, 3, mask_zero) -> LSTM(2), index 0 present
- seq_masking_half_permute_lstm: Masking(0.5) -> Permute((2, 1)) -> LSTM(2): Keras 3's Permute drops the mask (it does not
  support masking), so the LSTM reads every (permuted) step, the masked ones as zeros
- fn_explicit_mask_dense_lstm: x -> Dense(3) -> LSTM(2, mask=any(x != 0, axis=-1)): a mask the user computed for a layer
  that is not a Masking layer's reader, which graft refuses (written, no training step)
- seq_masking_batchnorm_lstm: Masking(0) -> BatchNormalization -> LSTM(2): predicted; no training step (Keras takes the
  batch statistics over the unmasked steps, which graft refuses to train)
"""
import json
import os
import sys

import h5py
import numpy as np
import keras
from keras import layers, ops

# the script's own folder is on sys.path: the shared helpers (weights, the SGD step, the torch 1.13 shim)
from keras_case_files import patch_torch_tuple_dims, randomize, sgd_step

patch_torch_tuple_dims()
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
keras.utils.set_random_seed(31)


def save(name, model, inputs, step=True):
    rng = np.random.default_rng(len(name) + 500)
    randomize(model, rng, variance_uniform=True)
    classes = sorted({l["class_name"] for l in model.get_config()["layers"]})
    print(name, "layer classes:", classes)
    model.save(os.path.join(out, name + ".h5"))
    model.save(os.path.join(out, name + ".keras"))
    y = model.predict(inputs, verbose=0)
    with h5py.File(os.path.join(out, name + "_inputs_and_outputs.h5"), "w") as f:
        f.create_dataset("inputs/x", data=inputs)
        f.create_dataset("outputs/output_0", data=y)
        if step:
            target = (y + rng.normal(0, 0.5, size=y.shape)).astype("float32")
            loss = sgd_step(model, inputs, target)
            f.create_dataset("training/y", data=target)
            f.create_dataset("training/loss", data=np.float64(loss.item()))
            f.create_dataset("training/after", data=model.predict(inputs, verbose=0))
        f.attrs["inputs"] = json.dumps(["x"])
        f.attrs["outputs"] = json.dumps(["output_0"])
        f.attrs["computed_by"] = "keras %s (%s)" % (keras.__version__, keras.backend.backend())
        f.attrs["case"] = json.dumps({"family": "mask ops", "model": name})


rng = np.random.default_rng(7)
x = keras.Input((6, 3), name="x")
xs = rng.normal(size=(3, 6, 3)).astype("float32")
for r, s in [(0, 2), (0, 5), (1, 0), (2, 4), (2, 5)]:
    xs[r, s] = 0
save("fn_masking_lstm", keras.Model(x, layers.LSTM(3)(layers.Masking(0.0)(x))), xs)

x = keras.Input((5, 2), name="x")
xs = rng.normal(size=(3, 5, 2)).astype("float32")
xs[0, 1] = 0.5
xs[2, 4] = 0.5
xs[1, 2] = 0.0
save("fn_masking_half_gru_seq", keras.Model(x, layers.GRU(2, return_sequences=True)(layers.Masking(0.5)(x))), xs)

x = keras.Input((6,), name="x", dtype="int32")
ids = np.array([[0, 3, 5, 0, 8, 1], [2, 2, 0, 0, 0, 0], [7, 6, 5, 4, 3, 0]], "int32")
save("fn_embedding_mask_lstm", keras.Model(x, layers.LSTM(2)(layers.Embedding(9, 3, mask_zero=True)(x))), ids)

xs = rng.normal(size=(3, 4, 3)).astype("float32")
xs[0, 1] = 0.5
xs[2, 3] = 0.5
save("seq_masking_half_permute_lstm", keras.Sequential([keras.Input((4, 3), name="x"), layers.Masking(0.5), layers.Permute((2, 1)),
                                                        layers.LSTM(2)]), xs)

x = keras.Input((6, 3), name="x")
xs = rng.normal(size=(3, 6, 3)).astype("float32")
xs[0, 3] = 0
mask = ops.any(ops.not_equal(x, 0.0), axis=-1)
save("fn_explicit_mask_dense_lstm", keras.Model(x, layers.LSTM(2)(layers.Dense(3)(x), mask=mask)), xs, step=False)

xs = rng.normal(size=(3, 4, 2)).astype("float32")
xs[0, 1] = 0
xs[2, 3] = 0
save("seq_masking_batchnorm_lstm", keras.Sequential([keras.Input((4, 2), name="x"), layers.Masking(0.0), layers.BatchNormalization(),
                                                     layers.LSTM(2)]), xs, step=False)
