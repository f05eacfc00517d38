package dev.graft.engine.layers;

/**
 * TensorFlow's image resizing along one axis as a matrix {@code R} (out × in), so that resizing is {@code R · x}: what
 * {@code tf.image.resize(antialias=False)} computes, the definition of Keras's {@code Resizing} on its TensorFlow backend
 * (Keras's torch backend computes the same for these two modes: {@code nearest-exact} and {@code bilinear} without
 * aligned corners). Both use half-pixel centres, {@code scale = in / out}:
 * <ul>
 *   <li>nearest: output {@code o} copies input {@code min(floor((o + 0.5) · scale), in - 1)};</li>
 *   <li>bilinear: {@code c = (o + 0.5) · scale - 0.5}; it mixes inputs {@code max(floor(c), 0)} and {@code min(ceil(c), in - 1)}
 *       with weights {@code 1 - (c - floor(c))} and {@code c - floor(c)}.</li>
 *   <li>bicubic ({@code resize_bicubic} with half-pixel centres): Keys' cubic with {@code a = -0.5} on the four inputs
 *       around {@code c = (o + 0.5) · scale - 0.5}; TensorFlow reads the weights from a table of 1024 steps per input
 *       ({@code round(frac(c) · 1024)}), gives taps outside the image weight 0 and divides by the remaining weights' sum.
 *       Keras's torch backend differs here (cubic {@code a = -0.75}, border taps clamped), graft follows TensorFlow.</li>
 *   <li>area ({@code resize_area}, TensorFlow's legacy coordinates without half-pixel centres): output {@code o} averages
 *       the input cells over {@code [o · scale, (o + 1) · scale)}, each weighted by the part of it inside (Keras's torch
 *       backend has no area resize).</li>
 * </ul>
 * Positions are computed in float, as TensorFlow's kernels do.
 */
public final class ResizeWeights {
    private ResizeWeights() {
    }

    public static double[][] nearest(int in, int out) {
        double[][] r = new double[out][in];
        float scale = (float) in / out;
        for (int o = 0; o < out; o++) {
            int i = (int) Math.min((long) Math.floor((o + 0.5f) * scale), in - 1);
            r[o][Math.max(i, 0)] = 1;
        }
        return r;
    }

    public static double[][] bilinear(int in, int out) {
        double[][] r = new double[out][in];
        float scale = (float) in / out;
        for (int o = 0; o < out; o++) {
            float c = (o + 0.5f) * scale - 0.5f;
            double floor = Math.floor(c);
            int lower = (int) Math.max(floor, 0);
            int upper = (int) Math.min(Math.ceil(c), in - 1);
            float lerp = (float) (c - floor);
            r[o][lower] += 1 - lerp;
            r[o][upper] += lerp;
        }
        return r;
    }

    private static final int TABLE_SIZE = 1024;
    private static final float[] KEYS_CUBIC = keysCubicTable(-0.5f);

    /** TensorFlow's coefficient table: entry {@code 2i} weighs the tap at distance {@code i/1024}, {@code 2i+1} at {@code i/1024 + 1}. */
    private static float[] keysCubicTable(float a) {
        float[] t = new float[(TABLE_SIZE + 1) * 2];
        for (int i = 0; i <= TABLE_SIZE; i++) {
            float x = (float) (i * 1.0 / TABLE_SIZE);
            t[i * 2] = ((a + 2) * x - (a + 3)) * x * x + 1;
            x += 1.0f;
            t[i * 2 + 1] = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        return t;
    }

    public static double[][] bicubic(int in, int out) {
        double[][] r = new double[out][in];
        float scale = (float) in / out;
        for (int o = 0; o < out; o++) {
            float c = (o + 0.5f) * scale - 0.5f;
            long loc = (long) Math.floor(c);
            float delta = c - loc;
            int offset = (int) Math.rint(delta * TABLE_SIZE);
            float[] w = {KEYS_CUBIC[offset * 2 + 1], KEYS_CUBIC[offset * 2], KEYS_CUBIC[(TABLE_SIZE - offset) * 2],
                    KEYS_CUBIC[(TABLE_SIZE - offset) * 2 + 1]};
            float sum = 0;
            for (int k = 0; k < 4; k++) {
                long tap = loc - 1 + k;
                if (tap < 0 || tap >= in) w[k] = 0;
                sum += w[k];
            }
            float inverse = Math.abs(sum) >= 1000.0f * Float.MIN_NORMAL ? 1.0f / sum : 1.0f;
            for (int k = 0; k < 4; k++) {
                if (w[k] == 0) continue;
                r[o][(int) (loc - 1 + k)] += w[k] * inverse;
            }
        }
        return r;
    }

    public static double[][] area(int in, int out) {
        double[][] r = new double[out][in];
        float scale = (float) in / out;
        for (int o = 0; o < out; o++) {
            float from = o * scale;
            float to = (o + 1) * scale;
            long start = (long) Math.floor(from);
            long end = (long) Math.ceil(to);
            for (long i = start; i < end; i++) {
                float part = i < from ? (i + 1 > to ? scale : i + 1 - from) : (i + 1 > to ? to - i : 1.0f);
                r[o][(int) Math.min(Math.max(i, 0), in - 1)] += part / scale;
            }
        }
        return r;
    }
}
