package dev.graft.engine.layers;

import java.util.Collection;
import java.util.Map;
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

/**
 * A DL4J layer that computes Keras's {@code SimpleRNN} exactly where DL4J's {@code SimpleRnn} does not: reading backwards
 * ({@code go_backwards}), Keras 3's {@code hard_sigmoid}, a mask, and training (DL4J M2.1's SimpleRnn backward pass fails
 * on Keras's sequences). The recurrence is unrolled into a SameDiff graph ({@link SimpleRnnUnroller}); SameDiff's autodiff
 * gives the gradients. Layout and runtime as {@link KerasGruLayer}: NWC in, {@code [batch, steps, units]} or
 * {@code [batch, units]} out.
 *
 * <p>Parameters carry Keras's shapes: {@code kernel [nIn, u]}, {@code recurrentKernel [u, u]}, {@code bias [1, u]}.
 */
public class KerasSimpleRnnLayer extends SameDiffLayer implements UnrolledRecurrentLayer {
    // Keras's names minus the underscore: DL4J's updater splits "<layer>_<param>" gradient keys at the last underscore.
    public static final String KERNEL = "kernel";
    public static final String RECURRENT_KERNEL = "recurrentKernel";
    public static final String BIAS = "bias";

    private long nIn;
    private int units;
    private boolean useBias = true;
    private GruActivation activation = GruActivation.TANH;
    private boolean returnSequences;
    private boolean goBackwards;
    private Double maskValue;
    private boolean zeroOutputForMask;
    private RNNFormat rnnDataFormat;
    /** The input carries the Keras mask as its last feature ({@link StepKeepVertex}); nIn counts the other features. */
    private boolean keepFeature;
    /** Returning sequences, in the input's order rather than processing order (a Bidirectional's backward half). */
    private boolean reverseOutput;

    /** For JSON deserialisation (DL4J configurations and zips). */
    protected KerasSimpleRnnLayer() {
    }

    protected KerasSimpleRnnLayer(Builder b) {
        super(b);
        this.nIn = b.nIn;
        this.units = b.units;
        this.useBias = b.useBias;
        this.activation = b.activation;
        this.returnSequences = b.returnSequences;
        this.goBackwards = b.goBackwards;
        this.maskValue = b.maskValue;
        this.zeroOutputForMask = b.zeroOutputForMask;
        this.rnnDataFormat = b.rnnDataFormat;
        this.keepFeature = b.keepFeature;
        this.reverseOutput = b.reverseOutput;
        spec(); // fail at build time, not at first use
    }

    /** The arithmetic this layer computes. */
    public SimpleRnnSpec spec() {
        return new SimpleRnnSpec(units, useBias, activation, returnSequences, goBackwards, maskValue, zeroOutputForMask);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(KERNEL, nIn, units);
        params.addWeightParam(RECURRENT_KERNEL, units, units);
        if (useBias) params.addBiasParam(BIAS, 1, units);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        WeightInit init = weightInit == null ? WeightInit.XAVIER_UNIFORM : weightInit;
        initWeights((int) nIn, units, init, params.get(KERNEL));
        initWeights(units, units, init, params.get(RECURRENT_KERNEL));
        if (useBias) params.get(BIAS).assign(0);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable layerInput, Map<String, SDVariable> paramTable, SDVariable mask) {
        long[] shape = layerInput.getShape();
        if (shape == null || shape.length != 3) {
            throw new IllegalStateException("SimpleRNN layer " + getLayerName() + " needs a rank-3 input, got "
                    + (shape == null ? "unknown shape" : java.util.Arrays.toString(shape)));
        }
        boolean ncw = format() == RNNFormat.NCW;
        SDVariable nwc = ncw ? sd.permute(layerInput, 0, 2, 1) : layerInput;
        int steps = (int) (ncw ? shape[2] : shape[1]);
        long features = ncw ? shape[1] : shape[2];
        SDVariable keepSeq = null;
        if (keepFeature) {
            if (features != nIn + 1) {
                throw new IllegalStateException("SimpleRNN layer " + getLayerName() + " expects " + nIn
                        + " features per step and the mask, input has " + features);
            }
            SDVariable[] split = KeepFeature.split(sd, nwc, steps, nIn);
            nwc = split[0];
            keepSeq = split[1];
            features = nIn;
        }
        if (features != nIn) {
            throw new IllegalStateException("SimpleRNN layer " + getLayerName() + " expects " + nIn + " features per step, input has " + features);
        }
        SDVariable out = new SimpleRnnUnroller(spec(), reverseOutput).build(sd, nwc, keepSeq, steps, nIn, paramTable.get(KERNEL), paramTable.get(RECURRENT_KERNEL),
                useBias ? paramTable.get(BIAS) : null);
        return returnSequences && ncw ? sd.permute(out, 0, 2, 1) : out;
    }

