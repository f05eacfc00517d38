package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The vertices that carry a Keras mask past other layers ({@code Masking → Dense → GRU}, a masked average): their numbers
 * and their hand-written backward passes (finite differences through a per-step Dense in front, so the error they hand
 * back is checked too).
 */
class MaskRouteVerticesTest {
    private DataType savedDefault;

    @BeforeEach
    void useDoubles() {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void restoreDefaultDataType() {
        Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
    }

    /** Row 0 has its steps 1 and 3 masked (all features -1), row 1 none. */
    private static INDArray maskedInput() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 2).subi(0.5);
        for (int t : new int[] {1, 3}) x.get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all()).assign(-1.0);
        return x;
    }

    @Test
    void theMaskedAverageIsTheMeanOfTheUnmaskedStepsAndItsGradientIsRight() {
        ComputationGraph g = graph(b -> b.addVertex("avg", new MaskedAverage1DVertex(-1.0), "dense", "x")
                .addLayer("out", output(3), "avg"));
        INDArray x = maskedInput();
        INDArray dense = g.feedForward(x, false).get("dense");   // NWC [2, 4, 3]
        INDArray avg = g.feedForward(x, false).get("avg");
        for (int f = 0; f < 3; f++) {
            double want0 = (dense.getDouble(0, 0, f) + dense.getDouble(0, 2, f)) / 2;
            double want1 = (dense.getDouble(1, 0, f) + dense.getDouble(1, 1, f) + dense.getDouble(1, 2, f) + dense.getDouble(1, 3, f)) / 4;
            assertEquals(want0, avg.getDouble(0, f), 1e-12);
            assertEquals(want1, avg.getDouble(1, f), 1e-12);
        }
        assertTrue(check(g, x), "gradient check of the masked average");
    }

    @Test
    void aGruReadsTheMaskAsItsLastFeatureAndItsGradientIsRight() {
        ComputationGraph g = graph(b -> b.addVertex("keep", new StepKeepVertex(-1.0), "dense", "x")
                .addLayer("gru", new KerasGruLayer.Builder().units(2).keepFeature(true).goBackwards(true).build(), "keep")
                .addLayer("out", output(2), "gru"));
        INDArray x = maskedInput();
        INDArray keep = g.feedForward(x, false).get("keep");
        assertEquals(4, keep.size(2));
        assertEquals(0.0, keep.getDouble(0, 1, 3));
        assertEquals(1.0, keep.getDouble(0, 2, 3));
        // the same GRU on the unmasked steps alone (row 0: steps 0 and 2) computes row 0's output
        INDArray dense = g.feedForward(x, false).get("dense");
        ComputationGraph plain = graph(b -> b.addLayer("gru", new KerasGruLayer.Builder().units(2).goBackwards(true).build(), "dense")
                .addLayer("out", output(2), "gru"));
        plain.getLayer("gru").setParams(g.getLayer("gru").params());
        INDArray kept = Nd4j.concat(1, dense.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(0, 1), NDArrayIndex.all()),
                dense.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(2, 3), NDArrayIndex.all()));
        INDArray alone = plainGru(plain, kept);
        INDArray masked = g.feedForward(x, false).get("gru");
        for (int u = 0; u < 2; u++) assertEquals(alone.getDouble(0, u), masked.getDouble(0, u), 1e-12);
        assertTrue(check(g, x), "gradient check through the mask feature into a GRU");
    }

    private static INDArray plainGru(ComputationGraph plain, INDArray denseOut) {
        org.deeplearning4j.nn.api.Layer gru = plain.getLayer("gru");
        return gru.activate(denseOut, false, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
    }

    private static boolean check(ComputationGraph g, INDArray x) {
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 2);
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {x})
                .labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                // each SameDiff forward pass costs milliseconds: 6 entries of each parameter array
                .subset(true).maxPerParam(6)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    private static OutputLayer output(int nIn) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(nIn).nOut(2).activation(Activation.IDENTITY).build();
    }

    private static ComputationGraph graph(java.util.function.UnaryOperator<ComputationGraphConfiguration.GraphBuilder> rest) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3).updater(new NoOp())
                .graphBuilder().addInputs("x").setInputTypes(InputType.recurrent(2, 4, RNNFormat.NWC))
                .addLayer("dense", new TimeDistributed(new DenseLayer.Builder().nIn(2).nOut(3).activation(Activation.TANH).build(), RNNFormat.NWC), "x");
        ComputationGraph g = new ComputationGraph(rest.apply(b).setOutputs("out").build());
        g.init();
        return g;
    }
}
