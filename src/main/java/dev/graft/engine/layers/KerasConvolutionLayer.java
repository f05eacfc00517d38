package dev.graft.engine.layers;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
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
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's 1-d and 2-d convolutions DL4J lacks, trainable through SameDiff's autodiff: {@code Conv1D}/{@code Conv2D} with
 * {@code groups} > 1, {@code DepthwiseConv1D}/{@code DepthwiseConv2D} and {@code Conv1DTranspose}. The array is Keras's
 * own ({@code (batch, steps, channels)}, {@code (batch, channels, steps)} for a channels-first 1-d layer, {@code (batch,
 * rows, cols, channels)}), computed with ND4J's NHWC ops, a 1-d layer as a 2-d one of height 1. The parameters keep Keras's
 * layouts, which are ND4J's: the kernel {@code (k..., in/groups, filters)}, the depthwise kernel {@code (k..., in,
 * depth_multiplier)} (output channel {@code c·dm + m}, as TensorFlow orders it) and the transposed kernel {@code (k...,
 * filters, in)}; the bias is a {@code [1, out]} row.
 *
 * <p>Padding is Keras's: {@code valid}; {@code same}, TensorFlow's split (the extra padding after), which is ND4J's; and
 * {@code causal} (1-d convolutions), {@code (k-1)·dilation} zeros before the steps.
 */
public class KerasConvolutionLayer extends SameDiffLayer {
    public static final String KERNEL = "kernel";
    public static final String BIAS = "bias";

    /** What the layer computes. */
    public enum Kind { CONV, DEPTHWISE, TRANSPOSE }

    private Kind kind = Kind.CONV;
    private int rank = 2;
    private long[] kernelSize = {1, 1};
    private long[] strides = {1, 1};
    private long[] dilation = {1, 1};
    private String padding = "valid";
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

    /** Builds a {@link KerasConvolutionLayer}; 1-d sizes go in the second (width) place, the first staying 1. */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private Kind kind = Kind.CONV;
        private int rank = 2;
        private long[] kernelSize = {1, 1};
        private long[] strides = {1, 1};
        private long[] dilation = {1, 1};
        private String padding = "valid";
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

    /** The kernel's shape in Keras's layout. */
    public long[] kernelShape() {
        long a = switch (kind) {
            case CONV -> channels / groups;
            case DEPTHWISE -> channels;
            case TRANSPOSE -> filters;
        };
        long b = switch (kind) {
            case CONV -> filters;
            case DEPTHWISE -> depthMultiplier;
            case TRANSPOSE -> channels;
        };
        return rank == 1 ? new long[] {kernelSize[1], a, b} : new long[] {kernelSize[0], kernelSize[1], a, b};
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(KERNEL, kernelShape());
        if (useBias) params.addBiasParam(BIAS, 1, outChannels());
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // The file's weights replace these; a layer built without a file starts small and random.
        INDArray k = params.get(KERNEL);
        k.assign(Nd4j.randn(k.dataType(), k.shape()).muli(0.1));
        if (useBias) params.get(BIAS).assign(0);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable x, Map<String, SDVariable> paramTable, SDVariable mask) {
        SDVariable w = paramTable.get(KERNEL);
        if (rank == 1) {
            if (channelsFirst) x = sd.permute(x, 0, 2, 1);
            x = sd.expandDims(x, 1);
            long[] k = kernelShape();
            w = sd.reshape(w, 1, k[0], k[1], k[2]);
        }
        boolean same = "same".equals(padding);
        if ("causal".equals(padding)) {
            long before = (kernelSize[1] - 1) * dilation[1];
            x = sd.nn.pad(x, sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {(int) before, 0}, {0, 0}})), 0.0);
        }
        SDVariable y;
        if (kind == Kind.TRANSPOSE) {
            DeConv2DConfig c = DeConv2DConfig.builder().kH(kernelSize[0]).kW(kernelSize[1]).sH(strides[0]).sW(strides[1])
                    .dH(dilation[0]).dW(dilation[1]).isSameMode(same).dataFormat("NHWC").build();
            y = sd.cnn().deconv2d(x, w, c);
        } else {
            Conv2DConfig c = Conv2DConfig.builder().kH(kernelSize[0]).kW(kernelSize[1]).sH(strides[0]).sW(strides[1])
                    .dH(dilation[0]).dW(dilation[1]).paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID)
                    .dataFormat("NHWC").weightsFormat(WeightsFormat.YXIO).build();
            if (kind == Kind.DEPTHWISE) {
                y = sd.cnn().depthWiseConv2d(x, w, c);
            } else if (groups == 1) {
                y = sd.cnn().conv2d(x, w, c);
            } else {
                // Group g takes input channels [g·in/groups, (g+1)·in/groups) and makes filters [g·f/groups, (g+1)·f/groups).
                SDVariable[] xs = sd.split(x, groups, 3);
                SDVariable[] ws = sd.split(w, groups, 3);
                SDVariable[] ys = new SDVariable[groups];
                for (int g = 0; g < groups; g++) ys[g] = sd.cnn().conv2d(xs[g], ws[g], c);
                y = sd.concat(3, ys);
            }
        }
        if (useBias) y = y.add(sd.reshape(paramTable.get(BIAS), 1, 1, 1, outChannels()));
        y = activate(sd, y);
        if (rank == 1) {
            y = sd.squeeze(y, 1);
            if (channelsFirst) y = sd.permute(y, 0, 2, 1);
        }
        return y;
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
            // Keras's softmax is over the last axis: the channels (before a channels-first 1-d layer's permutation back).
            case "softmax" -> sd.nn.softmax(y, 3);
            default -> throw new IllegalStateException("layer " + getLayerName() + ": activation " + activation + " is not computed");
        };
    }

    /** The length of one spatial axis after the layer, Keras's rule. */
    long outLength(long in, int axis) {
        if (in <= 0) return -1;
        long k = (kernelSize[axis] - 1) * dilation[axis] + 1;
        long s = strides[axis];
        if (kind == Kind.TRANSPOSE) return "same".equals(padding) ? in * s : (in - 1) * s + k;
        if ("valid".equals(padding)) return Math.floorDiv(in - k, s) + 1;
        return (in + s - 1) / s;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (rank == 2) {
            InputType.InputTypeConvolutional c = image(inputType);
            return InputType.convolutional(outLength(c.getHeight(), 0), outLength(c.getWidth(), 1), outChannels(), CNN2DFormat.NHWC);
        }
        KerasSequenceAxes in = sequence(inputType);
        if (channelsFirst) return new KerasSequenceAxes(outChannels(), outLength(in.axis2(), 1)).asChannelsLastType();
        return new KerasSequenceAxes(outLength(in.axis1(), 1), outChannels()).asChannelsLastType();
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        long n;
        if (rank == 2) {
            n = image(inputType).getChannels();
        } else {
            KerasSequenceAxes in = sequence(inputType);
            n = channelsFirst ? in.axis1() : in.axis2();
        }
        if (channels <= 0 || override) channels = n;
    }

    private InputType.InputTypeConvolutional image(InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c && c.getFormat() == CNN2DFormat.NHWC) return c;
        throw new IllegalStateException("layer " + getLayerName() + " takes a channels-last image (batch, rows, cols, channels); its input is " + t);
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
