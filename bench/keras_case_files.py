"""Shared helpers of the bench/keras_*_models.py scripts (and keras_issue12_attention.py) that write the Keras reference
models under src/test/resources/keras-reference (run with the Keras oracle, /work/keras-oracle/run.sh). Not a script
itself: the scripts import it by name, Python putting a script's own folder on sys.path. (bench/keras_reference.py is
something else: the optimizer/loss reference numbers.)

Each script makes per model NAME: NAME.h5, NAME.keras and NAME_inputs_and_outputs.h5 (the keras3-zoo layout:
inputs/<input name>, outputs/output_0, ..., root attributes inputs/outputs as JSON lists, computed_by, case).
What differs between scripts is a parameter of CaseWriter: the family in the `case` attribute, the seed offset of
the weights, the embedding row-0 rule, which saved files Keras must reload to the same numbers.
"""
import json
import os

import h5py
import numpy as np
import keras


def patch_torch_tuple_dims():
    """torch 1.13 (the oracle's) lacks torch.any/torch.all over a tuple of dims, which Keras's Masking uses:
    reduce one dim at a time instead. No arithmetic changes."""
    import torch

    def tuple_dims(reduce):
        def wrapped(x, dim=None, keepdim=False, **kw):
            if isinstance(dim, (tuple, list)):
                for d in sorted((d % x.ndim for d in dim), reverse=True):
                    x = reduce(x, dim=d, keepdim=keepdim, **kw)
                return x
            return reduce(x, **kw) if dim is None else reduce(x, dim=dim, keepdim=keepdim, **kw)
        return wrapped

    torch.any = tuple_dims(torch.any)
    torch.all = tuple_dims(torch.all)


def randomize(model, rng, embedding_row0=False, variance_uniform=False):
    """Every weight N(0, 0.5) from rng, in model.weights order. embedding_row0: row 0 of every embedding far from
    zero (Keras returns row 0's stored vector at index 0 of a mask_zero Embedding, not zeros). variance_uniform: a
    BatchNormalization variance is drawn from U(0.5, 2) instead (a variance must stay positive)."""
    for w in model.weights:
        if variance_uniform and "variance" in w.path:
            v = rng.uniform(0.5, 2.0, size=w.shape).astype("float32")
        else:
            v = rng.normal(0, 0.5, size=w.shape).astype("float32")
            if embedding_row0 and "embed" in w.path:
                v[0] = 1.0 + np.abs(v[0])
        w.assign(v)


def sgd_step(model, inputs, target, rate=0.1):
    """One SGD step as Keras's fit takes it (mse loss, the rows as one batch, training-mode forward so batch statistics
    are used and moving statistics updated); the oracle's torch 1.13 cannot run fit, so the gradient is torch autograd
    on Keras's own forward. Returns the step's loss (a torch scalar)."""
    import torch
    pred = model(torch.tensor(inputs), training=True)
    loss = torch.mean((pred - torch.tensor(target)) ** 2)
    loss.backward()
    with torch.no_grad():
        for v in model.trainable_variables:
            v.assign(v.value - rate * v.value.grad)
    return loss


def save_training_step(folder, name, model, inputs, rng, layer_class):
    """NAME.h5, NAME.keras and NAME_inputs_and_outputs.h5 with one SGD step (sgd_step) towards the model's predictions
    plus noise: the inputs, the predictions, the target, the step's loss and the predictions after it."""
    model.save(os.path.join(folder, name + ".h5"))
    model.save(os.path.join(folder, name + ".keras"))
    y = model.predict(inputs, verbose=0)
    target = (y + rng.normal(0, 0.5, size=y.shape)).astype("float32")
    loss = sgd_step(model, inputs, target)
    after = model.predict(inputs, verbose=0)
    with h5py.File(os.path.join(folder, name + "_inputs_and_outputs.h5"), "w") as f:
        f.create_dataset("inputs/x", data=inputs)
        f.create_dataset("outputs/output_0", data=y)
        f.create_dataset("training/y", data=target)
        f.create_dataset("training/loss", data=np.float64(loss.item()))
        f.create_dataset("training/after", data=after)
        f.attrs["inputs"] = json.dumps(["x"])
        f.attrs["outputs"] = json.dumps(["output_0"])
        f.attrs["computed_by"] = "keras %s (%s)" % (keras.__version__, keras.backend.backend())
        f.attrs["case"] = json.dumps({"family": "training step", "layer_class": layer_class, "model": name})
    print(name, "ok", float(loss.item()))


def as_list(ys):
    return list(ys) if isinstance(ys, (list, tuple)) else [ys]


def write_io(path, names, inputs, ys, case):
    """NAME_inputs_and_outputs.h5 in the keras3-zoo layout."""
    with h5py.File(path, "w") as f:
        for n, x in zip(names, inputs):
            f.create_dataset("inputs/" + n, data=x)
        for i, y in enumerate(ys):
            f.create_dataset("outputs/output_%d" % i, data=np.asarray(y))
        f.attrs["inputs"] = json.dumps(names)
        f.attrs["outputs"] = json.dumps(["output_%d" % i for i in range(len(ys))])
        f.attrs["computed_by"] = "keras %s (%s)" % (keras.__version__, keras.backend.backend())
        f.attrs["case"] = json.dumps(case)


class CaseWriter:
    """save(name, model, inputs): random weights (seeded by len(name) + seed_offset), NAME.h5 and NAME.keras,
    Keras's predictions, the reload check, NAME_inputs_and_outputs.h5.

    reload: the extensions (".h5", ".keras") Keras must reload to the same predictions (max abs diff < 1e-6).
    drop_unreloadable: a file of `reload` Keras cannot reload is removed with a note instead of failing (Keras 3.15's
    .h5 reader cannot reload Attention's score_mode). only: names to make (empty: all); verbose: print each model's
    output shapes."""

    def __init__(self, out, family, seed_offset=0, embedding_row0=False, reload=(), drop_unreloadable=False,
                 only=(), verbose=False):
        self.out = out
        self.family = family
        self.seed_offset = seed_offset
        self.embedding_row0 = embedding_row0
        self.reload = tuple(reload)
        self.drop_unreloadable = drop_unreloadable
        self.only = set(only)
        self.verbose = verbose
        os.makedirs(out, exist_ok=True)

    def save(self, name, model, inputs):
        if self.only and name not in self.only:
            return
        randomize(model, np.random.default_rng(len(name) + self.seed_offset), self.embedding_row0)
        for ext in (".h5", ".keras"):
            model.save(os.path.join(self.out, name + ext))
        ys = as_list(model.predict(inputs, verbose=0))
        for ext in self.reload:
            path = os.path.join(self.out, name + ext)
            try:
                again = keras.models.load_model(path, compile=False).predict(inputs, verbose=0)
            except Exception as e:
                if not self.drop_unreloadable:
                    raise
                print(name + ext, "not reloadable by Keras:", str(e).splitlines()[0][:100])
                os.remove(path)
                continue
            again = as_list(again)
            assert all(np.abs(a - b).max() < 1e-6 for a, b in zip(ys, again)), (path, [np.abs(a - b).max() for a, b in zip(ys, again)])
        write_io(os.path.join(self.out, name + "_inputs_and_outputs.h5"), [t.name for t in model.inputs], inputs, ys,
                 {"family": self.family, "layer_class": "Composite", "args": {}, "model": name})
        if self.verbose:
            print(name, [tuple(np.asarray(y).shape) for y in ys])
