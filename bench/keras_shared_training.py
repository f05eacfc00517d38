"""Keras's verdict on training a shared layer (one layer called more than once): each model below trained by real
Keras 3.15.1 (the project's oracle, torch backend, CPU) for three full-batch SGD steps on seeded data, and its
predictions afterwards, for graft's training to be compared with (SharedLayerTrainingTest). Run:

    /work/keras-oracle/run.sh bench/keras_shared_training.py src/test/resources/keras-reference/shared-training

Reads the models from ../shared/fixtures/keras3-zoo and src/test/resources/keras-reference/{shapes,shared-attention};
writes per model NAME: NAME_x<i>.npy (inputs, 16 rows), NAME_y<j>.npy (labels), NAME_after<j>.npy (the trained model's
outputs on the inputs). Training: plain SGD (learning rate 0.05), loss mse on every output (summed), batch 16 = every
row, 3 steps. (The oracle's torch is older than Keras's trainer expects: model.fit fails in zero_grad; the steps are
taken here with torch's autograd on Keras's own forward pass, which is what fit does for plain SGD.)
"""
import os
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
}
keras.utils.set_random_seed(3)
rng = np.random.default_rng(11)
for name, path in models.items():
    model = keras.saving.load_model(path, compile=False)
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
