package dev.graft.surgery;

import java.util.SplittableRandom;

/**
 * Keras's default weight initializers, drawn from a seeded generator so that the same command
 * gives the same file: Glorot-uniform kernels, orthogonal recurrent kernels, zero biases.
 */
public final class Initializers {
    private Initializers() {
    }

    /** {@code GlorotUniform}: U(-l, l) with {@code l = sqrt(6 / (fanIn + fanOut))}. */
    public static float[] glorotUniform(long fanIn, long fanOut, int count, SplittableRandom rng) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] w = new float[count];
        for (int i = 0; i < count; i++) w[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        return w;
    }

    /**
     * {@code Orthogonal}: a (rows × cols) matrix with orthonormal rows or columns (whichever are
     * fewer), from Gram-Schmidt on normally distributed values, row-major.
     */
    public static float[] orthogonal(int rows, int cols, SplittableRandom rng) {
        boolean transpose = rows < cols;
        int n = transpose ? cols : rows;   // long side
        int k = transpose ? rows : cols;   // vectors to orthonormalise, each of length n
        double[][] v = new double[k][n];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < n; i++) v[j][i] = gaussian(rng);
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += v[j][i] * v[p][i];
                for (int i = 0; i < n; i++) v[j][i] -= dot * v[p][i];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += v[j][i] * v[j][i];
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) v[j][i] /= norm;
        }
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[r * cols + c] = (float) (transpose ? v[r][c] : v[c][r]);
        }
        return out;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
