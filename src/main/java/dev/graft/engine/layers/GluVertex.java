package dev.graft.engine.layers;

import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.CNN2DFormat;
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
 * Keras's {@code glu} activation (Keras 3.15 {@code activations.glu}, {@code axis=-1}): the features split into two
 * halves {@code a, b} and {@code a · sigmoid(b)}, so the output has half the features. Keras's last axis is the
 * features of a vector, of every step of a sequence (NWC or NCW as the input type says) or of every pixel of an image
 * (NHWC or NCHW). No parameters; trainable through SameDiff's autodiff. A vertex rather than an activation function,
 * because DL4J's activation functions keep the size of their input.
 */
public class GluVertex extends SameDiffVertex {
    /** Which axis of the engine's array holds Keras's last axis. */
    private int featureAxis = 1;
    private int rank = 2;

    /** For JSON deserialisation (DL4J configurations and zips). */
    public GluVertex() {
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
        long features = x.getShape()[featureAxis];
        SDVariable a = x.get(index(0, features / 2));
        SDVariable b = x.get(index(features / 2, features));
        return a.mul(sd.nn.sigmoid(b));
    }

    private SDIndex[] index(long from, long to) {
        SDIndex[] idx = new SDIndex[rank];
        for (int i = 0; i < rank; i++) idx[i] = i == featureAxis ? SDIndex.interval(from, to) : SDIndex.all();
        return idx;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(maskArrays == null || maskArrays.length == 0 ? null : maskArrays[0], currentMaskState);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        if (in == null || in.length != 1) throw new InvalidInputTypeException("glu " + getLayerName() + " takes one input");
        long features;
        InputType out;
        if (in[0] instanceof InputType.InputTypeFeedForward f) {
            rank = 2;
            featureAxis = 1;
            features = f.getSize();
            out = InputType.feedForward(features / 2);
        } else if (in[0] instanceof InputType.InputTypeRecurrent r) {
            rank = 3;
            featureAxis = r.getFormat() == RNNFormat.NCW ? 1 : 2;
            features = r.getSize();
            out = InputType.recurrent(features / 2, r.getTimeSeriesLength(), r.getFormat());
        } else if (in[0] instanceof InputType.InputTypeConvolutional c) {
            rank = 4;
            featureAxis = c.getFormat() == CNN2DFormat.NHWC ? 3 : 1;
            features = c.getChannels();
            out = InputType.convolutional(c.getHeight(), c.getWidth(), features / 2, c.getFormat());
        } else {
            throw new InvalidInputTypeException("glu " + getLayerName() + " takes vectors, sequences or images, got " + in[0]);
        }
        if (features % 2 != 0) {
            throw new InvalidInputTypeException("glu " + getLayerName() + " halves the last axis, which has an odd size (" + features + ")");
        }
        return out;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                                                      boolean initializeParams, DataType networkDatatype) {
        setName(name);
        return new ShapeKeyedSameDiffVertexRuntime(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    @Override
    public GluVertex clone() {
        GluVertex c = new GluVertex();
        c.featureAxis = featureAxis;
        c.rank = rank;
        return SameDiffVertexSettings.copy(this, c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GluVertex g && featureAxis == g.featureAxis && rank == g.rank;
    }

    @Override
    public int hashCode() {
        return Objects.hash(featureAxis, rank);
    }

    // ---- bean accessors: DL4J stores configurations as JSON through them ----

    public int getFeatureAxis() { return featureAxis; }
    public void setFeatureAxis(int featureAxis) { this.featureAxis = featureAxis; }
    public int getRank() { return rank; }
    public void setRank(int rank) { this.rank = rank; }
}
