"""Small Keras 3 models of the padding, cropping, upsampling and resizing layers graft computes, with argument values
the keras3-zoo does not have (asymmetric amounts per axis, channels_first, bilinear upsampling by unequal factors,
Resizing cropped or padded to the target's aspect ratio), saved with Keras's predictions. Run with the project's Keras
oracle (real Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_resize_models.py src/test/resources/keras-reference/resize

Writes per model NAME: NAME.h5 (Keras 3's legacy HDF5), NAME.keras, and NAME_inputs_and_outputs.h5 (inputs/<input name>,
outputs/output_0, ..., root attributes inputs/outputs as JSON lists: the keras3-zoo layout). Each model has one input
and one output per layer under test (no weights but the Conv1D's and Conv3D's, random, seeded).
Nearest, bilinear and the aspect-ratio crop/pad compute the same on Keras's torch and TensorFlow backends; bicubic
does not (the zoo's README), so it is not here.
- sequences: (7, 3) -> Conv1D(4, 2) -> Cropping1D((2, 0)), ZeroPadding1D((0, 3)), ZeroPadding1D((2, 1), channels_first),
  UpSampling1D(3), and Cropping1D((1, 3)) -> UpSampling1D(2) -> ZeroPadding1D(1)
- volumes: (4, 5, 6, 2) -> Cropping3D(((1, 0), (0, 2), (2, 1))), ZeroPadding3D(((2, 0), (1, 3), (0, 1))),
  UpSampling3D((1, 2, 3)), and channels_first: Cropping3D(((0, 1), (2, 0), (1, 0))), ZeroPadding3D(((1, 0), (0, 0), (0, 2))),
  UpSampling3D((2, 1, 2)) (the input read as 4 channels of 5x6x2), and Conv3D(2, 2, same) -> Cropping3D(((1, 0), (0, 1), (0, 0)))
- images: (3, 5, 4) -> UpSampling2D((3, 2), bilinear), UpSampling2D((2, 3), bilinear, channels_first),
  UpSampling2D((2, 1), channels_first), Cropping2D(((1, 0), (0, 2)), channels_first), ZeroPadding2D(((0, 1), (2, 0)), channels_first)
- tfkeras__cnn3d_16_input.npy / _keras.npy: the corpus file keras/models/tfkeras__cnn3d_16.h5 (Conv3D, SpatialDropout3D,
  Cropping3D, MaxPooling3D twice), rebuilt in Keras 3 with its weights (see the end), on one input.
- resizing: (5, 7, 2) -> Resizing(4, 4, crop_to_aspect_ratio), Resizing(6, 3, nearest, pad_to_aspect_ratio, fill_value=0.5),
  Resizing(3, 8, nearest, crop_to_aspect_ratio), Resizing(9, 4, pad_to_aspect_ratio), Resizing(4, 6, channels_first),
  Resizing(3, 2, nearest, channels_first, crop_to_aspect_ratio)
"""
import os
import sys

import h5py
import numpy as np
import keras
from keras import layers

# the script's own folder is on sys.path: the shared helpers (weights, saving, reload check, inputs/outputs file)
from keras_case_files import CaseWriter

out = sys.argv[1]
keras.utils.set_random_seed(21)
save = CaseWriter(out, "reshaping").save

rng = np.random.default_rng(5)

x = keras.Input((7, 3), name="signal")
c = layers.Conv1D(4, 2, name="conv")(x)
outs = [
    layers.Cropping1D((2, 0), name="crop")(c),
    layers.ZeroPadding1D((0, 3), name="pad")(c),
    layers.ZeroPadding1D((2, 1), data_format="channels_first", name="pad_cf")(c),
    layers.UpSampling1D(3, name="up")(c),
    layers.ZeroPadding1D(1, name="pad_after")(layers.UpSampling1D(2, name="up_after")(layers.Cropping1D((1, 3), name="crop_first")(c))),
]
save("sequences", keras.Model(x, outs), [rng.normal(size=(4, 7, 3)).astype("float32")])

