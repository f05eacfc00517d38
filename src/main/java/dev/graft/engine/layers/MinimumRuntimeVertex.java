package dev.graft.engine.layers;

import java.util.Arrays;
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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Runtime of {@link MinimumVertex}. */
public class MinimumRuntimeVertex extends BaseGraphVertex {

    public MinimumRuntimeVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) throw new IllegalStateException("Cannot do forward pass: inputs not set");
        INDArray out = workspaceMgr.dup(ArrayType.ACTIVATIONS, inputs[0]);
        for (int i = 1; i < inputs.length; i++) {
            if (!Arrays.equals(inputs[i].shape(), out.shape())) {
                throw new IllegalStateException("Minimum " + getVertexName() + " takes inputs of one shape, got "
                        + Arrays.toString(out.shape()) + " and " + Arrays.toString(inputs[i].shape()));
            }
            Transforms.min(out, inputs[i], false);
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) throw new IllegalStateException("Cannot do backward pass: error not set");
        INDArray min = inputs[0].dup();
        for (int i = 1; i < inputs.length; i++) Transforms.min(min, inputs[i], false);
        // Each element's gradient goes to the first input that holds the minimum.
        INDArray unclaimed = Nd4j.onesLike(min);
        INDArray[] grads = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            INDArray holds = inputs[i].eq(min).castTo(epsilon.dataType()).muli(unclaimed);
            unclaimed.subi(holds);
            grads[i] = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon.mul(holds));
        }
        return new Pair<>(null, grads);
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) throw new IllegalStateException("Minimum has no parameters");
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        if (maskArrays == null) return new Pair<>(null, currentMaskState);
        // Keras combines the masks of a merge: a step is kept where every input keeps it.
        INDArray combined = null;
        for (INDArray m : maskArrays) {
            if (m == null) continue;
            combined = combined == null ? m.dup() : combined.muli(m);
        }
        return new Pair<>(combined, combined == null ? currentMaskState : MaskState.Active);
    }

    @Override
    public String toString() {
        return "MinimumRuntimeVertex(" + getVertexName() + ")";
    }
}
