package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.graft.model.HostArray;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a hybrid must compute, worked out in plain Java from arrays the donors produced separately:
 * Keras's Reshape and Dense on the last axis, and the layout permutations, written out index by
 * index so that they share no code with the engine.
 */
final class Reference {
    private Reference() {
    }

    static HostArray random(long seed, long... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(HostArray.size(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return HostArray.ofFloats(shape, v);
    }

    /** A kernel (in, units) drawn like Keras's Glorot uniform, and a small non-zero bias. */
    static HostArray[] denseWeights(long seed, int in, int units) {
        SplittableRandom rng = new SplittableRandom(seed);
        double limit = Math.sqrt(6.0 / (in + units));
        float[] k = new float[in * units];
        for (int i = 0; i < k.length; i++) k[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        float[] b = new float[units];
        for (int i = 0; i < b.length; i++) b[i] = (float) ((rng.nextDouble() * 2 - 1) * 0.1);
        return new HostArray[] {HostArray.ofFloats(new long[] {in, units}, k), HostArray.ofFloats(new long[] {units}, b)};
    }

    /** Keras's Reshape: each sample's values in row-major order, regrouped. */
    static HostArray reshape(HostArray x, List<Long> target) {
        long[] shape = new long[target.size() + 1];
        shape[0] = x.shape()[0];
        for (int i = 0; i < target.size(); i++) shape[i + 1] = target.get(i);
        return x.reshape(shape);
    }

    /** Keras's Dense on the last axis of every position, in double precision. */
    static HostArray dense(HostArray x, HostArray kernel, HostArray bias, String activation) {
        long[] s = x.shape();
        int in = Math.toIntExact(kernel.shape()[0]);
        int units = Math.toIntExact(kernel.shape()[1]);
        int positions = Math.toIntExact(x.size() / in);
        float[] xs = x.toFloatArray();
        float[] k = kernel.toFloatArray();
        float[] b = bias.toFloatArray();
        float[] out = new float[positions * units];
        double[] z = new double[units];
        for (int p = 0; p < positions; p++) {
            for (int u = 0; u < units; u++) {
                double sum = b[u];
                for (int i = 0; i < in; i++) sum += (double) xs[p * in + i] * k[i * units + u];
                z[u] = sum;
            }
            activate(z, activation);
            for (int u = 0; u < units; u++) out[p * units + u] = (float) z[u];
        }
        long[] outShape = s.clone();
        outShape[outShape.length - 1] = units;
        return HostArray.ofFloats(outShape, out);
    }

    private static void activate(double[] z, String activation) {
        switch (activation) {
            case "linear": return;
            case "relu": for (int i = 0; i < z.length; i++) z[i] = Math.max(0, z[i]); return;
            case "tanh": for (int i = 0; i < z.length; i++) z[i] = Math.tanh(z[i]); return;
            case "sigmoid": for (int i = 0; i < z.length; i++) z[i] = 1 / (1 + Math.exp(-z[i])); return;
            case "softmax": {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) max = Math.max(max, v);
                double sum = 0;
                for (int i = 0; i < z.length; i++) sum += z[i] = Math.exp(z[i] - max);
                for (int i = 0; i < z.length; i++) z[i] /= sum;
                return;
            }
            default: throw new IllegalArgumentException(activation);
        }
    }

    /** (batch, steps, features) to (batch, features, steps) and back: the axes swapped by index arithmetic. */
    static HostArray swapLastTwo(HostArray x) {
        long[] s = x.shape();
        int n = (int) s[0], a = (int) s[1], b = (int) s[2];
        float[] v = x.toFloatArray();
        float[] out = new float[v.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < a; j++) {
                for (int k = 0; k < b; k++) out[(i * b + k) * a + j] = v[(i * a + j) * b + k];
            }
        }
        return HostArray.ofFloats(new long[] {n, b, a}, out);
    }

    /** (batch, h, w, c) to (batch, c, h, w), by index arithmetic. */
    static HostArray nhwcToNchw(HostArray x) {
        long[] s = x.shape();
        int n = (int) s[0], h = (int) s[1], w = (int) s[2], c = (int) s[3];
        float[] v = x.toFloatArray();
        float[] out = new float[v.length];
        for (int i = 0; i < n; i++)
            for (int y = 0; y < h; y++)
                for (int z = 0; z < w; z++)
                    for (int k = 0; k < c; k++) out[((i * c + k) * h + y) * w + z] = v[((i * h + y) * w + z) * c + k];
        return HostArray.ofFloats(new long[] {n, c, h, w}, out);
    }

    static double maxAbsDiff(HostArray expected, HostArray actual) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        double max = 0;
        for (long i = 0; i < expected.size(); i++) max = Math.max(max, Math.abs(expected.getDouble(i) - actual.getDouble(i)));
        return max;
    }
}
