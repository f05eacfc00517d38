package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * graft's SimpleRNN layer (what the engine trains a Keras SimpleRNN with, DL4J's own failing backward) gives the gradients
 * finite differences give: through time, backwards, under a mask, with Keras 3's hard_sigmoid.
 */
class KerasSimpleRnnTrainingTest {
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

    @Test
    void gradientsMatchFiniteDifferencesThroughTwoStackedLayers() {
        // backwards + sequences + tanh, then the last step with Keras 3's hard_sigmoid (inputs keep it off its flat ends)
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(7).updater(new NoOp())
                .list()
                .layer(new KerasSimpleRnnLayer.Builder().nIn(2).units(3).returnSequences(true).goBackwards(true).build())
                .layer(new KerasSimpleRnnLayer.Builder().nIn(3).units(2).activation(GruActivation.HARD_SIGMOID_KERAS3).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        randomBiases(net, 0, new Random(3));
        randomBiases(net, 1, new Random(4));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 2).subi(0.5).muli(2);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, 2);
        y.putScalar(0, 0, 1.0);
        y.putScalar(1, 1, 1.0);
        assertTrue(check(net, x, y), "gradient check through two stacked SimpleRNNs");
    }

    @Test
    void gradientsMatchFiniteDifferencesUnderAMaskWithPerStepOutputs() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(9).updater(new NoOp())
                .list()
                .layer(new KerasSimpleRnnLayer.Builder().nIn(2).units(3).returnSequences(true).maskValue(0.0).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2)
                        .activation(Activation.IDENTITY).dataFormat(RNNFormat.NWC).build())
                .build());
        net.init();
        randomBiases(net, 0, new Random(5));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 2).subi(0.5);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(1),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(0.0);   // a masked step: the state carries over it
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 4, 2);
        assertTrue(check(net, x, y), "gradient check under a mask");
    }

    private static boolean check(MultiLayerNetwork net, INDArray x, INDArray y) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net).input(x).labels(y).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    /** Biases start at zero; make them non-zero so their gradients are tested in general position. */
    private static void randomBiases(MultiLayerNetwork net, int layer, Random rnd) {
        INDArray b = net.getLayer(layer).getParam(KerasSimpleRnnLayer.BIAS);
        for (long i = 0; i < b.length(); i++) b.putScalar(i, rnd.nextDouble() - 0.5);
    }
}
