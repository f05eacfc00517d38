package dev.graft.engine.layers;

import java.util.Arrays;

/**
 * Multi-head dot-product attention over short sequences, computed on batch columns: each {@code float[]} holds one
 * (step, feature) value of every sample of the batch, so every loop runs over the batch, which the JIT vectorises
 * (row by row, the loops over 4 key dimensions and 5 steps are too short for it: JFR put a third of a transformer
 * block's predict time in them). The arithmetic is {@link SmallAttention#dot}'s, value for value: per sample, head and
 * query step, scaled scores, Keras's {@code -1e9} on causally hidden key steps, a softmax over the key steps and the
 * weighted sum of the values.
 *
 * <p>Columns are indexed {@code (step · heads + head) · dim + d}: the {@code [batch, steps, heads·dim]} projections of
 * {@link RowProducts#times(float[][], float[], float[], int)} applied step by step.
 */
final class BatchColumnAttention {
    private BatchColumnAttention() {
    }

    /** {@code x}'s columns ({@code steps · in} of them) times {@code kernel [in, n]} plus {@code bias}, step by step: {@code steps · n} columns. */
    static float[][] project(float[][] x, int steps, int in, float[] kernel, float[] bias, int n) {
        float[][] out = new float[steps * n][];
        for (int t = 0; t < steps; t++) {
            float[][] step = RowProducts.times(Arrays.copyOfRange(x, t * in, (t + 1) * in), kernel, bias, n);
            System.arraycopy(step, 0, out, t * n, n);
        }
        return out;
    }

    /**
     * {@code context[(i · heads + h) · valueDim + e] = Σ_j softmax_j(scale · q(i, h) · k(j, g)) · v(j, g)[e]} with
     * {@code g = h / (heads / kvHeads)}, for every sample at once.
     */
    static float[][] dot(float[][] q, float[][] k, float[][] v, int batch, int tq, int tk, int heads, int kvHeads, int keyDim, int valueDim,
                         float scale, boolean causal) {
        float[][] context = new float[tq * heads * valueDim][batch];
        float[][] s = new float[tk][batch];
        float[] max = new float[batch];
        float[] sum = new float[batch];
        BulkFloatMath math = new BulkFloatMath();
        int per = heads / kvHeads;
        for (int h = 0; h < heads; h++) {
            int g = h / per;
            for (int i = 0; i < tq; i++) {
                for (int j = 0; j < tk; j++) {
                    float[] sj = s[j];
                    Arrays.fill(sj, 0f);
                    for (int d = 0; d < keyDim; d++) {
                        float[] qa = q[(i * heads + h) * keyDim + d];
                        ColumnKernels.addProducts(sj, qa, k[(j * kvHeads + g) * keyDim + d], batch);
                    }
                    float hide = causal && j > i ? -1e9f : 0f;
                    for (int b = 0; b < batch; b++) sj[b] = sj[b] * scale + hide;
                }
                softmax(s, max, sum, batch, math);
                for (int e = 0; e < valueDim; e++) {
                    float[] c = context[(i * heads + h) * valueDim + e];
                    for (int j = 0; j < tk; j++) {
                        ColumnKernels.addProducts(c, s[j], v[(j * kvHeads + g) * valueDim + e], batch);
                    }
                }
            }
        }
        return context;
    }

    /** The scores {@code s[j][b]} become softmax weights over {@code j}, for each sample {@code b}, in place. */
    private static void softmax(float[][] s, float[] max, float[] sum, int batch, BulkFloatMath math) {
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (float[] sj : s) ColumnKernels.max(max, sj, batch);
        Arrays.fill(sum, 0f);
        for (float[] sj : s) {
            ColumnKernels.subtract(sj, max, batch);
            math.exp(sj, 0, batch);
            ColumnKernels.add(sum, sj, batch);
        }
        for (float[] sj : s) for (int b = 0; b < batch; b++) sj[b] /= sum[b];
    }
}
