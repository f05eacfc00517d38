package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

/**
 * graft's one-product forward pass of a 2-d convolution ({@link Im2colConv2D}) against DL4J's own on the same
 * weights and data: every padding mode, strides, dilation, one and several channels, with and without bias, both
 * layouts. The two sum the same products in another order, so they agree to float rounding, not bit for bit.
 */
class Im2colConv2DTest {
    private static final double TOL = 2e-5;

    @ParameterizedTest(name = "{0}x{1} kernel, stride {2}, dilation {3}, {4}, {5} in, {6} out, bias {7}, {8}")
    @CsvSource({
            "3, 3, 1, 1, Truncate, 1, 32, true, NHWC",
            "3, 3, 1, 1, Truncate, 32, 64, true, NHWC",
            "3, 3, 2, 1, Same, 3, 8, true, NHWC",
            "5, 3, 2, 1, Same, 4, 5, false, NHWC",
            "2, 2, 3, 1, Truncate, 2, 3, true, NHWC",
            "3, 3, 1, 2, Same, 3, 4, true, NHWC",
            "3, 2, 1, 2, Truncate, 2, 6, true, NHWC",
            "1, 1, 1, 1, Strict, 6, 7, true, NHWC",
            "3, 3, 1, 1, Same, 3, 4, true, NCHW",
            "4, 4, 2, 1, Truncate, 2, 3, false, NCHW"})
    void computesWhatDl4jComputes(int kh, int kw, int stride, int dilation, ConvolutionMode mode, int in, int out, boolean bias,
                                  CNN2DFormat format) {
        int h = 11, w = 9, batch = 5;
        ComputationGraph graph = convolution(kh, kw, stride, dilation, mode, in, out, bias, format, h, w);
        INDArray x = format == CNN2DFormat.NHWC ? Nd4j.rand(DataType.FLOAT, batch, h, w, in) : Nd4j.rand(DataType.FLOAT, batch, in, h, w);
        x.subi(0.5);
        INDArray dl4j = graph.output(false, x)[0];
        INDArray graft = direct(graph, x, format);
        assertArrayEquals(dl4j.shape(), graft.shape());
        assertTrue(dl4j.equalsWithEps(graft, TOL), () -> "largest difference " + dl4j.sub(graft).amaxNumber());
        assertTrue(dl4j.amaxNumber().doubleValue() > 0.1, "a real output, not zeros");
        INDArray helped = Im2colConvHelper.whileInferring(graph, () -> graph.output(false, x)[0]);
        assertTrue(graft.equalsWithEps(helped, 1e-6), "DL4J's layer with the helper computes what the helper computes");
    }

