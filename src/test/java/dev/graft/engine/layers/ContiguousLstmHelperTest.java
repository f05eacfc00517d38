package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** graft's LSTM helper computes what DL4J's LSTM computes: outputs in inference, gradients in training. */
class ContiguousLstmHelperTest {
    private DataType savedDefault;

    @AfterEach
    void restoreDefaultDataType() {
        if (savedDefault != null) Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
    }

    private static ComputationGraph net(DataType type, Activation gates, boolean lastStep, RNNFormat format, long seed) {
        LSTM lstm = new LSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).gateActivationFunction(gates).dataFormat(format).build();
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().dataType(type).seed(seed).updater(new NoOp())
                .graphBuilder()
                .addInputs("x")
                .setInputTypes(InputType.recurrent(3, 5, format))
                // a first LSTM, so that the second's error towards its input is checked through the first's gradients
                .addLayer("first", new LSTM.Builder().nIn(3).nOut(3).activation(Activation.TANH).gateActivationFunction(gates).dataFormat(format)
                        .build(), "x");
        if (lastStep) {
            b.addLayer("lstm", new LastTimeStep(lstm), "first")
                    .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY).build(),
                            "lstm");
        } else {
            b.addLayer("lstm", lstm, "first")
                    .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY)
                            .dataFormat(format).build(), "lstm");
        }
        ComputationGraph g = new ComputationGraph(b.setOutputs("out").build());
        g.init();
        Random r = new Random(seed);
        INDArray params = g.params();
        for (long i = 0; i < params.length(); i++) params.putScalar(i, r.nextGaussian() * 0.6);
        return g;
    }

    private static org.deeplearning4j.nn.layers.recurrent.LSTM lstmOf(ComputationGraph g) {
        org.deeplearning4j.nn.api.Layer l = g.getLayer("lstm");
        while (l instanceof org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer w) l = w.getUnderlying();
        return (org.deeplearning4j.nn.layers.recurrent.LSTM) l;
    }

    /** Inference: the helper's output equals DL4J's own (sigmoid and hard-sigmoid gates, NWC and NCW, all steps or the last). */
    @ParameterizedTest
    @ValueSource(strings = {"SIGMOID,NWC,all,6", "HARDSIGMOID,NWC,all,6", "SIGMOID,NCW,last,6", "HARDSIGMOID,NCW,last,6", "SIGMOID,NWC,last,65"})
    void inferenceEqualsDl4j(String variant) {
        String[] v = variant.split(",");
        RNNFormat format = RNNFormat.valueOf(v[1]);
        int batch = Integer.parseInt(v[3]);   // sigmoid gates: 6 rows infer in Java, 65 through ND4J's blocks
        ComputationGraph g = net(DataType.FLOAT, Activation.valueOf(v[0]), v[2].equals("last"), format, 7);
        INDArray x = format == RNNFormat.NWC ? Nd4j.rand(DataType.FLOAT, batch, 5, 3).subi(0.5).muli(3)
                : Nd4j.rand(DataType.FLOAT, batch, 3, 5).subi(0.5).muli(3);
        INDArray dl4j = g.output(false, x)[0];
        INDArray helped = ContiguousLstmHelper.whileInferring(g, () -> {
            assertInstanceOf(ContiguousLstmHelper.class, lstmOf(g).getHelper());
            return g.output(false, x)[0];
        });
        assertNull(lstmOf(g).getHelper(), "taken out after the pass");
        assertTrue(dl4j.equalsWithEps(helped, 1e-6), variant + ": " + dl4j + " vs " + helped);
    }

    /** Training: the helper's gradients match finite differences (all steps, and the last step through LastTimeStep). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gradientsMatchFiniteDifferences(boolean lastStep) {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraph g = net(DataType.DOUBLE, Activation.SIGMOID, lastStep, RNNFormat.NWC, 11);
        ContiguousLstmHelper.installForTraining(g);
        assertInstanceOf(ContiguousLstmHelper.class, lstmOf(g).getHelper());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 5, 3).subi(0.5).muli(2);
        INDArray y = lastStep ? Nd4j.rand(DataType.DOUBLE, 3, 2) : Nd4j.rand(DataType.DOUBLE, 3, 5, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {x})
                .labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check, last step only = " + lastStep);
        assertHelperNeverFailed(g);
    }

    /**
     * Training: the helper's gradients (in float, computed in Java: {@link JavaLstmPass}) equal DL4J's own, the first
     * LSTM's through the second's input error; all steps, and the last step through LastTimeStep.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gradientsEqualDl4j(boolean lastStep) {
        ComputationGraph plain = net(DataType.FLOAT, Activation.SIGMOID, lastStep, RNNFormat.NWC, 13);
        ComputationGraph helped = net(DataType.FLOAT, Activation.SIGMOID, lastStep, RNNFormat.NWC, 13);
        ContiguousLstmHelper.installForTraining(helped);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 5, 3).subi(0.5).muli(2);
        INDArray y = lastStep ? Nd4j.rand(DataType.FLOAT, 4, 2) : Nd4j.rand(DataType.FLOAT, 4, 5, 2);
        INDArray expected = gradient(plain, x, y);
        long reused = ContiguousLstmHelper.trainingPassesReused();
        INDArray got = gradient(helped, x, y);
        assertTrue(expected.amaxNumber().doubleValue() > 1e-3, "a gradient to compare");
        assertTrue(expected.equalsWithEps(got, 1e-5), expected + " vs " + got);
        org.junit.jupiter.api.Assertions.assertEquals(2, ContiguousLstmHelper.trainingPassesReused() - reused,
                "both LSTMs' backward passes took their training forward pass");
        // a second step on other data (the arrays change): the same gradients as DL4J's again
        INDArray x2 = Nd4j.rand(DataType.FLOAT, 4, 5, 3).subi(0.5);
        assertTrue(gradient(plain, x2, y).equalsWithEps(gradient(helped, x2, y), 1e-5), "second step");
        assertHelperNeverFailed(helped);
    }

    /**
     * A frozen LSTM (inside FrozenLayerWithBackprop) gets no weight gradients from the helper, which skips them, yet
     * passes the same error to the layer before it: the first LSTM's gradients equal DL4J's.
     */
    @Test
    void frozenLstmPassesTheSameErrorBack() {
        ComputationGraph plain = frozenSecond(17);
        ComputationGraph helped = frozenSecond(17);
        ContiguousLstmHelper.installForTraining(helped);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 5, 3).subi(0.5).muli(2);
        INDArray y = Nd4j.rand(DataType.FLOAT, 4, 5, 2);
        INDArray expected = gradient(plain, x, y);
        INDArray got = gradient(helped, x, y);
        assertTrue(expected.amaxNumber().doubleValue() > 1e-3, "a gradient to compare");
        assertTrue(expected.equalsWithEps(got, 1e-5), expected + " vs " + got);
        org.junit.jupiter.api.Assertions.assertEquals(0.0, helped.getLayer("lstm").getGradientsViewArray().amaxNumber().doubleValue(),
                "the frozen layer's gradient");
    }

    private static ComputationGraph frozenSecond(long seed) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(seed).updater(new NoOp())
                .graphBuilder()
                .addInputs("x")
                .setInputTypes(InputType.recurrent(3, 5, RNNFormat.NWC))
                .addLayer("first", new LSTM.Builder().nIn(3).nOut(3).activation(Activation.TANH).dataFormat(RNNFormat.NWC).build(), "x")
                .addLayer("lstm", new org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop(new LSTM.Builder().nIn(3).nOut(4)
                        .activation(Activation.TANH).dataFormat(RNNFormat.NWC).build()), "first")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(RNNFormat.NWC).build(), "lstm")
                .setOutputs("out").build());
        g.init();
        Random r = new Random(seed);
        INDArray params = g.params();
        for (long i = 0; i < params.length(); i++) params.putScalar(i, r.nextGaussian() * 0.6);
        return g;
    }

    /** DL4J falls back on its own LSTM when a helper throws: the comparisons above would then compare DL4J with itself. */
    private static void assertHelperNeverFailed(ComputationGraph g) {
        try {
            java.lang.reflect.Field f = org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer.class.getDeclaredField("helperCountFail");
            f.setAccessible(true);
            assertInstanceOf(ContiguousLstmHelper.class, lstmOf(g).getHelper());
            org.junit.jupiter.api.Assertions.assertEquals(0, f.getInt(lstmOf(g)));
            org.junit.jupiter.api.Assertions.assertEquals(0, f.getInt(g.getLayer("first")));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static INDArray gradient(ComputationGraph g, INDArray x, INDArray y) {
        g.setInputs(x);
        g.setLabels(y);
        g.computeGradientAndScore();
        return g.gradient().gradient().dup();
    }
}
