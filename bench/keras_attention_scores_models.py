"""Small Keras 3 models whose attention layers return their scores (return_attention_scores=True), saved with Keras's
predictions: argument values the keras3-zoo (attention_scores, mha_self_dropout_scores) does not have. Run with the
project's Keras oracle (real Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_attention_scores_models.py src/test/resources/keras-reference/attention-scores

Writes per model NAME: NAME.keras, NAME.h5 when Keras reloads it (Keras 3.15.1 cannot reload an .h5 holding an
Attention layer: it reads score_mode back as a function), and NAME_inputs_and_outputs.h5 (the keras3-zoo layout:
inputs/<input name>, outputs/output_0, ..., root attributes inputs/outputs as JSON lists). Weights are random (seeded).
- gqa_scores: GroupedQueryAttention(head_dim 3, 4 query heads, 2 key/value heads)(x (5, 6), x); output and scores
  (batch, 4, 5, 5) are the model's outputs
- mha_cross_causal_scores: MultiHeadAttention(3 heads, key_dim 2, value_dim 4, output_shape 5)(q (6, 3), v (6, 2),
  key=k (6, 5), use_causal_mask=True); the scores feed Flatten -> Dense(3); outputs: the attended output, the dense
  (query and key steps equal: Keras's own symbolic shape of MultiHeadAttention's scores has the query's steps twice, so
  a Dense after the scores of a longer key fails in Keras itself)
- mha_mask_dropout_scores: MultiHeadAttention(2 heads, key_dim 3, dropout 0.3)(q (4, 3), v (5, 3),
  attention_mask=m (4, 5)) with a query step that may attend to nothing (Keras's explicit softmax then gives it zero
  scores); outputs: scores then output (the order reversed)
- mha_mask_dropout: the same layer without returning its scores (the same explicit path, as dropout > 0)
- additive_scores_causal_key: AdditiveAttention(use_scale=True)([q (4, 3), v (5, 2), k (5, 3)], use_causal_mask=True)
- additive_noscale_scores: AdditiveAttention(use_scale=False)([q (3, 4), v (3, 4)]); only the scores are an output
- attention_concat_scores: Attention(score_mode concat, use_scale=True)([q (4, 3), v (6, 3)], use_causal_mask=True);
  the scores feed Dense(2) per step; outputs: the dense, then the attended output
- attention_dot_scale_key_scores: Attention(use_scale=True)([q (5, 4), v (3, 2), k (3, 4)]) -> LSTM(3) on the scores
- mha_scores_head: x (10, 4) -> MultiHeadAttention(2 heads, key_dim 3)(x, x) with its scores; one output: Dense(2) of the
  averaged output plus Dense(2) of the flattened scores (a donor merge can take: one input, one output)
Keras masks and returned scores together (made with the names given after the folder, so the cases above stay as made):
- mha_masking_scores: x (5, 4) -> Masking -> MultiHeadAttention(2 heads, key_dim 3)(x, x) with its scores, masked steps in
  every sample: returning the scores, Keras takes its explicit softmax, and a masked query step (all its keys masked)
  gets zero scores and the output bias alone; outputs: output, scores
- mha_all_masks_causal_scores: q (4, 3) -> Masking, v (5, 2) -> Masking, k (5, 3) -> Masking, attention_mask (4, 5),
  use_causal_mask, output_shape 2; outputs: scores, output
- att_masking_scores: Attention(use_scale=True)([Masking(q (4, 3)), Masking(v (5, 3))]) with its scores: the value
  mask in the softmax, the query mask zeroing the output only (Keras returns the scores as the softmax left them)
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
# names given after the folder: make only those (the others' files stay as they were made)
save = CaseWriter(out, "attention-scores", reload=(".keras", ".h5"), drop_unreloadable=True, only=sys.argv[2:],
                  verbose=True).save

rng = np.random.default_rng(7)


def normal(*shape):
    return rng.normal(size=(4,) + shape).astype("float32")


x = keras.Input((5, 6), name="x")
y, s = layers.GroupQueryAttention(3, 4, 2, name="gqa")(x, x, return_attention_scores=True)
save("gqa_scores", keras.Model(x, [y, s]), [normal(5, 6)])

q = keras.Input((6, 3), name="q")
v = keras.Input((6, 2), name="v")
k = keras.Input((6, 5), name="k")
y, s = layers.MultiHeadAttention(3, 2, value_dim=4, output_shape=5, name="mha")(q, v, key=k, use_causal_mask=True,
                                                                               return_attention_scores=True)
d = layers.Dense(3, name="head")(layers.Flatten(name="flat")(s))
save("mha_cross_causal_scores", keras.Model([q, v, k], [y, d]), [normal(6, 3), normal(6, 2), normal(6, 5)])

m_values = (rng.random(size=(4, 4, 5)) > 0.4).astype("int32")
m_values[1, 2, :] = 0   # a query step that may attend to nothing
m_values[:, :, 0] = np.where(m_values.sum(-1) == 0, 0, 1)[:, :]  # keep key 0 for every other query step
m_values[1, 2, :] = 0
for name, scores in (("mha_mask_dropout_scores", True), ("mha_mask_dropout", False)):
    q = keras.Input((4, 3), name="q")
    v = keras.Input((5, 3), name="v")
    m = keras.Input((4, 5), name="m", dtype="int32")
    mha = layers.MultiHeadAttention(2, 3, dropout=0.3, name="mha")
    if scores:
        y, s = mha(q, v, attention_mask=m, return_attention_scores=True)
        model = keras.Model([q, v, m], [s, y])
    else:
        model = keras.Model([q, v, m], mha(q, v, attention_mask=m))
    rng_state = rng.bit_generator.state
    save(name, model, [normal(4, 3), normal(5, 3), m_values])
    rng.bit_generator.state = rng_state

q = keras.Input((4, 3), name="q")
v = keras.Input((5, 2), name="v")
k = keras.Input((5, 3), name="k")
y, s = layers.AdditiveAttention(use_scale=True, name="att")([q, v, k], use_causal_mask=True, return_attention_scores=True)
save("additive_scores_causal_key", keras.Model([q, v, k], [y, s]), [normal(4, 3), normal(5, 2), normal(5, 3)])

q = keras.Input((3, 4), name="q")
v = keras.Input((3, 4), name="v")
_, s = layers.AdditiveAttention(use_scale=False, name="att")([q, v], return_attention_scores=True)
save("additive_noscale_scores", keras.Model([q, v], s), [normal(3, 4), normal(3, 4)])

q = keras.Input((4, 3), name="q")
v = keras.Input((6, 3), name="v")
y, s = layers.Attention(use_scale=True, score_mode="concat", name="att")([q, v], use_causal_mask=True, return_attention_scores=True)
d = layers.Dense(2, name="per_step")(s)
save("attention_concat_scores", keras.Model([q, v], [d, y]), [normal(4, 3), normal(6, 3)])

q = keras.Input((5, 4), name="q")
v = keras.Input((3, 2), name="v")
k = keras.Input((3, 4), name="k")
y, s = layers.Attention(use_scale=True, name="att")([q, v, k], return_attention_scores=True)
r = layers.LSTM(3, name="lstm")(s)
save("attention_dot_scale_key_scores", keras.Model([q, v, k], [y, r]), [normal(5, 4), normal(3, 2), normal(3, 4)])

x = keras.Input((10, 4), name="x")
y, s = layers.MultiHeadAttention(2, 3, name="mha")(x, x, return_attention_scores=True)
a = layers.Dense(2, name="head_out")(layers.GlobalAveragePooling1D(name="pool")(y))
b = layers.Dense(2, name="head_scores")(layers.Flatten(name="flat")(s))
save("mha_scores_head", keras.Model(x, layers.Add(name="sum")([a, b])), [normal(10, 4)])


def with_masked_steps(x, steps):
    """x with the given (sample, step) pairs all zeros: the steps Masking(0.0) masks."""
    for b, t in steps:
        x[b, t, :] = 0
    return x


x = keras.Input((5, 4), name="x")
mx = layers.Masking(0.0, name="masking")(x)
y, s = layers.MultiHeadAttention(2, 3, name="mha")(mx, mx, return_attention_scores=True)
save("mha_masking_scores", keras.Model(x, [y, s]), [with_masked_steps(normal(5, 4), [(0, 4), (1, 0), (1, 3), (2, 2), (3, 1), (3, 4)])])

q = keras.Input((4, 3), name="q")
v = keras.Input((5, 2), name="v")
k = keras.Input((5, 3), name="k")
m = keras.Input((4, 5), name="m", dtype="int32")
mq = layers.Masking(0.0, name="mask_q")(q)
mv = layers.Masking(0.0, name="mask_v")(v)
mk = layers.Masking(0.0, name="mask_k")(k)
y, s = layers.MultiHeadAttention(2, 3, output_shape=2, name="mha")(mq, mv, key=mk, attention_mask=m, use_causal_mask=True,
                                                                   return_attention_scores=True)
am = (np.random.default_rng(5).random(size=(4, 4, 5)) > 0.3).astype("int32")
am[:, :, 0] = 1
am[2, 1, :] = 0   # a query step the attention mask lets see nothing
save("mha_all_masks_causal_scores", keras.Model([q, v, k, m], [s, y]),
     [with_masked_steps(normal(4, 3), [(0, 3), (1, 1)]), with_masked_steps(normal(5, 2), [(0, 1), (2, 4)]),
      with_masked_steps(normal(5, 3), [(1, 0), (3, 2), (3, 3)]), am])

q = keras.Input((4, 3), name="q")
v = keras.Input((5, 3), name="v")
y, s = layers.Attention(use_scale=True, name="att")([layers.Masking(0.0, name="mask_q")(q), layers.Masking(0.0, name="mask_v")(v)],
                                                    return_attention_scores=True)
save("att_masking_scores", keras.Model([q, v], [y, s]),
     [with_masked_steps(normal(4, 3), [(0, 0), (2, 3)]), with_masked_steps(normal(5, 3), [(0, 4), (1, 1), (3, 0)])])
