# Run: /work/keras-oracle/run.sh bench/two_heads_reference.py samples > src/test/resources/keras-reference/two_heads_sgd_step.json
# Reference for TrainMultiOutputTest: one SGD step (learning rate 0.1, the whole 600 rows as one batch) on
# samples/two_heads.h5 with loss = binary_crossentropy(positive) + 0.5 * categorical_crossentropy(kind),
# the weights read by Keras 3.15.1 and the step computed by torch autograd (the oracle cannot run fit).
import keras, numpy as np, json, sys, torch
d = sys.argv[1]
m = keras.saving.load_model(d + "/two_heads.h5", compile=False)
W = {l.name: [torch.tensor(np.array(w), dtype=torch.float64, requires_grad=True) for w in l.get_weights()] for l in m.layers if l.get_weights()}
x = [torch.tensor(np.load(d + "/two_heads_numbers.npy"), dtype=torch.float64), torch.tensor(np.load(d + "/two_heads_flags.npy"), dtype=torch.float64)]
y = [torch.tensor(np.load(d + "/two_heads_positive.npy"), dtype=torch.float64), torch.tensor(np.load(d + "/two_heads_kind.npy"), dtype=torch.float64)]
def forward(xs):
    h = torch.relu(torch.cat(xs, 1) @ W["shared"][0] + W["shared"][1])
    return torch.sigmoid(h @ W["positive"][0] + W["positive"][1]), torch.softmax(h @ W["kind"][0] + W["kind"][1], 1)
p, k = forward(x)
bce = -(y[0] * torch.log(p) + (1 - y[0]) * torch.log(1 - p)).mean()
cce = -(y[1] * torch.log(k)).sum(1).mean()
loss = bce + 0.5 * cce
loss.backward()
with torch.no_grad():
    for ws in W.values():
        for w in ws: w -= 0.1 * w.grad
    p2, k2 = forward([a[:4] for a in x])
print(json.dumps({"loss": loss.item(), "positive_loss": bce.item(), "kind_loss": cce.item(),
                  "positive_first4": p2.ravel().tolist(), "kind_first4": k2.ravel().tolist()}))
