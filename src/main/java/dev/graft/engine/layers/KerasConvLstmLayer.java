package dev.graft.engine.layers;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code ConvLSTM1D} and {@code ConvLSTM2D}: an LSTM whose input and recurrent transformations are convolutions
 * ({@link ConvLstmUnroller}), trainable through SameDiff's autodiff. The array is Keras's own, {@code (batch, steps,
 * spatial..., channels)} or, channels first, {@code (batch, steps, channels, spatial...)}; it is computed channels last
 * (a 1-d layer as a 2-d one of height 1) between permutations. Parameters keep Keras's layouts: {@code kernel (k...,
 * channels, 4·filters)}, {@code recurrentKernel (k..., filters, 4·filters)}, gates i, f, c, o along the last axis, and the
 * bias as a {@code [1, 4·filters]} row.
 *
 * <p>With {@code packState} the layer returns its output and its final states stacked along the step axis ({@code
 * [batch, S + 2, ...]}: S output steps, S = 1 without sequences, then h, then c), for {@link StepRangeVertex} parts to
 * take apart (a Keras layer returning its state has three outputs, a DL4J layer one).
 */
public class KerasConvLstmLayer extends SameDiffLayer {
    // Keras's names minus the underscore: DL4J's updater splits "<layer>_<param>" gradient keys at the last underscore.
    public static final String KERNEL = "kernel";
    public static final String RECURRENT_KERNEL = "recurrentKernel";
    public static final String BIAS = "bias";

    private int rank = 2;
    private long filters;
    /** Sizes per computed spatial axis: a 1-d layer's in the second place, the first being 1. */
    private long[] kernelSize = {1, 1};
    private long[] strides = {1, 1};
    private long[] dilation = {1, 1};
    private boolean same;
    private boolean channelsFirst;
    private GruActivation activation = GruActivation.TANH;
    private GruActivation recurrentActivation = GruActivation.SIGMOID;
    private boolean useBias = true;
    private boolean returnSequences;
    private boolean goBackwards;
    private boolean packState;
    /** Returning sequences, flipped along the steps (a Bidirectional's backward half, which Keras flips back). */
    private boolean reverseOutput;
    private long channels;

    /** For JSON deserialisation (DL4J configurations and zips). */
    protected KerasConvLstmLayer() {
    }

    protected KerasConvLstmLayer(Builder b) {
        super(b);
        this.rank = b.rank;
        this.filters = b.filters;
        this.kernelSize = b.kernelSize;
        this.strides = b.strides;
        this.dilation = b.dilation;
        this.same = b.same;
        this.channelsFirst = b.channelsFirst;
        this.activation = b.activation;
        this.recurrentActivation = b.recurrentActivation;
        this.useBias = b.useBias;
        this.returnSequences = b.returnSequences;
        this.goBackwards = b.goBackwards;
        this.packState = b.packState;
        this.reverseOutput = b.reverseOutput;
        if (rank < 1 || rank > 3) throw new IllegalArgumentException("ConvLSTM rank must be 1, 2 or 3, got " + rank);
        if (kernelSize.length != spatial() || strides.length != spatial() || dilation.length != spatial()) {
            throw new IllegalArgumentException("ConvLSTM" + rank + "D needs " + spatial() + " kernel sizes, strides and dilations");
        }
    }

    /** The spatial axes ND4J computes over: 2 for a 1-d layer (height 1), else the layer's rank. */
    private int spatial() {
        return rank == 1 ? 2 : rank;
    }

    /** The Keras kernel's spatial sizes: the last {@code rank} of {@link #kernelSize}. */
    private long[] kerasKernelSizes() {
        return Arrays.copyOfRange(kernelSize, kernelSize.length - rank, kernelSize.length);
    }