    @ParameterizedTest(name = "{0}x{1} kernel, stride {2}, dilation {3}, {4}, {5} in, {6} out, bias {7}")
    @CsvSource({
            "3, 3, 1, 1, Truncate, 1, 32, true",
            "3, 3, 1, 1, Truncate, 32, 64, true",
            "3, 3, 2, 1, Same, 3, 8, true",
            "5, 3, 2, 1, Same, 4, 5, false",
            "2, 2, 3, 1, Truncate, 2, 3, true",
            "3, 3, 1, 2, Same, 3, 4, true",
            "3, 2, 1, 2, Truncate, 2, 6, true"})
    void backwardComputesWhatDl4jComputes(int kh, int kw, int stride, int dilation, ConvolutionMode mode, int in, int out, boolean bias) {
        // DL4J's NCHW layer (whose backward pass is right; ChannelsLastCnnTest checks it numerically) as the reference.
        int h = 11, w = 9, batch = 4;
        ComputationGraph graph = convolution(kh, kw, stride, dilation, mode, in, out, bias, CNN2DFormat.NCHW, h, w);
        graph.initGradientsView();
        var layer = (org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) graph.getLayer(0);
        ConvolutionLayer conf = (ConvolutionLayer) layer.conf().getLayer();
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, h, w, in).subi(0.5);
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x.permute(0, 3, 1, 2).dup('c'), none);
        INDArray y = layer.activate(true, none);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, y.shape()).subi(0.5);
        var dl4j = layer.backpropGradient(epsilon, none);
        INDArray dl4jW = dl4j.getFirst().getGradientFor("W").dup();
        INDArray dl4jX = dl4j.getSecond().permute(0, 2, 3, 1).dup('c');

        INDArray weightGradient = Nd4j.zeros(DataType.FLOAT, layer.getParam("W").shape());
        INDArray biasGradient = bias ? Nd4j.zeros(DataType.FLOAT, 1, out) : null;
        INDArray graftX = Im2colConv2D.backward(x, layer.getParam("W"), bias ? layer.getParam("b") : null, epsilon.permute(0, 2, 3, 1),
                conf.getActivationFn(), conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(), conf.getConvolutionMode(),
                weightGradient, biasGradient, none);
        org.junit.jupiter.api.Assertions.assertNotNull(graftX, "computed");
        assertTrue(dl4jW.equalsWithEps(weightGradient, 1e-4), () -> "kernel gradient, largest difference " + dl4jW.sub(weightGradient).amaxNumber());
        assertTrue(dl4jX.equalsWithEps(graftX, TOL), () -> "input gradient, largest difference " + dl4jX.sub(graftX).amaxNumber());
        assertTrue(dl4jW.amaxNumber().doubleValue() > 0.01 && dl4jX.amaxNumber().doubleValue() > 0.01, "real gradients, not zeros");
        if (bias) {
            INDArray dl4jB = dl4j.getFirst().getGradientFor("b");
            assertTrue(dl4jB.reshape(1, out).equalsWithEps(biasGradient, 1e-4), () -> "bias gradient " + dl4jB + " against " + biasGradient);
        }
    }

    @Test
    void backwardOnTheForwardPassesPreActivationComputesTheSame() {
        // The training forward pass keeps its pre-activation output for the backward pass, which then skips that product.
        ComputationGraph graph = convolution(3, 3, 1, 1, ConvolutionMode.Truncate, 32, 16, true, CNN2DFormat.NHWC, 13, 13);
        var layer = (org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) graph.getLayer(0);
        ConvolutionLayer conf = (ConvolutionLayer) layer.conf().getLayer();
        INDArray x = Nd4j.rand(DataType.FLOAT, 40, 13, 13, 32).subi(0.5);
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        INDArray z = Im2colConv2D.forward(x, layer.getParam("W"), layer.getParam("b"), conf.getKernelSize(), conf.getStride(), conf.getPadding(),
                conf.getDilation(), conf.getConvolutionMode(), none);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, z.shape()).subi(0.5);
        INDArray[] again = new INDArray[3], kept = new INDArray[3];
        for (INDArray[] r : new INDArray[][] {again, kept}) {
            r[1] = Nd4j.zeros(DataType.FLOAT, layer.getParam("W").shape());
            r[2] = Nd4j.zeros(DataType.FLOAT, 1, 16);
            r[0] = Im2colConv2D.backward(x, layer.getParam("W"), layer.getParam("b"), epsilon, conf.getActivationFn(), conf.getKernelSize(),
                    conf.getStride(), conf.getPadding(), conf.getDilation(), conf.getConvolutionMode(), r[1], r[2], r == kept ? z.dup() : null, none);
        }
        for (int i = 0; i < 3; i++) {
            INDArray a = again[i], k = kept[i];
            assertTrue(a.amaxNumber().doubleValue() > 0.01, "a real gradient");
            // (the forward pass sums in blocks of samples, the backward pass in one product: float rounding)
            assertTrue(a.equalsWithEps(k, TOL), () -> "largest difference " + a.sub(k).amaxNumber());
        }
    }

    @Test
    void blocksOfManySamplesMatchOneByOne() {
        // More samples than one gathered block holds: the blocks must land in their own rows.
        ComputationGraph graph = convolution(3, 3, 1, 1, ConvolutionMode.Truncate, 32, 16, true, CNN2DFormat.NHWC, 13, 13);
        INDArray x = Nd4j.rand(DataType.FLOAT, 130, 13, 13, 32);
        INDArray dl4j = graph.output(false, x)[0];
        INDArray graft = direct(graph, x, CNN2DFormat.NHWC);
        assertTrue(dl4j.equalsWithEps(graft, TOL), () -> "largest difference " + dl4j.sub(graft).amaxNumber());
    }

    /** Im2colConv2D itself (no fallback can hide a failure), then the layer's tanh. */
    private static INDArray direct(ComputationGraph graph, INDArray x, CNN2DFormat format) {
        var layer = (org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) graph.getLayer(0);
        ConvolutionLayer conf = (ConvolutionLayer) layer.conf().getLayer();
        INDArray nhwc = format == CNN2DFormat.NHWC ? x : x.permute(0, 2, 3, 1);
        INDArray z = Im2colConv2D.forward(nhwc, layer.getParam("W"), conf.hasBias() ? layer.getParam("b") : null, conf.getKernelSize(),
                conf.getStride(), conf.getPadding(), conf.getDilation(), conf.getConvolutionMode(), LayerWorkspaceMgr.noWorkspaces());
        org.junit.jupiter.api.Assertions.assertNotNull(z, "computed");
        INDArray a = org.nd4j.linalg.ops.transforms.Transforms.tanh(z, true);
        return format == CNN2DFormat.NHWC ? a : a.permute(0, 3, 1, 2);
    }

    @Test
    void theHelperLeavesWithTheForwardPass() throws Exception {
        ComputationGraph graph = convolution(3, 3, 1, 1, ConvolutionMode.Truncate, 2, 3, true, CNN2DFormat.NHWC, 6, 6);
        AtomicInteger seen = new AtomicInteger();
        Im2colConvHelper.whileInferring(graph, () -> {
            seen.set(((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) graph.getLayer(0)).getHelper() == null ? 0 : 1);
            return null;
        });
        assertEquals(1, seen.get(), "installed while inferring");
        assertNull(((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) graph.getLayer(0)).getHelper(), "gone afterwards: training never sees it");
    }

    @Test
    void refusesWhatItDoesNotCompute() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 4, 4, 1);
        INDArray k = Nd4j.rand(DataType.DOUBLE, 2, 1, 2, 2);
        assertNull(Im2colConv2D.forward(x, k, null, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1},
                ConvolutionMode.Truncate, LayerWorkspaceMgr.noWorkspaces()), "double precision is DL4J's");
        assertNull(Im2colConv2D.forward(x.castTo(DataType.FLOAT), k.castTo(DataType.FLOAT), null, new int[] {2, 2}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1}, ConvolutionMode.Causal, LayerWorkspaceMgr.noWorkspaces()), "causal padding is DL4J's");
    }

    private static ComputationGraph convolution(int kh, int kw, int stride, int dilation, ConvolutionMode mode, int in, int out, boolean bias,
                                                CNN2DFormat format, int h, int w) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(kh, kw).stride(stride, stride).dilation(dilation, dilation).convolutionMode(mode)
                        .nIn(in).nOut(out).hasBias(bias).activation(Activation.TANH).dataFormat(format).build(), "in")
                .setOutputs("conv")
                .setInputTypes(InputType.convolutional(h, w, in, format))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        if (bias) graph.getLayer(0).getParam("b").assign(Nd4j.rand(DataType.FLOAT, 1, out).subi(0.5));
        return graph;
    }
}
