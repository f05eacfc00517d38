package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computing side of {@link ChannelsLastConv1DLayer}: takes {@code (batch, steps, channels)},
 * holds it as {@code (batch, channels, steps)} and computes DL4J's own NCW Conv1D on it, forward and
 * backward ({@link ChannelsFirstConv1DRuntime}), swapping the axes of its output and of the input
 * gradient it returns back to Keras's order.
 */
public class ChannelsLastConv1DRuntime extends ChannelsFirstConv1DRuntime {

    public ChannelsLastConv1DRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Kept as NCW, so that everything DL4J's NCW layer does with its input (dropout, backprop) sees that layout. */
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
