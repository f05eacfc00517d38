package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training step with buffers kept across batches ({@link Im2colConv2DTrainingStep}) against {@link Im2colConv2D}'s
 * forward and backward passes (which Im2colConv2DTest checks against DL4J's): output, kernel, bias and input gradients
 * to float rounding, for ReLU and identity (computed on the heap) and tanh (ND4J's), over several batches of changing
 * size through the same buffers.
 */
class Im2colConv2DTrainingStepTest {
    private static final double TOL = 2e-5;

    @ParameterizedTest(name = "{0}x{1} kernel, stride {2}, dilation {3}, {4}, {5} in, {6} out, bias {7}, {8}")
    @CsvSource({
            "3, 3, 1, 1, Truncate, 1, 32, true, RELU",
            "3, 3, 1, 1, Truncate, 8, 16, true, RELU",
            "3, 3, 2, 1, Same, 3, 8, true, IDENTITY",
            "5, 3, 2, 1, Same, 4, 5, false, RELU",
            "3, 2, 1, 2, Truncate, 2, 6, true, TANH"})
    void computesWhatTheOneCallPassesCompute(int kh, int kw, int stride, int dilation, ConvolutionMode mode, int in, int out, boolean bias,
                                            Activation activation) {
        int h = 11, w = 9;
        var layer = convolution(kh, kw, stride, dilation, mode, in, out, bias, activation, h, w);
        ConvolutionLayer conf = (ConvolutionLayer) layer.conf().getLayer();
        IActivation fn = conf.getActivationFn();
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        Im2colConv2DTrainingStep step = new Im2colConv2DTrainingStep();
        INDArray weights = layer.getParam("W"), b = bias ? layer.getParam("b") : null;
        for (int batch : new int[] {4, 4, 3}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, h, w, in).subi(0.5);
            INDArray nchw = x.permute(0, 3, 1, 2);
            INDArray y = step.forward(nchw, weights, b, fn, conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(), mode, none);
            assertNotNull(y, "computed");
            assertTrue(step.keeps(nchw), "kept for the backward pass");
            INDArray z = Im2colConv2D.forward(x, weights, b, conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(), mode, none);
            INDArray expected = fn.getActivation(z.dup(), true);
            assertTrue(expected.equalsWithEps(y, TOL), () -> "output, largest difference " + expected.sub(y).amaxNumber());

            INDArray epsilon = Nd4j.rand(DataType.FLOAT, y.shape()).subi(0.5);
            INDArray[] reference = gradients(weights, b), fast = gradients(weights, b);
            reference[0] = Im2colConv2D.backward(x, weights, b, epsilon, fn, conf.getKernelSize(), conf.getStride(), conf.getPadding(),
                    conf.getDilation(), mode, reference[1], reference[2], none);
            fast[0] = step.backward(epsilon, fast[1], fast[2], true, none);
            assertTrue(!step.keeps(nchw), "the backward pass uses the kept forward pass up");
            for (int i = 0; i < 3; i++) {
                if (reference[i] == null) continue;
                INDArray r = reference[i], f = fast[i];
                assertTrue(r.amaxNumber().doubleValue() > 0.01, "a real gradient");
                assertTrue(r.equalsWithEps(f, 1e-4), () -> "gradient " + r.shapeInfoToString() + ", largest difference " + r.sub(f).amaxNumber());
            }
        }
    }

    @Test
    void withoutTheInputGradientFillsTheSameParameterGradients() {
        var layer = convolution(3, 3, 1, 1, ConvolutionMode.Truncate, 1, 8, true, Activation.RELU, 12, 12);
        ConvolutionLayer conf = (ConvolutionLayer) layer.conf().getLayer();
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        Im2colConv2DTrainingStep step = new Im2colConv2DTrainingStep();
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 12, 12, 1).subi(0.5).permute(0, 3, 1, 2);
        INDArray epsilon = null;
        INDArray[][] runs = {gradients(layer.getParam("W"), layer.getParam("b")), gradients(layer.getParam("W"), layer.getParam("b"))};
        for (int run = 0; run < 2; run++) {
            INDArray y = step.forward(x, layer.getParam("W"), layer.getParam("b"), conf.getActivationFn(), conf.getKernelSize(), conf.getStride(),
                    conf.getPadding(), conf.getDilation(), ConvolutionMode.Truncate, none);
            if (epsilon == null) epsilon = Nd4j.rand(DataType.FLOAT, y.shape()).subi(0.5);
            runs[run][0] = step.backward(epsilon, runs[run][1], runs[run][2], run == 0, none);
        }
        assertNotNull(runs[0][0]);
        assertNull(runs[1][0], "not computed");
        assertEquals(runs[0][1], runs[1][1], "the same kernel gradient, bit for bit");
        assertEquals(runs[0][2], runs[1][2], "the same bias gradient, bit for bit");
    }

    @Test
    void columnSumsAreTheColumnsSums() {
        java.util.Random r = new java.util.Random(3);
        for (int[] shape : new int[][] {{1, 1}, {7, 3}, {300, 32}, {1000, 64}, {517, 100}, {40, 2000}}) {
            int rows = shape[0], columns = shape[1];
            float[] m = new float[rows * columns];
            for (int i = 0; i < m.length; i++) m[i] = (float) r.nextGaussian();
            float[] sums = Im2colConv2DTrainingStep.columnSums(m, rows, columns);
            for (int c = 0; c < columns; c++) {
                double exact = 0, magnitude = 0;
                for (int row = 0; row < rows; row++) {
                    exact += m[row * columns + c];
                    magnitude += Math.abs(m[row * columns + c]);
                }
                assertEquals(exact, sums[c], 1e-6 * magnitude + 1e-7, rows + "x" + columns + ", column " + c);
            }
        }
    }

    @Test
    void reluMaskIsLibnd4jsDerivative() {
        float[] z = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.NaN, Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x7f800001)};
        for (float v : z) assertEquals(v > 0f ? -1 : 0, Im2colConv2DTrainingStep.positive(v), () -> "z = " + v);
    }

    @Test
    void leavesToTheCallerWhatItDoesNotCompute() {
        var layer = convolution(2, 2, 1, 1, ConvolutionMode.Truncate, 1, 2, false, Activation.RELU, 4, 4);
        ConvolutionLayer conf = (ConvolutionLayer) layer.conf().getLayer();
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 4, 4, 1).permute(0, 3, 1, 2);
        Im2colConv2DTrainingStep step = new Im2colConv2DTrainingStep();
        assertNull(step.forward(x, layer.getParam("W"), null, conf.getActivationFn(), conf.getKernelSize(), conf.getStride(), conf.getPadding(),
                conf.getDilation(), ConvolutionMode.Causal, LayerWorkspaceMgr.noWorkspaces()), "causal padding is DL4J's");
        assertTrue(!step.keeps(x), "nothing kept");
    }

    private static INDArray[] gradients(INDArray weights, INDArray bias) {
        return new INDArray[] {null, Nd4j.zeros(DataType.FLOAT, weights.shape()), bias == null ? null : Nd4j.zeros(DataType.FLOAT, 1, bias.length())};
    }

    private static org.deeplearning4j.nn.api.Layer convolution(int kh, int kw, int stride, int dilation, ConvolutionMode mode, int in, int out,
                                                               boolean bias, Activation activation, int h, int w) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(kh, kw).stride(stride, stride).dilation(dilation, dilation).convolutionMode(mode)
                        .nIn(in).nOut(out).hasBias(bias).activation(activation).dataFormat(CNN2DFormat.NHWC).build(), "in")
                .setOutputs("conv")
                .setInputTypes(InputType.convolutional(h, w, in, CNN2DFormat.NHWC))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        if (bias) graph.getLayer(0).getParam("b").assign(Nd4j.rand(DataType.FLOAT, 1, out).subi(0.5));
        return graph.getLayer(0);
    }
}
