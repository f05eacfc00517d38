"""PyTorch references for bench/predict.sh, computing the same arithmetic as graft on the same number of rows, in chunks
of 1024 rows as graft's predict, one thread. Weights are random: only the time is compared. Prints samples per second
of the forward passes alone.
- transformer: the zoo's Keras 3 transformer encoder block (post-norm, 2 heads of key_dim 4 on 8 features, feed-forward 16
  with relu, LayerNormalization epsilon 1e-3)
- lstm_attention: bench/keras_attention_models.py's lstm_attention: LSTM(8, return_sequences) on 4 features, Keras's
  dot Attention with a scale over its own output ([h, h]), mean over the steps, Dense(1)
Usage: predict_torch.py MODEL ROWS STEPS FEATURES"""
import sys
import time

import torch

torch.set_num_threads(1)
kind, rows, steps, features = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])


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


class LstmAttention(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(features, 8, batch_first=True)
        self.scale = torch.nn.Parameter(torch.tensor(0.7))
        self.head = torch.nn.Linear(8, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        scores = torch.bmm(h, h.transpose(1, 2)) * self.scale
        a = torch.bmm(torch.softmax(scores, dim=-1), h)
        return self.head(a.mean(dim=1))


model = {"transformer": Block, "lstm_attention": LstmAttention}[kind]().eval()
x = torch.randn(rows, steps, features)
with torch.no_grad():
    model(x[:8])   # warm-up
    start = time.perf_counter()
    for i in range(0, rows, 1024):
        model(x[i:i + 1024])
    seconds = time.perf_counter() - start
print(rows / seconds)
