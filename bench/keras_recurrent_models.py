"""Small Keras 3 models with recurrent-layer arguments graft computes with its own code (go_backwards, Keras 3's
hard_sigmoid, return_state, masks), with values the keras3-zoo does not use, saved with Keras's predictions.
Run with the project's Keras oracle (real Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_recurrent_models.py src/test/resources/keras-reference/recurrent

Writes per model NAME: NAME.h5 (Keras 3's legacy HDF5), NAME.keras, and NAME_inputs_and_outputs.h5 (the keras3-zoo
layout: inputs/<input name>, outputs/output_0, ...; root attributes inputs/outputs as JSON lists). Weights are random
(seeded, N(0, 0.5)); inputs N(0, 4) so that hard_sigmoid reaches both of its clipped ends. Masked models are Sequential:
a functional Keras 3 model records its mask computation as NotEqual/Any operation layers.
- simplernn_back_seq_hsig: (6, 3) -> SimpleRNN(4, go_backwards, return_sequences, activation=hard_sigmoid, no bias)
  -> Dense(2) per step
- simplernn_mask: Masking(-1) (a few steps masked) -> SimpleRNN(3, relu, return_sequences) -> Dense(2) per step
- simplernn_back_state: SimpleRNN(2, go_backwards, return_state) -> [output, Dense(1) of the state]
- lstm_back_seq_hsig: (5, 2) -> LSTM(4, go_backwards, return_sequences, activation and recurrent_activation hard_sigmoid)
  -> Dense(1) per step
- gru_back_hsig: (7, 3) -> GRU(3, go_backwards, recurrent_activation=hard_sigmoid, reset_after=False) -> Dense(2)
- masking_dense_gru_seq: Masking(0.5) -> Dense(4, relu) -> GRU(3, return_sequences) -> Dense(1) per step
- masking_dense_lstm: Masking(0) -> Dense(3) -> Dropout -> LSTM(2, go_backwards) -> Dense(1)
- masking_relu_simplernn: Masking(0) -> Dense(4, relu) -> SimpleRNN(2, return_sequences, zero_output_for_mask) -> Dense(1)
- embedding_mask_gap: Embedding(10, 3, mask_zero) -> GlobalAveragePooling1D -> Dense(2) (every row has a real token)
- embedding_mask_dense_gap: Embedding(8, 4, mask_zero) -> Dense(3, tanh) -> GlobalAveragePooling1D
- bidi_backward_relu: Bidirectional(LSTM(3, return_sequences), backward_layer=LSTM(3, go_backwards, return_sequences,
  activation=relu), merge_mode=concat) -> Dense(1) per step
- bidi_backward_last_sum: Bidirectional(LSTM(3), backward_layer=LSTM(3, go_backwards, recurrent_activation=hard_sigmoid),
  merge_mode=sum) -> Dense(2)
(torch 1.13 shim: torch.any/torch.all over a tuple of dims reduced one dim at a time, as the keras3-zoo was made.)
"""
import sys

import numpy as np
import keras
from keras import layers

# the script's own folder is on sys.path: the shared helpers (weights, saving, reload check, inputs/outputs file)
from keras_case_files import CaseWriter, patch_torch_tuple_dims

patch_torch_tuple_dims()
out = sys.argv[1]
keras.utils.set_random_seed(21)
save = CaseWriter(out, "recurrent", seed_offset=100).save

rng = np.random.default_rng(5)


def seq(*shape, scale=2.0):
    return (rng.normal(size=shape) * scale).astype("float32")


def masked(x, value, rows_steps):
    x = x.copy()
    for r, s in rows_steps:
        x[r, s, :] = value
    return x


x = keras.Input((6, 3), name="signal")
h = layers.SimpleRNN(4, go_backwards=True, return_sequences=True, activation="hard_sigmoid", use_bias=False, name="rnn")(x)
y = layers.Dense(2, name="head")(h)
save("simplernn_back_seq_hsig", keras.Model(x, y), [seq(4, 6, 3)])

save("simplernn_mask", keras.Sequential([keras.Input((5, 2)), layers.Masking(mask_value=-1.0, name="mask"),
                                         layers.SimpleRNN(3, activation="relu", return_sequences=True, name="rnn"),
                                         layers.Dense(2, name="head")]), [masked(seq(4, 5, 2), -1.0, [(0, 1), (0, 4), (2, 0), (3, 2), (3, 3)])])