    @Override
    public void validateInput(INDArray input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException("SimpleRNN layer " + getLayerName() + " needs a rank-3 input "
                    + (format() == RNNFormat.NCW ? "[batch, features, steps]" : "[batch, steps, features]")
                    + ", got shape " + java.util.Arrays.toString(input.shape()));
        }
    }

    @Override
    public INDArray onesMaskForInput(INDArray input) {
        long steps = format() == RNNFormat.NCW ? input.size(2) : input.size(1);
        return org.nd4j.linalg.factory.Nd4j.ones(input.dataType(), input.size(0), steps);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        return returnSequences ? new Pair<>(maskArray, currentMaskState) : new Pair<>(null, null);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType == null || inputType.getType() != InputType.Type.RNN) {
            throw new IllegalStateException("SimpleRNN layer " + getLayerName() + " needs a recurrent input, got " + inputType);
        }
        if (!returnSequences) return InputType.feedForward(units);
        InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) inputType;
        return InputType.recurrent(units, r.getTimeSeriesLength(), format());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (inputType == null || inputType.getType() != InputType.Type.RNN) {
            throw new IllegalStateException("SimpleRNN layer " + getLayerName() + " needs a recurrent input, got " + inputType);
        }
        InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) inputType;
        if (nIn <= 0 || override) nIn = r.getSize() - (keepFeature ? 1 : 0);
        if (rnnDataFormat == null || override) rnnDataFormat = r.getFormat();
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, format(), getLayerName());
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
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
    public boolean isUseBias() { return useBias; }
    public void setUseBias(boolean useBias) { this.useBias = useBias; }
    public GruActivation getActivation() { return activation; }
    public void setActivation(GruActivation activation) { this.activation = activation; }
    public boolean isReturnSequences() { return returnSequences; }
    public void setReturnSequences(boolean returnSequences) { this.returnSequences = returnSequences; }
    public boolean isGoBackwards() { return goBackwards; }
    public void setGoBackwards(boolean goBackwards) { this.goBackwards = goBackwards; }
    public Double getMaskValue() { return maskValue; }
    public void setMaskValue(Double maskValue) { this.maskValue = maskValue; }
    public boolean isZeroOutputForMask() { return zeroOutputForMask; }
    public void setZeroOutputForMask(boolean zero) { this.zeroOutputForMask = zero; }
    @Override
    public RNNFormat getRnnDataFormat() { return rnnDataFormat; }
    public void setRnnDataFormat(RNNFormat rnnDataFormat) { this.rnnDataFormat = rnnDataFormat; }
    public boolean isKeepFeature() { return keepFeature; }
    public void setKeepFeature(boolean keepFeature) { this.keepFeature = keepFeature; }
    public boolean isReverseOutput() { return reverseOutput; }
    public void setReverseOutput(boolean reverseOutput) { this.reverseOutput = reverseOutput; }

    /** Builds a {@link KerasSimpleRnnLayer}; defaults are Keras's (tanh, bias). */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private long nIn;
        private int units;
        private boolean useBias = true;
        private GruActivation activation = GruActivation.TANH;
        private boolean returnSequences;
        private boolean goBackwards;
        private Double maskValue;
        private boolean zeroOutputForMask;
        private RNNFormat rnnDataFormat;
        private boolean keepFeature;
        private boolean reverseOutput;

        public Builder() {
            this.weightInit = WeightInit.XAVIER_UNIFORM;
        }

        public Builder nIn(long nIn) { this.nIn = nIn; return this; }
        public Builder units(int units) { this.units = units; return this; }
        public Builder useBias(boolean useBias) { this.useBias = useBias; return this; }
        public Builder activation(GruActivation activation) { this.activation = activation; return this; }
        public Builder returnSequences(boolean returnSequences) { this.returnSequences = returnSequences; return this; }
        public Builder goBackwards(boolean goBackwards) { this.goBackwards = goBackwards; return this; }
        public Builder maskValue(Double maskValue) { this.maskValue = maskValue; return this; }
        public Builder zeroOutputForMask(boolean zero) { this.zeroOutputForMask = zero; return this; }
        public Builder dataFormat(RNNFormat format) { this.rnnDataFormat = format; return this; }
        /** The input's last feature is the Keras mask ({@link StepKeepVertex}). */
        public Builder keepFeature(boolean keepFeature) { this.keepFeature = keepFeature; return this; }
        /** Sequences in the input's order (a Bidirectional's backward half). */
        public Builder reverseOutput(boolean reverseOutput) { this.reverseOutput = reverseOutput; return this; }

        @Override
        @SuppressWarnings("unchecked")
        public KerasSimpleRnnLayer build() {
            return new KerasSimpleRnnLayer(this);
        }
    }
}
