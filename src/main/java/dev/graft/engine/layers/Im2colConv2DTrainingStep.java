package dev.graft.engine.layers;

import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One training step (forward, then backward) of a channels-last 2-d convolution as {@link Im2colConv2D} computes it,
 * with what the step needs kept in buffers that live as long as the layer: the gathered receptive fields (gathered once,
 * used by the forward product and again by the kernel gradient's), the pre-activation output, the products' outputs.
 * On the MNIST CNN at batch 32, ND4J spent more time allocating fresh native arrays for these (a page fault per 4 kB
 * touched) and running ReLU's, bias's and reductions' element-wise kernels on them than in the matrix products; here
 * each step makes three products per layer (two without the input gradient) and does the element-wise rest on the heap.
 *
 * <p>The arithmetic is {@link Im2colConv2D}'s: the same products of the same gathered values, the bias added to each
 * product in float as ND4J adds it, ReLU and its derivative as libnd4j defines them ({@code z > 0}). Activations other than
 * ReLU and identity are ND4J's own, on the same pre-activation. {@link #forward} returns null for what Im2colConv2D does
 * not compute or a gathered matrix larger than its backward pass builds, and the caller computes those as before.
 */
final class Im2colConv2DTrainingStep {
    private Im2colConv2D.Geometry geometry;
    private INDArray keptFor;
    private IActivation activation;

    // Native buffers, reallocated only when the batch's geometry changes.
    private INDArray fields;          // (rows, k): the receptive fields, then the gradient at them
    private INDArray kernelMatrix;    // (k, out)
    private INDArray product;         // (rows, out): fields · kernel, then the gradient at the pre-activation
    private INDArray kernelGradient;  // (k, out)
    // Heap buffers, likewise.
    private float[] input;
    private float[] gathered;         // the receptive fields, then the gradient at them
    private float[] preActivation;    // (rows, out), bias included
    private float[] values;           // (rows, out): the activated output, then the gradient at the pre-activation
    private float[] kernel;
    private float[] inputGradient;

    /** Forget the kept forward pass (a new input, or a backward pass done with it). */
    void forget() {
        keptFor = null;
    }

    /** Whether the kept forward pass is the one of this input. */
    boolean keeps(INDArray nchwInput) {
        return keptFor != null && keptFor == nchwInput;
    }

    /**
     * The training forward pass: the activated output {@code (batch, oh, ow, out)}, row-major, in the activations
     * workspace, its fields and pre-activation kept for {@link #backward} (keyed by {@code nchwInput}, the array the layer
     * holds as its input); null (nothing kept) where {@link Im2colConv2D} computes nothing or the fields are too large.
     */
    INDArray forward(INDArray nchwInput, INDArray weights, INDArray bias, IActivation activation, int[] kernelSize, int[] strides, int[] padding,
                     int[] dilation, ConvolutionMode mode, LayerWorkspaceMgr workspaceMgr) {
        keptFor = null;
        INDArray nhwc = nchwInput.permute(0, 2, 3, 1);
        Im2colConv2D.Geometry g = Im2colConv2D.Geometry.of(nhwc, weights, bias, kernelSize, strides, padding, dilation, mode);
        if (g == null || (long) g.batch() * g.oh() * g.ow() * g.k() > Im2colConv2D.BACKWARD_VALUES) return null;
        allocate(g);
        int rows = g.batch() * g.oh() * g.ow(), out = g.out(), k = g.k();

        input = HeapFloats.read(nhwc, input);
        int at = g.gather(input, 0, g.batch(), gathered);
        new FloatPointer(fields.data().addressPointer()).put(gathered, 0, at);
        // (kh, kw, in, out) from DL4J's (out, in, kh, kw): row r of the kernel matrix multiplies the r-th value of a field.
        float[] w = HeapFloats.read(weights);
        int khw = g.kh() * g.kw(), in = g.in();
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                for (int p = 0; p < khw; p++) kernel[(p * in + c) * out + o] = w[(o * in + c) * khw + p];
            }
        }
        new FloatPointer(kernelMatrix.data().addressPointer()).put(kernel, 0, kernel.length);
        Nd4j.gemm(fields, kernelMatrix, product, false, false, 1.0, 0.0);

        new FloatPointer(product.data().addressPointer()).get(preActivation, 0, rows * out);
        boolean relu = isRelu(activation);
        float[] b = bias == null ? new float[out] : HeapFloats.read(bias);
        // One pass: bias (as ND4J adds it, in float) and ReLU; Math.max compiles to a vector maximum, where a
        // compare-and-branch took 5 ms a batch on the MNIST CNN's first layer.
        for (int base = 0; base < rows * out; base += out) {
            for (int o = 0; o < out; o++) {
                float z = preActivation[base + o] + b[o];
                preActivation[base + o] = z;
                values[base + o] = Math.max(z, 0f);
            }
        }
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[] {g.batch(), g.oh(), g.ow(), out}, 'c');
        FloatPointer resultValues = new FloatPointer(result.data().addressPointer());
        if (relu) {
            resultValues.put(values, 0, rows * out);
        } else if (activation instanceof ActivationIdentity) {
            resultValues.put(preActivation, 0, rows * out);
        } else {
            resultValues.put(preActivation, 0, rows * out);
            result = activation.getActivation(result, true);
        }
        this.activation = activation;
        keptFor = nchwInput;
        return result;
    }

    /**
     * The backward pass of the kept forward pass: fills the kernel's and bias's gradient views as DL4J's backward pass does
     * and returns the gradient at the input, {@code (batch, height, width, in)} in the activation-gradient workspace, or
     * null when {@code withInputGradient} is false (nothing computes it). Call only when {@link #keeps} this input.
     */
    INDArray backward(INDArray epsilon, INDArray weightGradient, INDArray biasGradient, boolean withInputGradient, LayerWorkspaceMgr workspaceMgr) {
        Im2colConv2D.Geometry g = geometry;
        keptFor = null;
        int rows = g.batch() * g.oh() * g.ow(), out = g.out(), k = g.k(), n = rows * out;
        float[] delta = HeapFloats.read(epsilon, values);
        if (isRelu(activation)) {
            for (int i = 0; i < n; i++) delta[i] = Float.intBitsToFloat(Float.floatToRawIntBits(delta[i]) & positive(preActivation[i]));
        } else if (!(activation instanceof ActivationIdentity)) {
            INDArray z = Nd4j.createFromArray(java.util.Arrays.copyOf(preActivation, n)).reshape('c', rows, out);
            INDArray e = Nd4j.createFromArray(delta.clone()).reshape('c', rows, out);
            delta = HeapFloats.read(activation.backprop(z, e).getFirst(), values);
        }
        values = delta;
        new FloatPointer(product.data().addressPointer()).put(delta, 0, n);

        Nd4j.gemm(fields, product, kernelGradient, true, false, 1.0, 0.0);                       // (kh·kw·in, out)
        weightGradient.assign(kernelGradient.reshape('c', g.kh(), g.kw(), g.in(), out).permute(3, 2, 0, 1));
        if (biasGradient != null) biasGradient.assign(Nd4j.createFromArray(columnSums(delta, rows, out)).reshape(biasGradient.shape()));
        if (!withInputGradient) return null;

        // The fields are no longer needed: their buffers take the gradient at them.
        Nd4j.gemm(product, kernelMatrix, fields, false, true, 1.0, 0.0);                         // (rows, kh·kw·in)
        new FloatPointer(fields.data().addressPointer()).get(gathered, 0, rows * k);
        java.util.Arrays.fill(inputGradient, 0f);
        g.scatter(gathered, inputGradient);
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, new long[] {g.batch(), g.h(), g.w(), g.in()}, 'c');
        new FloatPointer(result.data().addressPointer()).put(inputGradient, 0, inputGradient.length);
        return result;
    }

    /**
     * The sums of a row-major {@code (rows, columns)} matrix's columns: in float over blocks of 256 rows (a vector loop),
     * the blocks' sums added in double, so that long columns lose no more than a block's rounding.
     */
    static float[] columnSums(float[] m, int rows, int columns) {
        double[] total = new double[columns];
        float[] block = new float[columns];
        for (int first = 0; first < rows; first += 256) {
            java.util.Arrays.fill(block, 0f);
            for (int r = first, end = Math.min(rows, first + 256); r < end; r++) {
                int base = r * columns;
                for (int c = 0; c < columns; c++) block[c] += m[base + c];
            }
            for (int c = 0; c < columns; c++) total[c] += block[c];
        }
        float[] sums = new float[columns];
        for (int c = 0; c < columns; c++) sums[c] = (float) total[c];
        return sums;
    }

    /**
     * All ones where {@code z > 0}, else zero, without a branch (a compare-and-branch on ReLU's inputs, positive or not at
     * random, took as long as a matrix product): the sign bit of {@code -bits & ~bits} is set exactly for positive
     * non-zero floats, and that of {@code bits - 0x7f800001} excludes NaNs.
     */
    static int positive(float z) {
        int bits = Float.floatToRawIntBits(z);
        return (-bits & ~bits & (bits - 0x7f800001)) >> 31;
    }

    /** ReLU as libnd4j computes it by default: {@code max(0, z)}, derivative 1 where {@code z > 0}. */
    private static boolean isRelu(IActivation activation) {
        return activation instanceof ActivationReLU r && r.getMax() == null && r.getThreshold() == null && r.getNegativeSlope() == null;
    }

    private void allocate(Im2colConv2D.Geometry g) {
        if (g.equals(geometry)) return;
        int rows = g.batch() * g.oh() * g.ow(), out = g.out(), k = g.k();
        fields = Nd4j.createUninitializedDetached(DataType.FLOAT, rows, k);
        kernelMatrix = Nd4j.createUninitializedDetached(DataType.FLOAT, k, out);
        product = Nd4j.createUninitializedDetached(DataType.FLOAT, rows, out);
        kernelGradient = Nd4j.createUninitializedDetached(DataType.FLOAT, k, out);
        gathered = new float[rows * k];
        preActivation = new float[rows * out];
        values = new float[rows * out];
        kernel = new float[k * out];
        inputGradient = new float[g.batch() * g.h() * g.w() * g.in()];
        input = null;
        geometry = g;
    }
}
