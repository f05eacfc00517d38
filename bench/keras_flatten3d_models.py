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
import sys

import numpy as np
import keras
from keras import layers

# the script's own folder is on sys.path: the shared helpers (weights, saving, reload check, inputs/outputs file)
from keras_case_files import CaseWriter

out = sys.argv[1]
keras.utils.set_random_seed(12)
save = CaseWriter(out, "flatten3d").save

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
