"""Small Keras 3 models for the glu activation, MultiHeadAttention given a key and an attention mask, and
GroupedQueryAttention, saved with Keras's predictions: argument values the keras3-zoo does not have.
Run with the project's Keras oracle (real Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_issue12_attention.py src/test/resources/keras-reference/issue12

Writes per model NAME: NAME.h5 (Keras 3's legacy HDF5), NAME.keras, and NAME_inputs_and_outputs.h5 (the keras3-zoo
layout: inputs/<input name>, outputs/output_0, ..., root attributes inputs/outputs as JSON lists). Weights are random
(seeded); attention masks are int32 0/1 with one query step masked everywhere.
- dense_glu: (5,) -> Dense(6, glu)
- conv1d_glu: (6, 3) -> Conv1D(4, 3, glu) -> Activation(glu) -> Flatten
(Keras's own shapes ignore that glu halves the last axis, so a layer with weights after a glu fails in Keras itself.)
- conv2d_glu: (5, 5, 2) -> Conv2D(6, 2, glu) -> GlobalAveragePooling2D
- mha_key_mask_causal: MultiHeadAttention(3 heads, key_dim 2, value_dim 3, output_shape 7)(q (5, 4), v (6, 3),
  key=k (6, 5), attention_mask=m (5, 6), use_causal_mask=True)
- mha_positional_key: MultiHeadAttention(2 heads, key_dim 3, use_bias=False)(q (4, 4), v (3, 2), k (3, 6))
- gqa_cross_mask: GroupedQueryAttention(head_dim 3, 6 query heads, 2 key/value heads, use_bias=False)(q (5, 4),
  v (6, 4), key=k (6, 5), attention_mask=m (5, 6))
- gqa_causal: (4, 6) -> GroupedQueryAttention(head_dim 2, 2 query heads, 1 key/value head)(x, x, use_causal_mask=True)
- gqa_dense: (4, 6) -> GroupedQueryAttention(head_dim 3, 3 query heads, 1 key/value head)(x, x) -> Dense(2) (trained in a hybrid)
- einsum_*: EinsumDense on (5, 4) with "abc,cd->abd" (relu), "...b,bc->...c" (gelu), "abc,bd->adc" (bias over d only: shape
  (6, 1)), "abc,bcd->ad" (tanh), "abc,cbd->abd" (an axis shared by input, kernel and output), "ab...,bc->ac...", and
  "ab,bc->ac" with glu on (6,)
"""
import sys

import numpy as np
import keras
from keras import layers

# the script's own folder is on sys.path: the shared helpers (weights, saving, reload check, inputs/outputs file)
from keras_case_files import CaseWriter

out = sys.argv[1]
keras.utils.set_random_seed(12)
save = CaseWriter(out, "issue12", reload=(".h5", ".keras")).save

rng = np.random.default_rng(7)


def normal(*shape):
    return rng.normal(size=(4,) + shape).astype("float32")


def mask(tq, tk):
    m = (rng.random(size=(4, tq, tk)) > 0.4).astype("int32")
    m[1, 2, :] = 0   # a query step that may attend to nothing
    return m


x = keras.Input((5,), name="x")
save("dense_glu", keras.Model(x, layers.Dense(6, activation="glu", name="dense")(x)), [normal(5)])

x = keras.Input((6, 3), name="x")
h = layers.Conv1D(4, 3, activation="glu", name="conv")(x)
h = layers.Activation("glu", name="glu")(h)
save("conv1d_glu", keras.Model(x, layers.Flatten(name="flat")(h)), [normal(6, 3)])

x = keras.Input((5, 5, 2), name="x")
h = layers.Conv2D(6, 2, activation="glu", name="conv")(x)
save("conv2d_glu", keras.Model(x, layers.GlobalAveragePooling2D(name="pool")(h)), [normal(5, 5, 2)])

q = keras.Input((5, 4), name="q")
v = keras.Input((6, 3), name="v")
k = keras.Input((6, 5), name="k")
m = keras.Input((5, 6), name="m", dtype="int32")
y = layers.MultiHeadAttention(3, 2, value_dim=3, output_shape=7, name="mha")(q, v, key=k, attention_mask=m, use_causal_mask=True)
save("mha_key_mask_causal", keras.Model([q, v, k, m], y), [normal(5, 4), normal(6, 3), normal(6, 5), mask(5, 6)])

q = keras.Input((4, 4), name="q")
v = keras.Input((3, 2), name="v")
k = keras.Input((3, 6), name="k")
y = layers.MultiHeadAttention(2, 3, use_bias=False, name="mha")(q, v, k)
save("mha_positional_key", keras.Model([q, v, k], y), [normal(4, 4), normal(3, 2), normal(3, 6)])

q = keras.Input((5, 4), name="q")
v = keras.Input((6, 4), name="v")
k = keras.Input((6, 5), name="k")
m = keras.Input((5, 6), name="m", dtype="int32")
y = layers.GroupQueryAttention(3, 6, 2, use_bias=False, name="gqa")(q, v, key=k, attention_mask=m)
save("gqa_cross_mask", keras.Model([q, v, k, m], y), [normal(5, 4), normal(6, 4), normal(6, 5), mask(5, 6)])

x = keras.Input((4, 6), name="x")
y = layers.GroupQueryAttention(2, 2, 1, name="gqa")(x, x, use_causal_mask=True)
save("gqa_causal", keras.Model(x, y), [normal(4, 6)])

x = keras.Input((4, 6), name="x")
h = layers.GroupQueryAttention(3, 3, 1, name="gqa2")(x, x)
save("gqa_dense", keras.Model(x, layers.Dense(2, name="head")(h)), [normal(4, 6)])

# EinsumDense: equations with and without ellipses, contracted and shared axes, biases with 1-sized axes, activations
x = keras.Input((5, 4), name="x")
save("einsum_seq_relu", keras.Model(x, layers.EinsumDense("abc,cd->abd", (5, 3), bias_axes="d", activation="relu", name="ed")(x)),
     [normal(5, 4)])
save("einsum_left_ellipsis_gelu", keras.Model(x, layers.EinsumDense("...b,bc->...c", 3, bias_axes="c", activation="gelu", name="ed")(x)),
     [normal(5, 4)])
save("einsum_steps_bias_d", keras.Model(x, layers.EinsumDense("abc,bd->adc", (6, 4), bias_axes="d", name="ed")(x)), [normal(5, 4)])
save("einsum_two_contracted", keras.Model(x, layers.EinsumDense("abc,bcd->ad", 3, bias_axes="d", activation="tanh", name="ed")(x)),
     [normal(5, 4)])
save("einsum_shared_axis", keras.Model(x, layers.EinsumDense("abc,cbd->abd", (5, 2), bias_axes="bd", name="ed")(x)), [normal(5, 4)])
save("einsum_right_ellipsis", keras.Model(x, layers.EinsumDense("ab...,bc->ac...", 3, bias_axes="c", name="ed")(x)), [normal(5, 4)])
x = keras.Input((6,), name="x")
save("einsum_vector_glu", keras.Model(x, layers.EinsumDense("ab,bc->ac", 8, activation="glu", name="ed")(x)), [normal(6)])
