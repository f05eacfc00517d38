package dev.graft.engine.layers;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's channels-last {@code Conv1D} ({@link ChannelsLastConv1DLayer}) trained on the heap, as the engine's layer trains
 * it ({@link Im2colConv2DTrainingStep}): the 2-d convolution of {@code (steps, 1)} images, each output step's receptive
 * field gathered into a row ({@link Im2colConv2D.Geometry}'s gather, the same code), the rows times the kernel, the
 * bias, ReLU or identity; backward the kernel's gradient {@code fieldsᵀ·δ}, the bias's {@code Σδ}, and {@code δ·Wᵀ}
 * scattered back onto the steps each field came from. The products are {@link SmallGemm}'s, on heap arrays.
 *
 * <p>DL4J keeps the kernel as an {@code (out, in, k, 1)} array whose values lie in Keras's {@code (k, in, out)} order
 * (see {@link ChannelsLastConv1DRuntime}): exactly the {@code (k·in, out)} matrix a gathered row multiplies, so the
 * parameter is that array's values as they are. DL4J's {@code Same}, {@code Truncate} and {@code Strict} modes, any
 * stride and dilation; null for causal padding and for anything {@link HeapStageChecks} refuses.
 */
public final class ChannelsLastConv1DStage implements HeapStage {
    private final int steps;
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int dilation;
    private final int outSteps;
    private final int top;
    /** ReLU after the product, else identity. */
    private final boolean relu;
    private final float[] w;
    private final float[] b;
    private final INDArray engineWeights;
    private final INDArray engineBias;
    private final HeapParameter weights;
    private final HeapParameter bias;
    private final List<HeapParameter> parameters;
    // The last batch's geometry and buffers (reallocated when the batch's size changes).
    private Im2colConv2D.Geometry geometry;
    private float[] fields;
    private float[] z;
    private float[] a;
    private float[] inputGradient;

    private ChannelsLastConv1DStage(int steps, int in, int out, int kernel, int stride, int dilation, int outSteps, int top, boolean relu,
                                    INDArray engineWeights, INDArray engineBias, boolean learns, org.deeplearning4j.nn.conf.layers.BaseLayer conf) {
        this.steps = steps;
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.dilation = dilation;
        this.outSteps = outSteps;
        this.top = top;
        this.relu = relu;
        this.engineWeights = engineWeights;
        this.engineBias = engineBias;
        this.w = HeapFloats.read(engineWeights);
        this.b = engineBias == null ? null : HeapFloats.read(engineBias);
        this.weights = learns ? new HeapParameter(w, conf.getUpdaterByParam("W")) : null;
        this.bias = learns && b != null ? new HeapParameter(b, conf.getUpdaterByParam("b")) : null;
        this.parameters = weights == null ? List.of() : bias == null ? List.of(weights) : List.of(weights, bias);
    }

    /** The stage for a channels-last Conv1D computed here, or null. */
    public static HeapStage of(HeapStageSource source) {
        if (!(source.layer() instanceof ChannelsLastConv1DLayer conf) || !(source.runtime() instanceof ChannelsLastConv1DRuntime runtime)) return null;
        if (!HeapStageChecks.plainVertex(source.vertex()) || !HeapStageChecks.plain(conf) || conf.getRnnDataFormat() != RNNFormat.NWC) return null;
        boolean relu = HeapStageChecks.plainRelu(conf.getActivationFn());
        if (!relu && !(conf.getActivationFn() instanceof ActivationIdentity)) return null;
        ConvolutionMode mode = conf.getConvolutionMode();
        if (mode != ConvolutionMode.Same && mode != ConvolutionMode.Truncate && mode != ConvolutionMode.Strict) return null;
        int[] shape = source.inputShape();
        Map<String, INDArray> params = runtime.paramTable(false);
        INDArray w = HeapStageChecks.floatParameter(params, "W", 4);
        INDArray b = conf.hasBias() ? params.get("b") : null;
        if (shape == null || shape.length != 2 || w == null || w.size(3) != 1 || w.size(1) != shape[1]) return null;
        if (conf.hasBias() && (b == null || b.dataType() != w.dataType() || b.length() != w.size(0))) return null;
        if (params.size() != (conf.hasBias() ? 2 : 1)) return null;
        int k = Math.toIntExact(w.size(2));
        int kernelSize = first(conf.getKernelSize(), -1), stride = first(conf.getStride(), 1), dilation = first(conf.getDilation(), 1);
        int padding = first(conf.getPadding(), 0);
        if (kernelSize != k || stride < 1 || dilation < 1 || padding < 0) return null;
        // Im2colConv2D.Geometry.of's sizes along the steps (the engine's training step computes with that geometry)
        int steps = shape[0], span = k + (k - 1) * (dilation - 1);
        int outSteps, top;
        if (mode == ConvolutionMode.Same) {
            outSteps = (steps + stride - 1) / stride;
            top = Math.max(0, ((outSteps - 1) * stride + span - steps) / 2);
        } else {
            top = padding;
            outSteps = (steps + 2 * top - span) / stride + 1;
            // DL4J's Strict mode refuses strides that do not cover the steps exactly: left to the engine (and its error)
            if (mode == ConvolutionMode.Strict && (steps + 2 * top - span) % stride != 0) return null;
        }
        if (outSteps <= 0) return null;
        return new ChannelsLastConv1DStage(steps, shape[1], Math.toIntExact(w.size(0)), k, stride, dilation, outSteps, top, relu, w, b,
                source.learns(), conf);
    }

    /** DL4J's 1-d size: the first element of its array. */
    private static int first(int[] size, int otherwise) {
        return size == null || size.length == 0 ? otherwise : size[0];
    }

    @Override
    public int[] outputShape() {
        return new int[] {outSteps, out};
    }

    @Override
    public float[] forward(float[] input, int rows) {
        Im2colConv2D.Geometry g = geometry(rows);
        int n = rows * outSteps;
        g.gather(input, 0, rows, fields);
        SmallGemm.gemm(false, false, n, out, g.k(), fields, w, 0f, z);
        if (b != null) {
            for (int base = 0; base < n * out; base += out) {
                for (int o = 0; o < out; o++) z[base + o] += b[o];
            }
        }
        if (!relu) return z;
        // Math.max compiles to a vector maximum (a compare-and-branch does not vectorise)
        for (int i = 0; i < n * out; i++) a[i] = Math.max(z[i], 0f);
        return a;
    }

    @Override
    public float[] backward(float[] outputGradient, int rows, boolean inputGradient) {
        if (weights == null && !inputGradient) return null;
        Im2colConv2D.Geometry g = geometry;
        int n = rows * outSteps;
        float[] delta = outputGradient;
        if (relu) {
            ReluGradient.mask(delta, a, n * out);
        }
        if (weights != null) {
            SmallGemm.gemm(true, false, g.k(), out, n, fields, delta, 0f, weights.gradient());
            if (bias != null) System.arraycopy(Im2colConv2DTrainingStep.columnSums(delta, n, out), 0, bias.gradient(), 0, out);
        }
        if (!inputGradient) return null;
        // the fields are no longer needed: their buffer takes the gradient at them
        SmallGemm.gemm(false, true, n, g.k(), out, delta, w, 0f, fields);
        java.util.Arrays.fill(this.inputGradient, 0f);
        g.scatter(fields, this.inputGradient);
        return this.inputGradient;
    }

    /** The geometry of a batch of {@code rows} samples, with buffers of its size. */
    private Im2colConv2D.Geometry geometry(int rows) {
        if (geometry == null || geometry.batch() != rows) {
            geometry = new Im2colConv2D.Geometry(rows, steps, 1, in, out, kernel, 1, stride, 1, dilation, 1, outSteps, 1, top, 0, kernel * in);
            fields = new float[rows * outSteps * kernel * in];
            z = new float[rows * outSteps * out];
            a = new float[z.length];
            inputGradient = new float[rows * steps * in];
        }
        return geometry;
    }

    @Override
    public List<HeapParameter> parameters() {
        return parameters;
    }

    @Override
    public void copyToEngine() {
        if (weights == null) return;
        HeapStageChecks.copyInto(engineWeights, w, 0);
        if (engineBias != null) HeapStageChecks.copyInto(engineBias, b, 0);
    }
}
