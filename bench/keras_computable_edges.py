"""Models whose layers graft computes in general but not in these arrangements, so `inspect` must call them not
computable, as `predict` refuses them (src/test/resources/keras-reference/computable-edges, ComputableEdgesTest).
Run with the Keras oracle: /work/keras-oracle/run.sh bench/keras_computable_edges.py OUTDIR"""
import os
import sys

import keras
from keras import layers

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
keras.utils.set_random_seed(3)

# BatchNormalization over the columns of an image of open height
x = keras.Input((None, 5, 3))
y = layers.GlobalAveragePooling2D()(layers.BatchNormalization(axis=2, name="bn")(x))
keras.Model(x, y).save(os.path.join(out, "bn_axis2_open_height.keras"))

# BatchNormalization over a sequence's steps under a Keras mask
x = keras.Input((6, 4))
y = layers.GlobalAveragePooling1D()(layers.BatchNormalization(axis=1, name="bn")(layers.Masking(0.0)(x)))
keras.Model(x, y).save(os.path.join(out, "bn_axis1_masked.keras"))

# ConvLSTM1D returning its sequence and its states over an open number of steps
x = keras.Input((None, 5, 2))
seq, h, c = layers.ConvLSTM1D(3, 3, padding="same", return_sequences=True, return_state=True, name="convlstm")(x)
keras.Model(x, [seq, h, c]).save(os.path.join(out, "convlstm_sequence_states_open_steps.keras"))
print("written", sorted(os.listdir(out)))