x = keras.Input((4, 5, 6, 2), name="volume")
outs = [
    layers.Cropping3D(((1, 0), (0, 2), (2, 1)), name="crop")(x),
    layers.ZeroPadding3D(((2, 0), (1, 3), (0, 1)), name="pad")(x),
    layers.UpSampling3D((1, 2, 3), name="up")(x),
    layers.Cropping3D(((0, 1), (2, 0), (1, 0)), data_format="channels_first", name="crop_cf")(x),
    layers.ZeroPadding3D(((1, 0), (0, 0), (0, 2)), data_format="channels_first", name="pad_cf")(x),
    layers.UpSampling3D((2, 1, 2), data_format="channels_first", name="up_cf")(x),
    layers.Cropping3D(((1, 0), (0, 1), (0, 0)), name="crop_conv")(layers.Conv3D(2, 2, padding="same", name="conv")(x)),
]
save("volumes", keras.Model(x, outs), [rng.normal(size=(4, 4, 5, 6, 2)).astype("float32")])

x = keras.Input((3, 5, 4), name="image")
outs = [
    layers.UpSampling2D((3, 2), interpolation="bilinear", name="up_bilinear")(x),
    layers.UpSampling2D((2, 3), interpolation="bilinear", data_format="channels_first", name="up_bilinear_cf")(x),
    layers.UpSampling2D((2, 1), data_format="channels_first", name="up_cf")(x),
    layers.Cropping2D(((1, 0), (0, 2)), data_format="channels_first", name="crop_cf")(x),
    layers.ZeroPadding2D(((0, 1), (2, 0)), data_format="channels_first", name="pad_cf")(x),
]
save("images", keras.Model(x, outs), [rng.normal(size=(4, 3, 5, 4)).astype("float32")])

x = keras.Input((5, 7, 2), name="image")
outs = [
    layers.Resizing(4, 4, crop_to_aspect_ratio=True, name="crop_bilinear")(x),
    layers.Resizing(6, 3, interpolation="nearest", pad_to_aspect_ratio=True, fill_value=0.5, name="pad_nearest")(x),
    layers.Resizing(3, 8, interpolation="nearest", crop_to_aspect_ratio=True, name="crop_nearest")(x),
    layers.Resizing(9, 4, pad_to_aspect_ratio=True, name="pad_bilinear")(x),
    layers.Resizing(4, 6, data_format="channels_first", name="bilinear_cf")(x),
    layers.Resizing(3, 2, interpolation="nearest", data_format="channels_first", crop_to_aspect_ratio=True, name="crop_cf")(x),
]
save("resizing", keras.Model(x, outs), [rng.normal(size=(4, 5, 7, 2)).astype("float32")])

# The Conv3D -> SpatialDropout3D -> Cropping3D -> MaxPooling3D -> Conv3D chain (a tf.keras 2.2.4 file of the test
# corpus, which Keras 3 cannot load: its initialisers carry a dtype): the same layers built in Keras 3 with the file's
# weights, on one random input. Writes tfkeras__cnn3d_16_input.npy and tfkeras__cnn3d_16_keras.npy.
corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "fixtures", "keras", "models",
                      "tfkeras__cnn3d_16.h5")
with h5py.File(corpus, "r") as f:
    def weights(n):
        g = f["model_weights"][n][n]
        return [np.array(g["kernel:0"]), np.array(g["bias:0"])]

    x = keras.Input((10, 10, 10, 3))
    c1 = layers.Conv3D(4, 3, padding="same", activation="tanh")
    c2 = layers.Conv3D(4, 3, padding="same", activation="tanh")
    y = layers.MaxPooling3D(2)(layers.Cropping3D(1)(c2(layers.MaxPooling3D(2)(layers.Cropping3D(1)(c1(x))))))
    chain = keras.Model(x, y)
    c1.set_weights(weights("conv3d_24"))
    c2.set_weights(weights("conv3d_25"))
xs = rng.normal(size=(1, 10, 10, 10, 3)).astype("float32")
np.save(os.path.join(out, "tfkeras__cnn3d_16_input.npy"), xs)
np.save(os.path.join(out, "tfkeras__cnn3d_16_keras.npy"), chain.predict(xs, verbose=0))
