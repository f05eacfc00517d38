"""Keras's verdict on training models whose training graft computes in a way of its own: a shared layer (one layer
called more than once, its calls tied into one variable) and a Bidirectional(ConvLSTM2D) returning sequences (its
halves joined by graft's rank-free Concatenate). Each model below trained by real Keras 3.15.1 (the project's oracle,
torch backend, CPU) for three full-batch SGD steps on seeded data, and its predictions afterwards, for graft's training
to be compared with (KerasTrainingStepsTest). Run:

    /work/keras-oracle/run.sh bench/keras_training_steps.py src/test/resources/keras-reference/training-steps

Reads the models from ../shared/fixtures/keras3-zoo and src/test/resources/keras-reference/{shapes,shared-attention};
builds the Bidirectional(ConvLSTM2D) ones (Keras 3 does not read tf.keras's, ../shared/fixtures/keras/models/tfkeras__convlstm2d_*)
and saves them as NAME.keras and NAME.h5: (3 steps, 6, 6, 2) channels last, and (3 steps, 2, 6, 6) channels first,
each ConvLSTM2D(3 filters, 3x3, padding same, return_sequences) in a Bidirectional concatenating;
writes per model NAME: NAME_x<i>.npy (inputs, 16 rows), NAME_y<j>.npy (labels), NAME_after<j>.npy (the trained model's
outputs on the inputs). Training: plain SGD (learning rate 0.05), loss mse on every output (summed), batch 16 = every
row, 3 steps. (The oracle's torch is older than Keras's trainer expects: model.fit fails in zero_grad; the steps are
taken here with torch's autograd on Keras's own forward pass, which is what fit does for plain SGD.)
"""
import os
import zlib
import sys

import numpy as np
import keras
import torch

out = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
refs = os.path.join(root, "src", "test", "resources", "keras-reference")
models = {
    "shared_dense": os.path.join(root, "..", "shared", "fixtures", "keras3-zoo", "shared_dense.keras"),
    "shared_chain": os.path.join(refs, "shapes", "shared_chain.keras"),
    "mha_twice": os.path.join(refs, "shared-attention", "mha_twice.keras"),
    "attention_shared_scale": os.path.join(refs, "shared-attention", "attention_shared_scale.keras"),
    "additive_shared_concat": os.path.join(refs, "shared-attention", "additive_shared_concat.keras"),
    "gqa_shared": os.path.join(refs, "shared-attention", "gqa_shared.keras"),
    "bidirectional_convlstm2d": os.path.join(out, "bidirectional_convlstm2d.keras"),
    "bidirectional_convlstm2d_cf": os.path.join(out, "bidirectional_convlstm2d_cf.keras"),
}
only = sys.argv[2:]
keras.utils.set_random_seed(3)
for name, shape, fmt, backwards in [("bidirectional_convlstm2d", (3, 6, 6, 2), "channels_last", False),
                                     ("bidirectional_convlstm2d_cf", (3, 2, 6, 6), "channels_first", False)]:
    x = keras.Input(shape, name="x")
    y = keras.layers.Bidirectional(keras.layers.ConvLSTM2D(3, 3, padding="same", data_format=fmt, return_sequences=True,
                                                           go_backwards=backwards), name="bidirectional")(x)
    built = keras.Model(x, y, name=name)
    built.save(os.path.join(out, name + ".keras"))
    built.save(os.path.join(out, name + ".h5"))
for name, path in models.items():
    if only and name not in only:
        continue
    model = keras.saving.load_model(path, compile=False)
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    xs = [rng.standard_normal((16,) + tuple(i.shape[1:])).astype(np.float32) for i in model.inputs]
    ys = [rng.standard_normal((16,) + tuple(o.shape[1:])).astype(np.float32) for o in model.outputs]
    variables = [v.value for v in model.trainable_variables]
    for step in range(3):
        for v in variables:
            v.grad = None
        preds = model([torch.tensor(x) for x in xs], training=True)
        if not isinstance(preds, (list, tuple)):
            preds = [preds]
        loss = sum(torch.mean((p - torch.tensor(y)) ** 2) for p, y in zip(preds, ys))
        loss.backward()
        with torch.no_grad():
            for v in variables:
                v -= 0.05 * v.grad
    after = model.predict(xs, verbose=0)
    if not isinstance(after, (list, tuple)):
        after = [after]
    for i, x in enumerate(xs):
        np.save(os.path.join(out, f"{name}_x{i}.npy"), x)
    for j, (y, a) in enumerate(zip(ys, after)):
        np.save(os.path.join(out, f"{name}_y{j}.npy"), y)
        np.save(os.path.join(out, f"{name}_after{j}.npy"), np.asarray(a, dtype=np.float32))
    print(name, [x.shape for x in xs], [y.shape for y in ys])
