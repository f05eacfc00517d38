"""Small Keras 3 models with a BatchNormalization over axes other than the last (a sequence's steps, an image's rows or
columns, a volume's axes, negative axes) and with center or scale off, saved with Keras's predictions and with one
training step. Run with the project's Keras oracle (real Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_batchnorm_models.py src/test/resources/keras-reference/batchnorm \
        src/test/resources/keras-reference/masked-lstm

The second folder gets two models with a masked LSTM as the output (Masking -> LSTM returning sequences or its last step,
masked steps in the middle and at the end), in the same layout.

Writes per model NAME: NAME.h5, NAME.keras and NAME_inputs_and_outputs.h5 (the keras3-zoo layout: inputs/x,
outputs/output_0), plus in that file one SGD step as Keras takes it in training: rate 0.1, loss mse against
training/y, the three rows as one batch, batch statistics in the forward pass and the moving statistics updated by that
same call (what fit does; the oracle's torch 1.13 cannot run fit, so the step is torch autograd on Keras's own forward):
training/loss (the step's loss) and training/after (the model's inference predictions on inputs/x after the step).
Weights random (seeded; variances in [0.5, 2]); every model reads the input through a Dense or Conv layer first, so the
step also trains a layer before the normalisation.
"""
import os
import sys

import numpy as np
import keras
from keras import layers
import torch

# the script's own folder is on sys.path: the shared helpers (weights, the SGD step, the torch 1.13 shim)
from keras_case_files import patch_torch_tuple_dims, randomize, save_training_step

_squeeze = torch.squeeze


def _squeeze_dims(x, dim=None, *args, **kw):
    # torch 1.13 (the oracle's) squeezes one dim at a time; Keras's moments squeeze a list of them in training
    if isinstance(dim, (list, tuple)) or type(dim).__name__ == "TrackedList":
        for d in sorted((d % x.dim() for d in dim), reverse=True):
            x = _squeeze(x, d)
        return x
    return _squeeze(x) if dim is None else _squeeze(x, dim, *args, **kw)


torch.squeeze = _squeeze_dims
patch_torch_tuple_dims()


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
keras.utils.set_random_seed(5)


def save(name, shape, first, bn, folder=None, zero_steps=(), sequential=False):
    folder = folder or out
    if sequential:
        # a Sequential model: a functional one records Masking's mask as NotEqual/Any op layers (see the masked-lstm note)
        model = keras.Sequential([keras.Input(shape, name="x"), first, bn])
    else:
        x = keras.Input(shape, name="x")
        model = keras.Model(x, bn(first(x)))
    rng = np.random.default_rng(len(name) * 7 + 1)
    randomize(model, rng, variance_uniform=True)
    inputs = rng.normal(size=(3,) + tuple(shape)).astype("float32")
    for row, step in zero_steps:
        inputs[row, step] = 0
    # one SGD step: Keras's training forward (batch statistics, moving statistics updated), torch autograd for the rest
    save_training_step(folder, name, model, inputs, rng, type(bn).__name__)


BN = layers.BatchNormalization
save("seq_axis1", (4, 3), layers.Dense(3), BN(axis=1, momentum=0.5))
save("seq_axis_minus2_nocenter_eps", (5, 2), layers.Dense(2), BN(axis=-2, center=False, epsilon=0.01, momentum=0.6))
save("img_axis2", (3, 4, 2), layers.Conv2D(2, 1), BN(axis=2, momentum=0.7))
save("img_axis_minus2_noscale", (3, 4, 2), layers.Conv2D(3, 1), BN(axis=-2, scale=False, momentum=0.5))
save("img_axis1_nocenter_noscale", (3, 4, 2), layers.Conv2D(2, 1), BN(axis=1, center=False, scale=False, momentum=0.5))
save("vol_axis2", (2, 3, 2, 2), layers.Conv3D(2, 1), BN(axis=2, momentum=0.5))
save("vol_axis_last", (2, 3, 2, 2), layers.Conv3D(3, 1), BN(axis=-1, momentum=0.5))
save("dense_last_nocenter", (4,), layers.Dense(3), BN(center=False, momentum=0.5))
save("dense_last_noscale", (4,), layers.Dense(3), BN(scale=False, momentum=0.5))
save("seq_last_nocenter_noscale", (3, 2), layers.Dense(3), BN(center=False, scale=False, momentum=0.5))

# A masked LSTM as the model's output (returning sequences or its last step), masked steps in the middle and at the end
if len(sys.argv) > 2:
    masked = sys.argv[2]
    os.makedirs(masked, exist_ok=True)
    steps = [(0, 2), (0, 5), (1, 0), (2, 4), (2, 5)]
    save("masking_lstm_sequences", (6, 3), layers.Masking(0.0), layers.LSTM(4, return_sequences=True), masked, steps, sequential=True)
    save("masking_lstm_last", (6, 3), layers.Masking(0.0), layers.LSTM(3), masked, steps, sequential=True)

# does Keras 3 take a list as axis?
for axis in ([1], [1, 2]):
    try:
        b = BN(axis=axis)
        b.build((None, 3, 4, 2))
        print("list axis", axis, "accepted:", b.axis)
    except Exception as e:
        print("list axis", axis, "refused:", type(e).__name__, e)
