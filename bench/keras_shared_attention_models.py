"""Small Keras 3 models that call one attention layer more than once (a shared layer: the same weights on several
tensors), saved with Keras's predictions. Run with the project's Keras oracle (real Keras 3.15.1, torch backend, CPU):

    /work/keras-oracle/run.sh bench/keras_shared_attention_models.py src/test/resources/keras-reference/shared-attention

Writes per model NAME: NAME.h5 (Keras 3's legacy HDF5), NAME.keras, and NAME_inputs_and_outputs.h5 (inputs/<input name>,
outputs/output_<i>, root attributes inputs/outputs as JSON lists: the keras3-zoo layout). Weights are random (seeded).
- mha_self_and_cross: a (5, 6), b (4, 6); MultiHeadAttention(2 heads, key_dim 3, value_dim 2) as mha(a, a) and mha(b, a, a)
  with a causal mask in the first call -> pooled, concatenated -> Dense(2)
- mha_twice: (6, 4) -> the same MultiHeadAttention(3 heads, key_dim 2) on x, then on its own output (residual Add between)
  -> Dense(1) per step; two outputs: the first call's and the model's end
- gqa_shared: a (5, 8), b (3, 8); GroupQueryAttention(head_dim 2, 4 query heads, 2 key/value heads) as gqa(a, a), gqa(b, a)
  -> GlobalAveragePooling1D each -> Add
- attention_shared_scale: q (3, 4), v (5, 4); Attention(use_scale) as att([q, v]) and att([v, v], use_causal_mask) -> outputs
  both (two outputs)
- additive_shared_concat: x (4, 3); Attention(score_mode concat) shared by a Dense projection of x and x itself, plus
  AdditiveAttention(use_scale) called twice with and without a key -> Concatenate -> Flatten -> Dense(2)
"""
import sys

import numpy as np
import keras
from keras import layers

# the script's own folder is on sys.path: the shared helpers (weights, saving, reload check, inputs/outputs file)
from keras_case_files import CaseWriter

out = sys.argv[1]
keras.utils.set_random_seed(21)
save = CaseWriter(out, "attention").save

rng = np.random.default_rng(5)

a = keras.Input((5, 6), name="a")
b = keras.Input((4, 6), name="b")
mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=2, name="mha")
ya = mha(a, a, use_causal_mask=True)
yb = mha(b, a, a)
pa = layers.GlobalAveragePooling1D(name="pool_a")(ya)
pb = layers.GlobalAveragePooling1D(name="pool_b")(yb)
y = layers.Dense(2, name="head")(layers.Concatenate(name="both")([pa, pb]))
save("mha_self_and_cross", keras.Model([a, b], y),
     [rng.normal(size=(3, 5, 6)).astype("float32"), rng.normal(size=(3, 4, 6)).astype("float32")])

x = keras.Input((6, 4), name="x")
mha = layers.MultiHeadAttention(num_heads=3, key_dim=2, name="mha")
h1 = mha(x, x)
h = layers.Add(name="residual")([x, h1])
h2 = mha(h, h)
y = layers.Dense(1, name="per_step")(h2)
save("mha_twice", keras.Model(x, [h1, y]), [rng.normal(size=(3, 6, 4)).astype("float32")])

a = keras.Input((5, 8), name="a")
b = keras.Input((3, 8), name="b")
gqa = layers.GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=2, name="gqa")
pa = layers.GlobalAveragePooling1D(name="pool_a")(gqa(a, a))
pb = layers.GlobalAveragePooling1D(name="pool_b")(gqa(b, a))
save("gqa_shared", keras.Model([a, b], layers.Add(name="sum")([pa, pb])),
     [rng.normal(size=(3, 5, 8)).astype("float32"), rng.normal(size=(3, 3, 8)).astype("float32")])

q = keras.Input((3, 4), name="q")
v = keras.Input((5, 4), name="v")
att = layers.Attention(use_scale=True, name="att")
save("attention_shared_scale", keras.Model([q, v], [att([q, v]), att([v, v], use_causal_mask=True)]),
     [rng.normal(size=(3, 3, 4)).astype("float32"), rng.normal(size=(3, 5, 4)).astype("float32")])

x = keras.Input((4, 3), name="x")
p = layers.Dense(3, name="proj")(x)
concat = layers.Attention(score_mode="concat", name="concat_att")
add = layers.AdditiveAttention(use_scale=True, name="additive")
h = layers.Concatenate(name="all")([concat([p, x]), concat([x, p]), add([x, p]), add([p, x, p])])
y = layers.Dense(2, name="head")(layers.Flatten(name="flat")(h))
save("additive_shared_concat", keras.Model(x, y), [rng.normal(size=(3, 4, 3)).astype("float32")])
