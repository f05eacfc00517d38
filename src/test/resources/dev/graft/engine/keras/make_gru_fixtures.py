#!/usr/bin/env python3
"""Writes the small Keras-2-style .h5 files the GRU import tests load, with expected outputs.

Run from this folder with numpy and h5py (no Keras needed):  python3 make_gru_fixtures.py
The files are laid out as Keras 2 / tf.keras 2 save them (root attrs keras_version, backend,
model_config; group model_weights with layer_names, per-layer weight_names and datasets).
Expected outputs come from the independent numpy implementations below, written from Keras's
GRUCell.call / LSTMCell.call equations; seeds are fixed so the files are reproducible.

Files (each with <name>_expected.h5 holding input `x`, output `y` and, where named, intermediates):
  gru_sequential_embedding.h5  Sequential: Embedding(20, 4, input_length 6) -> GRU(5, reset_after=False,
                               hard_sigmoid Keras 2, last step) -> Dense(3, softmax); Keras 2.2.4 naming
  gru_functional_lstm.h5       functional: Input(7, 3) -> LSTM(4, seq) -> GRU(6, reset_after=True,
                               go_backwards, seq) -> GRU(3, no bias, last step) -> Dense(2); tf.keras naming
  gru_sequential_k3_hard.h5    Sequential: GRU(4, hard_sigmoid marked Keras 3, seq) as the only layer
"""
import json

import h5py
import numpy as np

# ---------------------------------------------------------------- reference maths

def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))

ACT = {
    'tanh': np.tanh,
    'sigmoid': sigmoid,
    'linear': lambda v: v,
    'relu': lambda v: np.maximum(v, 0.0),
    'hard_sigmoid_k2': lambda v: np.clip(0.2 * v + 0.5, 0.0, 1.0),
    'hard_sigmoid_k3': lambda v: np.clip(v / 6.0 + 0.5, 0.0, 1.0),
}


def gru(x, kernel, rec, bias, reset_after, act, rec_act, return_sequences, go_backwards):
    """Keras GRU on x (batch, steps, features); bias None, (3u,) or (2, 3u)."""
    units = rec.shape[0]
    a, ra = ACT[act], ACT[rec_act]
    if bias is None:
        b_in, b_rec = np.zeros(3 * units), np.zeros(3 * units)
    elif reset_after:
        b_in, b_rec = bias[0], bias[1]
    else:
        b_in, b_rec = bias, None
    h = np.zeros((x.shape[0], units))
    outs = []
    order = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    for t in order:
        mx = x[:, t, :] @ kernel + b_in
        xz, xr, xh = mx[:, :units], mx[:, units:2 * units], mx[:, 2 * units:]
        if reset_after:
            mh = h @ rec + b_rec
            z = ra(xz + mh[:, :units])
            r = ra(xr + mh[:, units:2 * units])
            hh = a(xh + r * mh[:, 2 * units:])
        else:
            z = ra(xz + h @ rec[:, :units])
            r = ra(xr + h @ rec[:, units:2 * units])
            hh = a(xh + (r * h) @ rec[:, 2 * units:])
        h = z * h + (1 - z) * hh
        outs.append(h)
    return np.stack(outs, axis=1) if return_sequences else h


def lstm(x, kernel, rec, bias, return_sequences):
    """Keras LSTM (tanh / sigmoid), gate blocks [i, f, c, o]."""
    units = rec.shape[0]
    h = np.zeros((x.shape[0], units))
    c = np.zeros((x.shape[0], units))
    outs = []
    for t in range(x.shape[1]):
        m = x[:, t, :] @ kernel + h @ rec + bias
        i, f = sigmoid(m[:, :units]), sigmoid(m[:, units:2 * units])
        g, o = np.tanh(m[:, 2 * units:3 * units]), sigmoid(m[:, 3 * units:])
        c = f * c + i * g
        h = o * np.tanh(c)
        outs.append(h)
    return np.stack(outs, axis=1) if return_sequences else h


def softmax(v):
    e = np.exp(v - v.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)

# ---------------------------------------------------------------- Keras-2-style file writing

GLOROT = {'class_name': 'GlorotUniform', 'config': {'seed': None}}   # no Orthogonal: DL4J's sampler can hang
ZEROS = {'class_name': 'Zeros', 'config': {}}


def rnn_common(name, units, return_sequences, go_backwards=False):
    return {'name': name, 'trainable': True, 'dtype': 'float32', 'units': units,
            'return_sequences': return_sequences, 'return_state': False, 'go_backwards': go_backwards,
            'stateful': False, 'unroll': False, 'kernel_initializer': GLOROT, 'recurrent_initializer': ZEROS,
            'bias_initializer': ZEROS, 'kernel_regularizer': None, 'recurrent_regularizer': None,
            'bias_regularizer': None, 'activity_regularizer': None, 'kernel_constraint': None,
            'recurrent_constraint': None, 'bias_constraint': None, 'dropout': 0.0, 'recurrent_dropout': 0.0,
            'implementation': 2}


