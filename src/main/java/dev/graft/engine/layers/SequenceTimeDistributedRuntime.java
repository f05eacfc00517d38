package dev.graft.engine.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.layers.recurrent.TimeDistributedLayer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's {@link TimeDistributedLayer} with the steps-as-rows copy it hands the inner layer made outside
 * ND4J's workspaces. DL4J 1.0.0-M2.1's own copy lives in the working-memory workspace, and the inner
 * layer's {@code setInput} moves it to the input workspace, which {@code ComputationGraph.output} has
 * not opened when the layer is the network's output: "Workspace WS_LAYER_ACT_0 for array type INPUT is
 * not open". A detached array is taken as it is. The output and the input gradient still go where
 * DL4J puts them.
 */
public class SequenceTimeDistributedRuntime extends TimeDistributedLayer {

    public SequenceTimeDistributedRuntime(Layer underlying, RNNFormat rnnDataFormat) {
        super(underlying, rnnDataFormat);
    }

    @Override
    protected INDArray reshape(INDArray array) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return super.reshape(array);
        }
    }
}
