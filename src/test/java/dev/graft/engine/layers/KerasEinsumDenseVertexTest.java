package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** graft's EinsumDense vertex trains like any DL4J vertex: its kernel and bias gradients match finite differences. */
class KerasEinsumDenseVertexTest {
    private DataType savedDefault;

    @AfterEach
    void restoreDefaultDataType() {
        if (savedDefault != null) Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
    }

    /** On (batch, 5, 4) sequences, each giving (batch, steps, features) for an RnnOutputLayer. */
    @ParameterizedTest
    @CsvSource({"'abc,cd->abd', d, 5 3", "'abc,cbd->abd', bd, 5 2", "'abc,bd->adc', d, 6 4", "'ab...,bc->ac...', c, 3"})
    void gradientsMatchFiniteDifferences(String equation, String biasAxes, String outputShape) {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        String eq = equation.replace(" ", "");
        String[] parts = outputShape.trim().split(" ");
        long[] partial = new long[parts.length];
        for (int i = 0; i < parts.length; i++) partial[i] = Long.parseLong(parts[i]);
        KerasEinsumDenseVertex v = new KerasEinsumDenseVertex(eq, biasAxes.trim(), partial);
        InputType out = v.getOutputType(-1, InputType.recurrent(4, 5, RNNFormat.NWC));
        long features = ((InputType.InputTypeRecurrent) out).getSize();
        long steps = ((InputType.InputTypeRecurrent) out).getTimeSeriesLength();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3).updater(new NoOp())
                .graphBuilder()
                .addInputs("x")
                .setInputTypes(InputType.recurrent(4, 5, RNNFormat.NWC))
                .addVertex("ed", v, "x")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(features).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(RNNFormat.NWC).build(), "ed")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Random r = new Random(4);
        for (INDArray p : g.getVertex("ed").paramTable(false).values()) for (long i = 0; i < p.length(); i++) p.putScalar(i, r.nextGaussian() * 0.7);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 5, 4).subi(0.5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, steps, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {x})
                .labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check " + equation);
    }
}
