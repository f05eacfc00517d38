package dev.graft.engine.layers;

/**
 * The element-wise loops of the batch-column inference paths ({@link RowProducts}, {@link BatchColumnAttention},
 * {@link LastAxisNormalization}, {@link HeapGraphInference}), each in a small method of its own. A method holding a
 * whole layer's loop nest is called a few hundred times in a predict, so the JIT compiles it late and twice (on-stack
 * replacement, then whole), a fifth of a second of the optimising compiler each for the attention's products (compile
 * log of a 200,000-row transformer predict, whose forward passes take a fifth of a second in all): until then the layer
 * runs unoptimised. These kernels are called thousands of times per chunk, so they are compiled (and vectorised) within
 * the first chunks, and the loop nests around them cost little however they are compiled. Same float operations, in
 * the same order, as the loops they replace.
 */
final class ColumnKernels {
    private ColumnKernels() {
    }

    /** {@code o[i] += x[i] · w}. */
    static void addScaled(float[] o, float[] x, float w, int n) {
        for (int i = 0; i < n; i++) o[i] += x[i] * w;
    }

    /** {@code o[i] += a[i] · b[i]}. */
    static void addProducts(float[] o, float[] a, float[] b, int n) {
        for (int i = 0; i < n; i++) o[i] += a[i] * b[i];
    }

    /** {@code o[i] += x[i]}. */
    static void add(float[] o, float[] x, int n) {
        for (int i = 0; i < n; i++) o[i] += x[i];
    }

    /** {@code o[i] -= x[i]}. */
    static void subtract(float[] o, float[] x, int n) {
        for (int i = 0; i < n; i++) o[i] -= x[i];
    }

    /** {@code o[i] *= x[i]}. */
    static void multiply(float[] o, float[] x, int n) {
        for (int i = 0; i < n; i++) o[i] *= x[i];
    }

    /** {@code o[i] = max(o[i], x[i])}. */
    static void max(float[] o, float[] x, int n) {
        for (int i = 0; i < n; i++) o[i] = Math.max(o[i], x[i]);
    }

    /** {@code o[i] /= d}. */
    static void divide(float[] o, float d, int n) {
        for (int i = 0; i < n; i++) o[i] /= d;
    }

    /** {@code o[i] = max(o[i], 0)}: DL4J's relu without a cap, threshold or slope. */
    static void relu(float[] o, int n) {
        for (int i = 0; i < n; i++) o[i] = Math.max(o[i], 0f);
    }

    /** {@code o[i] += (x[i] - m[i])²}. */
    static void addSquaredDifferences(float[] o, float[] x, float[] m, int n) {
        for (int i = 0; i < n; i++) {
            float d = x[i] - m[i];
            o[i] += d * d;
        }
    }

    /** {@code o[i] = (x[i] - shift[i]) · scale[i] · g + b}. */
    static void shiftScale(float[] o, float[] x, float[] shift, float[] scale, float g, float b, int n) {
        for (int i = 0; i < n; i++) o[i] = (x[i] - shift[i]) * scale[i] * g + b;
    }
}
