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
import json
import os
import sys

import h5py
import numpy as np
import keras
from keras import layers

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
keras.utils.set_random_seed(12)


def randomize(model, rng):
    for w in model.weights:
        w.assign(rng.normal(0, 0.5, size=w.shape).astype("float32"))


def save(name, model, inputs):
    rng = np.random.default_rng(len(name))
    randomize(model, rng)
    model.save(os.path.join(out, name + ".h5"))
    model.save(os.path.join(out, name + ".keras"))
    ys = model.predict(inputs, verbose=0)
    ys = ys if isinstance(ys, list) else [ys]
    with h5py.File(os.path.join(out, name + "_inputs_and_outputs.h5"), "w") as f:
        names = [t.name for t in model.inputs]
        for n, x in zip(names, inputs):
            f.create_dataset("inputs/" + n, data=x)
        for i, y in enumerate(ys):
            f.create_dataset("outputs/output_%d" % i, data=y)
        f.attrs["inputs"] = json.dumps(names)
        f.attrs["outputs"] = json.dumps(["output_%d" % i for i in range(len(ys))])
        f.attrs["computed_by"] = "keras %s (%s)" % (keras.__version__, keras.backend.backend())
        f.attrs["case"] = json.dumps({"family": "attention", "layer_class": "Composite", "args": {}, "model": name})


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
