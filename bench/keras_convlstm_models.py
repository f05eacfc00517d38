"""Small Keras 3 ConvLSTM models with argument values the keras3-zoo does not use, saved with Keras's predictions, and
Keras's predictions for the tf.keras ConvLSTM2D fixtures. Run with the project's Keras oracle (real Keras 3.15.1, torch
backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_convlstm_models.py src/test/resources/keras-reference/convlstm ../shared/fixtures

Writes per model NAME: NAME.h5 (Keras 3's legacy HDF5), NAME.keras, and NAME_inputs_and_outputs.h5 (the keras3-zoo layout:
inputs/<input name>, outputs/output_0, ...; root attributes inputs/outputs as JSON lists). Weights are random (seeded,
N(0, 0.5)); inputs N(0, 4) so that hard_sigmoid reaches both of its clipped ends.
- convlstm2d_same_strides: (4, 7, 6, 2) -> ConvLSTM2D(3, (3, 3), strides (2, 1), same, return_sequences)
- convlstm2d_dilation_cf: (3, 2, 7, 6) channels_first -> ConvLSTM2D(2, (2, 3), dilation (2, 1), valid, go_backwards,
  return_sequences, hard_sigmoid recurrent activation)
- convlstm2d_state_head: (3, 5, 5, 2) -> ConvLSTM2D(2, 3, same, return_state, no bias, activation relu) -> [output,
  Dense(1) of c flattened]
- convlstm1d_seq_state_cf: (5, 3, 9) channels_first -> ConvLSTM1D(2, 3, strides 2, return_sequences, return_state,
  go_backwards, activation and recurrent activation hard_sigmoid) -> [sequence, h, c]
- convlstm1d_dilated_same: (6, 8, 2) -> ConvLSTM1D(3, 2, dilation 3, same, sigmoid recurrent activation, linear activation)
- convlstm3d_small: (2, 3, 3, 3, 1) -> ConvLSTM3D(1, 2) (graft refuses ConvLSTM3D: no predictions checked)
For each tf.keras fixture keras/models/tfkeras__convlstm2d_N.h5 (N = 1, 3, 9, 11, 17, 19: ConvLSTM2D pairs; 0, 16, 18, 24, 26:
Bidirectional(ConvLSTM2D) pairs concatenating, channels first and last; Keras 3 refuses to build 0, 16 and 24, whose wrapped
layer reads backwards: for those the model is composed here as tf.keras computes it, the wrapped layer and its mirror
(go_backwards flipped) as two ConvLSTM2D layers with the file's weights, the mirror's sequence flipped back, concatenated on the
last axis, hard_sigmoid Keras 2's clip(0.2x + 0.5, 0, 1)):
tfkeras__convlstm2d_N_inputs_and_outputs.h5 with Keras's predictions through oracle_compat (Keras 2's hard_sigmoid).
"""
import json
import os
import sys

import h5py
import numpy as np
import keras
from keras import layers

# the script's own folder is on sys.path: the shared helpers (weights, saving, reload check, inputs/outputs file)
from keras_case_files import CaseWriter, write_io

out = sys.argv[1]
fixtures = sys.argv[2] if len(sys.argv) > 2 else None
keras.utils.set_random_seed(8)
save = CaseWriter(out, "recurrent", seed_offset=800).save

rng = np.random.default_rng(15)


def seq(*shape, scale=2.0):
    return (rng.normal(size=shape) * scale).astype("float32")


x = keras.Input((4, 7, 6, 2), name="frames")
y = layers.ConvLSTM2D(3, (3, 3), strides=(2, 1), padding="same", return_sequences=True, name="convlstm")(x)
save("convlstm2d_same_strides", keras.Model(x, y), [seq(3, 4, 7, 6, 2)])

x = keras.Input((3, 2, 7, 6), name="frames")
y = layers.ConvLSTM2D(2, (2, 3), dilation_rate=(2, 1), data_format="channels_first", go_backwards=True, return_sequences=True,
                      recurrent_activation="hard_sigmoid", name="convlstm")(x)
save("convlstm2d_dilation_cf", keras.Model(x, y), [seq(3, 3, 2, 7, 6)])

