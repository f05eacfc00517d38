package dev.graft.engine.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Map;

/**
 * A DL4J layer that computes Keras's {@code GRU} exactly (both {@code reset_after} conventions),
 * trainable like any other layer: the recurrence is unrolled into a SameDiff graph
 * ({@link GruUnroller}) and SameDiff's autodiff gives the gradients.
 *
 * <p>Data layout follows DL4J's imported Keras LSTM: {@link RNNFormat#NWC}, i.e. {@code [batch, steps,
 * features]} in and {@code [batch, steps, units]} out with {@code returnSequences}, else
 * {@code [batch, units]}. {@link RNNFormat#NCW} is accepted too, for DL4J-native networks.
 *
 * <p>Parameters carry Keras's shapes: {@code kernel [nIn, 3u]}, {@code recurrentKernel [u, 3u]},
 * {@code bias [2, 3u]} (reset_after) or {@code [1, 3u]} (reset_before; Keras's {@code (3u,)} as one row).
 *
 * <p>The graph is built for the step count of the first input it sees and rebuilt when a later input
 * has another ({@link KerasGruRuntimeLayer}). A mask is applied as Keras does when the layer is given the mask value
 * of the Masking or {@code Embedding(mask_zero)} layer it reads (a masked step keeps the state), and dropout, which Keras uses only while training, is not modelled.
 */
public class KerasGruLayer extends SameDiffLayer implements UnrolledRecurrentLayer {

    // Parameter names follow Keras's, minus the underscore: DL4J's updater splits "<layer>_<param>"
    // gradient keys at the last underscore, so a name like "recurrent_kernel" breaks training.
    public static final String KERNEL = "kernel";
    public static final String RECURRENT_KERNEL = "recurrentKernel";
    public static final String BIAS = "bias";

    private long nIn;
    private int units;
    private boolean resetAfter = true;
    private boolean useBias = true;
    private GruActivation activation = GruActivation.TANH;
    private GruActivation recurrentActivation = GruActivation.SIGMOID;
    private boolean returnSequences;
    private boolean goBackwards;
    private Double maskValue;
    private boolean zeroOutputForMask;
    private RNNFormat rnnDataFormat;
    /** The input carries the Keras mask as its last feature ({@link StepKeepVertex}); nIn counts the other features. */
    private boolean keepFeature;

    /** For JSON deserialisation (DL4J configurations and zips). */
    protected KerasGruLayer() {
    }

    protected KerasGruLayer(Builder b) {
        super(b);
        this.nIn = b.nIn;
        this.units = b.units;
        this.resetAfter = b.resetAfter;
        this.useBias = b.useBias;
        this.activation = b.activation;
        this.recurrentActivation = b.recurrentActivation;
        this.returnSequences = b.returnSequences;
        this.goBackwards = b.goBackwards;
        this.maskValue = b.maskValue;
        this.zeroOutputForMask = b.zeroOutputForMask;
        this.rnnDataFormat = b.rnnDataFormat;
        this.keepFeature = b.keepFeature;
        spec(); // fail at build time, not at first use
    }

    /** The arithmetic this layer computes. */
    public GruSpec spec() {
        return new GruSpec(units, resetAfter, useBias, activation, recurrentActivation, returnSequences, goBackwards, maskValue,
                zeroOutputForMask);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(KERNEL, nIn, 3L * units);
        params.addWeightParam(RECURRENT_KERNEL, units, 3L * units);
        if (useBias) {
            params.addBiasParam(BIAS, resetAfter ? 2 : 1, 3L * units);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // Glorot uniform like Keras's kernel default. Keras's recurrent default is orthogonal; DL4J's
        // orthogonal sampling can take minutes for large matrices, and imported weights replace these anyway.
        WeightInit init = weightInit == null ? WeightInit.XAVIER_UNIFORM : weightInit;
        initWeights((int) nIn, 3 * units, init, params.get(KERNEL));
        initWeights(units, 3 * units, init, params.get(RECURRENT_KERNEL));
        if (useBias) {
            params.get(BIAS).assign(0);
        }
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable layerInput, Map<String, SDVariable> paramTable, SDVariable mask) {
        long[] shape = layerInput.getShape();
        if (shape == null || shape.length != 3) {
            throw new IllegalStateException("GRU layer " + getLayerName() + " needs a rank-3 input, got "
                    + (shape == null ? "unknown shape" : java.util.Arrays.toString(shape)));
        }
        boolean ncw = format() == RNNFormat.NCW;
        SDVariable nwc = ncw ? sd.permute(layerInput, 0, 2, 1) : layerInput;
        int steps = (int) (ncw ? shape[2] : shape[1]);
        long features = ncw ? shape[1] : shape[2];
        SDVariable keepSeq = null;
        if (keepFeature) {
            if (features != nIn + 1) {
                throw new IllegalStateException("GRU layer " + getLayerName() + " expects " + nIn
                        + " features per step and the mask, input has " + features);
            }
            SDVariable[] split = KeepFeature.split(sd, nwc, steps, nIn);
            nwc = split[0];
            keepSeq = split[1];
            features = nIn;
        }
        if (features != nIn) {
            throw new IllegalStateException("GRU layer " + getLayerName() + " expects " + nIn
                    + " features per step, input has " + features);
        }
        SDVariable out = new GruUnroller(spec()).build(sd, nwc, keepSeq, steps, nIn, paramTable.get(KERNEL),
                paramTable.get(RECURRENT_KERNEL), useBias ? paramTable.get(BIAS) : null);
        return returnSequences && ncw ? sd.permute(out, 0, 2, 1) : out;
    }

    @Override
    public void validateInput(INDArray input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException("GRU layer " + getLayerName() + " needs a rank-3 input "
                    + (format() == RNNFormat.NCW ? "[batch, features, steps]" : "[batch, steps, features]")
                    + ", got shape " + java.util.Arrays.toString(input.shape()));
        }
    }

