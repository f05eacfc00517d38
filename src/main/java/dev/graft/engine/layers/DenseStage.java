package dev.graft.engine.layers;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Dense layer in heap training: {@code z = x·W + b} row by row, then its activation (identity, ReLU, sigmoid, tanh as
 * the engine computes them in float); backward, the weight gradients summed over the rows and the error at the input
 * {@code delta·Wᵀ}. The weights stay on the heap, row-major (inputs by outputs), as the engine's {@code W} is laid out.
 *
 * <p>The rows are the batch's samples, or (for a Dense applied to every step of a sequence) its samples' steps: the
 * arithmetic is the same. The only difference from the engine is the order of the additions inside a matrix product
 * (floating-point rounding, 1e-7 relative).
 */
public final class DenseStage implements HeapStage {
    public static final int IDENTITY = 0, RELU = 1, SIGMOID = 2, TANH = 3;

    private final int nIn, nOut, activation;
    private final float[] w, b;
    private final INDArray wParam, bParam;
    private final HeapParameter wGrad, bGrad;
    private final int[] outputShape;
    private final int rowsPerSample;
    private float[] input, preActivation, output;

    private DenseStage(int nIn, int nOut, int activation, INDArray wParam, INDArray bParam, BaseLayer conf, boolean learns, int[] outputShape,
                       int rowsPerSample) {
        this.nIn = nIn;
        this.nOut = nOut;
        this.activation = activation;
        this.wParam = wParam;
        this.bParam = bParam;
        this.w = HeapFloats.read(wParam);
        this.b = bParam == null ? null : HeapFloats.read(bParam);
        this.wGrad = learns ? new HeapParameter(w, conf.getIUpdater()) : null;
        this.bGrad = learns && b != null ? new HeapParameter(b, conf.getBiasUpdater() == null ? conf.getIUpdater() : conf.getBiasUpdater()) : null;
        this.outputShape = outputShape;
        this.rowsPerSample = rowsPerSample;
    }

    /** A hidden Dense layer ({@link DenseLayer} without layer normalisation) on vectors. */
    static HeapStage of(HeapStageSource source) {
        if (!(source.layer() instanceof DenseLayer d) || d.hasLayerNorm() || source.inputShape().length != 1) return null;
        return of(source, d, source.inputShape()[0], 1, new int[] {0});
    }

    /**
     * The stage of a Dense layer's configuration {@code conf} (its runtime and learning from {@code source}) applied to
     * {@code rowsPerSample} rows of {@code nIn} values per sample; {@code outputShape} is the sample's output shape with the
     * last axis (the layer's units) to fill in. Null for an activation or parameter layout not computed here.
     */
    public static DenseStage of(HeapStageSource source, FeedForwardLayer conf, int nIn, int rowsPerSample, int[] outputShape) {
        int kind = activation(conf.getActivationFn());
        return kind < 0 ? null : linear(source, conf, nIn, rowsPerSample, outputShape, kind);
    }

    /** The layer's product and bias only, whatever its activation: an output layer's pre-activation, which its loss takes. */
    public static DenseStage preActivation(HeapStageSource source, FeedForwardLayer conf, int nIn) {
        return linear(source, conf, nIn, 1, new int[] {0}, IDENTITY);
    }

    private static DenseStage linear(HeapStageSource source, FeedForwardLayer conf, int nIn, int rowsPerSample, int[] outputShape, int kind) {
        if (source.runtime() == null) return null;
        Map<String, INDArray> params = source.runtime().paramTable(false);
        INDArray w = params.get("W"), b = params.get("b");
        if (w == null || params.size() != (b == null ? 1 : 2) || w.rank() != 2 || w.size(0) != nIn) return null;
        int nOut = Math.toIntExact(w.size(1));
        if (b != null && b.length() != nOut) return null;
        int[] shape = outputShape.clone();
        shape[shape.length - 1] = nOut;
        return new DenseStage(nIn, nOut, kind, w, b, conf, source.learns(), shape, rowsPerSample);
    }

    /** The activation's code here, or -1 for one not computed here. */
    public static int activation(IActivation a) {
        if (a instanceof ActivationIdentity) return IDENTITY;
        if (a instanceof ActivationReLU) return HeapStageChecks.plainRelu(a) ? RELU : -1;
        if (a instanceof ActivationSigmoid) return SIGMOID;
        if (a instanceof ActivationTanH) return TANH;
        return -1;
    }

    @Override
    public int[] outputShape() {
        return outputShape.clone();
    }

