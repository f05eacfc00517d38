"""Small Keras 3 models where Keras masks (from Masking or Embedding(mask_zero=True)) reach Attention,
AdditiveAttention, MultiHeadAttention and GroupedQueryAttention, saved with Keras's predictions. Run with the project's
Keras oracle (real Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_attention_mask_models.py src/test/resources/keras-reference/attention-mask

Writes per model NAME: NAME.h5 (Keras 3's legacy HDF5), NAME.keras, and NAME_inputs_and_outputs.h5 (the keras3-zoo
layout). Weights are random (seeded). Every batch has masked steps at the start, in the middle and at the end, one row
with every step masked (all but the first in models that pool: Keras's masked average of no step is NaN) and one with
none.
- att_masking_dot: (6, 3) -> Masking -> Attention(use_scale)([x, x]) (value mask on the scores, query mask zeroes the output)
- att_embedding_additive_causal: Embedding(10, 4, mask_zero) -> AdditiveAttention([e, e], use_causal_mask=True) ->
  outputs the sequence and GlobalAveragePooling1D of it (the query's mask passes on)
- att_cross_concat_key: q (4, 3) -> Masking(-1); v (5, 3) -> Masking(0.5); key k (5, 3) unmasked;
  Attention(score_mode="concat", use_scale)([q, v, k]) -> LSTM(3) (reads the query's mask)
- mha_embedding_block: Embedding(12, 6, mask_zero) -> MultiHeadAttention(2, 3)(e, e) -> Add -> LayerNormalization;
  outputs the sequence and GlobalAveragePooling1D of it
- mha_cross_all_masks: q (5, 4) -> Masking; v (6, 3) -> Masking(2); key k (6, 5) -> Masking; attention_mask m (5, 6);
  MultiHeadAttention(3, 2, value_dim=3, output_shape=7)(q, v, key=k, attention_mask=m, use_causal_mask=True)
- mha_dropout_masked: (5, 4) -> Masking -> MultiHeadAttention(2, 2, dropout=0.3)(x, x) (Keras's explicit softmax: fully
  masked rows get zero probabilities)
- gqa_masking_dense: (5, 6) -> Masking -> GroupedQueryAttention(2, 4, 2)(x, x) -> Dense(3)
- att_masking_train: (6, 3) -> Masking -> Attention([x, x]) -> GlobalAveragePooling1D -> Dense(2) (trained in tests)
- mha_masking_train: (6, 4) -> Masking -> MultiHeadAttention(2, 2)(x, x) -> GlobalAveragePooling1D -> Dense(2)
- mask_layernorm_lstm: (5, 3) -> Masking -> LayerNormalization -> LSTM(3) -> Dense(2) (the mask passes the normalisation)
- att_query_mask_only: q (4, 3) -> Masking; v (5, 3) unmasked -> AdditiveAttention(use_scale=False)([q, v])
- att_value_mask_only: q (4, 3) unmasked; v (5, 3) -> Masking(-1) -> Attention(use_causal_mask=True)([q, v])
- mha_query_mask_only: q (4, 3) -> Masking; v (5, 2) unmasked -> MultiHeadAttention(2, 2)(q, v)
- att_explicit_mask: Attention()([q, v], mask=[qm, vm]) with boolean model inputs qm, vm (graft refuses the argument)
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
save = CaseWriter(out, "attention-mask", embedding_row0=True, reload=(".keras",)).save

rng = np.random.default_rng(7)
# per row of a batch of 5: which steps are masked (fractions of the steps: start, middle, end, every step, none)
PATTERNS = [lambda t: [0], lambda t: [t // 2, t // 2 + 1], lambda t: [t - 1], lambda t: list(range(t)), lambda t: []]


# Keras's masked GlobalAveragePooling1D of a row with every step masked is 0/0 (NaN): pooled models keep one step there
POOLED = PATTERNS[:3] + [lambda t: list(range(1, t))] + PATTERNS[4:]


def masked(steps, features, value=0.0, patterns=PATTERNS):
    x = rng.normal(size=(5, steps, features)).astype("float32")
    for row, pattern in enumerate(patterns):
        for s in pattern(steps):
            x[row, s, :] = value
    return x


def tokens(steps, vocabulary, patterns=PATTERNS):
    x = rng.integers(1, vocabulary, size=(5, steps)).astype("int32")
    for row, pattern in enumerate(patterns):
        for s in pattern(steps):
            x[row, s] = 0
    return x


def attention_mask(tq, tk):
    m = (rng.random(size=(5, tq, tk)) > 0.3).astype("int32")
    m[0, 2, :] = 0
    return m


x = keras.Input((6, 3), name="x")
h = layers.Masking(name="mask")(x)
save("att_masking_dot", keras.Model(x, layers.Attention(use_scale=True, name="att")([h, h])), [masked(6, 3)])

x = keras.Input((6,), dtype="int32", name="x")
e = layers.Embedding(10, 4, mask_zero=True, name="embed")(x)
a = layers.AdditiveAttention(name="att")([e, e], use_causal_mask=True)
save("att_embedding_additive_causal", keras.Model(x, [a, layers.GlobalAveragePooling1D(name="pool")(a)]), [tokens(6, 10, POOLED)])

q = keras.Input((4, 3), name="q")
v = keras.Input((5, 3), name="v")
k = keras.Input((5, 3), name="k")
qm = layers.Masking(-1.0, name="qmask")(q)
vm = layers.Masking(0.5, name="vmask")(v)
a = layers.Attention(score_mode="concat", use_scale=True, name="att")([qm, vm, k])
save("att_cross_concat_key", keras.Model([q, v, k], layers.LSTM(3, name="lstm")(a)),
     [masked(4, 3, -1.0), masked(5, 3, 0.5)[::-1].copy(), rng.normal(size=(5, 5, 3)).astype("float32")])

x = keras.Input((7,), dtype="int32", name="x")
e = layers.Embedding(12, 6, mask_zero=True, name="embed")(x)
a = layers.MultiHeadAttention(2, 3, name="mha")(e, e)
h = layers.LayerNormalization(name="norm")(layers.Add(name="add")([e, a]))
save("mha_embedding_block", keras.Model(x, [h, layers.GlobalAveragePooling1D(name="pool")(h)]), [tokens(7, 12, POOLED)])

q = keras.Input((5, 4), name="q")
v = keras.Input((6, 3), name="v")
k = keras.Input((6, 5), name="k")
m = keras.Input((5, 6), name="m", dtype="int32")
y = layers.MultiHeadAttention(3, 2, value_dim=3, output_shape=7, name="mha")(
    layers.Masking(name="qmask")(q), layers.Masking(2.0, name="vmask")(v), key=layers.Masking(name="kmask")(k), attention_mask=m,
    use_causal_mask=True)
kx = masked(6, 5)[[2, 3, 4, 0, 1]].copy()
save("mha_cross_all_masks", keras.Model([q, v, k, m], y), [masked(5, 4), masked(6, 3, 2.0)[[1, 2, 0, 4, 3]].copy(), kx, attention_mask(5, 6)])

x = keras.Input((5, 4), name="x")
h = layers.Masking(name="mask")(x)
save("mha_dropout_masked", keras.Model(x, layers.MultiHeadAttention(2, 2, dropout=0.3, name="mha")(h, h)), [masked(5, 4)])

x = keras.Input((5, 6), name="x")
h = layers.Masking(name="mask")(x)
h = layers.GroupQueryAttention(2, 4, 2, name="gqa")(h, h)
save("gqa_masking_dense", keras.Model(x, layers.Dense(3, name="head")(h)), [masked(5, 6)])

x = keras.Input((6, 3), name="x")
h = layers.Masking(name="mask")(x)
h = layers.GlobalAveragePooling1D(name="pool")(layers.Attention(name="att")([h, h]))
save("att_masking_train", keras.Model(x, layers.Dense(2, name="head")(h)), [masked(6, 3, patterns=POOLED)])

x = keras.Input((6, 4), name="x")
h = layers.Masking(name="mask")(x)
h = layers.GlobalAveragePooling1D(name="pool")(layers.MultiHeadAttention(2, 2, name="mha")(h, h))
save("mha_masking_train", keras.Model(x, layers.Dense(2, name="head")(h)), [masked(6, 4, patterns=POOLED)])

x = keras.Input((5, 3), name="x")
h = layers.LayerNormalization(name="norm")(layers.Masking(name="mask")(x))
save("mask_layernorm_lstm", keras.Model(x, layers.Dense(2, name="head")(layers.LSTM(3, name="lstm")(h))), [masked(5, 3, patterns=POOLED)])

q = keras.Input((4, 3), name="q")
v = keras.Input((5, 3), name="v")
a = layers.AdditiveAttention(use_scale=False, name="att")([layers.Masking(name="qmask")(q), v])
save("att_query_mask_only", keras.Model([q, v], a), [masked(4, 3), rng.normal(size=(5, 5, 3)).astype("float32")])

q = keras.Input((4, 3), name="q")
v = keras.Input((5, 3), name="v")
a = layers.Attention(name="att")([q, layers.Masking(-1.0, name="vmask")(v)], use_causal_mask=True)
save("att_value_mask_only", keras.Model([q, v], a), [rng.normal(size=(5, 4, 3)).astype("float32"), masked(5, 3, -1.0)])

q = keras.Input((4, 3), name="q")
v = keras.Input((5, 2), name="v")
y = layers.MultiHeadAttention(2, 2, name="mha")(layers.Masking(name="qmask")(q), v)
save("mha_query_mask_only", keras.Model([q, v], y), [masked(4, 3), rng.normal(size=(5, 5, 2)).astype("float32")])

q = keras.Input((4, 3), name="q")
v = keras.Input((5, 3), name="v")
qm = keras.Input((4,), name="qm", dtype="bool")
vm = keras.Input((5,), name="vm", dtype="bool")
save("att_explicit_mask", keras.Model([q, v, qm, vm], layers.Attention(name="att")([q, v], mask=[qm, vm])),
     [rng.normal(size=(5, 4, 3)).astype("float32"), rng.normal(size=(5, 5, 3)).astype("float32"), rng.random((5, 4)) > 0.3,
      rng.random((5, 5)) > 0.3])
