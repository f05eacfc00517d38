package dev.graft.engine.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rows times a small kernel plus a bias row, on plain float arrays, for the inference paths that skip DL4J's layer
 * machinery: on the narrow matrices of small models ({@code [batch·steps, 8]} times {@code [8, 16]}) one call into ND4J
 * (shape checks, a BLAS call, a separate bias op, a separate copy out) costs more than the multiply-adds.
 *
 * <p>The products run on columns ({@code float[feature][row]}): a loop over a few output features of one row is too
 * short for the JIT to vectorise, while {@code column += x · w} over a thousand rows is vectorised (measured: 5× faster
 * than row by row, 2.5× with the transposes in and out).
 */
final class RowProducts {
    private RowProducts() {
    }

    /** {@code columns[k]} (each of the same length, the rows) times {@code kernel [in, n]} plus {@code bias}: the output's columns. */
    static float[][] times(float[][] columns, float[] kernel, float[] bias, int n) {
        int in = columns.length;
        int rows = in == 0 ? 0 : columns[0].length;
        float[][] out = new float[n][rows];
        for (int j = 0; j < n; j++) {
            float[] o = out[j];
            if (bias != null) java.util.Arrays.fill(o, bias[j]);
            for (int k = 0; k < in; k++) {
                float w = kernel[k * n + j];
                ColumnKernels.addScaled(o, columns[k], w, rows);
            }
        }
        return out;
    }

    /** Row-major {@code [rows, in]} values as {@code in} columns of {@code rows}. */
    static float[][] columns(float[] x, int rows, int in) {
        float[][] c = new float[in][rows];
        for (int k = 0; k < in; k++) {
            float[] ck = c[k];
            for (int r = 0; r < rows; r++) ck[r] = x[r * in + k];
        }
        return c;
    }

    /** Columns of equal length back to row-major {@code [rows, columns]} values. */
    static float[] rows(float[][] columns) {
        int n = columns.length;
        int rows = n == 0 ? 0 : columns[0].length;
        float[] x = new float[rows * n];
        for (int j = 0; j < n; j++) {
            float[] c = columns[j];
            for (int r = 0; r < rows; r++) x[r * n + j] = c[r];
        }
        return x;
    }

    /** A float array's values, or null when it is not float (the direct paths compute float32 only). */
    static float[] floatValues(INDArray x) {
        return x == null || x.dataType() != DataType.FLOAT ? null : HeapFloats.read(x);
    }
}