    @Override
    public float[] forward(float[] x, int samples) {
        int rows = samples * rowsPerSample;
        if (x.length != rows * nIn) throw new IllegalStateException(x.length + " inputs for " + rows + " rows of " + nIn);
        input = x;
        float[] z = new float[rows * nOut];
        if (large(rows)) {
            SmallGemm.gemm(false, false, rows, nOut, nIn, x, w, 0f, z);
            if (b != null) for (int r = 0; r < rows; r++) for (int j = 0, zo = r * nOut; j < nOut; j++) z[zo + j] += b[j];
            preActivation = z;
            output = activate(activation, z);
            return output;
        }
        for (int r = 0; r < rows; r++) {
            int zo = r * nOut, xo = r * nIn;
            for (int i = 0; i < nIn; i++) {
                float xi = x[xo + i];
                int wo = i * nOut;
                for (int j = 0; j < nOut; j++) z[zo + j] += xi * w[wo + j];
            }
            if (b != null) for (int j = 0; j < nOut; j++) z[zo + j] += b[j];
        }
        preActivation = z;
        output = activate(activation, z);
        return output;
    }

    @Override
    public float[] backward(float[] outputGradient, int samples, boolean inputGradient) {
        int rows = samples * rowsPerSample;
        float[] delta = derivative(activation, preActivation, output, outputGradient);
        if (wGrad != null) weightGradients(input, delta, rows);
        return inputGradient ? inputError(delta, rows) : null;
    }

    @Override
    public List<HeapParameter> parameters() {
        if (wGrad == null) return List.of();
        return bGrad == null ? List.of(wGrad) : List.of(wGrad, bGrad);
    }

    @Override
    public void copyToEngine() {
        wParam.assign(Nd4j.create(w, new long[] {nIn, nOut}, 'c'));
        if (bParam != null) bParam.assign(Nd4j.create(b, bParam.shape(), 'c'));
    }

    /**
     * Whether the products of a batch of {@code rows} rows go to the BLAS: a layer as wide as a CNN's classifier on its
     * flattened features (1,600 inputs) took 0.9 ms a batch in these loops, whose innermost runs over the few outputs.
     */
    private boolean large(int rows) {
        return (long) rows * nIn * nOut >= LARGE && SmallGemm.hasBlas();
    }

    /** Multiply-adds of a product from which the BLAS pays for its copies between the heap and native memory. */
    private static final long LARGE = 1 << 17;

    /** dW = xᵀ·delta and db = the column sums of delta, summed over the rows as the engine sums them. */
    private void weightGradients(float[] x, float[] delta, int rows) {
        float[] gw = wGrad.gradient();
        if (large(rows)) {
            SmallGemm.gemm(true, false, nIn, nOut, rows, x, delta, 0f, gw);
        } else {
            java.util.Arrays.fill(gw, 0f);
            for (int r = 0; r < rows; r++) {
                int xo = r * nIn, dox = r * nOut;
                for (int i = 0; i < nIn; i++) {
                    float xi = x[xo + i];
                    int wo = i * nOut;
                    for (int j = 0; j < nOut; j++) gw[wo + j] += xi * delta[dox + j];
                }
            }
        }
        if (bGrad != null) {
            float[] gb = bGrad.gradient();
            java.util.Arrays.fill(gb, 0f);
            for (int r = 0; r < rows; r++) for (int j = 0; j < nOut; j++) gb[j] += delta[r * nOut + j];
        }
    }

    /** The error at the layer's inputs: delta·Wᵀ. */
    private float[] inputError(float[] delta, int rows) {
        float[] eps = new float[rows * nIn];
        if (large(rows)) {
            SmallGemm.gemm(false, true, rows, nIn, nOut, delta, w, 0f, eps);
            return eps;
        }
        for (int r = 0; r < rows; r++) {
            int eo = r * nIn, dox = r * nOut;
            for (int i = 0; i < nIn; i++) {
                int wo = i * nOut;
                float s = 0f;
                for (int j = 0; j < nOut; j++) s += delta[dox + j] * w[wo + j];
                eps[eo + i] = s;
            }
        }
        return eps;
    }

    private static float[] activate(int kind, float[] z) {
        if (kind == IDENTITY) return z;
        float[] a = new float[z.length];
        switch (kind) {
            case RELU: for (int i = 0; i < z.length; i++) a[i] = Math.max(z[i], 0f); break;
            case SIGMOID: for (int i = 0; i < z.length; i++) a[i] = sigmoid(z[i]); break;
            case TANH: for (int i = 0; i < z.length; i++) a[i] = (float) Math.tanh(z[i]); break;
            default: throw new IllegalStateException(String.valueOf(kind));
        }
        return a;
    }

    /** The engine's sigmoid, in float arithmetic as it computes it: 1 / (1 + exp(−x)). */
    public static float sigmoid(float x) {
        return 1f / (1f + (float) Math.exp(-x));
    }

    /** The error at a layer's pre-activations from the error at its outputs ({@code a}: its outputs). */
    private static float[] derivative(int kind, float[] z, float[] a, float[] eps) {
        switch (kind) {
            case IDENTITY: return eps;
            case RELU: ReluGradient.mask(eps, a, eps.length); return eps;
            case SIGMOID: for (int i = 0; i < eps.length; i++) eps[i] = eps[i] * (a[i] * (1f - a[i])); return eps;
            case TANH: for (int i = 0; i < eps.length; i++) eps[i] = eps[i] * (1f - a[i] * a[i]); return eps;
            default: throw new IllegalStateException(String.valueOf(kind));
        }
    }
}
