package dev.graft.engine.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime of {@link AttentionPartVertex}: a slice of the packed attention outputs along the feature axis; multi-head
 * scores are then laid out as Keras's {@code [batch, heads, Tq, Tk]}.
 */
public class AttentionPartRuntimeVertex extends BaseGraphVertex {

    private final AttentionPartVertex conf;
    private long[] packedShape;

    public AttentionPartRuntimeVertex(ComputationGraph graph, String name, int vertexIndex, AttentionPartVertex conf, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
        this.conf = conf;
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    private INDArrayIndex features(long packedFeatures) {
        return conf.getPart() == AttentionPartVertex.Part.OUTPUT ? NDArrayIndex.interval(0, conf.getOutputFeatures())
                : NDArrayIndex.interval(conf.getOutputFeatures(), packedFeatures);
    }

    private boolean multiHeadScores() {
        return conf.getPart() == AttentionPartVertex.Part.SCORES && conf.getHeads() > 0;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) throw new IllegalStateException("Cannot do forward pass: input not set");
        INDArray packed = inputs[0];
        if (packed.rank() != 3 || packed.size(2) <= conf.getOutputFeatures()) {
            throw new IllegalStateException("attention output part " + getVertexName() + " expects packed outputs [batch, steps, "
                    + conf.getOutputFeatures() + " + scores], got " + java.util.Arrays.toString(packed.shape()));
        }
        packedShape = packed.shape().clone();
        INDArray out = packed.get(NDArrayIndex.all(), NDArrayIndex.all(), features(packed.size(2)));
        if (multiHeadScores()) {
            long heads = conf.getHeads();
            out = out.dup('c').reshape('c', packed.size(0), packed.size(1), heads, out.size(2) / heads).permute(0, 2, 1, 3);
        }
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, out, 'c');
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) throw new IllegalStateException("Cannot do backward pass: error not set");
        INDArray grad = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), packedShape, 'c');
        grad.assign(0);
        INDArray e = epsilon;
        if (multiHeadScores()) {
            // [B, H, Tq, Tk] back to [B, Tq, H·Tk]
            e = e.permute(0, 2, 1, 3).dup('c').reshape('c', packedShape[0], packedShape[1], packedShape[2] - conf.getOutputFeatures());
        }
        grad.get(NDArrayIndex.all(), NDArrayIndex.all(), features(packedShape[2])).assign(e);
        return new Pair<>(null, new INDArray[]{grad});
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) throw new IllegalStateException("an attention output part has no parameters");
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(null, null);
    }

    @Override
    public String toString() {
        return "AttentionPartRuntimeVertex(" + getVertexName() + ", " + conf + ")";
    }
}
