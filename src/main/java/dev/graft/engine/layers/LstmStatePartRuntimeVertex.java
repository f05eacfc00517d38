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

/** Runtime of {@link LstmStatePartVertex}: a slice of the packed LSTM outputs along the step axis. */
public class LstmStatePartRuntimeVertex extends BaseGraphVertex {

    private final LstmStatePartVertex conf;
    private long[] packedShape;

    public LstmStatePartRuntimeVertex(ComputationGraph graph, String name, int vertexIndex, LstmStatePartVertex conf,
                                      DataType dataType) {
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

    /** The packed array's step index (or range, for a sequence) holding this part. */
    private INDArrayIndex stepIndex(long packedSteps) {
        long outputSteps = packedSteps - 2;
        switch (conf.getPart()) {
            case OUTPUT:
                return conf.isSequence() ? NDArrayIndex.interval(0, outputSteps) : NDArrayIndex.point(0);
            case H:
                return NDArrayIndex.point(outputSteps);
            case C:
                return NDArrayIndex.point(outputSteps + 1);
            default:
                throw new IllegalStateException("unhandled part " + conf.getPart());
        }
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("Cannot do forward pass: input not set");
        }
        INDArray packed = inputs[0];
        if (packed.rank() != 3 || packed.size(1) < 3) {
            throw new IllegalStateException("LSTM state part " + getVertexName()
                    + " expects packed LSTM outputs [batch, steps + 2, units], got " + java.util.Arrays.toString(packed.shape()));
        }
        packedShape = packed.shape().clone();
        INDArray out = packed.get(NDArrayIndex.all(), stepIndex(packed.size(1)), NDArrayIndex.all());
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, out, 'c');
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("Cannot do backward pass: error not set");
        }
        INDArray grad = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), packedShape, 'c');
        grad.assign(0);
        grad.get(NDArrayIndex.all(), stepIndex(packedShape[1]), NDArrayIndex.all()).assign(epsilon);
        return new Pair<>(null, new INDArray[]{grad});
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException("an LSTM state part has no parameters");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return new Pair<>(null, null);
    }

    @Override
    public String toString() {
        return "LstmStatePartRuntimeVertex(" + getVertexName() + ", " + conf + ")";
    }
}
