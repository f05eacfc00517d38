package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computing side of {@link ChannelsLastConv2DLayer}: takes {@code (batch, height, width,
 * channels)}, holds it as {@code (batch, channels, height, width)} and computes DL4J's own NCHW
 * convolution on it, forward and backward, permuting its output and the input gradient it returns
 * back to Keras's order. DL4J's runtime takes the layout from its configuration, which states the
 * NHWC the layer is fed in; so this layer reads an NCHW copy of that configuration instead. The
 * kernel's layout, {@code (out, in, height, width)}, is the same in both.
 */
public class ChannelsLastConv2DRuntime extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer {
    // Not initialised in their declarations: DL4J's constructors already call layerConf(), before
    // this class's initialisers would run (and reset them).
    private ConvolutionLayer declared;
    private ConvolutionLayer computing;

    public ChannelsLastConv2DRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public ConvolutionLayer layerConf() {
        ConvolutionLayer current = super.layerConf();
        if (current != declared) {
            ConvolutionLayer nchw = current.clone();
            nchw.setCnn2dDataFormat(CNN2DFormat.NCHW);
            computing = nchw;
            declared = current;
        }
        return computing;
    }

    /** Kept as NCHW, so that everything DL4J's NCHW layer does with its input (dropout, backprop) sees that layout. */
    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(NhwcAsNchw.toNchw(input), workspaceMgr);
    }

    /**
     * The forward pass as one matrix product on the NHWC data this layer is fed ({@link Im2colConv2D}), as an NCHW
     * view; the backward pass (which needs DL4J's own gathered matrix) and anything Im2colConv2D does not cover
     * are DL4J's.
     */
    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (!forBackprop && input != null && input.rank() == 4) {
            ConvolutionLayer conf = layerConf();
            INDArray out = Im2colConv2D.forward(input.permute(0, 2, 3, 1), getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr),
                    conf.hasBias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr) : null,
                    conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(), convolutionMode, workspaceMgr);
            if (out != null) return new Pair<>(out.permute(0, 3, 1, 2), null);
        }
        return super.preOutput(training, forBackprop, workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return NhwcAsNchw.toNhwcInto(workspaceMgr, ArrayType.ACTIVATIONS, super.activate(training, workspaceMgr));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> p = super.backpropGradient(NhwcAsNchw.toNchw(epsilon), workspaceMgr);
        return new Pair<>(p.getFirst(), NhwcAsNchw.toNhwcInto(workspaceMgr, ArrayType.ACTIVATION_GRAD, p.getSecond()));
    }
}
