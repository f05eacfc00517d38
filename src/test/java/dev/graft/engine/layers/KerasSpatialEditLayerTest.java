package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.engine.layers.KerasConvolutionLayer.Kind;
import java.io.File;
import java.nio.file.Files;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
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
 * graft's padding, cropping and nearest upsampling layer ({@link KerasSpatialEditLayer}) and the resizing variants of
 * {@link KerasResizingLayer} (bicubic, channels first, cropped or padded to the aspect ratio, upsampling factors) have no
 * parameters: the layer with parameters before them checks, against finite differences, the gradient they pass back. The
 * configurations survive a DL4J .zip, and the shapes follow Keras's rule on asymmetric amounts.
 */
class KerasSpatialEditLayerTest {
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

    private static KerasSpatialEditLayer.Builder edit(int n) {
        return new KerasSpatialEditLayer.Builder().spatialRank(n);
    }

    static Stream<Arguments> sequences() {
        return Stream.of(
                Arguments.of("cropping1d (2, 1)", edit(1).crop(new long[] {2}, new long[] {1}).build(), false),
                Arguments.of("zeropadding1d (0, 3)", edit(1).pad(new long[] {0}, new long[] {3}).build(), false),
                Arguments.of("zeropadding1d channels first", edit(1).channelsFirst(true).pad(new long[] {1}, new long[] {2}).build(), true),
                Arguments.of("upsampling1d 3", edit(1).repeat(3).build(), false));
    }

