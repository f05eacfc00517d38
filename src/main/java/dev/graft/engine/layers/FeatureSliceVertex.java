package dev.graft.engine.layers;

import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Features {@code [from, to)} of a vector {@code (batch, features)} or of every step of a sequence (NWC or NCW as its
 * input type says): how the engine hands on one half of a {@code Bidirectional(merge_mode=None)}, computed as concat.
 * No parameters; the gradient flows back into the slice it came from.
 */
public class FeatureSliceVertex extends SameDiffVertex {
    private long from;
    private long to;
    private RNNFormat format = RNNFormat.NWC;
    private boolean sequence;

    /** For JSON deserialisation (DL4J configurations and zips). */
    public FeatureSliceVertex() {
    }

    public FeatureSliceVertex(long from, long to) {
        this.from = from;
        this.to = to;
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.defineInputs("in");
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> in, Map<String, SDVariable> p, Map<String, SDVariable> maskVars) {
        SDVariable x = in.get("in");
        SDIndex features = SDIndex.interval(from, to);
        if (!sequence) return x.get(SDIndex.all(), features);
        return format == RNNFormat.NCW ? x.get(SDIndex.all(), features, SDIndex.all()) : x.get(SDIndex.all(), SDIndex.all(), features);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(null, null);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        if (in == null || in.length != 1) throw new InvalidInputTypeException("feature slice " + getLayerName() + " takes one input");
        if (in[0] instanceof InputType.InputTypeRecurrent r) {
            sequence = true;
            format = r.getFormat();
            return InputType.recurrent(to - from, r.getTimeSeriesLength(), r.getFormat());
        }
        if (in[0] instanceof InputType.InputTypeFeedForward) {
            sequence = false;
            return InputType.feedForward(to - from);
        }
        throw new InvalidInputTypeException("feature slice " + getLayerName() + " takes (batch, features) or sequences, got " + in[0]);
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                                                      boolean initializeParams, DataType networkDatatype) {
        setName(name);
        return new ShapeKeyedSameDiffVertexRuntime(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    @Override
    public FeatureSliceVertex clone() {
        FeatureSliceVertex c = new FeatureSliceVertex(from, to);
        c.format = format;
        c.sequence = sequence;
        return SameDiffVertexSettings.copy(this, c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSliceVertex s && from == s.from && to == s.to && format == s.format && sequence == s.sequence;
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, to, format, sequence);
    }

    // ---- bean accessors: DL4J stores configurations as JSON through them ----

    public long getFrom() { return from; }
    public void setFrom(long from) { this.from = from; }
    public long getTo() { return to; }
    public void setTo(long to) { this.to = to; }
    public RNNFormat getFormat() { return format; }
    public void setFormat(RNNFormat format) { this.format = format == null ? RNNFormat.NWC : format; }
    public boolean isSequence() { return sequence; }
    public void setSequence(boolean sequence) { this.sequence = sequence; }
}
