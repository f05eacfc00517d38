package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * graft's channels-last max pooling ({@link ChannelsLastMaxPooling2D}) against DL4J's own NCHW pooling on the same
 * data, forward and backward: windows that tile, overlap and leave a remainder, one and several channels. Max
 * pooling does no arithmetic, so both passes agree exactly, ties included, also where the training forward pass keeps
 * its outputs' sources for the backward pass (the data is coarsely rounded and half of
 * it zero, as after a ReLU, so that windows hold equal largest values).
 */
class ChannelsLastMaxPooling2DTest {
    @ParameterizedTest(name = "{0}x{1} window, stride {2}x{3}, {4}, {5} channels")
    @CsvSource({
            "2, 2, 2, 2, Truncate, 32",
            "3, 3, 2, 2, Truncate, 3",
            "2, 3, 1, 1, Truncate, 4",
            "3, 3, 3, 3, Truncate, 1",
            "2, 2, 2, 1, Strict, 5"})
    void computesWhatDl4jComputes(int kh, int kw, int sh, int sw, ConvolutionMode mode, int channels) {
        int h = mode == ConvolutionMode.Strict ? 12 : 11, w = mode == ConvolutionMode.Strict ? 10 : 9, batch = 3;
        SubsamplingLayer conf = new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(kh, kw).stride(sh, sw).convolutionMode(mode)
                .dataFormat(CNN2DFormat.NCHW).build();
        ComputationGraph graph = pooling(conf, h, w, channels);
        var layer = (org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer) graph.getLayer(0);
        INDArray x = Transforms.relu(Nd4j.rand(DataType.FLOAT, batch, h, w, channels).subi(0.5), false).muli(8);
        x = Transforms.round(x, false).divi(8);
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x.permute(0, 3, 1, 2).dup('c'), none);
        INDArray dl4jY = layer.activate(true, none).permute(0, 2, 3, 1).dup('c');
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, dl4jY.shape()).subi(0.5);
        INDArray dl4jX = layer.backpropGradient(epsilon.permute(0, 3, 1, 2).dup('c'), none).getSecond().permute(0, 2, 3, 1).dup('c');

        ChannelsLastMaxPooling2D own = ChannelsLastMaxPooling2D.of((SubsamplingLayer) layer.conf().getLayer());
        assertNotNull(own, "computed here");
        INDArray y = own.forward(x, none);
        assertArrayEquals(dl4jY.shape(), y.shape());
        assertEquals(dl4jY, y, "the pooled values");
        INDArray dx = own.backward(x, epsilon, none);
        assertArrayEquals(dl4jX.shape(), dx.shape());
        assertTrue(dl4jX.equalsWithEps(dx, 1e-6), () -> "input gradient, largest difference " + dl4jX.sub(dx).amaxNumber());
        assertTrue(dx.amaxNumber().doubleValue() > 0.01, "a real gradient, not zeros");

        // A training forward pass keeps where each output came from; its backward pass sends the gradient there, the same.
        ChannelsLastMaxPooling2D.Sources sources = new ChannelsLastMaxPooling2D.Sources();
        for (int step = 0; step < 2; step++) {
            INDArray kept = own.forward(x, none, sources, x);
            assertEquals(dl4jY, kept, "the pooled values, keeping their sources");
            assertTrue(sources.keeps(x));
            INDArray fromSources = own.backward(sources, epsilon, none);
            assertEquals(dx, fromSources, "the input gradient from the kept sources, bit for bit");
            assertTrue(!sources.keeps(x), "used up by the backward pass");
        }
    }

    /**
     * The 2 x 2 window's one-pass sources against the general window's search, on every ordering of the values that
     * matter: ties (the first of equals, rows then columns), +0 against -0, infinities, and NaN (the first position).
     */
    @Test
    void twoByTwoSourcesAreTheFirstLargestOfEveryWindow() {
        float[] values = {0f, -0f, 1f, 2f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        int n = values.length, windows = n * n * n * n;
        // one channel, windows side by side: an image of 2 rows and 2·windows columns
        float[] x = new float[4 * windows];
        for (int i = 0; i < windows; i++) {
            int v = i;
            for (int p = 0; p < 4; p++, v /= n) x[(p / 2) * 2 * windows + 2 * i + p % 2] = values[v % n];
        }
        ChannelsLastMaxPooling2D pooling = ChannelsLastMaxPooling2D.of(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                .convolutionMode(ConvolutionMode.Truncate).build());
        float[] y = new float[windows], expectedY = new float[windows];
        int[] at = new int[windows], expectedAt = new int[windows];
        pooling.twoByTwo(x, y, at, 1, 2, 2 * windows, 1, 1, windows);
        pooling.anyWindow(x, expectedY, expectedAt, 1, 2, 2 * windows, 1, 1, windows);
        assertArrayEquals(expectedY, y, "the maxima");
        assertArrayEquals(expectedAt, at, "their sources");
        float[] inference = new float[windows];
        pooling.twoByTwo(x, inference, null, 1, 2, 2 * windows, 1, 1, windows);
        assertArrayEquals(expectedY, inference, "the maxima without sources");
    }

    @Test
    void leavesToDl4jWhatItDoesNotCompute() {
        assertNull(ChannelsLastMaxPooling2D.of(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build()), "average pooling");
        assertNull(ChannelsLastMaxPooling2D.of(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                .convolutionMode(ConvolutionMode.Same).build()), "Same padding");
        assertNull(ChannelsLastMaxPooling2D.of(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).padding(1, 1)
                .convolutionMode(ConvolutionMode.Truncate).build()), "explicit padding");
    }

    private static ComputationGraph pooling(SubsamplingLayer conf, int h, int w, int channels) {
        ComputationGraphConfiguration c = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in")
                .addLayer("pool", conf, "in")
                .setOutputs("pool")
                .setInputTypes(InputType.convolutional(h, w, channels, CNN2DFormat.NCHW))
                .build();
        ComputationGraph graph = new ComputationGraph(c);
        graph.init();
        return graph;
    }
}