    /** After a depthwise Conv1D over 6 steps of 3 channels ((batch, 3, 6) when channels first). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void gradientsPassBackOnSequences(String name, Layer layer, boolean channelsFirst) {
        KerasConvolutionLayer conv = new KerasConvolutionLayer.Builder().kind(Kind.DEPTHWISE).rank(1).kernelSize(1, 2).strides(1, 1)
                .padding("same").channelsFirst(channelsFirst).build();
        InputType in = channelsFirst ? InputType.recurrent(6, 3, RNNFormat.NWC) : InputType.recurrent(3, 6, RNNFormat.NWC);
        MultiLayerNetwork net = net(conv, in, layer);
        INDArray x = channelsFirst ? Nd4j.rand(DataType.DOUBLE, 2, 3, 6) : Nd4j.rand(DataType.DOUBLE, 2, 6, 3);
        check(net, x.subi(0.5).muli(2), name);
    }

    static Stream<Arguments> volumes() {
        return Stream.of(
                Arguments.of("cropping3d asymmetric", edit(3).crop(new long[] {1, 0, 2}, new long[] {0, 2, 1}).build(), new long[] {2, 2, 3, 3, 2}),
                Arguments.of("zeropadding3d asymmetric", edit(3).pad(new long[] {2, 0, 1}, new long[] {0, 1, 0}).build(), new long[] {2, 5, 6, 7, 2}),
                Arguments.of("upsampling3d (1, 2, 3)", edit(3).repeat(1, 2, 3).build(), new long[] {2, 3, 10, 18, 2}),
                Arguments.of("cropping3d channels first", edit(3).channelsFirst(true).crop(new long[] {0, 1, 1}, new long[] {1, 2, 0}).build(),
                        new long[] {2, 3, 4, 3, 1}),
                Arguments.of("upsampling3d channels first", edit(3).channelsFirst(true).repeat(2, 1, 2).build(), new long[] {2, 3, 10, 6, 4}));
    }

    /** After a DL4J Conv3D giving (batch, 3, 5, 6, 2) channels last; a channels-first layer reads it as 3 channels of 5x6x2. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("volumes")
    void gradientsPassBackOnVolumes(String name, Layer layer, long[] outShape) {
        Convolution3D conv = new Convolution3D.Builder().kernelSize(1, 1, 1).nOut(2).dataFormat(Convolution3D.DataFormat.NDHWC)
                .activation(Activation.TANH).build();
        MultiLayerNetwork net = net(conv, InputType.convolutional3D(Convolution3D.DataFormat.NDHWC, 3, 5, 6, 2), layer);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 5, 6, 2).subi(0.5).muli(2);
        assertArrayEquals(outShape, net.feedForward(x).get(2).shape(), name);
        check(net, x, name);
    }

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("cropping2d channels first", edit(2).channelsFirst(true).crop(new long[] {1, 0}, new long[] {0, 2}).build()),
                Arguments.of("zeropadding2d channels first", edit(2).channelsFirst(true).pad(new long[] {0, 2}, new long[] {1, 0}).build()),
                Arguments.of("upsampling2d channels first", edit(2).channelsFirst(true).repeat(2, 1).build()),
                Arguments.of("resizing bicubic", new KerasResizingLayer.Builder().height(7).width(3).interpolation("bicubic").build()),
                Arguments.of("resizing channels first", new KerasResizingLayer.Builder().height(3).width(4).channelsFirst(true).build()),
                Arguments.of("resizing crop to aspect", new KerasResizingLayer.Builder().height(2).width(4).cropToAspectRatio(true).build()),
                Arguments.of("resizing pad to aspect", new KerasResizingLayer.Builder().height(6).width(2).interpolation("nearest")
                        .padToAspectRatio(true).fillValue(0.5).build()),
                Arguments.of("upsampling2d bilinear (2, 3)", new KerasResizingLayer.Builder().factors(2, 3).build()),
                Arguments.of("upsampling2d bicubic channels first", new KerasResizingLayer.Builder().factors(3, 2).interpolation("bicubic")
                        .channelsFirst(true).build()));
    }

    /** After a depthwise Conv2D giving (batch, 4, 5, 3) channels last. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void gradientsPassBackOnImages(String name, Layer layer) {
        KerasConvolutionLayer conv = new KerasConvolutionLayer.Builder().kind(Kind.DEPTHWISE).rank(2).kernelSize(2, 2).strides(1, 1)
                .padding("same").activation("tanh").build();
        MultiLayerNetwork net = net(conv, InputType.convolutional(4, 5, 3, CNN2DFormat.NHWC), layer);
        check(net, Nd4j.rand(DataType.DOUBLE, 2, 4, 5, 3).subi(0.5).muli(2), name);
    }

    /** A network with the layers saved as a DL4J .zip and restored computes the same numbers (the configuration's JSON keeps every field). */
    @Test
    void configurationsSurviveAZip() throws Exception {
        KerasConvolutionLayer conv = new KerasConvolutionLayer.Builder().kind(Kind.DEPTHWISE).rank(2).kernelSize(2, 2).strides(1, 1)
                .padding("same").build();
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(7).list()
                .layer(conv)
                .layer(edit(2).channelsFirst(true).crop(new long[] {1, 0}, new long[] {0, 1}).pad(new long[] {0, 2}, new long[] {1, 0}).build())
                .layer(new KerasResizingLayer.Builder().height(5).width(3).interpolation("bicubic").padToAspectRatio(true).fillValue(0.25).build())
                .layer(new KerasResizingLayer.Builder().factors(2, 1).channelsFirst(true).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.convolutional(4, 5, 3, CNN2DFormat.NHWC)).build());
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 5, 3);
        File zip = Files.createTempFile("spatial-edit", ".zip").toFile();
        try {
            ModelSerializer.writeModel(net, zip, false);
            MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(zip, false);
            assertEquals(net.getLayerWiseConfigurations().toJson(), back.getLayerWiseConfigurations().toJson());
            INDArray y = net.output(x);
            INDArray z = back.output(x);
            assertArrayEquals(y.shape(), z.shape());
            assertTrue(y.equalsWithEps(z, 1e-12));
        } finally {
            Files.deleteIfExists(zip.toPath());
        }
    }

    /** Keras's pad-to-aspect-ratio pads {@code (pad - h) / 2} on each side, so an odd remainder goes unpadded: 3 rows to 6:2 of 3 columns pads 1 + 1. */
    @Test
    void padToAspectRatioPadsEvenlyAsKerasDoes() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(new KerasResizingLayer.Builder().height(5).width(3).interpolation("nearest").padToAspectRatio(true).fillValue(9).build())
                .setInputType(InputType.convolutional(3, 3, 1, CNN2DFormat.NHWC)).build());
        net.init();
        INDArray x = Nd4j.arange(9).castTo(DataType.DOUBLE).reshape(1, 3, 3, 1);
        INDArray y = net.output(x);
        // padded to 5 x 3 (pad height int(3 * 5 / 3) = 5, 1 row each side), then resized 5 x 3 -> 5 x 3: unchanged
        double[][] want = {{9, 9, 9}, {0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 9, 9}};
        for (int r = 0; r < 5; r++) for (int c = 0; c < 3; c++) assertEquals(want[r][c], y.getDouble(0, r, c, 0), 1e-12, r + "," + c);
    }

    private static MultiLayerNetwork net(Layer first, InputType in, Layer after) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(7).updater(new NoOp()).list()
                .layer(first).layer(after);
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

    /** The first layer's parameters only: the output layer's (many, after an upsampling) check nothing of the layer under test. */
    private static void check(MultiLayerNetwork net, INDArray x, String name) {
        INDArray y = Nd4j.rand(DataType.DOUBLE, net.output(x).shape());
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y).epsilon(1e-6)
                .excludeParams(java.util.Set.of("2_W", "2_b"))
                .maxRelError(1e-5).minAbsoluteError(1e-9).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)), "gradient check " + name);
    }
}
