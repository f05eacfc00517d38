package dev.graft.engine;

import dev.graft.model.HostArray;

/**
 * TensorFlow's AveragePooling2D(pool_size=3, strides=2, padding="same") on (batch, h, w, channels): the window
 * is padded by total = max((out - 1) * 2 + 3 - in, 0), the smaller half before, and the average is taken over the
 * window's elements inside the input only. Keras's torch backend pads and averages differently (the zoo's README),
 * so the zoo's stored outputs for this case are not TensorFlow's; graft follows TensorFlow, and is checked on this.
 */
final class TensorFlowAveragePooling {
    private TensorFlowAveragePooling() {
    }

    static HostArray same3x3Stride2(HostArray x) {
        long[] s = x.shape();
        int n = (int) s[0], h = (int) s[1], w = (int) s[2], c = (int) s[3];
        int oh = (h + 1) / 2, ow = (w + 1) / 2;
        int padTop = Math.max((oh - 1) * 2 + 3 - h, 0) / 2;
        int padLeft = Math.max((ow - 1) * 2 + 3 - w, 0) / 2;
        float[] out = new float[n * oh * ow * c];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        double sum = 0;
                        int count = 0;
                        for (int di = 0; di < 3; di++) {
                            for (int dj = 0; dj < 3; dj++) {
                                int y = i * 2 - padTop + di, xx = j * 2 - padLeft + dj;
                                if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                                sum += x.getDouble(((long) (b * h + y) * w + xx) * c + ch);
                                count++;
                            }
                        }
                        out[((b * oh + i) * ow + j) * c + ch] = (float) (sum / count);
                    }
                }
            }
        }
        return HostArray.ofFloats(new long[] {n, oh, ow, c}, out);
    }
}
