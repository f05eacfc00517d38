"""PyTorch reference for bench/predict.sh: the same arithmetic as the graft model of the same name, on the same number
of rows, in chunks of 1024 rows as graft's predict, one thread, inference mode (no autograd). Weights are random: only
the time is compared. Prints samples per second of the forward passes alone.

Models (each as its Keras original computes it):
  cnn          the MNIST CNN of ../shared/fixtures/wild/mnist_digit.keras: Conv2D(32, 3) relu, MaxPooling2D, Conv2D(64, 3)
               relu, MaxPooling2D, Flatten, Dropout (inactive), Dense(10) softmax, on (28, 28, 1) images (fed to PyTorch
               in its own channels-first layout)
  lstm         samples/ts_lstm.h5: LSTM(32) over (16, 8) sequences, last step, Dense(1) sigmoid
  mlp          the seed's example-3 hybrid: Dense 10-128-64 relu, bridge 64-32 relu, Dense 32-16 relu, 16-1 sigmoid
  transformer  the zoo's Keras 3 transformer encoder block (post-norm, 2 heads of key_dim 4 on (5, 8), feed-forward 16
               relu, LayerNormalization epsilon 1e-3)
  lstm_attention  bench/keras_attention_models.py's lstm_attention: LSTM(8, return_sequences) on (10, 4), Keras's dot
               Attention with a scale over its own output ([h, h]), mean over the steps, Dense(1)
Usage: predict_torch.py MODEL ROWS"""
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(1)
name, rows = sys.argv[1], int(sys.argv[2])


class Transformer(torch.nn.Module):
    shape = (5, 8)

    def __init__(self):
        super().__init__()
        self.mha = torch.nn.MultiheadAttention(8, 2, batch_first=True)
        self.norm1 = torch.nn.LayerNorm(8, eps=1e-3)
        self.ff1 = torch.nn.Linear(8, 16)
        self.ff2 = torch.nn.Linear(16, 8)
        self.norm2 = torch.nn.LayerNorm(8, eps=1e-3)

    def forward(self, x):
        a, _ = self.mha(x, x, x, need_weights=False)
        h = self.norm1(x + a)
        return self.norm2(h + self.ff2(torch.relu(self.ff1(h))))


class Lstm(torch.nn.Module):
    shape = (16, 8)

    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(8, 32, batch_first=True)
        self.dense = torch.nn.Linear(32, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return torch.sigmoid(self.dense(out[:, -1]))


class LstmAttention(torch.nn.Module):
    shape = (10, 4)

    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(4, 8, batch_first=True)
        self.scale = torch.nn.Parameter(torch.tensor(0.7))
        self.head = torch.nn.Linear(8, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        scores = torch.bmm(h, h.transpose(1, 2)) * self.scale
        a = torch.bmm(torch.softmax(scores, dim=-1), h)
        return self.head(a.mean(dim=1))


def cnn():
    m = torch.nn.Sequential(torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                            torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                            torch.nn.Flatten(), torch.nn.Dropout(0.5), torch.nn.Linear(1600, 10), torch.nn.Softmax(dim=1))
    m.shape = (1, 28, 28)
    return m


def mlp():
    m = torch.nn.Sequential(torch.nn.Linear(10, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64), torch.nn.ReLU(),
                            torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 16), torch.nn.ReLU(),
                            torch.nn.Linear(16, 1), torch.nn.Sigmoid())
    m.shape = (10,)
    return m


model = {"transformer": Transformer, "lstm": Lstm, "cnn": cnn, "mlp": mlp, "lstm_attention": LstmAttention}[name]().eval()
x = torch.randn(rows, *model.shape)
with torch.no_grad():
    model(x[:8])   # warm-up
    start = time.perf_counter()
    for i in range(0, rows, 1024):
        model(x[i:i + 1024])
    seconds = time.perf_counter() - start
print(rows / seconds)