def gru_config(name, units, reset_after, act, rec_act, use_bias, return_sequences, go_backwards=False, extra=None):
    c = rnn_common(name, units, return_sequences, go_backwards)
    c.update({'activation': act, 'recurrent_activation': rec_act, 'use_bias': use_bias, 'reset_after': reset_after})
    c.update(extra or {})
    return c


def dense_config(name, units, activation):
    return {'name': name, 'trainable': True, 'dtype': 'float32', 'units': units, 'activation': activation,
            'use_bias': True, 'kernel_initializer': GLOROT, 'bias_initializer': ZEROS, 'kernel_regularizer': None,
            'bias_regularizer': None, 'activity_regularizer': None, 'kernel_constraint': None,
            'bias_constraint': None}


def write_model(path, keras_version, model_config, weights):
    """weights: list of (layer_name, [(weight_name, array), ...]) in layer order."""
    with h5py.File(path, 'w') as f:
        f.attrs['keras_version'] = keras_version
        f.attrs['backend'] = 'tensorflow'
        f.attrs['model_config'] = json.dumps(model_config)
        mw = f.create_group('model_weights')
        mw.attrs['keras_version'] = keras_version
        mw.attrs['backend'] = 'tensorflow'
        mw.attrs['layer_names'] = np.array([n.encode() for n, _ in weights])
        for layer_name, arrays in weights:
            g = mw.create_group(layer_name)
            g.attrs['weight_names'] = np.array([w.encode() for w, _ in arrays])
            for weight_name, arr in arrays:
                g.create_dataset(weight_name, data=arr.astype(np.float32))


def write_expected(path, x, y, **named):
    with h5py.File(path, 'w') as f:
        f.create_dataset('x', data=x.astype(np.float32))
        f.create_dataset('y', data=y.astype(np.float32))
        for k, v in named.items():
            f.create_dataset(k, data=v.astype(np.float32))


def f32(a):
    """Weights are stored as float32: compute the reference from the stored values."""
    return a.astype(np.float32).astype(np.float64)

# ---------------------------------------------------------------- the files

def sequential_embedding(rng):
    vocab, dim, steps, units = 20, 4, 6, 5
    emb = f32(rng.uniform(-1, 1, (vocab, dim)))
    k = f32(rng.uniform(-0.8, 0.8, (dim, 3 * units)))
    u = f32(rng.uniform(-0.8, 0.8, (units, 3 * units)))
    b = f32(rng.uniform(-0.5, 0.5, (3 * units,)))
    dk = f32(rng.uniform(-1, 1, (units, 3)))
    db = f32(rng.uniform(-0.2, 0.2, (3,)))
    ids = rng.integers(0, vocab, (5, steps))
    # hard_sigmoid at Keras 2 with pre-activations spread so that the clip is reached on some steps
    h = gru(emb[ids], k, u, b, False, 'tanh', 'hard_sigmoid_k2', False, False)
    y = softmax(h @ dk + db)
    config = {'class_name': 'Sequential', 'config': {'name': 'sequential_1', 'layers': [
        {'class_name': 'Embedding', 'config': {
            'name': 'embedding_1', 'trainable': True, 'batch_input_shape': [None, steps], 'dtype': 'float32',
            'input_dim': vocab, 'output_dim': dim, 'embeddings_initializer': {
                'class_name': 'RandomUniform', 'config': {'minval': -0.05, 'maxval': 0.05, 'seed': None}},
            'embeddings_regularizer': None, 'activity_regularizer': None, 'embeddings_constraint': None,
            'mask_zero': False, 'input_length': steps}},
        {'class_name': 'GRU', 'config': gru_config('gru_1', units, False, 'tanh', 'hard_sigmoid', True, False)},
        {'class_name': 'Dense', 'config': dense_config('dense_1', 3, 'softmax')},
    ]}}
    write_model('gru_sequential_embedding.h5', '2.2.4', config, [
        ('embedding_1', [('embedding_1/embeddings:0', emb)]),
        ('gru_1', [('gru_1/kernel:0', k), ('gru_1/recurrent_kernel:0', u), ('gru_1/bias:0', b)]),
        ('dense_1', [('dense_1/kernel:0', dk), ('dense_1/bias:0', db)]),
    ])
    write_expected('gru_sequential_embedding_expected.h5', ids.astype(np.float64), y)


