"""Small Keras 3 models where a mask's values reach a layer that does not read the mask, saved with Keras's predictions:
Keras's Masking outputs inputs * any(inputs != mask_value) (masked steps become 0) and a mask_zero Embedding returns
row 0's stored vector at index 0. Run with the project's Keras oracle (real Keras 3.15.1, torch backend, CPU, one thread):

    /work/keras-oracle/run.sh bench/keras_mask_models.py src/test/resources/keras-reference/mask

Writes per model NAME: NAME.h5, NAME.keras and NAME_inputs_and_outputs.h5 (the keras3-zoo layout, as
bench/keras_recurrent_models.py). Weights random (seeded, N(0, 0.5)), row 0 of every embedding far from zero.
- masking_neg1_dense: Masking(-1) -> Dense(2) per step (the model's output holds masked steps)
- masking_2_conv1d: Masking(2) -> Conv1D(3, 2) -> Flatten -> Dense(2)
- masking_neg1_lstm_zero_step: Masking(-1) -> LSTM(3) -> Dense(1); an unmasked step of all zeros among masked ones
- masking_half_dense_gru: Masking(0.5) -> Dense(3) -> GRU(2, return_sequences) -> Dense(1) per step, a step of zeros
- embedding_mask_flatten: Embedding(10, 4, mask_zero) -> Flatten -> Dense(2), index 0 present
- embedding_mask_dense_seq: Embedding(7, 3, mask_zero) -> Dense(2) per step (the output holds index 0's steps)
"""
import sys

import numpy as np
import keras
from keras import layers

# the script's own folder is on sys.path: the shared helpers (weights, saving, reload check, inputs/outputs file)
from keras_case_files import CaseWriter, patch_torch_tuple_dims

patch_torch_tuple_dims()
out = sys.argv[1]
keras.utils.set_random_seed(23)
save = CaseWriter(out, "mask", seed_offset=300, embedding_row0=True).save

rng = np.random.default_rng(7)


def seq(*shape, scale=2.0):
    return (rng.normal(size=shape) * scale).astype("float32")


def masked(x, value, rows_steps):
    x = x.copy()
    for r, s in rows_steps:
        x[r, s, :] = value
    return x


save("masking_neg1_dense", keras.Sequential([keras.Input((5, 3)), layers.Masking(mask_value=-1.0, name="mask"),
                                             layers.Dense(2, name="head")]),
     [masked(seq(3, 5, 3), -1.0, [(0, 1), (1, 4), (2, 0), (2, 2)])])
save("masking_2_conv1d", keras.Sequential([keras.Input((6, 2)), layers.Masking(mask_value=2.0, name="mask"),
                                           layers.Conv1D(3, 2, name="conv"), layers.Flatten(name="flat"), layers.Dense(2, name="head")]),
     [masked(seq(3, 6, 2), 2.0, [(0, 0), (0, 3), (1, 5), (2, 2)])])
save("masking_neg1_lstm_zero_step", keras.Sequential([keras.Input((5, 2)), layers.Masking(mask_value=-1.0, name="mask"),
                                                      layers.LSTM(3, name="lstm"), layers.Dense(1, name="head")]),
     [masked(masked(seq(3, 5, 2), -1.0, [(0, 4), (1, 0), (2, 3)]), 0.0, [(0, 2), (1, 3), (2, 4)])])
save("masking_half_dense_gru", keras.Sequential([keras.Input((5, 2)), layers.Masking(mask_value=0.5, name="mask"),
                                                 layers.Dense(3, name="proj"), layers.GRU(2, return_sequences=True, name="gru"),
                                                 layers.Dense(1, name="head")]),
     [masked(masked(seq(3, 5, 2), 0.5, [(0, 4), (1, 1), (2, 3)]), 0.0, [(0, 1), (2, 2)])])
save("embedding_mask_flatten", keras.Sequential([keras.Input((5,), dtype="int32"), layers.Embedding(10, 4, mask_zero=True, name="embed"),
                                                 layers.Flatten(name="flat"), layers.Dense(2, name="head")]),
     [np.array([[3, 0, 5, 9, 0], [1, 2, 3, 4, 5], [0, 0, 7, 0, 8]], dtype="int32")])
save("embedding_mask_dense_seq", keras.Sequential([keras.Input((4,), dtype="int32"), layers.Embedding(7, 3, mask_zero=True, name="embed"),
                                                   layers.Dense(2, name="head")]),
     [np.array([[0, 2, 6, 0], [5, 1, 0, 3]], dtype="int32")])
