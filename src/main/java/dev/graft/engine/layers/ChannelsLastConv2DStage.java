package dev.graft.engine.layers;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's channels-last Conv2D ({@link ChannelsLastConv2DLayer}) as a {@link HeapStage}: {@link Im2colConv2D}'s
 * arithmetic (receptive fields gathered into rows, one matrix product with the kernel laid out {@code (kh·kw·in, out)},
 * the gradients as two more products and a scatter) with the ideas of {@link Im2colConv2DTrainingStep} (buffers kept
 * from batch to batch, ReLU's derivative without a branch), the bias inside the products (see {@link #fieldRow}), and
 * nothing in ND4J: the kernel lives in the product's layout as the parameter the optimizer updates (re-laid into DL4J's
 * {@code (out, in, kh, kw)} only by {@link #copyToEngine}), and the products run in ND4J's BLAS on native buffers the
 * stage keeps, the gathered fields copied there once a batch and used by the forward product and the kernel gradient's. Measured on the
 * MNIST CNN at batch 32 (one thread): the forward products took 0.4 ms (3×3×1 fields, 32 filters) and 1.9 ms (3×3×32, 64)
 * in BLAS, copies included, against 2.9 and 31 ms as plain-Java loops, so every shape takes BLAS.
 *
 * <p>ReLU and identity activations, DL4J's {@code Same} and {@code Truncate} modes, any kernel, stride and dilation,
 * float32; {@link #of} returns null for anything else (other activations, {@code Strict} and {@code Causal}, dropout on
 * the layer's input, weight noise, regularizers, constraints), which the engine then trains.
 */
public final class ChannelsLastConv2DStage implements HeapStage {
    private final int h, w, in, out;
    private final int[] kernelSize, strides, padding, dilation;
    private final ConvolutionMode mode;
    private final boolean relu;
    private final boolean learns;
    /** The kernel as {@code (kh, kw, in, out)}, row-major: the product's right operand. */
    private final float[] kernel;
    /** The bias, {@code out} values (zeros without one: adding them changes nothing). */
    private final float[] bias;
    private final boolean hasBias;
    private final List<HeapParameter> parameters = new ArrayList<>();
    private final INDArray engineKernel, engineBias;

    /** Values per heap block of fields (256 kB): small enough to stay in the cache between the gather and the copy. */
    private static final int BLOCK_VALUES = 1 << 16;

    private Im2colConv2D.Geometry geometry;
    /** Fields of {@link #blockSamples} samples on the heap, on their way to or from the native matrix. */
    private float[] block;
    private int blockSamples;
    private float[] preActivation;    // (rows, out): the product, then the output (bias added, activated)
    private float[] inputGradient;
    private FloatPointer fields, kernelMatrix, product, kernelGradient;
    /** The kernel's gradient as the product gives it, {@code (out, kh·kw·in)}. */
    private float[] transposed;

    private ChannelsLastConv2DStage(HeapStageSource source, ChannelsLastConv2DLayer conf, boolean relu) {
        this.h = source.inputShape()[0];
        this.w = source.inputShape()[1];
        this.in = source.inputShape()[2];
        this.out = (int) conf.getNOut();
        this.kernelSize = conf.getKernelSize().clone();
        this.strides = conf.getStride().clone();
        this.padding = conf.getPadding().clone();
        this.dilation = conf.getDilation().clone();
        this.mode = conf.getConvolutionMode();
        this.relu = relu;
        this.learns = source.learns();
        this.hasBias = conf.hasBias();
        this.engineKernel = source.runtime().getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        this.engineBias = hasBias ? source.runtime().getParam(ConvolutionParamInitializer.BIAS_KEY) : null;
        this.kernel = toProductLayout(HeapFloats.read(engineKernel), out, in, kernelSize[0] * kernelSize[1]);
        this.bias = hasBias ? HeapFloats.read(engineBias) : new float[out];
        if (learns) {
            parameters.add(new HeapParameter(kernel, conf.getUpdaterByParam(ConvolutionParamInitializer.WEIGHT_KEY)));
            if (hasBias) parameters.add(new HeapParameter(bias, conf.getUpdaterByParam(ConvolutionParamInitializer.BIAS_KEY)));
        }
    }

    /** The stage of a channels-last Conv2D it computes exactly, else null. */
    public static HeapStage of(HeapStageSource source) {
        if (!(source.layer() instanceof ChannelsLastConv2DLayer conf) || !(source.runtime() instanceof ChannelsLastConv2DRuntime)) return null;
        if (!SmallGemm.hasBlas() || !HeapStageChecks.plainVertex(source.vertex()) || !HeapStageChecks.plain(conf) || conf.getCnn2dDataFormat() != CNN2DFormat.NHWC) return null;
        if (conf.getConvolutionMode() != ConvolutionMode.Same && conf.getConvolutionMode() != ConvolutionMode.Truncate) return null;
        int[] shape = source.inputShape();
        if (shape == null || shape.length != 3 || shape[2] != conf.getNIn()) return null;
        if (!pairs(conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation())) return null;
        IActivation a = conf.getActivationFn();
        boolean relu = HeapStageChecks.plainRelu(a);
        if (!relu && !(a instanceof ActivationIdentity)) return null;
        INDArray weights = source.runtime().getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        if (weights == null || weights.dataType() != DataType.FLOAT) return null;
        if (Im2colConv2D.Geometry.of(1, shape[0], shape[1], shape[2], (int) conf.getNOut(), conf.getKernelSize(), conf.getStride(),
                conf.getPadding(), conf.getDilation(), conf.getConvolutionMode()) == null) {
            return null;
        }
        return new ChannelsLastConv2DStage(source, conf, relu);
    }

    private static boolean pairs(int[]... settings) {
        for (int[] s : settings) if (s == null || s.length != 2) return false;
        return true;
    }

    @Override
    public int[] outputShape() {
        Im2colConv2D.Geometry g = Im2colConv2D.Geometry.of(1, h, w, in, out, kernelSize, strides, padding, dilation, mode);
        return new int[] {g.oh(), g.ow(), out};
    }

    @Override
    public float[] forward(float[] input, int rows) {
        Im2colConv2D.Geometry g = allocate(rows);
        int m = rows * g.oh() * g.ow(), k = g.k(), row = fieldRow(g);
        // a few samples' fields at a time through a small heap block (it stays in the cache) into the native matrix
        int perSample = g.oh() * g.ow() * row;
        for (int first = 0; first < rows; first += blockSamples) {
            int samples = Math.min(blockSamples, rows - first);
            int at = g.gather(input, first, samples, block, hasBias);
            fields.position((long) first * perSample).put(block, 0, at);
        }
        kernelMatrix.position(0).put(kernel, 0, kernel.length);
        if (hasBias) kernelMatrix.position(k * out).put(bias, 0, out);
        SmallGemm.gemm(false, false, m, out, row, fields, kernelMatrix, 0f, product);
        float[] z = preActivation;
        product.position(0).get(z, 0, m * out);
        if (relu) {
            // The backward pass needs no pre-activation: ReLU's output is positive exactly where its input is.
            // One array, one index: the JIT makes it a vector maximum (a bias added here, of period out, it did not).
            for (int i = 0, n = m * out; i < n; i++) z[i] = Math.max(z[i], 0f);
        }
        return z;
    }

    /**
     * Values per row of the gathered fields: a receptive field, and a 1 when there is a bias, which then is the kernel
     * matrix's last row. The product adds the bias and the kernel gradient's product sums the bias's gradient: no pass
     * of Java over the batch for either. Such a pass adds a row of period {@code out} to every row, which the JIT leaves
     * scalar: measured on the MNIST CNN's first layer at batch 32, 0.5 ms for the bias and ReLU against 0.05 ms for the
     * ReLU alone, and 0.8 ms for the gradient's mask and column sums against 0.1 ms for the mask alone.
     */
    private int fieldRow(Im2colConv2D.Geometry g) {
        return hasBias ? g.k() + 1 : g.k();
    }

    @Override
    public float[] backward(float[] outputGradient, int rows, boolean inputGradient) {
        Im2colConv2D.Geometry g = geometry;
        int m = rows * g.oh() * g.ow(), k = g.k(), n = m * out, row = fieldRow(g);
        float[] delta = outputGradient;
        if (relu) ReluGradient.mask(delta, preActivation, n);     // after ReLU: y > 0 exactly where z > 0
        product.position(0).put(delta, 0, n);
        if (learns) {
            // as its transpose, δᵀ·fields: OpenBLAS takes 0.85 of the time of fieldsᵀ·δ on both MNIST layers (measured);
            // the fields' column of ones gives the bias's gradient as the last column
            SmallGemm.gemm(true, false, out, row, m, product, fields, 0f, kernelGradient);      // (out, kh·kw·in [+ 1])
            kernelGradient.position(0).get(transposed, 0, row * out);
            float[] gradient = parameters.get(0).gradient();
            for (int o = 0; o < out; o++) {
                for (int r = 0; r < k; r++) gradient[r * out + o] = transposed[o * row + r];
            }
            if (hasBias) {
                float[] biasGradient = parameters.get(1).gradient();
                for (int o = 0; o < out; o++) biasGradient[o] = transposed[o * row + k];
            }
        }
        if (!inputGradient) return null;
        // The fields are no longer needed: their buffer takes the gradient at them.
        SmallGemm.gemm(false, true, m, k, out, product, kernelMatrix, 0f, fields);                // (rows, kh·kw·in)
        float[] dx = this.inputGradient;
        java.util.Arrays.fill(dx, 0f);
        int perSample = g.oh() * g.ow() * k;
        for (int first = 0; first < rows; first += blockSamples) {
            int samples = Math.min(blockSamples, rows - first);
            fields.position((long) first * perSample).get(block, 0, samples * perSample);
            g.scatter(block, 0, dx, first, samples);
        }
        return dx;
    }

    @Override
    public List<HeapParameter> parameters() {
        return parameters;
    }

    @Override
    public void copyToEngine() {
        int khw = kernelSize[0] * kernelSize[1];
        float[] engine = new float[kernel.length];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                for (int p = 0; p < khw; p++) engine[(o * in + c) * khw + p] = kernel[(p * in + c) * out + o];
            }
        }
        HeapStageChecks.copyInto(engineKernel, engine, 0);
        if (hasBias) HeapStageChecks.copyInto(engineBias, bias, 0);
    }

    /** DL4J's {@code (out, in, kh, kw)} kernel as {@code (kh, kw, in, out)}: row r multiplies the r-th value of a receptive field. */
    static float[] toProductLayout(float[] engine, int out, int in, int khw) {
        float[] kernel = new float[engine.length];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                for (int p = 0; p < khw; p++) kernel[(p * in + c) * out + o] = engine[(o * in + c) * khw + p];
            }
        }
        return kernel;
    }

    /** The geometry of a batch of {@code rows} images, and buffers for it (reallocated only when the batch grows or shrinks). */
    private Im2colConv2D.Geometry allocate(int rows) {
        if (geometry != null && geometry.batch() == rows) return geometry;
        Im2colConv2D.Geometry g = Im2colConv2D.Geometry.of(rows, h, w, in, out, kernelSize, strides, padding, dilation, mode);
        int m = rows * g.oh() * g.ow(), k = g.k();
        int row = fieldRow(g);
        if (fields == null || fields.capacity() < (long) m * row) fields = new FloatPointer((long) m * row);
        if (block == null) {
            int perSample = g.oh() * g.ow() * row;
            blockSamples = Math.max(1, BLOCK_VALUES / perSample);
            block = new float[blockSamples * perSample];
        }
        if (preActivation == null || preActivation.length != m * out) {
            preActivation = new float[m * out];
            product = new FloatPointer((long) m * out);
        }
        if (kernelMatrix == null) {
            kernelMatrix = new FloatPointer((long) row * out);
            kernelGradient = new FloatPointer((long) row * out);
            transposed = new float[row * out];
        }
        inputGradient = new float[rows * h * w * in];
        geometry = g;
        return g;
    }
}
