package dev.graft.engine.layers;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's convolutions DL4J lacks or computes otherwise, trainable through SameDiff's autodiff: {@code Conv1D}/{@code Conv2D}/{@code
 * Conv3D} with {@code groups} > 1 or channels first, {@code DepthwiseConv1D}/{@code DepthwiseConv2D}, {@code SeparableConv1D} (and
 * a channels-first {@code SeparableConv2D}), and the transposed {@code Conv1DTranspose}/{@code Conv2DTranspose}/{@code
 * Conv3DTranspose}. The array is Keras's own, channels last or first ({@code (batch, steps, channels)}, {@code (batch, rows, cols,
 * channels)}, {@code (batch, depth, rows, cols, channels)}, or the channels right after the batch), computed with ND4J's
 * channels-last ops between permutations, a 1-d layer as a 2-d one of height 1. The parameters keep Keras's layouts, which are
 * ND4J's: the kernel {@code (k..., in/groups, filters)}, the depthwise kernel {@code (k..., in, depth_multiplier)} (output channel
 * {@code c·dm + m}, as TensorFlow orders it), the separable layer's pointwise kernel {@code (1..., in·dm, filters)} and the
 * transposed kernel {@code (k..., filters, in)}; the bias is a {@code [1, out]} row.
 *
 * <p>Padding is Keras's: {@code valid}; {@code same}, TensorFlow's split (the extra padding after), which is ND4J's; and
 * {@code causal} (1-d convolutions), {@code (k-1)·dilation} zeros before the steps. A transposed convolution is computed whole
 * (every position an input step reaches, {@code (in-1)·stride + (k-1)·dilation + 1}) and then cropped or padded with zeros at
 * each end to Keras's output, as Keras's common definition places it (its JAX padding rule, which TensorFlow's and the torch
 * backend's agree with): that covers {@code output_padding}, strides larger than the kernel and {@code same} with any kernel.
 */
public class KerasConvolutionLayer extends SameDiffLayer {
    public static final String KERNEL = "kernel";
    public static final String BIAS = "bias";
    /** A separable convolution's pointwise kernel (its depthwise kernel is {@link #KERNEL}). */
    public static final String POINTWISE = "pointwise";

    /** What the layer computes. */
    public enum Kind { CONV, DEPTHWISE, TRANSPOSE, SEPARABLE }

    private Kind kind = Kind.CONV;
    private int rank = 2;
    private long[] kernelSize = {1, 1};
    private long[] strides = {1, 1};
    private long[] dilation = {1, 1};
    private String padding = "valid";
    private long[] outputPadding;
    private int groups = 1;
    private int depthMultiplier = 1;
    private long filters;
    private boolean channelsFirst;
    private boolean useBias = true;
    private String activation = "linear";
    private long channels;

    /** For JSON deserialisation (DL4J configurations and zips). */
    protected KerasConvolutionLayer() {
    }

    protected KerasConvolutionLayer(Builder b) {
        super(b);
        this.kind = b.kind;
        this.rank = b.rank;
        this.kernelSize = b.kernelSize;
        this.strides = b.strides;
        this.dilation = b.dilation;
        this.padding = b.padding;
        this.outputPadding = b.outputPadding;
        this.groups = b.groups;
        this.depthMultiplier = b.depthMultiplier;
        this.filters = b.filters;
        this.channelsFirst = b.channelsFirst;
        this.useBias = b.useBias;
        this.activation = b.activation;
    }

    /** The activations computed after the convolution, by Keras name. */
    public static boolean computesActivation(String name) {
        return java.util.Set.of("linear", "relu", "tanh", "sigmoid", "elu", "selu", "softplus", "softsign", "relu6", "swish", "silu",
                "softmax").contains(name);
    }

    /** Builds a {@link KerasConvolutionLayer}; 1-d sizes go in the second (width) place, the first staying 1; 3-d ones are three. */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private Kind kind = Kind.CONV;
        private int rank = 2;
        private long[] kernelSize = {1, 1};
        private long[] strides = {1, 1};
        private long[] dilation = {1, 1};
        private String padding = "valid";
        private long[] outputPadding;
        private int groups = 1;
        private int depthMultiplier = 1;
        private long filters;
        private boolean channelsFirst;
        private boolean useBias = true;
        private String activation = "linear";

        public Builder kind(Kind kind) { this.kind = kind; return this; }
        public Builder rank(int rank) { this.rank = rank; return this; }
        public Builder kernelSize(long... k) { this.kernelSize = k; return this; }
        public Builder strides(long... s) { this.strides = s; return this; }
        public Builder dilation(long... d) { this.dilation = d; return this; }
        public Builder padding(String padding) { this.padding = padding; return this; }
        /** A transposed convolution's output padding, one per spatial axis as the kernel size (null: Keras's default). */
        public Builder outputPadding(long... p) { this.outputPadding = p; return this; }
        public Builder groups(int groups) { this.groups = groups; return this; }
        public Builder depthMultiplier(int m) { this.depthMultiplier = m; return this; }
        public Builder filters(long filters) { this.filters = filters; return this; }
        public Builder channelsFirst(boolean cf) { this.channelsFirst = cf; return this; }
        public Builder useBias(boolean useBias) { this.useBias = useBias; return this; }
        public Builder activation(String activation) { this.activation = activation; return this; }

        @Override
        @SuppressWarnings("unchecked")
        public KerasConvolutionLayer build() {
            return new KerasConvolutionLayer(this);
        }
    }

    /** The channels the layer gives out. */
    public long outChannels() {
        return kind == Kind.DEPTHWISE ? channels * depthMultiplier : filters;
    }

    /** The spatial axes ND4J computes over: 2 for a 1-d layer (height 1), else the layer's rank. */
    private int spatial() {
        return rank == 1 ? 2 : rank;
    }

    /** The Keras kernel's spatial sizes: the last {@code rank} of {@link #kernelSize}. */
    private long[] kerasKernelSizes() {
        return java.util.Arrays.copyOfRange(kernelSize, kernelSize.length - rank, kernelSize.length);
    }

    private static long[] concat(long[] a, long... b) {
        long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The kernel's shape in Keras's layout (a separable layer's depthwise kernel). */
    public long[] kernelShape() {
        long a = switch (kind) {
            case CONV -> channels / groups;
            case DEPTHWISE, SEPARABLE -> channels;
            case TRANSPOSE -> filters;
        };
        long b = switch (kind) {
            case CONV -> filters;
            case DEPTHWISE, SEPARABLE -> depthMultiplier;
            case TRANSPOSE -> channels;
        };
        return concat(kerasKernelSizes(), a, b);
    }

    /** A separable layer's pointwise kernel in Keras's layout, {@code (1..., in·dm, filters)}. */
    public long[] pointwiseShape() {
        long[] ones = new long[rank];
        java.util.Arrays.fill(ones, 1);
        return concat(ones, channels * depthMultiplier, filters);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(KERNEL, kernelShape());
        if (kind == Kind.SEPARABLE) params.addWeightParam(POINTWISE, pointwiseShape());
        if (useBias) params.addBiasParam(BIAS, 1, outChannels());
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // The file's weights replace these; a layer built without a file starts small and random.
        for (String name : new String[] {KERNEL, POINTWISE}) {
            INDArray k = params.get(name);
            if (k != null) k.assign(Nd4j.randn(k.dataType(), k.shape()).muli(0.1));
        }
        if (useBias) params.get(BIAS).assign(0);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable x, Map<String, SDVariable> paramTable, SDVariable mask) {
        SDVariable w = paramTable.get(KERNEL);
        int n = spatial();
        int last = n + 1;
        // ND4J computes channels last: a channels-first array has its channels moved to the end, and back afterwards.
        if (channelsFirst) x = sd.permute(x, toChannelsLast(rank));
        if (rank == 1) {
            x = sd.expandDims(x, 1);
            w = sd.reshape(w, concat(new long[] {1}, kernelShape()));
        }
        if ("causal".equals(padding)) {
            long before = (kernelSize[1] - 1) * dilation[1];
            x = sd.nn.pad(x, sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {(int) before, 0}, {0, 0}})), 0.0);
        }
        boolean same = "same".equals(padding);
        SDVariable y = switch (kind) {
            case TRANSPOSE -> cropToKeras(sd, wholeTransposed(sd, x, w));
            case DEPTHWISE -> sd.cnn().depthWiseConv2d(x, w, conv2d(same, kernelSize, strides, dilation));
            case SEPARABLE -> {
                SDVariable depthwise = sd.cnn().depthWiseConv2d(x, w, conv2d(same, kernelSize, strides, dilation));
                SDVariable pw = sd.reshape(paramTable.get(POINTWISE), 1, 1, channels * depthMultiplier, filters);
                yield sd.cnn().conv2d(depthwise, pw, conv2d(false, new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}));
            }
            case CONV -> {
                // Group g takes input channels [g·in/groups, (g+1)·in/groups) and makes filters [g·f/groups, (g+1)·f/groups).
                SDVariable[] xs = groups == 1 ? new SDVariable[] {x} : sd.split(x, groups, last);
                SDVariable[] ws = groups == 1 ? new SDVariable[] {w} : sd.split(w, groups, last);
                SDVariable[] ys = new SDVariable[groups];
                for (int g = 0; g < groups; g++) ys[g] = convolve(sd, xs[g], ws[g], same);
                yield groups == 1 ? ys[0] : sd.concat(last, ys);
            }
        };
        if (useBias) {
            long[] biasShape = new long[n + 2];
            java.util.Arrays.fill(biasShape, 1);
            biasShape[last] = outChannels();
            y = y.add(sd.reshape(paramTable.get(BIAS), biasShape));
        }
        if (rank == 1) y = sd.squeeze(y, 1);
        if (channelsFirst) y = sd.permute(y, toChannelsFirst(rank));
        return activate(sd, y);
    }

    private SDVariable convolve(SameDiff sd, SDVariable x, SDVariable w, boolean same) {
        if (rank < 3) return sd.cnn().conv2d(x, w, conv2d(same, kernelSize, strides, dilation));
        Conv3DConfig c = Conv3DConfig.builder().kD(kernelSize[0]).kH(kernelSize[1]).kW(kernelSize[2]).sD(strides[0]).sH(strides[1])
                .sW(strides[2]).dD(dilation[0]).dH(dilation[1]).dW(dilation[2]).paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID)
                .dataFormat(Conv3DConfig.NDHWC).build();
        return sd.cnn().conv3d(x, w, c);
    }

    private static Conv2DConfig conv2d(boolean same, long[] k, long[] s, long[] d) {
        return Conv2DConfig.builder().kH(k[0]).kW(k[1]).sH(s[0]).sW(s[1]).dH(d[0]).dW(d[1])
                .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID).dataFormat("NHWC").weightsFormat(WeightsFormat.YXIO).build();
    }

    /** Every position the input reaches: {@code (in-1)·stride + (k-1)·dilation + 1} along each spatial axis (ND4J's valid mode). */
    private SDVariable wholeTransposed(SameDiff sd, SDVariable x, SDVariable w) {
        if (spatial() == 2) {
            DeConv2DConfig c = DeConv2DConfig.builder().kH(kernelSize[0]).kW(kernelSize[1]).sH(strides[0]).sW(strides[1])
                    .dH(dilation[0]).dW(dilation[1]).isSameMode(false).dataFormat("NHWC").build();
            return sd.cnn().deconv2d(x, w, c);
        }
        DeConv3DConfig c = DeConv3DConfig.builder().kD(kernelSize[0]).kH(kernelSize[1]).kW(kernelSize[2]).sD(strides[0]).sH(strides[1])
                .sW(strides[2]).dD(dilation[0]).dH(dilation[1]).dW(dilation[2]).isSameMode(false).dataFormat("NDHWC").build();
        return sd.cnn().deconv3d(x, w, c);
    }

    /** The whole transposed output cropped (or padded with zeros) at each end of each spatial axis to Keras's output. */
    private SDVariable cropToKeras(SameDiff sd, SDVariable whole) {
        int n = spatial();
        int[][] pads = new int[n + 2][2];
        long[] begin = new long[n + 2];
        long[] end = new long[n + 2];
        long[] step = new long[n + 2];
        java.util.Arrays.fill(step, 1);
        int endMask = 1 | 1 << (n + 1);
        boolean pad = false;
        boolean crop = false;
        for (int a = 0; a < n; a++) {
            long[] cut = transposedCrop(a);
            pads[a + 1][0] = (int) Math.max(0, -cut[0]);
            pads[a + 1][1] = (int) Math.max(0, -cut[1]);
            pad |= cut[0] < 0 || cut[1] < 0;
            begin[a + 1] = Math.max(0, cut[0]);
            if (cut[1] > 0) end[a + 1] = -cut[1];
            else endMask |= 1 << (a + 1);
            crop |= cut[0] > 0 || cut[1] > 0;
        }
        SDVariable y = whole;
        if (pad) y = sd.nn.pad(y, sd.constant(Nd4j.createFromArray(pads)), 0.0);
        if (crop) y = sd.stridedSlice(y, begin, end, step, 1 | 1 << (n + 1), endMask, 0, 0, 0);
        return y;
    }

    /**
     * What a transposed convolution removes from the start and the end of its whole output along spatial axis {@code a}
     * (negative: zeros added). Keras's rule (backend_utils' JAX padding arguments): the whole output is the input dilated by
     * the stride and padded by {@code k-1} each side, Keras pads it by {@code left} and {@code right} instead.
     */
    long[] transposedCrop(int a) {
        if (rank == 1 && a == 0) return new long[] {0, 0};
        long k = (kernelSize[a] - 1) * dilation[a] + 1;
        long s = strides[a];
        Long op = outputPadding == null ? null : outputPadding[outputPadding.length - spatial() + a];
        long left;
        long right;
        if ("same".equals(padding)) {
            long padLen = op == null ? s + k - 2 : k + k % 2 - 2 + op;
            left = Math.min(padLen / 2 + padLen % 2, k - 1);
            right = padLen - left;
        } else {
            long o = op == null ? Math.max(k, s) - k : op;
            left = k - 1;
            right = k - 1 + o;
        }
        return new long[] {k - 1 - left, k - 1 - right};
    }

    /** Permutation of a channels-first array of this rank to channels last: (0, 2, ..., 1). */
    private static int[] toChannelsLast(int rank) {
        int[] p = new int[rank + 2];
        for (int i = 1; i <= rank; i++) p[i] = i + 1;
        p[rank + 1] = 1;
        return p;
    }

    /** Permutation of a channels-last array of this rank to channels first: (0, last, 1, ...). */
    private static int[] toChannelsFirst(int rank) {
        int[] p = new int[rank + 2];
        p[1] = rank + 1;
        for (int i = 2; i <= rank + 1; i++) p[i] = i - 1;
        return p;
    }

    private SDVariable activate(SameDiff sd, SDVariable y) {
        return switch (activation) {
            case "linear" -> y;
            case "relu" -> sd.nn.relu(y, 0);
            case "tanh" -> sd.math.tanh(y);
            case "sigmoid" -> sd.nn.sigmoid(y);
            case "elu" -> sd.nn.elu(y);
            case "selu" -> sd.nn.selu(y);
            case "softplus" -> sd.nn.softplus(y);
            case "softsign" -> sd.nn.softsign(y);
            case "relu6" -> sd.nn.relu6(y, 0);
            case "swish", "silu" -> sd.nn.swish(y);
            // Keras's softmax is over the last axis of Keras's array: the channels, or the last spatial axis when channels first.
            case "softmax" -> sd.nn.softmax(y, rank + 1);
            default -> throw new IllegalStateException("layer " + getLayerName() + ": activation " + activation + " is not computed");
        };
    }

    /** The length of one spatial axis after the layer, Keras's rule; {@code axis} counts ND4J's spatial axes. */
    long outLength(long in, int axis) {
        if (in <= 0) return -1;
        long k = (kernelSize[axis] - 1) * dilation[axis] + 1;
        long s = strides[axis];
        if (kind == Kind.TRANSPOSE) {
            long[] cut = transposedCrop(axis);
            return (in - 1) * s + k - cut[0] - cut[1];
        }
        if ("valid".equals(padding)) return Math.floorDiv(in - k, s) + 1;
        return (in + s - 1) / s;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (rank == 1) {
            KerasSequenceAxes in = sequence(inputType);
            if (channelsFirst) return new KerasSequenceAxes(outChannels(), outLength(in.axis2(), 1)).asChannelsLastType();
            return new KerasSequenceAxes(outLength(in.axis1(), 1), outChannels()).asChannelsLastType();
        }
        long[] in = image(inputType);
        long[] out = new long[rank + 1];
        int first = channelsFirst ? 1 : 0;
        for (int a = 0; a < rank; a++) out[first + a] = outLength(in[first + a], a);
        out[channelsFirst ? 0 : rank] = outChannels();
        return KerasArrayAxes.asChannelsLastType(out);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        long n;
        if (rank == 1) {
            KerasSequenceAxes in = sequence(inputType);
            n = channelsFirst ? in.axis1() : in.axis2();
        } else {
            long[] in = image(inputType);
            n = channelsFirst ? in[0] : in[rank];
        }
        if (channels <= 0 || override) channels = n;
    }

    /** Keras's axes after the batch of an input of rank {@code rank + 2}. */
    private long[] image(InputType t) {
        long[] axes = KerasArrayAxes.of(t);
        if (axes != null && axes.length == rank + 1) return axes;
        throw new IllegalStateException("layer " + getLayerName() + " takes a rank-" + (rank + 2) + " array (batch, ..., channels); its input is " + t);
    }

    private KerasSequenceAxes sequence(InputType t) {
        if (t instanceof InputType.InputTypeRecurrent r) return KerasSequenceAxes.of(r);
        throw new IllegalStateException("layer " + getLayerName() + " takes a sequence (batch, steps, channels); its input is " + t);
    }

    /** The array arrives in Keras's layout, which is what the layer computes on. */
    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return ShapeKeyedSameDiffRuntime.instantiate(initializer(), conf, listeners, layerIndex, layerParamsView, initializeParams, networkDataType);
    }

    // ---- bean accessors: DL4J stores layer configurations as JSON through them ----

    public Kind getKind() { return kind; }
    public void setKind(Kind kind) { this.kind = kind; }
    public int getRank() { return rank; }
    public void setRank(int rank) { this.rank = rank; }
    public long[] getKernelSize() { return kernelSize; }
    public void setKernelSize(long[] kernelSize) { this.kernelSize = kernelSize; }
    public long[] getStrides() { return strides; }
    public void setStrides(long[] strides) { this.strides = strides; }
    public long[] getDilation() { return dilation; }
    public void setDilation(long[] dilation) { this.dilation = dilation; }
    public String getPadding() { return padding; }
    public void setPadding(String padding) { this.padding = padding; }
    public long[] getOutputPadding() { return outputPadding; }
    public void setOutputPadding(long[] outputPadding) { this.outputPadding = outputPadding; }
    public int getGroups() { return groups; }
    public void setGroups(int groups) { this.groups = groups; }
    public int getDepthMultiplier() { return depthMultiplier; }
    public void setDepthMultiplier(int depthMultiplier) { this.depthMultiplier = depthMultiplier; }
    public long getFilters() { return filters; }
    public void setFilters(long filters) { this.filters = filters; }
    public boolean isChannelsFirst() { return channelsFirst; }
    public void setChannelsFirst(boolean channelsFirst) { this.channelsFirst = channelsFirst; }
    public boolean isUseBias() { return useBias; }
    public void setUseBias(boolean useBias) { this.useBias = useBias; }
    public String getActivation() { return activation; }
    public void setActivation(String activation) { this.activation = activation; }
    public long getChannels() { return channels; }
    public void setChannels(long channels) { this.channels = channels; }
}
