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
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** graft's glu vertex: Keras's a·sigmoid(b) over the halves of the features, and its gradients. */
class GluVertexTest {
    private DataType savedDefault;

    @AfterEach
    void restoreDefaultDataType() {
        if (savedDefault != null) Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
    }

    @Test
    void halvesTheFeaturesOfSequencesInEitherLayout() {
        GluVertex glu = new GluVertex();
        InputType nwc = glu.getOutputType(-1, InputType.recurrent(8, 3, RNNFormat.NWC));
        assertEquals(InputType.recurrent(4, 3, RNNFormat.NWC), nwc);
        assertEquals(2, glu.getFeatureAxis());
        glu.getOutputType(-1, InputType.recurrent(8, 3, RNNFormat.NCW));
        assertEquals(1, glu.getFeatureAxis());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> glu.getOutputType(-1, InputType.feedForward(5))).getMessage().contains("odd size (5)"));
    }

    @Test
    void computesKerasGluAndItsGradients() {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3).updater(new NoOp())
                .graphBuilder()
                .addInputs("x")
                .setInputTypes(InputType.feedForward(3))
                .addLayer("dense", new DenseLayer.Builder().nIn(3).nOut(6).activation(Activation.IDENTITY).build(), "x")
                .addVertex("glu", new GluVertex(), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2).activation(Activation.IDENTITY).build(), "glu")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5).muli(4);
        // forward: the first half times the sigmoid of the second, as Keras's glu
        INDArray d = g.feedForward(x, false).get("dense");
        INDArray y = g.feedForward(x, false).get("glu");
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 3; c++) {
                double a = d.getDouble(r, c), b = d.getDouble(r, c + 3);
                assertEquals(a / (1 + Math.exp(-b)), y.getDouble(r, c), 1e-12);
            }
        }
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {x})
                .labels(new INDArray[] {Nd4j.rand(DataType.DOUBLE, 4, 2)}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check");
    }
}
