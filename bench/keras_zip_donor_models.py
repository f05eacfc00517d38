"""Two small Keras 3 models that chain (the first's output is the second's input), with layers graft computes in engine
layers of its own, and the chained model's predictions. Run with the project's Keras oracle (real Keras 3.15.1, torch):

    /work/keras-oracle/run.sh bench/keras_zip_donor_models.py src/test/resources/keras-reference/zip-donors

- glu_head.keras: (6, 8) -> Dense(8) -> Activation("glu") -> (6, 4)
- attention_tail.keras: (6, 4) -> Attention(use_scale, score_mode="concat")([x, x], use_causal_mask) -> AdditiveAttention
  ([h, x]) -> Attention(use_scale)([h, x, h]) -> GlobalAveragePooling1D -> Dense(2)
- chained_inputs_and_outputs.h5: inputs/x and outputs/output_0, attention_tail(glu_head(x)) as Keras computes it (the
  keras3-zoo layout). Weights are random (seeded).
graft converts each to a .zip, merges the zips (its own engine layers read back as Keras layers) and compares.
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
keras.utils.set_random_seed(3)
rng = np.random.default_rng(11)


def randomize(model):
    for w in model.weights:
        w.assign(rng.normal(0, 0.5, size=w.shape).astype("float32"))


x = keras.Input((6, 8), name="x")
h = layers.Dense(8, name="proj")(x)
y = layers.Activation("glu", name="gate")(h)
head = keras.Model(x, y, name="glu_head")
randomize(head)
head.save(os.path.join(out, "glu_head.keras"))

t = keras.Input((6, 4), name="t")
a = layers.Attention(use_scale=True, score_mode="concat", name="concat_att")([t, t], use_causal_mask=True)
b = layers.AdditiveAttention(name="additive")([a, t])
c = layers.Attention(use_scale=True, name="dot_att")([b, t, b])
p = layers.GlobalAveragePooling1D(name="pool")(c)
z = layers.Dense(2, name="score")(p)
tail = keras.Model(t, z, name="attention_tail")
randomize(tail)
tail.save(os.path.join(out, "attention_tail.keras"))

xs = rng.normal(size=(5, 6, 8)).astype("float32")
ys = tail.predict(head.predict(xs, verbose=0), verbose=0)
with h5py.File(os.path.join(out, "chained_inputs_and_outputs.h5"), "w") as f:
    f.create_dataset("inputs/x", data=xs)
    f.create_dataset("outputs/output_0", data=ys)
    f.attrs["inputs"] = json.dumps(["x"])
    f.attrs["outputs"] = json.dumps(["output_0"])
    f.attrs["computed_by"] = "keras %s (%s)" % (keras.__version__, keras.backend.backend())