x = keras.Input((4, 3), name="signal")
o, s = layers.SimpleRNN(2, go_backwards=True, return_state=True, name="rnn")(x)
y = layers.Dense(1, name="head")(s)
save("simplernn_back_state", keras.Model(x, [o, y]), [seq(4, 4, 3)])

x = keras.Input((5, 2), name="signal")
h = layers.LSTM(4, go_backwards=True, return_sequences=True, activation="hard_sigmoid", recurrent_activation="hard_sigmoid",
                name="lstm")(x)
y = layers.Dense(1, name="head")(h)
save("lstm_back_seq_hsig", keras.Model(x, y), [seq(4, 5, 2)])

x = keras.Input((7, 3), name="signal")
h = layers.GRU(3, go_backwards=True, recurrent_activation="hard_sigmoid", reset_after=False, name="gru")(x)
y = layers.Dense(2, name="head")(h)
save("gru_back_hsig", keras.Model(x, y), [seq(4, 7, 3)])

save("masking_dense_gru_seq", keras.Sequential([keras.Input((6, 3)), layers.Masking(mask_value=0.5, name="mask"),
                                                layers.Dense(4, activation="relu", name="per_step"),
                                                layers.GRU(3, return_sequences=True, name="gru"), layers.Dense(1, name="head")]), [masked(seq(4, 6, 3), 0.5, [(0, 0), (0, 5), (1, 2), (3, 3), (3, 4)])])

save("masking_dense_lstm", keras.Sequential([keras.Input((6, 2)), layers.Masking(mask_value=0.0, name="mask"),
                                             layers.Dense(3, name="per_step"), layers.Dropout(0.3, name="drop"),
                                             layers.LSTM(2, go_backwards=True, name="lstm"), layers.Dense(1, name="head")]), [masked(seq(4, 6, 2), 0.0, [(0, 0), (1, 5), (2, 1), (2, 2), (3, 4)])])

save("masking_relu_simplernn", keras.Sequential([keras.Input((5, 3)), layers.Masking(mask_value=0.0, name="mask"),
                                                 layers.Dense(4, activation="relu", name="per_step"),
                                                 layers.SimpleRNN(2, return_sequences=True, zero_output_for_mask=True, name="rnn"),
                                                 layers.Dense(1, name="head")]), [masked(seq(4, 5, 3), 0.0, [(0, 2), (1, 0), (1, 1), (3, 4)])])

save("embedding_mask_gap", keras.Sequential([keras.Input((6,), dtype="int32"), layers.Embedding(10, 3, mask_zero=True, name="embed"),
                                             layers.GlobalAveragePooling1D(name="pool"), layers.Dense(2, name="head")]), [np.array([[3, 0, 5, 0, 0, 9], [1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 7],
                                                         [8, 8, 0, 1, 0, 2]], dtype="int32")])

save("embedding_mask_dense_gap", keras.Sequential([keras.Input((5,), dtype="int32"), layers.Embedding(8, 4, mask_zero=True, name="embed"),
                                                   layers.Dense(3, activation="tanh", name="per_step"),
                                                   layers.GlobalAveragePooling1D(name="pool")]), [np.array([[0, 1, 2, 0, 3], [7, 0, 0, 0, 0], [4, 5, 6, 7, 1],
                                                               [0, 0, 2, 2, 0]], dtype="int32")])

x = keras.Input((5, 3), name="signal")
b = layers.Bidirectional(layers.LSTM(3, return_sequences=True),
                         backward_layer=layers.LSTM(3, go_backwards=True, return_sequences=True, activation="relu"),
                         merge_mode="concat", name="bidi")(x)
y = layers.Dense(1, name="head")(b)
save("bidi_backward_relu", keras.Model(x, y), [seq(4, 5, 3)])

x = keras.Input((4, 2), name="signal")
b = layers.Bidirectional(layers.LSTM(3), backward_layer=layers.LSTM(3, go_backwards=True, recurrent_activation="hard_sigmoid"),
                         merge_mode="sum", name="bidi")(x)
y = layers.Dense(2, name="head")(b)
save("bidi_backward_last_sum", keras.Model(x, y), [seq(4, 4, 2)])
