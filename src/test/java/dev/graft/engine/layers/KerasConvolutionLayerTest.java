package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.engine.layers.KerasConvolutionLayer.Kind;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * graft's own convolutions (grouped, depthwise, separable, transposed with output padding; 1-d, 2-d and 3-d; channels last and
 * first), GroupNormalization and Resizing train like
 * any DL4J layer: their parameter gradients match finite differences (and, for Resizing, which has none, the gradient
 * it passes back to the convolution before it); Resizing computes TensorFlow's definition on numbers worked out by hand.
 */
class KerasConvolutionLayerTest {
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

    private static KerasConvolutionLayer.Builder conv(Kind kind, int rank, long k, long s, String padding) {
        return new KerasConvolutionLayer.Builder().kind(kind).rank(rank).kernelSize(rank == 1 ? 1 : k, k).strides(rank == 1 ? 1 : s, s)
                .padding(padding);
    }

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("depthwise dm2 same s2", conv(Kind.DEPTHWISE, 2, 3, 2, "same").depthMultiplier(2).activation("tanh").build()),
                Arguments.of("depthwise valid dilated", conv(Kind.DEPTHWISE, 2, 2, 1, "valid").dilation(2, 2).build()),
                Arguments.of("grouped conv2d", conv(Kind.CONV, 2, 3, 1, "same").groups(2).filters(4).activation("relu").build()),
                Arguments.of("group normalization", new KerasGroupNormalizationLayer.Builder().groups(2).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void gradientsMatchFiniteDifferencesOnImages(String name, Layer layer) {
        MultiLayerNetwork net = net(layer, InputType.convolutional(5, 5, 4, CNN2DFormat.NHWC), null);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 5, 5, 4).subi(0.5).muli(2);
        check(net, x, name);
    }

    static Stream<Arguments> sequences() {
        return Stream.of(
                Arguments.of("depthwise 1d dm2 same", conv(Kind.DEPTHWISE, 1, 2, 1, "same").depthMultiplier(2).build(), false),
                Arguments.of("depthwise 1d channels first", conv(Kind.DEPTHWISE, 1, 2, 1, "valid").channelsFirst(true).build(), true),
                Arguments.of("transposed 1d same s2", conv(Kind.TRANSPOSE, 1, 3, 2, "same").filters(4).build(), false),
                Arguments.of("transposed 1d valid", conv(Kind.TRANSPOSE, 1, 3, 1, "valid").filters(2).activation("sigmoid").build(), false),
                Arguments.of("grouped conv1d causal", conv(Kind.CONV, 1, 3, 1, "causal").groups(3).filters(6).build(), false),
                Arguments.of("grouped conv1d channels first", conv(Kind.CONV, 1, 2, 2, "valid").groups(3).filters(3).channelsFirst(true).build(), true),
                Arguments.of("separable 1d channels first dm2 s2 same", conv(Kind.SEPARABLE, 1, 3, 2, "same").depthMultiplier(2).filters(4)
                        .channelsFirst(true).activation("relu").build(), true),
                Arguments.of("separable 1d dilated", conv(Kind.SEPARABLE, 1, 2, 1, "valid").dilation(1, 2).filters(2).useBias(false).build(), false),
                Arguments.of("transposed 1d valid s2 output padding", conv(Kind.TRANSPOSE, 1, 3, 2, "valid").outputPadding(1).filters(2).build(), false),
                Arguments.of("group normalization of sequences", new KerasGroupNormalizationLayer.Builder().groups(-1).center(false).build(), false));
    }

