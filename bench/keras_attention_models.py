"""Small Keras 3 models with the attention and bidirectional layers graft computes, saved with Keras's predictions.
Run with the project's Keras oracle (real Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_attention_models.py src/test/resources/keras-reference/attention

Writes per model NAME: NAME.h5 (Keras 3's legacy HDF5), NAME.keras, and NAME_inputs_and_outputs.h5 (inputs/<input name>,
outputs/output_0, root attributes inputs/outputs as JSON lists: the keras3-zoo layout). Weights are random (seeded).
- lstm_attention: (10, 4) -> LSTM(8, return_sequences) -> Attention(use_scale)([h, h]) -> GlobalAveragePooling1D -> Dense(1)
  (bench/predict.sh's LSTM + Attention model, and graft's training test)
- bigru_ave_additive: (6, 3) -> Bidirectional(GRU(4, return_sequences), merge_mode=ave) -> AdditiveAttention([h, h], causal)
  -> Flatten -> Dense(2)
- bilstm_none: (5, 3) -> Bidirectional(LSTM(3, return_sequences), merge_mode=None) -> Add of the two halves -> Dense(2)
- td_conv_flatten: (4, 6, 3) -> TimeDistributed(Conv1D(4, 3, relu)) -> TimeDistributed(Flatten) -> Flatten -> Dense(1)
"""
import sys

import numpy as np
import keras
from keras import layers

# the script's own folder is on sys.path: the shared helpers (weights, saving, reload check, inputs/outputs file)
from keras_case_files import CaseWriter

out = sys.argv[1]
keras.utils.set_random_seed(12)
save = CaseWriter(out, "attention").save

rng = np.random.default_rng(7)

x = keras.Input((10, 4), name="signal")
h = layers.LSTM(8, return_sequences=True, name="lstm")(x)
a = layers.Attention(use_scale=True, name="attention")([h, h])
p = layers.GlobalAveragePooling1D(name="pool")(a)
y = layers.Dense(1, name="score")(p)
save("lstm_attention", keras.Model(x, y), [rng.normal(size=(4, 10, 4)).astype("float32")])

x = keras.Input((6, 3), name="signal")
h = layers.Bidirectional(layers.GRU(4, return_sequences=True), merge_mode="ave", name="bigru")(x)
a = layers.AdditiveAttention(name="additive")([h, h], use_causal_mask=True)
f = layers.Flatten(name="flat")(a)
y = layers.Dense(2, name="head")(f)
save("bigru_ave_additive", keras.Model(x, y), [rng.normal(size=(4, 6, 3)).astype("float32")])

x = keras.Input((5, 3), name="signal")
fwd, bwd = layers.Bidirectional(layers.LSTM(3, return_sequences=True), merge_mode=None, name="bilstm")(x)
s = layers.Add(name="sum")([fwd, bwd])
y = layers.Dense(2, name="head")(s)
save("bilstm_none", keras.Model(x, y), [rng.normal(size=(4, 5, 3)).astype("float32")])

x = keras.Input((4, 6, 3), name="frames")
c = layers.TimeDistributed(layers.Conv1D(4, 3, activation="relu"), name="conv_per_frame")(x)
f = layers.TimeDistributed(layers.Flatten(), name="flat_per_frame")(c)
f = layers.Flatten(name="flat")(f)
y = layers.Dense(1, name="score")(f)
save("td_conv_flatten", keras.Model(x, y), [rng.normal(size=(4, 4, 6, 3)).astype("float32")])
