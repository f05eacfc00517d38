package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Keras's Minimum: the element-wise minimum forward, and the gradient to the input holding it (the first one on a tie). */
class MinimumVertexTest {
    @Test
    void forwardIsTheMinimumAndTheGradientGoesToWhereItCameFrom() {
        MinimumRuntimeVertex v = new MinimumRuntimeVertex(null, "minimum", 0, DataType.FLOAT);
        INDArray a = Nd4j.createFromArray(new float[][] {{1, 5, 2}, {-3, 0, 7}});
        INDArray b = Nd4j.createFromArray(new float[][] {{4, 2, 2}, {-1, -6, 9}});
        INDArray c = Nd4j.createFromArray(new float[][] {{3, 3, 3}, {-2, 1, 0.5f}});
        v.setInputs(new INDArray[] {a, b, c});
        INDArray out = v.doForward(false, LayerWorkspaceMgr.noWorkspaces());
        assertArrayEquals(new float[] {1, 2, 2, -3, -6, 0.5f}, out.reshape(6).toFloatVector(), 0f);

        v.setEpsilon(Nd4j.createFromArray(new float[][] {{10, 20, 30}, {40, 50, 60}}));
        INDArray[] g = v.doBackward(false, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        assertArrayEquals(new float[] {10, 0, 30, 40, 0, 0}, g[0].reshape(6).toFloatVector(), 0f);
        assertArrayEquals(new float[] {0, 20, 0, 0, 50, 0}, g[1].reshape(6).toFloatVector(), 0f);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 60}, g[2].reshape(6).toFloatVector(), 0f);
    }

    @Test
    void inputsOfDifferentShapesAreRefused() {
        assertThrows(InvalidInputTypeException.class, () -> new MinimumVertex().getOutputType(-1, InputType.feedForward(3), InputType.feedForward(4)));
    }
}