    /** Sequences of 6 steps of 3 channels ((batch, 3, 6) when channels first), described as DL4J's Keras import does. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void gradientsMatchFiniteDifferencesOnSequences(String name, Layer layer, boolean channelsFirst) {
        InputType in = channelsFirst ? InputType.recurrent(6, 3, RNNFormat.NWC) : InputType.recurrent(3, 6, RNNFormat.NWC);
        MultiLayerNetwork net = net(layer, in, null);
        INDArray x = channelsFirst ? Nd4j.rand(DataType.DOUBLE, 2, 3, 6) : Nd4j.rand(DataType.DOUBLE, 2, 6, 3);
        check(net, x.subi(0.5).muli(2), name);
    }

    static Stream<Arguments> channelsFirstImages() {
        return Stream.of(
                Arguments.of("conv2d channels first s21 softmax", conv(Kind.CONV, 2, 3, 1, "same").strides(2, 1).filters(3).channelsFirst(true)
                        .activation("softmax").build()),
                Arguments.of("transposed 2d channels first, output padding, stride longer than the kernel",
                        conv(Kind.TRANSPOSE, 2, 2, 3, "valid").kernelSize(3, 2).strides(2, 3).outputPadding(1, 2).filters(2).channelsFirst(true).build()),
                Arguments.of("transposed 2d same k4 s3 op2", conv(Kind.TRANSPOSE, 2, 4, 3, "same").outputPadding(2, 2).filters(2).build()),
                Arguments.of("separable 2d channels first dm2", conv(Kind.SEPARABLE, 2, 2, 1, "same").depthMultiplier(2).filters(3).channelsFirst(true)
                        .build()),
                Arguments.of("depthwise 2d channels first s2", conv(Kind.DEPTHWISE, 2, 3, 2, "same").depthMultiplier(2).channelsFirst(true).build()));
    }

    /** Keras's (batch, 4, 5, 3) channels first: 4 channels of 5 x 3, described as DL4J's Keras import does (NHWC of Keras's axes). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("channelsFirstImages")
    void gradientsMatchFiniteDifferencesOnOtherLayouts(String name, Layer layer) {
        boolean cf = ((KerasConvolutionLayer) layer).isChannelsFirst();
        MultiLayerNetwork net = net(layer, cf ? InputType.convolutional(4, 5, 3, CNN2DFormat.NHWC) : InputType.convolutional(5, 3, 4, CNN2DFormat.NHWC), null);
        INDArray x = cf ? Nd4j.rand(DataType.DOUBLE, 2, 4, 5, 3) : Nd4j.rand(DataType.DOUBLE, 2, 5, 3, 4);
        check(net, x.subi(0.5).muli(2), name);
    }

    static Stream<Arguments> volumes() {
        return Stream.of(
                Arguments.of("transposed 3d same s213", conv(Kind.TRANSPOSE, 3, 2, 1, "same").kernelSize(3, 2, 2).strides(2, 1, 3).dilation(1, 1, 1)
                        .filters(2).build(), false),
                Arguments.of("transposed 3d valid s2 channels first", conv(Kind.TRANSPOSE, 3, 2, 2, "valid").kernelSize(2, 2, 2).strides(2, 2, 2)
                        .dilation(1, 1, 1).filters(2).channelsFirst(true).build(), true),
                Arguments.of("grouped conv3d channels first", conv(Kind.CONV, 3, 2, 1, "valid").kernelSize(2, 2, 2).strides(1, 1, 1).dilation(1, 1, 1)
                        .groups(2).filters(4).channelsFirst(true).build(), true));
    }

    /** Volumes of 2 x 3 x 2 with 2 channels (4 for the grouped one), channels last or first. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("volumes")
    void gradientsMatchFiniteDifferencesOnVolumes(String name, Layer layer, boolean channelsFirst) {
        long c = ((KerasConvolutionLayer) layer).getGroups() > 1 ? 4 : 2;
        InputType in = channelsFirst ? InputType.convolutional3D(org.deeplearning4j.nn.conf.layers.Convolution3D.DataFormat.NDHWC, c, 2, 3, 2)
                : InputType.convolutional3D(org.deeplearning4j.nn.conf.layers.Convolution3D.DataFormat.NDHWC, 2, 3, 2, c);
        MultiLayerNetwork net = net(layer, in, null);
        INDArray x = channelsFirst ? Nd4j.rand(DataType.DOUBLE, 2, c, 2, 3, 2) : Nd4j.rand(DataType.DOUBLE, 2, 2, 3, 2, c);
        check(net, x.subi(0.5).muli(2), name);
    }

    /** Resizing has no parameters: the depthwise convolution before it checks the gradient Resizing passes back. */
    @Test
    void gradientsPassBackThroughResizing() {
        for (boolean bilinear : new boolean[] {true, false}) {
            MultiLayerNetwork net = net(conv(Kind.DEPTHWISE, 2, 2, 1, "valid").build(), InputType.convolutional(5, 4, 2, CNN2DFormat.NHWC),
                    new KerasResizingLayer.Builder().height(3).width(6).bilinear(bilinear).build());
            check(net, Nd4j.rand(DataType.DOUBLE, 2, 5, 4, 2).subi(0.5), "resizing bilinear=" + bilinear);
        }
    }

