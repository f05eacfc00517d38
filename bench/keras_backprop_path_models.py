"""Small Keras 3 models whose training passes the error back where DL4J's backward pass went wrong: through a merge of
channels-last tensors (a Concatenate of two sequences, of two images, and Bidirectional layers concatenating their
halves' sequences: mirrored halves, and a backward_layer with another activation; DL4J's MergeVertex.clone() reset a
merge's axis to 1, so graft's training copies joined sequences along their steps), and through a Dropout after a
GlobalAveragePooling1D (the import's sequence-to-rows preprocessor before the next Dense reshaped the rank-2 error into a
sequence; rate 1e-7, so that Keras's step is deterministic to float precision). Saved with Keras's predictions and one
SGD step.
Run with the project's Keras oracle (real Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_merge_train_models.py src/test/resources/keras-reference/backprop-paths

Writes per model NAME: NAME.h5, NAME.keras and NAME_inputs_and_outputs.h5 (inputs/x, outputs/output_0, and
training/y, training/loss, training/after: one SGD step at rate 0.1 on mse, the three rows as one batch, gradients by
torch autograd on Keras's own forward; the oracle's torch 1.13 cannot run fit). Read by TrainingStepReferenceTest.
"""
import os
import sys

import numpy as np
import keras
from keras import layers

from keras_case_files import randomize, save_training_step

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
keras.utils.set_random_seed(9)


def save(name, shape, build):
    x = keras.Input(shape, name="x")
    model = keras.Model(x, build(x))
    rng = np.random.default_rng(len(name) * 11 + 3)
    randomize(model, rng)
    inputs = rng.normal(size=(3,) + tuple(shape)).astype("float32")
    save_training_step(out, name, model, inputs, rng, "backprop path")


def concat_sequences(x):
    a = layers.Conv1D(3, 1)(x)
    b = layers.Conv1D(2, 2, padding="same")(x)
    return layers.Dense(2)(layers.Flatten()(layers.Concatenate()([a, b])))


def concat_images(x):
    a = layers.Conv2D(2, 1)(x)
    b = layers.Conv2D(3, 1)(x)
    return layers.Dense(2)(layers.Flatten()(layers.Concatenate(axis=-1)([a, b])))


save("concat_sequences", (5, 3), concat_sequences)
save("concat_images", (4, 3, 2), concat_images)
save("bidi_lstm_sequences", (4, 3), lambda x: layers.Dense(2)(layers.Bidirectional(layers.LSTM(3, return_sequences=True))(x)))
save("bidi_lstm_backward_relu", (4, 3), lambda x: layers.Bidirectional(
    layers.LSTM(2, return_sequences=True), backward_layer=layers.LSTM(3, return_sequences=True, go_backwards=True, activation="relu"))(x))
save("pooled_dropout_dense", (6, 3), lambda x: layers.Dense(2)(layers.Dropout(1e-7)(layers.GlobalAveragePooling1D()(
    layers.Conv1D(4, 2, activation="relu")(x)))))
save("bidi_simplernn_sequences", (4, 3), lambda x: layers.Bidirectional(layers.SimpleRNN(2, return_sequences=True))(x))
