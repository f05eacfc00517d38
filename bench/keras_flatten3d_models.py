"""Small Keras 3 models where Flatten follows a 3-d convolution or pooling, saved with Keras's predictions.
Run with the project's Keras oracle (real Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_flatten3d_models.py src/test/resources/keras-reference/flatten3d

Writes per model NAME: NAME.h5 (Keras 3's legacy HDF5), NAME.keras, and NAME_inputs_and_outputs.h5 (inputs/<input name>,
outputs/output_0, root attributes inputs/outputs as JSON lists: the keras3-zoo layout). Weights are random (seeded).
Sizes differ on every axis, so flattening in any other order than Keras's gives other numbers.
- conv3d_flatten: (4, 6, 7, 2) -> Conv3D(5, (2, 3, 2), relu) -> Flatten -> Dense(2)
- pool3d_flatten: (6, 3, 8, 2) -> Conv3D(5, 1) -> MaxPooling3D((2, 3, 2)) -> Flatten -> Dense(2)
- avgpool3d_flatten: (6, 4, 6, 3) -> AveragePooling3D((3, 2, 2), strides=(3, 2, 3)) -> Flatten -> Dense(2)
(graft refuses channels-first Conv3D, so there is no channels-first case.)
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
        f.attrs["case"] = json.dumps({"family": "flatten3d", "layer_class": "Composite", "args": {}, "model": name})


rng = np.random.default_rng(7)

x = keras.Input((4, 6, 7, 2), name="volume")
h = layers.Conv3D(5, (2, 3, 2), activation="relu", name="conv")(x)
f = layers.Flatten(name="flatten")(h)
y = layers.Dense(2, name="head")(f)
save("conv3d_flatten", keras.Model(x, y), [rng.normal(size=(3, 4, 6, 7, 2)).astype("float32")])

x = keras.Input((6, 3, 8, 2), name="volume")
h = layers.Conv3D(5, 1, name="conv")(x)
p = layers.MaxPooling3D((2, 3, 2), name="pool")(h)
f = layers.Flatten(name="flatten")(p)
y = layers.Dense(2, name="head")(f)
save("pool3d_flatten", keras.Model(x, y), [rng.normal(size=(3, 6, 3, 8, 2)).astype("float32")])

x = keras.Input((6, 4, 6, 3), name="volume")
p = layers.AveragePooling3D((3, 2, 2), strides=(3, 2, 3), name="pool")(x)
f = layers.Flatten(name="flatten")(p)
y = layers.Dense(2, name="head")(f)
save("avgpool3d_flatten", keras.Model(x, y), [rng.normal(size=(3, 6, 4, 6, 3)).astype("float32")])
