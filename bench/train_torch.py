"""Reference for bench/train.sh: the model of the same name trained in PyTorch with the same layer sizes, optimizer,
loss, batch size and data as graft trains it, on one thread like graft. Prints the training throughput (samples per
second, batch loop only).

Models:
  mlp   the samples' example-3 hybrid (frozen donors, trainable dense:32 bridge), Adam 0.01, binary cross-entropy,
        samples/example3_train.csv (the first 80% of the rows, as graft's --validation-split 0.2 keeps)
  cnn   the MNIST CNN (../shared/fixtures/wild/mnist_digit.keras) trained whole, Adam 0.001, categorical
        cross-entropy, Dropout 0.5 active, on X.npy (N, 28, 28, 1) and one-hot Y.npy (fed channels-first to PyTorch)
  ts    the time-series hybrid samples/ts_extractor.h5 + dense:8 + samples/ts_lstm.h5 trained whole (Conv1D 4->16
        same relu, MaxPooling1D 2, per-step Dense 16->8 relu, LSTM(32), Dense sigmoid), Adam 0.001, binary
        cross-entropy, samples/ts_train_x.npy and ts_train_y.npy
Usage: train_torch.py mlp CSV EPOCHS BATCH | train_torch.py cnn|ts X.npy Y.npy EPOCHS BATCH"""
import sys, time
import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(42)
name = sys.argv[1]


def frozen(layer):
    for p in layer.parameters():
        p.requires_grad_(False)
    return layer


class Ts(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv1d(4, 16, 3, padding=1)
        self.bridge = torch.nn.Linear(16, 8)
        self.lstm = torch.nn.LSTM(8, 32, batch_first=True)
        self.dense = torch.nn.Linear(32, 1)

    def forward(self, x):                                   # x: (batch, steps, features), as Keras
        h = torch.relu(self.conv(x.transpose(1, 2)))
        h = torch.nn.functional.max_pool1d(h, 2).transpose(1, 2)
        out, _ = self.lstm(torch.relu(self.bridge(h)))
        return torch.sigmoid(self.dense(out[:, -1]))


if name == "mlp":
    csv, epochs, batch = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    data = np.loadtxt(csv, delimiter=",", skiprows=1, dtype=np.float32)
    n = int(len(data) * 0.8)
    x, y = torch.from_numpy(data[:n, :10]), torch.from_numpy(data[:n, 10:11])
    bridge = torch.nn.Linear(64, 32)
    model = torch.nn.Sequential(frozen(torch.nn.Linear(10, 128)), torch.nn.ReLU(), frozen(torch.nn.Linear(128, 64)), torch.nn.ReLU(),
                                bridge, torch.nn.ReLU(), frozen(torch.nn.Linear(32, 16)), torch.nn.ReLU(), frozen(torch.nn.Linear(16, 1)),
                                torch.nn.Sigmoid())
    opt = torch.optim.Adam(bridge.parameters(), lr=0.01, eps=1e-7)
    loss_fn = torch.nn.BCELoss()
else:
    x, y = torch.from_numpy(np.load(sys.argv[2])), torch.from_numpy(np.load(sys.argv[3]))
    epochs, batch = int(sys.argv[4]), int(sys.argv[5])
    n = len(x)
    if name == "cnn":
        x = x.permute(0, 3, 1, 2).contiguous()
        model = torch.nn.Sequential(torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                    torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                    torch.nn.Flatten(), torch.nn.Dropout(0.5), torch.nn.Linear(1600, 10))
        y = y.argmax(dim=1)
        loss_fn = torch.nn.CrossEntropyLoss()               # softmax + categorical cross-entropy, as one op
    else:
        model = Ts()
        y = y.reshape(-1, 1)
        loss_fn = torch.nn.BCELoss()
    opt = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
model.train()
elapsed = 0.0
for epoch in range(epochs):
    order = torch.randperm(n)
    start = time.perf_counter()
    for i in range(0, n, batch):
        idx = order[i:i + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    elapsed += time.perf_counter() - start
print(f"{n * epochs / elapsed:.1f}")
