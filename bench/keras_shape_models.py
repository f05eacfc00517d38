"""Small Keras 3 models with the shape layers graft computes with its own engine code (Permute of any axes, Reshape with a
-1, global pooling with keepdims / channels first / 3D, Dot, a shared layer), at argument values the keras3-zoo does not
have, saved with Keras's predictions. Run with the project's Keras oracle (real Keras 3.15.1, torch backend, CPU, one
thread):

    /work/keras-oracle/run.sh bench/keras_shape_models.py src/test/resources/keras-reference/shapes

Writes per model NAME: NAME.h5 (Keras 3's legacy HDF5), NAME.keras, and NAME_inputs_and_outputs.h5 (inputs/<input name>,
outputs/output_<i>, root attributes inputs/outputs as JSON lists: the keras3-zoo layout). Weights are random (seeded).
- permute_2413: (2, 3, 4, 5) -> Permute((2, 4, 1, 3))
- permute_231_dense: (2, 3, 4) -> Permute((2, 3, 1)) -> Flatten -> Dense(3); outputs the permuted tensor and the Dense
- reshape_open: (4, 3, 2) -> Reshape((-1, 3)) -> Dense(2), Reshape((-1,)) -> Dense(2), Reshape((2, -1, 3)); three outputs
- gmaxpool2d_cf_keepdims: (3, 4, 5) -> GlobalMaxPooling2D(channels_first, keepdims) -> Flatten -> Dense(2); outputs both
- gavgpool1d_cf_keepdims: (3, 6) -> GlobalAveragePooling1D(channels_first, keepdims)
- gpool3d: (2, 3, 4, 3) -> GlobalAveragePooling3D(keepdims) and GlobalMaxPooling3D(channels_first, keepdims); two outputs
- dot_12_normalize: (3, 5) and (4, 3) -> Dot(axes=(1, 2), normalize=True)
- dot_rank4: (3, 4, 5) and (5, 6) -> Dot(axes=(3, 1)); (6,) and (3, 6) -> Dot(axes=(1, 2)); two outputs
- dot_vectors_normalize: (6,) and (6,) -> Dot(axes=-1, normalize=True)
- shared_chain: (5,) -> Dense(5, tanh) called twice in a row -> Dense(2)
- dense_on_image: (4, 5, 3) -> Dense(2, relu) on the last axis of an image; and Permute((2, 1, 3)) -> Dense(3) -> Flatten ->
  Dense(2), outputs both
"""
import sys

import numpy as np
import keras
from keras import layers

# the script's own folder is on sys.path: the shared helpers (weights, saving, reload check, inputs/outputs file)
from keras_case_files import CaseWriter

out = sys.argv[1]
keras.utils.set_random_seed(12)
save = CaseWriter(out, "shapes").save

rng = np.random.default_rng(8)


def data(*shape):
    return rng.normal(size=(4,) + shape).astype("float32")


x = keras.Input((2, 3, 4, 5), name="x")
save("permute_2413", keras.Model(x, layers.Permute((2, 4, 1, 3))(x)), [data(2, 3, 4, 5)])

x = keras.Input((2, 3, 4), name="x")
p = layers.Permute((2, 3, 1), name="permute")(x)
save("permute_231_dense", keras.Model(x, [p, layers.Dense(3, name="dense")(layers.Flatten(name="flat")(p))]), [data(2, 3, 4)])

x = keras.Input((4, 3, 2), name="x")
r1 = layers.Reshape((-1, 3), name="reshape_steps")(x)
r2 = layers.Reshape((-1,), name="reshape_flat")(x)
r3 = layers.Reshape((2, -1, 3), name="reshape_3d")(x)
save("reshape_open", keras.Model(x, [layers.Dense(2, name="d1")(r1), layers.Dense(2, name="d2")(r2), r3]), [data(4, 3, 2)])

x = keras.Input((3, 4, 5), name="x")
g = layers.GlobalMaxPooling2D(data_format="channels_first", keepdims=True, name="pool")(x)
y = layers.Dense(2, name="dense")(layers.Flatten(name="flat")(g))
save("gmaxpool2d_cf_keepdims", keras.Model(x, [g, y]), [data(3, 4, 5)])

x = keras.Input((3, 6), name="x")
save("gavgpool1d_cf_keepdims", keras.Model(x, layers.GlobalAveragePooling1D(data_format="channels_first", keepdims=True)(x)), [data(3, 6)])

x = keras.Input((2, 3, 4, 3), name="x")
a = layers.GlobalAveragePooling3D(keepdims=True, name="avg")(x)
m = layers.GlobalMaxPooling3D(data_format="channels_first", keepdims=True, name="max")(x)
save("gpool3d", keras.Model(x, [a, m]), [data(2, 3, 4, 3)])

a = keras.Input((3, 5), name="a")
b = keras.Input((4, 3), name="b")
save("dot_12_normalize", keras.Model([a, b], layers.Dot(axes=(1, 2), normalize=True)([a, b])), [data(3, 5), data(4, 3)])

a = keras.Input((3, 4, 5), name="a")
b = keras.Input((5, 6), name="b")
c = keras.Input((6,), name="c")
d = keras.Input((3, 6), name="d")
save("dot_rank4", keras.Model([a, b, c, d], [layers.Dot(axes=(3, 1), name="dot4")([a, b]), layers.Dot(axes=(1, 2), name="dotv")([c, d])]),
     [data(3, 4, 5), data(5, 6), data(6), data(3, 6)])

a = keras.Input((6,), name="a")
b = keras.Input((6,), name="b")
save("dot_vectors_normalize", keras.Model([a, b], layers.Dot(axes=-1, normalize=True)([a, b])), [data(6), data(6)])

x = keras.Input((5,), name="x")
shared = layers.Dense(5, activation="tanh", name="shared")
y = layers.Dense(2, name="head")(shared(shared(x)))
save("shared_chain", keras.Model(x, y), [data(5)])

x = keras.Input((4, 5, 3), name="x")
d = layers.Dense(2, activation="relu", name="dense_image")(x)
p = layers.Permute((2, 1, 3), name="permute")(x)
e = layers.Dense(3, name="dense_permuted")(p)
f = layers.Dense(2, name="head")(layers.Flatten(name="flatten")(e))
save("dense_on_image", keras.Model(x, [d, f]), [data(4, 5, 3)])