    private static long[] concat(long[] a, long... b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The input kernel's shape in Keras's layout. */
    public long[] kernelShape() {
        return concat(kerasKernelSizes(), channels, 4 * filters);
    }

    /** The recurrent kernel's shape in Keras's layout. */
    public long[] recurrentKernelShape() {
        return concat(kerasKernelSizes(), filters, 4 * filters);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(KERNEL, kernelShape());
        params.addWeightParam(RECURRENT_KERNEL, recurrentKernelShape());
        if (useBias) params.addBiasParam(BIAS, 1, 4 * filters);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // The file's weights replace these; a layer built without a file starts small and random.
        for (String name : new String[] {KERNEL, RECURRENT_KERNEL}) {
            INDArray k = params.get(name);
            k.assign(Nd4j.randn(k.dataType(), k.shape()).muli(0.1));
        }
        if (useBias) params.get(BIAS).assign(0);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable x, Map<String, SDVariable> paramTable, SDVariable mask) {
        long[] shape = x.getShape();
        if (shape == null || shape.length != rank + 3) {
            throw new IllegalStateException("layer " + getLayerName() + " (ConvLSTM" + rank + "D) takes a rank-" + (rank + 3) + " input, got "
                    + (shape == null ? "an unknown shape" : Arrays.toString(shape)));
        }
        int steps = (int) shape[1];
        if (channelsFirst) x = sd.permute(x, toChannelsLast());
        long[] sample = channelsLastSample(shape);
        long[] spatial = Arrays.copyOfRange(sample, 0, rank);
        long in = sample[rank];
        if (in != channels) throw new IllegalStateException("layer " + getLayerName() + " expects " + channels + " channels, input has " + in);
        SDVariable w = paramTable.get(KERNEL);
        SDVariable u = paramTable.get(RECURRENT_KERNEL);
        if (rank == 1) {
            x = sd.expandDims(x, 2);
            spatial = new long[] {1, spatial[0]};
            w = sd.reshape(w, concat(new long[] {1}, kernelShape()));
            u = sd.reshape(u, concat(new long[] {1}, recurrentKernelShape()));
        }
        SDVariable y = new ConvLstmUnroller(this).build(sd, x, spatial, channels, steps, w, u, useBias ? paramTable.get(BIAS) : null);
        boolean stepAxis = returnSequences || packState;
        if (rank == 1) y = sd.squeeze(y, stepAxis ? 2 : 1);
        if (channelsFirst) y = sd.permute(y, toChannelsFirst(stepAxis));
        return y;
    }

    /** One step's axes after the batch and steps, channels last. */
    private long[] channelsLastSample(long[] shape) {
        long[] sample = Arrays.copyOfRange(shape, 2, shape.length);
        if (!channelsFirst) return sample;
        long[] out = new long[sample.length];
        System.arraycopy(sample, 1, out, 0, rank);
        out[rank] = sample[0];
        return out;
    }

    /** (batch, steps, channels, spatial...) to (batch, steps, spatial..., channels). */
    private int[] toChannelsLast() {
        int[] p = new int[rank + 3];
        p[1] = 1;
        for (int a = 0; a < rank; a++) p[2 + a] = 3 + a;
        p[rank + 2] = 2;
        return p;
    }

    /** (batch, [steps,] spatial..., filters) to (batch, [steps,] filters, spatial...). */
    private int[] toChannelsFirst(boolean stepAxis) {
        int lead = stepAxis ? 2 : 1;
        int[] p = new int[lead + rank + 1];
        for (int a = 0; a < lead; a++) p[a] = a;
        p[lead] = lead + rank;
        for (int a = 0; a < rank; a++) p[lead + 1 + a] = lead + a;
        return p;
    }

    /** The length of computed spatial axis {@code axis} after the input convolution, Keras's rule. */
    long outLength(long in, int axis) {
        if (in <= 0) return -1;
        long k = (kernelSize[axis] - 1) * dilation[axis] + 1;
        long s = strides[axis];
        return same ? (in + s - 1) / s : Math.floorDiv(in - k, s) + 1;
    }

    /** Keras's axes after the batch of the input: steps, then one step's axes in the layer's data format. */
    private long[] inputAxes(InputType t) {
        long[] axes = t instanceof InputType.InputTypeRecurrent r ? null : KerasArrayAxes.of(t);
        if (axes != null && axes.length == rank + 2) return axes;
        throw new IllegalStateException("layer " + getLayerName() + " (ConvLSTM" + rank + "D) takes a rank-" + (rank + 3)
                + " array (batch, steps, ..., channels); its input is " + t);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long[] in = inputAxes(inputType);
        long[] step = Arrays.copyOfRange(in, 1, in.length);
        long[] out = new long[rank + 1];
        int first = channelsFirst ? 1 : 0;
        for (int a = 0; a < rank; a++) out[first + a] = outLength(step[first + a], spatial() - rank + a);
        out[channelsFirst ? 0 : rank] = filters;
        // packed: S + 2 steps (S = 1 without sequences); an open number of steps stays open
        if (packState) return typeOf(concat(new long[] {!returnSequences ? 3 : in[0] > 0 ? in[0] + 2 : in[0]}, out));
        return typeOf(returnSequences ? concat(new long[] {in[0]}, out) : out);
    }

    /** The DL4J type describing a Keras array with these axes after the batch (2: a sequence; 3 or 4: image or volume). */
    private static InputType typeOf(long[] axes) {
        if (axes.length == 2) return new KerasSequenceAxes(axes[0], axes[1]).asChannelsLastType();
        return KerasArrayAxes.asChannelsLastType(axes);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        long[] in = inputAxes(inputType);
        long n = channelsFirst ? in[1] : in[rank + 1];
        if (channels <= 0 || override) channels = n;
    }

    /** The array arrives in Keras's layout, which is what the layer computes on. */
    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    /** No Keras mask reaches a ConvLSTM the engine computes (such models are refused before), and none leaves it. */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(null, null);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return ShapeKeyedSameDiffRuntime.instantiate(initializer(), conf, listeners, layerIndex, layerParamsView, initializeParams, networkDataType);
    }