x = keras.Input((3, 5, 5, 2), name="frames")
o, hs, cs = layers.ConvLSTM2D(2, 3, padding="same", return_state=True, use_bias=False, activation="relu", name="convlstm")(x)
y = layers.Dense(1, name="head")(layers.Flatten(name="flat")(cs))
save("convlstm2d_state_head", keras.Model(x, [o, y]), [seq(3, 3, 5, 5, 2)])

x = keras.Input((5, 3, 9), name="signal")
o, hs, cs = layers.ConvLSTM1D(2, 3, strides=2, data_format="channels_first", return_sequences=True, return_state=True,
                              go_backwards=True, activation="hard_sigmoid", recurrent_activation="hard_sigmoid",
                              name="convlstm")(x)
save("convlstm1d_seq_state_cf", keras.Model(x, [o, hs, cs]), [seq(3, 5, 3, 9)])

x = keras.Input((6, 8, 2), name="signal")
y = layers.ConvLSTM1D(3, 2, dilation_rate=3, padding="same", activation="linear", name="convlstm")(x)
save("convlstm1d_dilated_same", keras.Model(x, y), [seq(3, 6, 8, 2)])

x = keras.Input((2, 3, 3, 3, 1), name="volumes")
y = layers.ConvLSTM3D(1, 2, name="convlstm")(x)
save("convlstm3d_small", keras.Model(x, y), [seq(2, 2, 3, 3, 3, 1)])

def keras2_hard_sigmoid(x):
    return keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)


def bidirectional_by_hand(path):
    """A tf.keras model of Bidirectional(ConvLSTM2D, merge_mode=concat) layers, composed as tf.keras's Bidirectional computes it."""
    with h5py.File(path, "r") as f:
        config = json.loads(f.attrs["model_config"])
        weights = f["model_weights"]
        layer_list = config["config"]["layers"]
        x = keras.Input(tuple(layer_list[0]["config"]["batch_input_shape"][1:]), name=layer_list[0]["config"]["name"])
        h = x
        for spec in layer_list[1:]:
            assert spec["class_name"] == "Bidirectional" and spec["config"].get("merge_mode", "concat") == "concat"
            inner = dict(spec["config"]["layer"]["config"])
            name, bidi = inner["name"], spec["config"]["name"]
            keep = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation", "use_bias",
                    "return_sequences", "go_backwards")
            args = {k: inner[k] for k in keep}
            args["recurrent_activation"] = keras2_hard_sigmoid if inner["recurrent_activation"] == "hard_sigmoid" else inner["recurrent_activation"]
            halves = []
            for half in ("forward", "backward"):
                a = dict(args)
                if half == "backward":
                    a["go_backwards"] = not a["go_backwards"]
                layer = layers.ConvLSTM2D(name=half + "_" + name, **a)
                y = layer(h)
                group = weights[bidi][bidi][half + "_" + name]
                layer.set_weights([group["kernel:0"][()], group["recurrent_kernel:0"][()], group["bias:0"][()]])
                if half == "backward" and a["return_sequences"]:
                    y = keras.ops.flip(y, axis=1)
                halves.append(y)
            h = keras.ops.concatenate(halves, axis=-1)
        return keras.Model(x, h)


if fixtures:
    import oracle_compat
    for n in (0, 1, 3, 9, 11, 16, 17, 18, 19, 24, 26):
        path = os.path.join(fixtures, "keras/models/tfkeras__convlstm2d_%d.h5" % n)
        try:
            model = oracle_compat.load_model(path, keras2_hard_sigmoid=True)
        except oracle_compat.OracleCompatError as e:
            # Keras 3 refuses a Bidirectional whose wrapped layer reads backwards (0, 16, 24), which tf.keras built
            print("composing %s by hand: %s" % (os.path.basename(path), e))
            model = bidirectional_by_hand(path)
        shape = tuple(model.inputs[0].shape[1:])
        xs = [seq(2, *shape)]
        ys = model.predict(xs, verbose=0)
        ys = ys if isinstance(ys, (list, tuple)) else [ys]
        write_io(os.path.join(out, "tfkeras__convlstm2d_%d_inputs_and_outputs.h5" % n), [t.name for t in model.inputs], xs, ys,
                 {"family": "recurrent", "layer_class": "ConvLSTM2D", "args": {}, "model": os.path.basename(path),
                  "notes": "tf.keras 2.2.4 fixture, predicted by Keras 3.15.1 through oracle_compat with Keras 2's hard_sigmoid"})