    /**
     * TensorFlow's definitions, worked out by hand. Rows 2 -> 3: bilinear gives a, (a+b)/2, b (centres at -1/6, 1/2, 7/6,
     * clamped); nearest gives a, b, b (floor((o + 0.5) * 2/3) = 0, 1, 1; the legacy floor(o * scale) would give a, a, b).
     * Columns 3 -> 2: bilinear 0.75·x0 + 0.25·x1 and 0.25·x1 + 0.75·x2 (centres 0.25, 1.75); nearest x0, x2 (floor(0.75),
     * floor(2.25)).
     */
    @Test
    void resizingComputesTensorFlowsDefinition() {
        double[][] img = {{1, 2, 4}, {8, 16, 32}};   // (2 rows, 3 cols), one channel
        INDArray x = Nd4j.create(img).reshape(1, 2, 3, 1);
        double[][] bilinear = new double[3][2];
        double[][] nearest = new double[3][2];
        double[][] rows = {img[0], {4.5, 9, 18}, img[1]};
        double[][] rowsNearest = {img[0], img[1], img[1]};
        for (int r = 0; r < 3; r++) {
            bilinear[r] = new double[] {0.75 * rows[r][0] + 0.25 * rows[r][1], 0.25 * rows[r][1] + 0.75 * rows[r][2]};
            nearest[r] = new double[] {rowsNearest[r][0], rowsNearest[r][2]};
        }
        for (boolean b : new boolean[] {true, false}) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                    .layer(new KerasResizingLayer.Builder().height(3).width(2).bilinear(b).build())
                    .setInputType(InputType.convolutional(2, 3, 1, CNN2DFormat.NHWC)).build());
            net.init();
            INDArray y = net.output(x);
            assertArrayEquals(new long[] {1, 3, 2, 1}, y.shape());
            double[][] expected = b ? bilinear : nearest;
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 2; c++) {
                    assertTrue(Math.abs(expected[r][c] - y.getDouble(0, r, c, 0)) < 1e-12, (b ? "bilinear" : "nearest") + " at " + r + "," + c
                            + ": " + y.getDouble(0, r, c, 0) + " expected " + expected[r][c]);
                }
            }
        }
    }

    private static MultiLayerNetwork net(Layer layer, InputType in, Layer after) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(7).updater(new NoOp()).list()
                .layer(layer);
        if (after != null) b.layer(after);
        boolean sequence = in.getType() == InputType.Type.RNN;
        b.layer(sequence
                ? new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).dataFormat(RNNFormat.NWC).build()
                : new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(in).build());
        net.init();
        Random r = new Random(3);
        for (INDArray p : net.getLayer(0).paramTable().values()) for (long i = 0; i < p.length(); i++) p.putScalar(i, r.nextDouble() - 0.3);
        return net;
    }

    private static void check(MultiLayerNetwork net, INDArray x, String name) {
        INDArray y = Nd4j.rand(DataType.DOUBLE, net.output(x).shape());
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y).epsilon(1e-6)
                .maxRelError(1e-5).minAbsoluteError(1e-9).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)), "gradient check " + name);
    }
}
