"""Reference for bench/train.sh: the samples' example-3 hybrid (frozen donors, trainable dense:32
bridge) trained in PyTorch with the same layer sizes, optimizer, loss, batch size and data, on one
thread like graft. Prints the training throughput (samples per second, batch loop only)."""
import sys, time
import numpy as np
import torch

csv, epochs, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(1)
torch.manual_seed(42)
data = np.loadtxt(csv, delimiter=",", skiprows=1, dtype=np.float32)
n = int(len(data) * 0.8)  # graft's --validation-split 0.2 keeps the first 80% for training
x = torch.from_numpy(data[:n, :10])
y = torch.from_numpy(data[:n, 10:11])

def frozen(layer):
    for p in layer.parameters():
        p.requires_grad_(False)
    return layer

first = [frozen(torch.nn.Linear(10, 128)), frozen(torch.nn.Linear(128, 64))]
bridge = torch.nn.Linear(64, 32)
second = [frozen(torch.nn.Linear(32, 16)), frozen(torch.nn.Linear(16, 1))]
model = torch.nn.Sequential(first[0], torch.nn.ReLU(), first[1], torch.nn.ReLU(), bridge, torch.nn.ReLU(),
                            second[0], torch.nn.ReLU(), second[1], torch.nn.Sigmoid())
opt = torch.optim.Adam(bridge.parameters(), lr=0.01, eps=1e-7)
loss_fn = torch.nn.BCELoss()
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
