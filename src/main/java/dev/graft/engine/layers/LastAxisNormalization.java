package dev.graft.engine.layers;

import dev.graft.engine.layers.KerasNormalizationLayer.Mode;

/**
 * {@link KerasNormalizationLayer}'s arithmetic on row-major float arrays whose last axis holds the features, for its
 * inference pass without SameDiff: each group of {@code features} consecutive values (a row) is normalised on its own,
 * with the graph's formulas in float. The work runs on feature columns ({@link RowProducts#columns}) so that each step
 * (sum, variance, square root, scaling) is one loop over all rows, which the JIT vectorises; row by row, the square root
 * and divisions of every row of a few features cost more than the rest.
 */
final class LastAxisNormalization {
    private LastAxisNormalization() {
    }

    /**
     * The normalised values of {@code x} ({@code x.length / features} rows of {@code features}); {@code gamma} and
     * {@code beta} (length {@code features}) or null when the layer has none.
     */
    static float[] apply(float[] x, int features, Mode mode, float epsilon, float[] gamma, float[] beta) {
        int rows = x.length / features;
        float[][] c = RowProducts.columns(x, rows, features);
        normalise(c, c, rows, mode, epsilon, gamma, beta);
        return RowProducts.rows(c);
    }

    /**
     * The same arithmetic on feature columns: {@code in[i][r]} is feature {@code i} of row {@code r}; the normalised
     * values go to {@code out} (arrays of {@code rows}, which may be {@code in}'s own).
     */
    static void normalise(float[][] in, float[][] out, int rows, Mode mode, float epsilon, float[] gamma, float[] beta) {
        int n = in.length;
        boolean centred = mode == Mode.LAYER || mode == Mode.LAYER_RMS_SCALING;
        float[] mean = new float[rows];
        if (centred) {
            for (float[] f : in) ColumnKernels.add(mean, f, rows);
            for (int r = 0; r < rows; r++) mean[r] /= n;
        }
        // squares about the mean (LAYER, LAYER_RMS_SCALING) or about 0 (RMS, UNIT)
        float[] inv = new float[rows];
        for (float[] f : in) ColumnKernels.addSquaredDifferences(inv, f, mean, rows);
        // rsqrt of the variance or the mean square plus epsilon; UNIT: of the sum of squares
        if (mode == Mode.UNIT) {
            for (int r = 0; r < rows; r++) inv[r] = 1f / (float) Math.sqrt(Math.max(inv[r], 1e-24f));
        } else {
            for (int r = 0; r < rows; r++) inv[r] = 1f / (float) Math.sqrt(inv[r] / n + epsilon);
        }
        float[] shift = mode == Mode.LAYER ? mean : new float[rows];
        for (int i = 0; i < n; i++) {
            ColumnKernels.shiftScale(out[i], in[i], shift, inv, gamma == null ? 1f : gamma[i], beta == null ? 0f : beta[i], rows);
        }
    }
}
