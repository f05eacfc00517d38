package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * graft's Permute, Reshape, global pooling and Dot vertices pass gradients on as finite differences say: each input is a small
 * Dense layer's output reshaped to the tensor the vertex takes, so the Dense weights' gradients are those the vertex hands
 * back. Shapes and arguments the keras3-zoo does not have.
 */
class KerasTensorOpVertexGradientTest {
    private DataType savedDefault;

    @AfterEach
    void restoreDefaultDataType() {
        if (savedDefault != null) Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
        savedDefault = null;
    }

    @Test
    void permuteOfThreeAndFourAxes() {
        check(new PermuteVertex(new int[] {3, 1, 2}), new long[][] {{2, 3, 4}});
        check(new PermuteVertex(new int[] {2, 4, 1, 3}), new long[][] {{2, 3, 2, 3}});
    }

    /** The engine's reshapes around a BatchNormalization over another axis: a volume's positions as pixels, and back. */
    @Test
    void reshapeOfAVolumeToPixelsAndBack() {
        check(new RowsReshapeVertex(new long[] {12, 1, 2}), new long[][] {{2, 3, 2, 2}});
        check(new RowsReshapeVertex(new long[] {2, 3, 2, 2}), new long[][] {{12, 1, 2}});
    }

    @Test
    void globalPooling() {
        check(new GlobalPoolingVertex(false, true, true), new long[][] {{3, 4, 2}});
        check(new GlobalPoolingVertex(true, false, false), new long[][] {{2, 3, 2, 3}});
        check(new GlobalPoolingVertex(true, true, true), new long[][] {{3, 5}});
    }

    @Test
    void dot() {
        check(new DotVertex(2, 2, true), new long[][] {{3, 4}, {5, 4}});
        check(new DotVertex(1, 2, false), new long[][] {{3, 5}, {4, 3}});
        check(new DotVertex(-1, -1, true), new long[][] {{6}, {6}});
        check(new DotVertex(3, 1, false), new long[][] {{2, 3, 4}, {4, 2}});
        check(new DotVertex(1, 2, true), new long[][] {{3}, {2, 3}});
    }

    /** Inputs of these per-sample shapes, each a Dense output reshaped, into {@code vertex}, its output flattened into an MSE output. */
    private void check(KerasTensorOpVertex vertex, long[][] inputShapes) {
        if (savedDefault == null) savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3)
                .updater(new NoOp()).graphBuilder();
        String[] inputs = new String[inputShapes.length];
        String[] shaped = new String[inputShapes.length];
        for (int i = 0; i < inputShapes.length; i++) inputs[i] = "in" + i;
        // no input types: every size is given, and DL4J cannot type the reshaped rank-5 tensors
        b.addInputs(inputs);
        for (int i = 0; i < inputShapes.length; i++) {
            long n = product(inputShapes[i]);
            b.addLayer("dense" + i, new DenseLayer.Builder().nIn(2).nOut(n).activation(Activation.TANH).build(), inputs[i]);
            int[] shape = new int[inputShapes[i].length + 1];
            shape[0] = -1;
            for (int d = 0; d < inputShapes[i].length; d++) shape[d + 1] = (int) inputShapes[i][d];
            GraphVertex reshape = inputShapes[i].length == 1 ? null : new ReshapeVertex(shape);
            shaped[i] = reshape == null ? "dense" + i : "shaped" + i;
            if (reshape != null) b.addVertex(shaped[i], reshape, "dense" + i);
        }
        long[] out = vertex.outputShape(inputShapes);
        long outSize = product(out);
        b.addVertex("op", vertex, shaped);
        b.addVertex("flat", new ReshapeVertex(-1, (int) outSize), "op");
        b.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(outSize).nOut(2).activation(Activation.IDENTITY).build(),
                "flat").setOutputs("out");
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        INDArray[] x = new INDArray[inputShapes.length];
        for (int i = 0; i < x.length; i++) x[i] = Nd4j.rand(DataType.DOUBLE, 3, 2).subi(0.5).muli(4);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 3, 2);
        // the per-sample shape the vertex computes is the one it declares
        assertArrayEquals(out, Arrays.copyOfRange(g.feedForward(x, false).get("op").shape(), 1, out.length + 1), vertex.toString());
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(x).labels(new INDArray[] {y})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check of " + vertex.getClass().getSimpleName() + " on " + Arrays.deepToString(inputShapes));
    }

    private static long product(long[] dims) {
        long p = 1;
        for (long d : dims) p *= d;
        return p;
    }
}
