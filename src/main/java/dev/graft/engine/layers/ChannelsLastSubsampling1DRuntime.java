package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.Subsampling1DLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computing side of {@link ChannelsLastSubsampling1DLayer}: takes {@code (batch, steps,
 * channels)}, holds it as {@code (batch, channels, steps)} and runs DL4J's own NCW 1-d pooling on it,
 * forward and backward, swapping the axes of its output and of the input gradient it returns back to
 * Keras's order. DL4J's runtime takes the layout from its configuration, which states the NWC the
 * layer is fed in; so this layer reads an NCHW copy of that configuration instead.
 */
public class ChannelsLastSubsampling1DRuntime extends Subsampling1DLayer {
    // Not initialised in their declarations: DL4J's constructors already call layerConf(), before
    // this class's initialisers would run (and reset them).
    private SubsamplingLayer declared;
    private SubsamplingLayer computing;

    public ChannelsLastSubsampling1DRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public SubsamplingLayer layerConf() {
        SubsamplingLayer current = super.layerConf();
        if (current != declared) {
            SubsamplingLayer nchw = current.clone();
            nchw.setCnn2dDataFormat(CNN2DFormat.NCHW);
            computing = nchw;
            declared = current;
        }
        return computing;
    }

    /** Kept as NCW, so that everything DL4J's NCW layer does with its input sees that layout. */
    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(NwcAsNcw.swap(input), workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return NwcAsNcw.swapInto(workspaceMgr, ArrayType.ACTIVATIONS, super.activate(training, workspaceMgr));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> p = super.backpropGradient(NwcAsNcw.swap(epsilon), workspaceMgr);
        return new Pair<>(p.getFirst(), NwcAsNcw.swapInto(workspaceMgr, ArrayType.ACTIVATION_GRAD, p.getSecond()));
    }
}
