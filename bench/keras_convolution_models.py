"""Small Keras 3 models with convolution and normalisation arguments the keras3-zoo does not try, saved with Keras's
predictions. Run with the project's Keras oracle (real Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_convolution_models.py src/test/resources/keras-reference/convolution

Writes per model NAME: NAME.h5 (Keras 3's legacy HDF5), NAME.keras, and NAME_inputs_and_outputs.h5 (inputs/<input name>,
outputs/output_0, root attributes inputs/outputs as JSON lists: the keras3-zoo layout). Weights are random (seeded); each
model is one layer on one input (shapes in the code below), read by KerasConvolutionReferenceTest; and Keras's predictions
for the fixtures' tfkeras__cnn2d_41.h5 (channels-first DepthwiseConv2D), when ../shared/fixtures is there.
"""
import json
import os
import sys

import h5py
import numpy as np
import keras
from keras import layers

# the script's own folder is on sys.path: the shared weight randomisation
from keras_case_files import randomize

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
keras.utils.set_random_seed(21)


def save(name, layer, shape):
    x = keras.Input(shape, name="x")
    model = keras.Model(x, layer(x))
    rng = np.random.default_rng(len(name))
    randomize(model, rng, variance_uniform=True)
    inputs = rng.normal(size=(3,) + tuple(shape)).astype("float32")
    model.save(os.path.join(out, name + ".h5"))
    model.save(os.path.join(out, name + ".keras"))
    y = model.predict(inputs, verbose=0)
    with h5py.File(os.path.join(out, name + "_inputs_and_outputs.h5"), "w") as f:
        f.create_dataset("inputs/x", data=inputs)
        f.create_dataset("outputs/output_0", data=y)
        f.attrs["inputs"] = json.dumps(["x"])
        f.attrs["outputs"] = json.dumps(["output_0"])
        f.attrs["computed_by"] = "keras %s (%s)" % (keras.__version__, keras.backend.backend())
        f.attrs["case"] = json.dumps({"family": "convolution", "layer_class": type(layer).__name__, "model": name})


cf = "channels_first"
save("conv2d_cf_same_s21_softmax", layers.Conv2D(4, (3, 2), strides=(2, 1), padding="same", data_format=cf, activation="softmax"), (3, 7, 6))
save("conv2dt_cf_valid_k42_s23_op12", layers.Conv2DTranspose(3, (4, 2), strides=(2, 3), output_padding=(1, 2), data_format=cf), (2, 4, 3))
save("conv2dt_same_k4_s3_op2", layers.Conv2DTranspose(2, 4, strides=3, padding="same", output_padding=2, activation="tanh"), (4, 4, 2))
save("conv2dt_same_dil2", layers.Conv2DTranspose(2, 3, dilation_rate=2, padding="same"), (5, 5, 2))
save("conv3dt_same_s213", layers.Conv3DTranspose(2, (3, 2, 2), strides=(2, 1, 3), padding="same"), (3, 4, 2, 2))
save("conv1dt_valid_s2_op1", layers.Conv1DTranspose(3, 3, strides=2, output_padding=1), (5, 2))
save("conv1dt_cf_same_dil2", layers.Conv1DTranspose(2, 2, dilation_rate=2, padding="same", data_format=cf), (3, 6))
save("sepconv1d_cf_same_s2_dm3", layers.SeparableConv1D(4, 3, strides=2, padding="same", depth_multiplier=3, data_format=cf,
                                                         activation="relu"), (2, 9))
save("sepconv1d_valid_dil2_nobias", layers.SeparableConv1D(3, 2, dilation_rate=2, use_bias=False), (7, 3))
save("sepconv2d_cf_same_dm2", layers.SeparableConv2D(3, 2, depth_multiplier=2, padding="same", data_format=cf), (3, 5, 4))
save("conv3d_cf_groups2", layers.Conv3D(4, 2, groups=2, data_format=cf), (4, 3, 3, 3))
save("dwconv2d_cf_same_s2_dm2", layers.DepthwiseConv2D(3, strides=2, depth_multiplier=2, padding="same", data_format=cf), (3, 6, 5))
save("batchnorm_axis1_eps_nocenter", layers.BatchNormalization(axis=1, epsilon=0.01, center=False), (4, 3, 5))
save("batchnorm_axis_minus3_noscale", layers.BatchNormalization(axis=-3, scale=False), (3, 4, 2))

# A real tf.keras model (shared fixtures) with channels-first DepthwiseConv2D layers among channels-last ones: Keras 3's
# predictions for seeded inputs (the model itself stays in the fixtures; only the numbers are stored here).
fixture = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "fixtures", "keras", "models", "tfkeras__cnn2d_41.h5")
if os.path.exists(fixture):
    import oracle_compat
    m = oracle_compat.load_model(fixture, keras2_hard_sigmoid=True)
    x = np.random.default_rng(3).normal(size=(3,) + tuple(m.input_shape[1:])).astype("float32")
    y = m.predict(x, verbose=0)
    with h5py.File(os.path.join(out, "tfkeras__cnn2d_41_inputs_and_outputs.h5"), "w") as f:
        f.create_dataset("inputs/" + m.inputs[0].name, data=x)
        f.create_dataset("outputs/output_0", data=y)
        f.attrs["inputs"] = json.dumps([m.inputs[0].name])
        f.attrs["outputs"] = json.dumps(["output_0"])
        f.attrs["computed_by"] = "keras %s (%s)" % (keras.__version__, keras.backend.backend())
