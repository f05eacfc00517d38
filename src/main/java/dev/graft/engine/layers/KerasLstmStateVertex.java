package dev.graft.engine.layers;

import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A DL4J graph vertex computing a Keras {@code LSTM} that returns its state ({@code return_state=True})
 * and/or starts from a given one ({@code initial_state=[h, c]}): the two things DL4J's own LSTM cannot do,
 * since a DL4J layer has one input and one output. As a vertex it takes several inputs: the sequence,
 * then, with {@link LstmSpec#initialState()}, {@code h0} and {@code c0} ({@code [batch, units]} each).
 *
 * <p>Its one output is, without {@code returnState}, the LSTM's output as Keras gives it (NWC
 * {@code [batch, steps, units]} with {@code returnSequences}, else {@code [batch, units]}); with
 * {@code returnState} it packs Keras's three outputs into one NWC array {@code [batch, S + 2, units]}: the S
 * output steps (all steps, or the last one), then the final {@code h}, then the final {@code c}, which
 * {@link LstmStatePartVertex} vertices unpack.
 *
 * <p>Trainable: the recurrence is unrolled into SameDiff ({@link LstmUnroller}) and SameDiff's autodiff
 * gives the gradients of the parameters, the sequence and the initial states. Parameters keep Keras's
 * layout, gate order [i, f, c, o]: {@code kernel [nIn, 4u]}, {@code recurrentKernel [u, 4u]},
 * {@code bias [1, 4u]} (Keras's {@code (4u,)} as one row).
 */
public class KerasLstmStateVertex extends SameDiffVertex {

    // Parameter names without '_': DL4J's updater splits "<vertex>_<param>" gradient keys at the last underscore.
    public static final String KERNEL = "kernel";
    public static final String RECURRENT_KERNEL = "recurrentKernel";
    public static final String BIAS = "bias";
    static final String INPUT = "x";
    static final String INITIAL_H = "h0";
    static final String INITIAL_C = "c0";

    private long nIn;
    private int units;
    private boolean useBias = true;
    private GruActivation activation = GruActivation.TANH;
    private GruActivation recurrentActivation = GruActivation.SIGMOID;
    private boolean returnSequences;
    private boolean returnState;
    private boolean initialState;
    private boolean goBackwards;
    private Double maskValue;
    private LstmMaskedOutput maskedOutput = LstmMaskedOutput.PREVIOUS;
    private RNNFormat inputFormat = RNNFormat.NWC;
    /** The sequence carries the Keras mask as its last feature ({@link StepKeepVertex}); nIn counts the other features. */
    private boolean keepFeature;
    /** Returning sequences, in the input's order rather than processing order (a Bidirectional's backward half). */
    private boolean reverseOutput;

    /**
     * Values the parameters start from instead of random ones (a model's stored weights), taken once by
     * {@link #initializeParameters}. Not part of the configuration: never written to JSON.
     */
    @JsonIgnore
    private transient Map<String, INDArray> initialValues;

    /** For JSON deserialisation (DL4J configurations and zips). */
    public KerasLstmStateVertex() {
    }

    public KerasLstmStateVertex(LstmSpec spec, long nIn) {
        setSpec(spec);
        this.nIn = nIn;
    }

    /** The arithmetic this vertex computes. */
    @JsonIgnore
    public LstmSpec getSpec() {
        return new LstmSpec(units, useBias, activation, recurrentActivation, returnSequences, returnState,
                initialState, goBackwards, maskValue, maskedOutput);
    }

    @JsonIgnore
    public void setSpec(LstmSpec s) {
        this.units = s.units();
        this.useBias = s.useBias();
        this.activation = s.activation();
        this.recurrentActivation = s.recurrentActivation();
        this.returnSequences = s.returnSequences();
        this.returnState = s.returnState();
        this.initialState = s.initialState();
        this.goBackwards = s.goBackwards();
        this.maskValue = s.maskValue();
        this.maskedOutput = s.maskedOutput();
    }

    /** Sets values for the parameters to start from, checked against their shapes when the network is built. */
    public void setInitialValues(Map<String, INDArray> values) {
        this.initialValues = values == null ? null : new HashMap<>(values);
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        if (initialState) {
            params.defineInputs(INPUT, INITIAL_H, INITIAL_C);
        } else {
            params.defineInputs(INPUT);
        }
        params.addWeightParam(KERNEL, nIn, 4L * units);
        params.addWeightParam(RECURRENT_KERNEL, units, 4L * units);
        if (useBias) {
            params.addBiasParam(BIAS, 1, 4L * units);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        Map<String, INDArray> given = initialValues;
        initialValues = null;   // once: the network owns the values from now on
        if (given != null) {
            if (!given.keySet().equals(params.keySet())) {
                throw new IllegalStateException("LSTM " + getLayerName() + ": parameters " + params.keySet()
                        + " but values for " + given.keySet());
            }
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                INDArray v = given.get(e.getKey());
                if (!Arrays.equals(v.shape(), e.getValue().shape())) {
                    throw new IllegalStateException("LSTM " + getLayerName() + ": parameter " + e.getKey() + " has shape "
                            + Arrays.toString(e.getValue().shape()) + ", values have " + Arrays.toString(v.shape()));
                }
                e.getValue().assign(v.castTo(e.getValue().dataType()));
            }
            return;
        }
        // Glorot uniform like Keras's kernel default (Keras's recurrent default, orthogonal, is slow in DL4J),
        // zero bias but for the forget gate, as Keras's unit_forget_bias.
        WeightInit.XAVIER_UNIFORM.getWeightInitFunction().init(nIn, 4.0 * units, new long[]{nIn, 4L * units}, 'c',
                params.get(KERNEL));
        WeightInit.XAVIER_UNIFORM.getWeightInitFunction().init(units, 4.0 * units, new long[]{units, 4L * units}, 'c',
                params.get(RECURRENT_KERNEL));
        if (useBias) {
            INDArray b = params.get(BIAS).assign(0);
            for (int j = 0; j < units; j++) {
                b.putScalar(0, units + j, 1.0);
            }
        }
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> layerInput, Map<String, SDVariable> paramTable,
                                   Map<String, SDVariable> maskVars) {
        SDVariable x = layerInput.get(INPUT);
        long[] shape = x.getShape();
        if (shape == null || shape.length != 3) {
            throw new IllegalStateException("LSTM " + getLayerName() + " needs a rank-3 sequence input, got "
                    + (shape == null ? "unknown shape" : Arrays.toString(shape)));
        }
        boolean ncw = inputFormat == RNNFormat.NCW;
        SDVariable nwc = ncw ? sd.permute(x, 0, 2, 1) : x;
        int steps = (int) (ncw ? shape[2] : shape[1]);
        long features = ncw ? shape[1] : shape[2];
        if (keepFeature) {
            if (features != nIn + 1) {
                throw new IllegalStateException("LSTM " + getLayerName() + " expects " + nIn + " features per step and the mask, input has "
                        + features);
            }
            // the mask itself reaches the unroller through the runtime's mask (KerasLstmStateRuntimeVertex), from the same feature
            nwc = KeepFeature.split(sd, nwc, steps, nIn)[0];
            features = nIn;
        }
        if (features != nIn) {
            throw new IllegalStateException("LSTM " + getLayerName() + " expects " + nIn + " features per step, input has "
                    + features);
        }
        return new LstmUnroller(getSpec(), keepFeature, reverseOutput).build(sd, nwc, layerInput.get(INITIAL_H), layerInput.get(INITIAL_C),
                maskVars.get(INPUT), steps, nIn, paramTable.get(KERNEL), paramTable.get(RECURRENT_KERNEL),
                useBias ? paramTable.get(BIAS) : null);
    }

    @Override
    public void validateInput(INDArray[] input) {
        int expected = initialState ? 3 : 1;
        if (input.length != expected) {
            throw new IllegalArgumentException("LSTM " + getLayerName() + " takes " + expected + " inputs, got " + input.length);
        }
        if (input[0].rank() != 3) {
            throw new IllegalArgumentException("LSTM " + getLayerName() + " needs a rank-3 sequence input "
                    + (inputFormat == RNNFormat.NCW ? "[batch, features, steps]" : "[batch, steps, features]")
                    + ", got shape " + Arrays.toString(input[0].shape()));
        }
        for (int i = 1; i < input.length; i++) {
            if (input[i].rank() != 2 || input[i].size(1) != units || input[i].size(0) != input[0].size(0)) {
                throw new IllegalArgumentException("LSTM " + getLayerName() + ": initial state " + (i == 1 ? "h" : "c")
                        + " must be [" + input[0].size(0) + ", " + units + "], got " + Arrays.toString(input[i].shape()));
            }
        }
    }

    /** Steps of the sequence input, from its array. */
    long steps(INDArray sequence) {
        return inputFormat == RNNFormat.NCW ? sequence.size(2) : sequence.size(1);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        // Masks DL4J passes along the graph are not applied (Keras masks come in as mask values, see
        // LstmSpec#maskValue), and the outputs carry none.
        return new Pair<>(null, null);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        int expected = initialState ? 3 : 1;
        if (in == null || in.length != expected) {
            throw new InvalidInputTypeException("LSTM " + getLayerName() + " takes " + expected + " inputs"
                    + (initialState ? " (sequence, h0, c0)" : "") + ", got " + (in == null ? 0 : in.length));
        }
        if (in[0] == null || in[0].getType() != InputType.Type.RNN) {
            throw new InvalidInputTypeException("LSTM " + getLayerName() + " needs a sequence as its first input, got " + in[0]);
        }
        for (int i = 1; i < in.length; i++) {
            if (in[i] == null || in[i].getType() != InputType.Type.FF || ((InputType.InputTypeFeedForward) in[i]).getSize() != units) {
                throw new InvalidInputTypeException("LSTM " + getLayerName() + ": initial state " + (i == 1 ? "h" : "c")
                        + " must be a vector of " + units + ", got " + in[i]);
            }
        }
        long steps = ((InputType.InputTypeRecurrent) in[0]).getTimeSeriesLength();
        if (returnState) {
            long packed = returnSequences ? (steps > 0 ? steps + 2 : -1) : 3;
            return InputType.recurrent(units, packed, RNNFormat.NWC);
        }
        return returnSequences ? InputType.recurrent(units, steps, RNNFormat.NWC) : InputType.feedForward(units);
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        setName(name);
        return new KerasLstmStateRuntimeVertex(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    @Override
    public KerasLstmStateVertex clone() {
        KerasLstmStateVertex c = new KerasLstmStateVertex(getSpec(), nIn);
        c.inputFormat = inputFormat;
        c.keepFeature = keepFeature;
        c.reverseOutput = reverseOutput;
        c.initialValues = initialValues;
        return SameDiffVertexSettings.copy(this, c);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KerasLstmStateVertex)) {
            return false;
        }
        KerasLstmStateVertex v = (KerasLstmStateVertex) o;
        return nIn == v.nIn && getSpec().equals(v.getSpec()) && inputFormat == v.inputFormat && keepFeature == v.keepFeature
                && reverseOutput == v.reverseOutput;
    }

    @Override
    public int hashCode() {
        return Objects.hash(nIn, getSpec(), inputFormat, keepFeature, reverseOutput);
    }

    @Override
    public String toString() {
        return "KerasLstmStateVertex(" + getLayerName() + ", nIn=" + nIn + ", " + getSpec() + ")";
    }

    // ---- bean accessors: DL4J stores configurations as JSON through them ----

    public long getNIn() { return nIn; }
    public void setNIn(long nIn) { this.nIn = nIn; setVertexParams(null); }
    public int getUnits() { return units; }
    public void setUnits(int units) { this.units = units; }
    public boolean isUseBias() { return useBias; }
    public void setUseBias(boolean useBias) { this.useBias = useBias; }
    public GruActivation getActivation() { return activation; }
    public void setActivation(GruActivation activation) { this.activation = activation; }
    public GruActivation getRecurrentActivation() { return recurrentActivation; }
    public void setRecurrentActivation(GruActivation a) { this.recurrentActivation = a; }
    public boolean isReturnSequences() { return returnSequences; }
    public void setReturnSequences(boolean returnSequences) { this.returnSequences = returnSequences; }
    public boolean isReturnState() { return returnState; }
    public void setReturnState(boolean returnState) { this.returnState = returnState; }
    public boolean isInitialState() { return initialState; }
    public void setInitialState(boolean initialState) { this.initialState = initialState; }
    public boolean isGoBackwards() { return goBackwards; }
    public void setGoBackwards(boolean goBackwards) { this.goBackwards = goBackwards; }
    public Double getMaskValue() { return maskValue; }
    public void setMaskValue(Double maskValue) { this.maskValue = maskValue; }
    public LstmMaskedOutput getMaskedOutput() { return maskedOutput; }
    public void setMaskedOutput(LstmMaskedOutput maskedOutput) { this.maskedOutput = maskedOutput; }
    public RNNFormat getInputFormat() { return inputFormat; }
    public void setInputFormat(RNNFormat inputFormat) { this.inputFormat = inputFormat == null ? RNNFormat.NWC : inputFormat; }
    public boolean isKeepFeature() { return keepFeature; }
    public void setKeepFeature(boolean keepFeature) { this.keepFeature = keepFeature; }
    public boolean isReverseOutput() { return reverseOutput; }
    public void setReverseOutput(boolean reverseOutput) { this.reverseOutput = reverseOutput; }
}
