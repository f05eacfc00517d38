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
import sys

import numpy as np
import keras
from keras import layers

# the script's own folder is on sys.path: the shared helpers (weights, saving, reload check, inputs/outputs file)
from keras_case_files import CaseWriter, patch_torch_tuple_dims

patch_torch_tuple_dims()
out = sys.argv[1]
keras.utils.set_random_seed(12)
save = CaseWriter(out, "attention-axes", embedding_row0=True, reload=(".keras",)).save

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
