"""PyTorch reference for bench/predict.sh: the zoo's Keras 3 transformer encoder block (post-norm, 2 heads of key_dim 4
on 8 features, feed-forward 16 with relu, LayerNormalization epsilon 1e-3) computing the same arithmetic on the same
number of rows, in chunks of 1024 rows as graft's predict, one thread. Weights are random: only the time is compared.
Prints samples per second of the forward passes alone.
Usage: predict_torch.py ROWS STEPS FEATURES"""
import sys
import time

import torch

torch.set_num_threads(1)
rows, steps, features = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.mha = torch.nn.MultiheadAttention(features, 2, batch_first=True)
        self.norm1 = torch.nn.LayerNorm(features, eps=1e-3)
        self.ff1 = torch.nn.Linear(features, 16)
        self.ff2 = torch.nn.Linear(16, features)
        self.norm2 = torch.nn.LayerNorm(features, eps=1e-3)

    def forward(self, x):
        a, _ = self.mha(x, x, x, need_weights=False)
        h = self.norm1(x + a)
        return self.norm2(h + self.ff2(torch.relu(self.ff1(h))))


model = Block().eval()
x = torch.randn(rows, steps, features)
with torch.no_grad():
    model(x[:8])   # warm-up
    start = time.perf_counter()
    for i in range(0, rows, 1024):
        model(x[i:i + 1024])
    seconds = time.perf_counter() - start
print(rows / seconds)
