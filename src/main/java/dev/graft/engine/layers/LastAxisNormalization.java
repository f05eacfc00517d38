package dev.graft.engine.layers;

import dev.graft.engine.layers.KerasNormalizationLayer.Mode;

/**
 * {@link KerasNormalizationLayer}'s arithmetic on row-major float arrays whose last axis holds the features, for its
 * inference pass without SameDiff: each group of {@code features} consecutive values is normalised on its own, with
 * the graph's formulas (sums in double, so no worse than the graph's float reductions).
 */
final class LastAxisNormalization {
    private LastAxisNormalization() {
    }

    /**
     * The normalised values of {@code x} ({@code x.length / features} rows of {@code features}); {@code gamma} and
     * {@code beta} (length {@code features}) or null when the layer has none.
     */
    static float[] apply(float[] x, int features, Mode mode, float epsilon, float[] gamma, float[] beta) {
        float[] y = new float[x.length];
        int n = features;
        for (int o = 0; o + n <= x.length; o += n) {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += x[o + i];
            float mean = (float) (sum / n);
            double squares = 0;
            if (mode == Mode.LAYER || mode == Mode.LAYER_RMS_SCALING) {
                for (int i = 0; i < n; i++) {
                    float d = x[o + i] - mean;
                    squares += d * d;
                }
            } else {
                for (int i = 0; i < n; i++) squares += x[o + i] * x[o + i];
            }
            // the variance (LAYER, LAYER_RMS_SCALING) or the mean square (RMS) plus epsilon; UNIT: the sum of squares
            float inv = mode == Mode.UNIT ? rsqrt(Math.max((float) squares, 1e-24f)) : rsqrt((float) (squares / n) + epsilon);
            float shift = mode == Mode.LAYER ? mean : 0f;
            for (int i = 0; i < n; i++) {
                float v = (x[o + i] - shift) * inv;
                if (gamma != null) v *= gamma[i];
                if (beta != null) v += beta[i];
                y[o + i] = v;
            }
        }
        return y;
    }

    private static float rsqrt(float v) {
        return (float) (1.0 / Math.sqrt(v));
    }
}
