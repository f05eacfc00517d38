package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.engine.layers.KerasNormalizationLayer.Mode;
import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** graft's LayerNormalization/RMSNormalization layer trains like any DL4J layer: its gradients are right and it learns. */
class KerasNormalizationLayerTest {
    private DataType savedDefault;

    @AfterEach
    void restoreDefaultDataType() {
        if (savedDefault != null) Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void gradientsMatchFiniteDifferencesOnFeatures(Mode mode) {
        useDoubles();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(7).updater(new NoOp())
                .list()
                .layer(new KerasNormalizationLayer.Builder().mode(mode).epsilon(1e-3).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(5))
                .build());
        net.init();
        randomize(net.getLayer(0).paramTable().values(), new Random(3));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 5).subi(0.5).muli(3);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 3, 2);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y).epsilon(1e-6)
                .maxRelError(1e-5).minAbsoluteError(1e-9).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)), "gradient check " + mode);
    }

    @Test
    void gradientsMatchFiniteDifferencesOnSequences() {
        useDoubles();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(9).updater(new NoOp())
                .list()
                .layer(new KerasNormalizationLayer.Builder().build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(RNNFormat.NWC).build())
                .setInputType(InputType.recurrent(4, 3, RNNFormat.NWC))
                .build());
        net.init();
        randomize(net.getLayer(0).paramTable().values(), new Random(5));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 4).subi(0.5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 3, 2);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y).epsilon(1e-6)
                .maxRelError(1e-5).minAbsoluteError(1e-9).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)), "gradient check on NWC sequences");
    }

    /** Normalised features lose their scale: the layer's gamma and beta must learn it back for the regression to fit. */
    @Test
    void learnsAScaleAndOffset() {
        Random r = new Random(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 256, 4).subi(0.5);
        INDArray y = x.sub(x.mean(true, 1)).muli(3).addi(2);   // per-feature target: a scaled, shifted centring
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(r.nextInt()).updater(new Adam(0.05)).list()
                .layer(new KerasNormalizationLayer.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(4).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(4))
                .build());
        net.init();
        DataSet d = new DataSet(x, y);
        double before = net.score(d);
        for (int i = 0; i < 200; i++) net.fit(d);
        double after = net.score(d);
        assertTrue(after < before / 20, "loss " + before + " -> " + after);
    }

    private void useDoubles() {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static void randomize(java.util.Collection<INDArray> params, Random r) {
        for (INDArray p : params) for (long i = 0; i < p.length(); i++) p.putScalar(i, 0.5 + r.nextDouble());
    }
}
