package dev.graft.engine.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of graft's SameDiff vertices that take no masks (MultiHeadAttention): the graph is built for the
 * inputs' per-sample shapes (placeholders are fixed but for the batch), and every input gets a {@code [batch, 1]}
 * mask of ones.
 */
public class ShapeKeyedSameDiffVertexRuntime extends RebuildingSameDiffVertexRuntime {
    public ShapeKeyedSameDiffVertexRuntime(SameDiffVertex config, ComputationGraph graph, String name, int vertexIndex, INDArray paramsView,
                                           boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
    }

    @Override
    protected Object buildKey(INDArray[] inputs) {
        long[][] shapes = new long[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) return null;
            shapes[i] = Arrays.copyOfRange(inputs[i].shape(), 1, inputs[i].rank());
        }
        return shapes;
    }

    @Override
    protected INDArray[] masks(INDArray[] inputs) {
        INDArray[] masks = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) masks[i] = Nd4j.ones(dataType, inputs[i].size(0), 1);
        return masks;
    }

    @Override
    protected boolean masksHideNothing(INDArray[] inputs) {
        return true;   // every mask above is ones
    }

    @Override
    protected long[] maskShape(int i, INDArray[] inputs) {
        return new long[] {-1, 1};
    }
}