def functional_lstm(rng):
    steps, feat, lu, g1, g2 = 7, 3, 4, 6, 3
    lk = f32(rng.uniform(-0.7, 0.7, (feat, 4 * lu)))
    lr = f32(rng.uniform(-0.7, 0.7, (lu, 4 * lu)))
    lb = f32(rng.uniform(-0.3, 0.3, (4 * lu,)))
    k1 = f32(rng.uniform(-0.7, 0.7, (lu, 3 * g1)))
    u1 = f32(rng.uniform(-0.7, 0.7, (g1, 3 * g1)))
    b1 = f32(rng.uniform(-0.4, 0.4, (2, 3 * g1)))
    k2 = f32(rng.uniform(-0.7, 0.7, (g1, 3 * g2)))
    u2 = f32(rng.uniform(-0.7, 0.7, (g2, 3 * g2)))
    dk = f32(rng.uniform(-1, 1, (g2, 2)))
    db = f32(rng.uniform(-0.2, 0.2, (2,)))
    x = f32(rng.normal(0, 1, (4, steps, feat)))
    s1 = lstm(x, lk, lr, lb, True)
    s2 = gru(s1, k1, u1, b1, True, 'tanh', 'sigmoid', True, True)
    s3 = gru(s2, k2, u2, None, True, 'tanh', 'sigmoid', False, False)
    y = s3 @ dk + db

    def node(*inbound):
        return [[[n, 0, 0, {}] for n in inbound]]

    lstm_cfg = rnn_common('lstm', lu, True)
    lstm_cfg.update({'activation': 'tanh', 'recurrent_activation': 'sigmoid', 'use_bias': True,
                     'unit_forget_bias': True, 'time_major': False})
    config = {'class_name': 'Functional', 'config': {
        'name': 'model', 'layers': [
            {'class_name': 'InputLayer', 'name': 'input_1', 'inbound_nodes': [], 'config': {
                'batch_input_shape': [None, steps, feat], 'dtype': 'float32', 'sparse': False,
                'ragged': False, 'name': 'input_1'}},
            {'class_name': 'LSTM', 'name': 'lstm', 'inbound_nodes': node('input_1'), 'config': lstm_cfg},
            {'class_name': 'GRU', 'name': 'gru', 'inbound_nodes': node('lstm'), 'config': gru_config(
                'gru', g1, True, 'tanh', 'sigmoid', True, True, go_backwards=True, extra={'time_major': False})},
            {'class_name': 'GRU', 'name': 'gru_1', 'inbound_nodes': node('gru'), 'config': gru_config(
                'gru_1', g2, True, 'tanh', 'sigmoid', False, False, extra={'time_major': False})},
            {'class_name': 'Dense', 'name': 'dense', 'inbound_nodes': node('gru_1'),
             'config': dense_config('dense', 2, 'linear')},
        ],
        'input_layers': [['input_1', 0, 0]], 'output_layers': [['dense', 0, 0]]}}
    write_model('gru_functional_lstm.h5', '2.11.0', config, [
        ('input_1', []),
        ('lstm', [('lstm/lstm_cell/kernel:0', lk), ('lstm/lstm_cell/recurrent_kernel:0', lr),
                  ('lstm/lstm_cell/bias:0', lb)]),
        ('gru', [('gru/gru_cell/kernel:0', k1), ('gru/gru_cell/recurrent_kernel:0', u1),
                 ('gru/gru_cell/bias:0', b1)]),
        ('gru_1', [('gru_1/gru_cell_1/kernel:0', k2), ('gru_1/gru_cell_1/recurrent_kernel:0', u2)]),
        ('dense', [('dense/kernel:0', dk), ('dense/bias:0', db)]),
    ])
    write_expected('gru_functional_lstm_expected.h5', x, y, lstm=s1, gru=s2)


def sequential_keras3_hard_sigmoid(rng):
    steps, feat, units = 5, 2, 4
    k = f32(rng.uniform(-2, 2, (feat, 3 * units)))
    u = f32(rng.uniform(-2, 2, (units, 3 * units)))
    b = f32(rng.uniform(-1, 1, (2, 3 * units)))
    x = f32(rng.normal(0, 1.5, (3, steps, feat)))
    y = gru(x, k, u, b, True, 'tanh', 'hard_sigmoid_k3', True, False)
    y_k2 = gru(x, k, u, b, True, 'tanh', 'hard_sigmoid_k2', True, False)
    cfg = gru_config('gru', units, True, 'tanh', 'hard_sigmoid', True, True,
                     extra={'batch_input_shape': [None, steps, feat], 'graft_hard_sigmoid': 'keras3'})
    config = {'class_name': 'Sequential', 'config': {'name': 'sequential', 'layers': [
        {'class_name': 'GRU', 'config': cfg}]}}
    write_model('gru_sequential_k3_hard.h5', '2.15.0', config, [
        ('gru', [('gru/gru_cell/kernel:0', k), ('gru/gru_cell/recurrent_kernel:0', u), ('gru/gru_cell/bias:0', b)]),
    ])
    write_expected('gru_sequential_k3_hard_expected.h5', x, y, y_keras2_hard_sigmoid=y_k2)


if __name__ == '__main__':
    rng = np.random.default_rng(20240601)
    sequential_embedding(rng)
    functional_lstm(rng)
    sequential_keras3_hard_sigmoid(rng)