    @Override
    public INDArray onesMaskForInput(INDArray input) {
        // A per-step mask, [batch, steps], whichever layout the input has (the default assumes NCW).
        long steps = format() == RNNFormat.NCW ? input.size(2) : input.size(1);
        return org.nd4j.linalg.factory.Nd4j.ones(input.dataType(), input.size(0), steps);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        // The last step alone is a feed-forward activation: no per-step mask applies to it any more.
        return returnSequences ? new Pair<>(maskArray, currentMaskState) : new Pair<>(null, null);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType == null || inputType.getType() != InputType.Type.RNN) {
            throw new IllegalStateException("GRU layer " + getLayerName() + " needs a recurrent input, got " + inputType);
        }
        if (!returnSequences) {
            return InputType.feedForward(units);
        }
        InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) inputType;
        return InputType.recurrent(units, r.getTimeSeriesLength(), format());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (inputType == null || inputType.getType() != InputType.Type.RNN) {
            throw new IllegalStateException("GRU layer " + getLayerName() + " needs a recurrent input, got " + inputType);
        }
        InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) inputType;
        if (nIn <= 0 || override) {
            nIn = r.getSize() - (keepFeature ? 1 : 0);
        }
        if (rnnDataFormat == null || override) {
            rnnDataFormat = r.getFormat();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, format(), getLayerName());
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        return RuntimeWiring.wire(new KerasGruRuntimeLayer(conf, networkDataType), this, conf, listeners, layerIndex, layerParamsView, initializeParams);
    }

    private RNNFormat format() {
        return rnnDataFormat == null ? RNNFormat.NWC : rnnDataFormat;
    }

    // ---- bean accessors: DL4J stores layer configurations as JSON through them ----

    public long getNIn() { return nIn; }
    public void setNIn(long nIn) { this.nIn = nIn; }
    public int getUnits() { return units; }
    public void setUnits(int units) { this.units = units; }
    public boolean isResetAfter() { return resetAfter; }
    public void setResetAfter(boolean resetAfter) { this.resetAfter = resetAfter; }
    public boolean isUseBias() { return useBias; }
    public void setUseBias(boolean useBias) { this.useBias = useBias; }
    public GruActivation getActivation() { return activation; }
    public void setActivation(GruActivation activation) { this.activation = activation; }
    public GruActivation getRecurrentActivation() { return recurrentActivation; }
    public void setRecurrentActivation(GruActivation recurrentActivation) { this.recurrentActivation = recurrentActivation; }
    public boolean isReturnSequences() { return returnSequences; }
    public void setReturnSequences(boolean returnSequences) { this.returnSequences = returnSequences; }
    public boolean isGoBackwards() { return goBackwards; }
    public void setGoBackwards(boolean goBackwards) { this.goBackwards = goBackwards; }
    public RNNFormat getRnnDataFormat() { return rnnDataFormat; }
    public void setRnnDataFormat(RNNFormat rnnDataFormat) { this.rnnDataFormat = rnnDataFormat; }
    public boolean isKeepFeature() { return keepFeature; }
    public void setKeepFeature(boolean keepFeature) { this.keepFeature = keepFeature; }

    /** Builds a {@link KerasGruLayer}; defaults are Keras 3's (tanh, sigmoid, reset_after, bias). */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private long nIn;
        private int units;
        private boolean resetAfter = true;
        private boolean useBias = true;
        private GruActivation activation = GruActivation.TANH;
        private GruActivation recurrentActivation = GruActivation.SIGMOID;
        private boolean returnSequences;
        private boolean goBackwards;
        private Double maskValue;
        private boolean zeroOutputForMask;
        private RNNFormat rnnDataFormat;
        private boolean keepFeature;

        public Builder() {
            this.weightInit = WeightInit.XAVIER_UNIFORM;
        }

        public Builder nIn(long nIn) { this.nIn = nIn; return this; }
        public Builder units(int units) { this.units = units; return this; }
        public Builder resetAfter(boolean resetAfter) { this.resetAfter = resetAfter; return this; }
        public Builder useBias(boolean useBias) { this.useBias = useBias; return this; }
        public Builder activation(GruActivation activation) { this.activation = activation; return this; }
        public Builder recurrentActivation(GruActivation a) { this.recurrentActivation = a; return this; }
        public Builder returnSequences(boolean returnSequences) { this.returnSequences = returnSequences; return this; }
        public Builder goBackwards(boolean goBackwards) { this.goBackwards = goBackwards; return this; }
        public Builder maskValue(Double maskValue) { this.maskValue = maskValue; return this; }
        public Builder zeroOutputForMask(boolean zero) { this.zeroOutputForMask = zero; return this; }
        public Builder dataFormat(RNNFormat format) { this.rnnDataFormat = format; return this; }
        /** The input's last feature is the Keras mask ({@link StepKeepVertex}). */
        public Builder keepFeature(boolean keepFeature) { this.keepFeature = keepFeature; return this; }

        @Override
        @SuppressWarnings("unchecked")
        public KerasGruLayer build() {
            return new KerasGruLayer(this);
        }
    }
}
