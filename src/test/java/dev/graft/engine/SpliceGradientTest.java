package dev.graft.engine;

import static dev.graft.engine.Splices.prefixed;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.HostArray;
import dev.graft.model.Shape;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.buffer.util.DataTypeUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The junctions' backward passes are right: DL4J's numerical gradient check over whole hybrids
 * (double precision), whose first donor is trainable so that its gradients arrive through every
 * layout conversion and bridge. A permutation that backpropagated wrongly (as DL4J's
 * PermutePreprocessor does for non-self-inverse permutations) fails here.
 */
class SpliceGradientTest {
    @TempDir
    Path tmp;

    /*
     * DL4J's gradient check insists on double as ND4J's default type. Reading the default first
     * is not an option: in a fresh JVM ND4J M2.1's DataTypeUtil.getDtypeFromContext() fails with
     * IllegalMonitorStateException (it unlocks a read lock it does not hold), so the test sets
     * double and restores ND4J's documented default, float. ND4J is started first: starting it sets
     * the default from its own configuration, over whatever was set before.
     */
    @BeforeEach
    void doublePrecision() {
        Nd4j.getExecutioner();
        DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
    }

    @AfterEach
    void restorePrecision() {
        DataTypeUtil.setDTypeForContext(DataType.FLOAT);
    }

    private static boolean gradientsMatch(ComputationGraph g, INDArray input, INDArray labels) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {input})
                .labels(new INDArray[] {labels}).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
    }

    private EngineModel splice(EngineModel a, EngineModel b, SpliceBridge bridge) {
        return GraphSplicer.splice(List.of(prefixed(a, "a_", false), prefixed(b, "b_", false)), List.of(bridge), new NoOp());
    }

    /** NCHW → two axis swaps → Dense on channels (flattened positions) → two swaps back → NCHW consumer. */
    @Test
    void imagesThroughDenseOnChannels() {
        EngineModel a = TestNets.engine(TestNets.conv1x1(1, 4, 3, 3, 4, true), tmp.resolve("a.zip")).withInputShapes(List.of(Shape.batchOf(4, 3, 3)));
        EngineModel b = TestNets.engine(TestNets.flatInputCnnForGradientCheck(2, 4, 3, 2, 3), tmp.resolve("b.zip"));
        HostArray[] w = Reference.denseWeights(3, 4, 2);
        EngineModel hybrid = splice(a, b, SpliceBridge.dense("bridge", "tanh", w[0], w[1]));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 3, 4, 3); // the graph's own input layout: NCHW
        assertTrue(gradientsMatch(hybrid.graph(), x, Nd4j.rand(DataType.DOUBLE, 3, 3)));
    }

    /** NCW (a middle RnnOutputLayer) → swap → Dense per step → swap back → NCW LSTM. */
    @Test
    void sequencesThroughDensePerStep() {
        EngineModel a = TestNets.engine(TestNets.lstmForGradientCheck(4, 3, 3, 3, RNNFormat.NCW), tmp.resolve("a.zip"));
        EngineModel b = TestNets.engine(TestNets.lstmForGradientCheck(5, 5, 3, 2, RNNFormat.NCW), tmp.resolve("b.zip"));
        HostArray[] w = Reference.denseWeights(6, 3, 5);
        EngineModel hybrid = splice(a, b, SpliceBridge.dense("bridge", "tanh", w[0], w[1]));
        assertTrue(gradientsMatch(hybrid.graph(), Nd4j.rand(DataType.DOUBLE, 2, 3, 4), Nd4j.rand(DataType.DOUBLE, 2, 2, 4)));
    }

    /** NCW → swap → Keras Reshape (steps x features to one vector) → an MLP. */
    @Test
    void sequencesThroughReshape() {
        EngineModel a = TestNets.engine(TestNets.lstmForGradientCheck(7, 3, 4, 3, RNNFormat.NCW), tmp.resolve("a.zip"))
                .withInputShapes(List.of(Shape.batchOf(5, 3)));
        EngineModel b = TestNets.engine(TestNets.mlpForGradientCheck(8, 15, 4, 2), tmp.resolve("b.zip"));
        EngineModel hybrid = splice(a, b, SpliceBridge.reshape("bridge", List.of(15L)));
        assertTrue(gradientsMatch(hybrid.graph(), Nd4j.rand(DataType.DOUBLE, 2, 3, 5), Nd4j.rand(DataType.DOUBLE, 2, 2)));
    }
}
