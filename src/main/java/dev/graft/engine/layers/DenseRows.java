package dev.graft.engine.layers;

/**
 * A Dense layer's arithmetic on row-major rows, forward and backward, with the buffers of the last batch kept for its
 * backward pass: {@code z = x·W + b} ({@link SmallGemm}), the activation, and back {@code dW = xᵀ·δ}, {@code db = Σδ},
 * {@code dx = δ·Wᵀ}, sums over the batch's rows as the engine's products make them.
 *
 * @see TimeDistributedDenseStage
 */
final class DenseRows {
    final int nIn;
    final int nOut;
    private final HeapActivation activation;
    private final BulkFloatMath math = new BulkFloatMath();
    /** The last forward pass's input (the caller's array, left as it is), pre-activations and outputs. */
    private float[] input;
    private float[] z;
    private float[] a;
    private float[] inputGradient;

    DenseRows(int nIn, int nOut, HeapActivation activation) {
        this.nIn = nIn;
        this.nOut = nOut;
        this.activation = activation;
    }

    /** The activated output of {@code rows} rows of {@code x} by {@code w} ({@code [nIn][nOut]}) and {@code b} (null: no bias). */
    float[] forward(float[] x, int rows, float[] w, float[] b) {
        int n = rows * nOut;
        if (z == null || z.length != n) {
            z = new float[n];
            a = new float[n];
        }
        input = x;
        SmallGemm.gemm(false, false, rows, nOut, nIn, x, w, 0f, z);
        if (b != null) {
            for (int base = 0; base < n; base += nOut) {
                for (int j = 0; j < nOut; j++) z[base + j] += b[j];
            }
        }
        activation.forward(z, a, n, math);
        return a;
    }

    /**
     * The backward pass of the last forward pass from {@code gradient} at its outputs (overwritten): {@code dW} and
     * {@code db} (either null: not computed) set to the sums over the rows, and the gradient at the input returned (null
     * when {@code inputGradient} is false).
     */
    float[] backward(float[] gradient, int rows, float[] w, float[] dW, float[] db, boolean inputGradient) {
        if (dW == null && db == null && !inputGradient) return null;
        int n = rows * nOut;
        activation.backward(gradient, z, a, n);
        if (dW != null) SmallGemm.gemm(true, false, nIn, nOut, rows, input, gradient, 0f, dW);
        if (db != null) System.arraycopy(Im2colConv2DTrainingStep.columnSums(gradient, rows, nOut), 0, db, 0, nOut);
        if (!inputGradient) return null;
        if (this.inputGradient == null || this.inputGradient.length != rows * nIn) this.inputGradient = new float[rows * nIn];
        SmallGemm.gemm(false, true, rows, nIn, nOut, gradient, w, 0f, this.inputGradient);
        return this.inputGradient;
    }
}
