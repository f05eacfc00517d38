package dev.graft.engine.layers;

import java.lang.reflect.Field;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link Im2colConv2D} as the forward-pass helper of DL4J's stock 2-d convolution runtime, for inference only:
 * DL4J's {@code ConvolutionLayer} asks its helper (the slot cuDNN and oneDNN use) for the pre-activation
 * output before computing it itself, and computes it itself when the helper gives none. The helper cannot
 * serve a backward pass (DL4J's then needs its own gathered matrix, which a helper's output skips), so
 * {@link #whileInferring} installs it for the duration of a forward pass and takes it out again; graphs
 * that train never see it. Networks keep DL4J's stock classes, so the zips graft writes open anywhere.
 */
public final class Im2colConvHelper implements ConvolutionHelper {
    private static final Im2colConvHelper INSTANCE = new Im2colConvHelper();
    private static final Field HELPER = helperField();

    private Im2colConvHelper() {
    }

    /** Runs {@code pass} with the helper in every stock 2-d convolution of the graph that has none. */
    public static <T> T whileInferring(ComputationGraph graph, java.util.function.Supplier<T> pass) {
        java.util.List<ConvolutionLayer> installed = new java.util.ArrayList<>();
        try {
            if (HELPER != null && graph.getLayers() != null) {
                for (Layer l : graph.getLayers()) {
                    Layer inner = l;
                    while (inner instanceof BaseWrapperLayer w) inner = w.getUnderlying();
                    // Exactly DL4J's class: its subclasses (1-d, depthwise, separable, deconvolution) compute otherwise.
                    if (inner != null && inner.getClass() == ConvolutionLayer.class && HELPER.get(inner) == null) {
                        HELPER.set(inner, INSTANCE);
                        installed.add((ConvolutionLayer) inner);
                    }
                }
            }
            return pass.get();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } finally {
            for (ConvolutionLayer c : installed) {
                try {
                    HELPER.set(c, null);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static Field helperField() {
        try {
            Field f = ConvolutionLayer.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;   // another DL4J: DL4J computes every convolution itself
        }
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad, AlgoMode mode,
                              FwdAlgo fwdAlgo, ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
                              LayerWorkspaceMgr workspaceMgr) {
        INDArray nhwc = format == CNN2DFormat.NHWC ? input : input.permute(0, 2, 3, 1);
        INDArray out = Im2colConv2D.forward(nhwc, weights, bias, kernel, strides, pad, dilation, convolutionMode, workspaceMgr);
        if (out == null) return null;
        return format == CNN2DFormat.NHWC ? out : out.permute(0, 3, 1, 2);
    }

    /** DL4J computes the activation function. */
    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        return null;
    }

    /** Never reached: the helper is out of the layer whenever a graph trains. DL4J computes backward passes. */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta, int[] kernel,
                                                     int[] strides, int[] pad, INDArray biasGradView, INDArray weightGradView,
                                                     IActivation afn, AlgoMode mode, BwdFilterAlgo bwdFilterAlgo,
                                                     BwdDataAlgo bwdDataAlgo, ConvolutionMode convolutionMode, int[] dilation,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        return null;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of();
    }
}
