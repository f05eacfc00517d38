package dev.graft.engine.layers;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GRU layer trains like any DL4J layer: its autodiff gradients are right and it learns. */
class KerasGruTrainingTest {

    private DataType savedDefault;

    @AfterEach
    void restoreDefaultDataType() {
        if (savedDefault != null) {
            Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
        }
    }

    @Test
    void learnsTheSignOfASequenceSum() {
        DataSet train = signOfSum(new Random(1), 256, 6);
        DataSet test = signOfSum(new Random(2), 256, 6);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(12345)
                .updater(new Adam(0.03))
                .list()
                .layer(new KerasGruLayer.Builder().nIn(1).units(8).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        double before = accuracy(net, test);
        for (int epoch = 0; epoch < 60; epoch++) {
            net.fit(train);
        }
        double after = accuracy(net, test);
        System.out.printf("sign-of-sum accuracy on held-out data: %.3f before training, %.3f after%n", before, after);
        assertTrue(after >= 0.95, "held-out accuracy " + after + " (before training " + before + ")");
    }

    @Test
    void gradientsMatchFiniteDifferencesThroughTwoStackedGrus() {
        useDoubles();
        // reset_after + go_backwards + sequences, then reset_before + last step: the first layer's
        // gradients pass through the second's input gradient
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(7)
                .updater(new NoOp())
                .list()
                .layer(new KerasGruLayer.Builder().nIn(2).units(3).returnSequences(true)
                        .resetAfter(true).goBackwards(true).build())
                .layer(new KerasGruLayer.Builder().nIn(3).units(2).resetAfter(false).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        randomBiases(net, 0, new Random(3));
        randomBiases(net, 1, new Random(4));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 2).subi(0.5).muli(2);
        INDArray y = oneHot(new int[]{0, 1}, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net).input(x).labels(y).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                // every SameDiff forward pass costs tens of ms here: check 8 entries of each array
                .subset(true).maxPerParam(8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check through two stacked GRUs");
    }

    @Test
    void gradientsMatchFiniteDifferencesWithPerStepOutputs() {
        useDoubles();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(9)
                .updater(new NoOp())
                .list()
                .layer(new KerasGruLayer.Builder().nIn(2).units(3).returnSequences(true).resetAfter(false).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2)
                        .activation(Activation.IDENTITY).dataFormat(RNNFormat.NWC).build())
                .build());
        net.init();
        randomBiases(net, 0, new Random(5));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 2).subi(0.5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 4, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net).input(x).labels(y).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check with per-step outputs");
    }

    private void useDoubles() {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** Biases start at zero; make them non-zero so their gradients are tested in general position. */
    private static void randomBiases(MultiLayerNetwork net, int layer, Random rnd) {
        INDArray b = net.getLayer(layer).getParam(KerasGruLayer.BIAS);
        for (long i = 0; i < b.length(); i++) {
            b.putScalar(i, rnd.nextDouble() - 0.5);
        }
    }

    /** Sequences of N(0, 1) numbers, labelled by the sign of their sum: (batch, steps, 1) in, one-hot out. */
    private static DataSet signOfSum(Random rnd, int n, int steps) {
        INDArray x = Nd4j.create(DataType.FLOAT, n, steps, 1);
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int t = 0; t < steps; t++) {
                double v = rnd.nextGaussian();
                x.putScalar(new long[]{i, t, 0}, v);
                sum += v;
            }
            cls[i] = sum > 0 ? 1 : 0;
        }
        return new DataSet(x, oneHot(cls, 2).castTo(DataType.FLOAT));
    }

    private static INDArray oneHot(int[] cls, int n) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, cls.length, n);
        for (int i = 0; i < cls.length; i++) {
            y.putScalar(i, cls[i], 1.0);
        }
        return y;
    }

    private static double accuracy(MultiLayerNetwork net, DataSet data) {
        INDArray predicted = net.output(data.getFeatures()).argMax(1);
        INDArray actual = data.getLabels().argMax(1);
        return predicted.eq(actual).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    }
}
