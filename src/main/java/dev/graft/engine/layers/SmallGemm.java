package dev.graft.engine.layers;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * {@code c = a·b + beta·c} on row-major heap matrices, through the BLAS ND4J itself calls ({@code cblas_sgemm} of
 * OpenBLAS, as ND4J's CPU backend does) without an INDArray around each operand: for the small matrices of a recurrent
 * step, ND4J's cost per operation is many times the product's. Plain Java loops when that BLAS cannot be loaded.
 */
final class SmallGemm {
    private static final boolean BLAS = blasLoads();

    private SmallGemm() {
    }

    /**
     * @param transA use {@code a}ᵀ: {@code a} is stored {@code [k][m]} instead of {@code [m][k]}
     * @param transB use {@code b}ᵀ: {@code b} is stored {@code [n][k]} instead of {@code [k][n]}
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float beta, float[] c) {
        if (BLAS) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                    transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, m, n, k, 1f, a, transA ? m : k, b, transB ? k : n,
                    beta, c, n);
        } else {
            inJava(transA, transB, m, n, k, a, b, beta, c);
        }
    }

    /**
     * The same product on native row-major matrices (buffers a caller keeps from step to step, so that a large operand
     * crosses between the heap and native memory once, not at every product that reads it). Needs the BLAS: {@link #hasBlas()}.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, FloatPointer a, FloatPointer b, float beta, FloatPointer c) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, m, n, k, 1f, a.position(0), transA ? m : k, b.position(0),
                transB ? k : n, beta, c.position(0), n);
    }

    /** Whether ND4J's BLAS is there for the products on native buffers. */
    static boolean hasBlas() {
        return BLAS;
    }

    /** The same product in Java: each row of {@code c} gathered as a sum of scaled rows of {@code b}. */
    static void inJava(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float beta, float[] c) {
        float[] bRows = transB ? transpose(b, n, k) : b;
        for (int i = 0; i < m; i++) {
            int row = i * n;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else if (beta != 1f) {
                for (int j = 0; j < n; j++) c[row + j] *= beta;
            }
            for (int p = 0; p < k; p++) {
                float v = transA ? a[p * m + i] : a[i * k + p];
                int from = p * n;
                for (int j = 0; j < n; j++) c[row + j] += v * bRows[from + j];
            }
        }
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }

    private static boolean blasLoads() {
        try {
            float[] c = new float[1];
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans, openblas_nolapack.CblasNoTrans, 1, 1, 1,
                    1f, new float[] {2f}, 1, new float[] {3f}, 1, 0f, c, 1);
            return c[0] == 6f;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }
}
