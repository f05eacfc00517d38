package dev.graft.engine;

import dev.graft.model.HostArray;

/**
 * Bicubic resizing of (batch, h, w, channels) images with half-pixel centres, written out per output pixel (not as graft's
 * matrices) in the two flavours Keras's backends compute: TensorFlow's {@code resize_bicubic} (Keys' cubic with
 * a = -0.5 read from a 1024-step table, taps outside the image weighted 0 and the rest renormalised: the definition graft
 * follows) and PyTorch's {@code interpolate(mode="bicubic")} (the exact cubic with a = -0.75, taps clamped to the border:
 * what Keras's torch backend, and so the zoo's stored outputs, computed). The torch flavour reproducing the zoo's stored
 * numbers checks the sampling positions and the 2-d sum shared with the TensorFlow flavour.
 */
final class BicubicReference {
    private BicubicReference() {
    }

    static HostArray tensorFlow(HostArray x, int outH, int outW) {
        return resize(x, outH, outW, true);
    }

    static HostArray torch(HostArray x, int outH, int outW) {
        return resize(x, outH, outW, false);
    }

    private static HostArray resize(HostArray x, int outH, int outW, boolean tf) {
        long[] s = x.shape();
        int n = (int) s[0], h = (int) s[1], w = (int) s[2], c = (int) s[3];
        float[] out = new float[n * outH * outW * c];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < outH; i++) {
                int[] yi = new int[4];
                float[] wy = taps(i, h, outH, tf, yi);
                for (int j = 0; j < outW; j++) {
                    int[] xi = new int[4];
                    float[] wx = taps(j, w, outW, tf, xi);
                    for (int ch = 0; ch < c; ch++) {
                        double sum = 0;
                        for (int p = 0; p < 4; p++) {
                            for (int q = 0; q < 4; q++) {
                                sum += (double) wy[p] * wx[q] * x.getDouble(((long) (b * h + yi[p]) * w + xi[q]) * c + ch);
                            }
                        }
                        out[((b * outH + i) * outW + j) * c + ch] = (float) sum;
                    }
                }
            }
        }
        return HostArray.ofFloats(new long[] {n, outH, outW, c}, out);
    }

    /** The four input indices (into {@code index}) and their weights for output {@code o}. */
    private static float[] taps(int o, int in, int out, boolean tf, int[] index) {
        float scale = (float) in / out;
        float centre = (o + 0.5f) * scale - 0.5f;
        int floor = (int) Math.floor(centre);
        float t = centre - floor;
        float a = tf ? -0.5f : -0.75f;
        if (tf) t = Math.round(t * 1024) / 1024f;   // TensorFlow's table step (ties are far from these inputs)
        float[] wt = {far(t + 1, a), near(t, a), near(1 - t, a), far(2 - t, a)};
        float sum = 0;
        for (int k = 0; k < 4; k++) {
            int tap = floor - 1 + k;
            index[k] = Math.min(Math.max(tap, 0), in - 1);
            if (tf && tap != index[k]) wt[k] = 0;
            sum += wt[k];
        }
        if (tf) for (int k = 0; k < 4; k++) wt[k] /= sum;
        return wt;
    }

    private static float near(float x, float a) {
        return ((a + 2) * x - (a + 3)) * x * x + 1;
    }

    private static float far(float x, float a) {
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    }
}