    /** Builds a {@link KerasConvLstmLayer}; 1-d sizes go in the second place, the first staying 1. Defaults are Keras's. */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private int rank = 2;
        private long filters;
        private long[] kernelSize = {1, 1};
        private long[] strides = {1, 1};
        private long[] dilation = {1, 1};
        private boolean same;
        private boolean channelsFirst;
        private GruActivation activation = GruActivation.TANH;
        private GruActivation recurrentActivation = GruActivation.SIGMOID;
        private boolean useBias = true;
        private boolean returnSequences;
        private boolean goBackwards;
        private boolean packState;
        private boolean reverseOutput;

        public Builder rank(int rank) { this.rank = rank; return this; }
        public Builder filters(long filters) { this.filters = filters; return this; }
        public Builder kernelSize(long... k) { this.kernelSize = k; return this; }
        public Builder strides(long... s) { this.strides = s; return this; }
        public Builder dilation(long... d) { this.dilation = d; return this; }
        public Builder same(boolean same) { this.same = same; return this; }
        public Builder channelsFirst(boolean cf) { this.channelsFirst = cf; return this; }
        public Builder activation(GruActivation a) { this.activation = a; return this; }
        public Builder recurrentActivation(GruActivation a) { this.recurrentActivation = a; return this; }
        public Builder useBias(boolean useBias) { this.useBias = useBias; return this; }
        public Builder returnSequences(boolean r) { this.returnSequences = r; return this; }
        public Builder goBackwards(boolean g) { this.goBackwards = g; return this; }
        /** Output and final states stacked along the step axis (a Keras layer with {@code return_state}). */
        public Builder packState(boolean p) { this.packState = p; return this; }
        /** Sequences flipped along the steps (a Bidirectional's backward half). */
        public Builder reverseOutput(boolean r) { this.reverseOutput = r; return this; }

        @Override
        @SuppressWarnings("unchecked")
        public KerasConvLstmLayer build() {
            return new KerasConvLstmLayer(this);
        }
    }

    // ---- bean accessors: DL4J stores layer configurations as JSON through them ----

    public int getRank() { return rank; }
    public void setRank(int rank) { this.rank = rank; }
    public long getFilters() { return filters; }
    public void setFilters(long filters) { this.filters = filters; }
    public long[] getKernelSize() { return kernelSize; }
    public void setKernelSize(long[] kernelSize) { this.kernelSize = kernelSize; }
    public long[] getStrides() { return strides; }
    public void setStrides(long[] strides) { this.strides = strides; }
    public long[] getDilation() { return dilation; }
    public void setDilation(long[] dilation) { this.dilation = dilation; }
    public boolean isSame() { return same; }
    public void setSame(boolean same) { this.same = same; }
    public boolean isChannelsFirst() { return channelsFirst; }
    public void setChannelsFirst(boolean channelsFirst) { this.channelsFirst = channelsFirst; }
    public GruActivation getActivation() { return activation; }
    public void setActivation(GruActivation activation) { this.activation = activation; }
    public GruActivation getRecurrentActivation() { return recurrentActivation; }
    public void setRecurrentActivation(GruActivation a) { this.recurrentActivation = a; }
    public boolean isUseBias() { return useBias; }
    public void setUseBias(boolean useBias) { this.useBias = useBias; }
    public boolean isReturnSequences() { return returnSequences; }
    public void setReturnSequences(boolean returnSequences) { this.returnSequences = returnSequences; }
    public boolean isGoBackwards() { return goBackwards; }
    public void setGoBackwards(boolean goBackwards) { this.goBackwards = goBackwards; }
    public boolean isPackState() { return packState; }
    public void setPackState(boolean packState) { this.packState = packState; }
    public boolean isReverseOutput() { return reverseOutput; }
    public void setReverseOutput(boolean reverseOutput) { this.reverseOutput = reverseOutput; }
    public long getChannels() { return channels; }
    public void setChannels(long channels) { this.channels = channels; }
}
