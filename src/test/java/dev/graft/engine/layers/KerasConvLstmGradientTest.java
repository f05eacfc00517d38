package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
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
 * graft's ConvLSTM layer gives the gradients finite differences give, for its kernels, bias and input: through time and
 * two stacked layers, reading backwards, with dilation, same and valid padding, strides, channels first, Keras 3's
 * hard_sigmoid, and the packed output and states of a layer returning its state.
 */
class KerasConvLstmGradientTest {
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
    void stackedConvLstm1DLayers() {
        // (batch, steps 3, width 5, channels 2): backwards with sequences, dilated same padding, Keras 3's hard_sigmoid gates;
        // then the last step of a strided valid layer, per position into a per-step output.
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(7).updater(new NoOp())
                .list()
                .layer(new KerasConvLstmLayer.Builder().rank(1).filters(2).kernelSize(1, 2).dilation(1, 2).same(true)
                        .returnSequences(true).goBackwards(true).recurrentActivation(GruActivation.HARD_SIGMOID_KERAS3).build())
                .layer(new KerasConvLstmLayer.Builder().rank(1).filters(3).kernelSize(1, 2).strides(1, 2).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(RNNFormat.NWC).build())
                .setInputType(InputType.convolutional(3, 5, 2, org.deeplearning4j.nn.conf.CNN2DFormat.NHWC))
                .build());
        net.init();
        randomBiases(net, 0, new Random(3));
        randomBiases(net, 1, new Random(4));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 5, 2).subi(0.5).muli(2);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 2, 2);
        assertTrue(check(net, x, y), "gradient check through two stacked ConvLSTM1D layers");
    }

    @Test
    void channelsFirstConvLstm2DWithPackedStates() {
        // (batch, steps 3, channels 2, 4 x 3), strided valid convolution, relu activation, all three results packed.
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(9).updater(new NoOp())
                .list()
                .layer(new KerasConvLstmLayer.Builder().rank(2).filters(2).kernelSize(2, 2).strides(2, 1).channelsFirst(true)
                        .activation(GruActivation.RELU).packState(true).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional3D(Convolution3D.DataFormat.NDHWC, 3, 2, 4, 3))
                .build());
        net.init();
        randomBiases(net, 0, new Random(5));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 2, 4, 3).subi(0.5).muli(2);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 2);
        assertTrue(check(net, x, y), "gradient check through a channels-first ConvLSTM2D returning its states");
    }

    private static boolean check(MultiLayerNetwork net, INDArray x, INDArray y) {
        net.output(x);   // as in inference first: the graph is built for the input's shape
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net).input(x).labels(y).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    /** Biases start at zero; make them non-zero so their gradients are tested in general position. */
    private static void randomBiases(MultiLayerNetwork net, int layer, Random rnd) {
        INDArray b = net.getLayer(layer).getParam(KerasConvLstmLayer.BIAS);
        for (long i = 0; i < b.length(); i++) b.putScalar(i, rnd.nextDouble() - 0.5);
    }
}
