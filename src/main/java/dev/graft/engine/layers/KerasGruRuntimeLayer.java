package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's SameDiff layer runtime for graft's GRU and SimpleRNN, plus two things: the graph is unrolled for a fixed number of steps,
 * so when an input arrives with another step count the graph is dropped and built again for it
 * (DL4J would otherwise reuse the graph of the first input it saw); a correction for ND4J M2.1's
 * doubled SameDiff-layer gradients; and, in training, the layer's input dropout (Keras's {@code dropout}: one
 * {@link ChannelAxisDropout} mask over the features for every step, see {@code dev.graft.engine.RecurrentInputDropout}),
 * which DL4J's SameDiff layers do not apply: the graph computes on the masked input, and the input's gradient takes the
 * same mask.
 */
public class KerasGruRuntimeLayer extends SameDiffLayer {

    private long builtForSteps = -1;

    public KerasGruRuntimeLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The input as this batch's dropout masked it (the layer's {@code input} then), null when no mask is pending. */
    private INDArray dropped;

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        rebuildIfStepsChanged();
        if (training && input != null && input != dropped && layerConf().getIDropout() instanceof ChannelAxisDropout d) {
            // a copy outside the workspaces: the input array may be another layer's too, and the backward pass reads it
            INDArray out = org.nd4j.linalg.factory.Nd4j.createUninitializedDetached(input.dataType(), input.shape());
            dropped = d.applyDropout(input, out, getIterationCount(), getEpochCount(), workspaceMgr);
            input = dropped;
        }
        return super.activate(training, workspaceMgr);
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        dropped = null;
        super.setInput(input, workspaceMgr);
    }

    /**
     * Halves the incoming gradient, to undo a doubling in ND4J M2.1: {@code ExternalErrorsFunction.doDiff}
     * both registers the external gradient as the output's gradient and returns it, and
     * {@code DifferentialFunction.diff} then adds the returned one to the registered one. Every gradient
     * of a DL4J SameDiff layer therefore comes out exactly twice too large (parameters and input alike,
     * so it compounds through stacked layers). The gradient-check tests fail if this ever stops holding.
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        rebuildIfStepsChanged();
        Pair<Gradient, INDArray> out = super.backpropGradient(epsilon.mul(0.5), workspaceMgr);
        if (dropped != null && input == dropped && out.getSecond() != null && layerConf().getIDropout() instanceof ChannelAxisDropout d) {
            out.setSecond(d.backprop(out.getSecond(), out.getSecond(), getIterationCount(), getEpochCount()));
        }
        return out;
    }

    private void rebuildIfStepsChanged() {
        if (input == null || input.rank() != 3) {
            return; // the layer configuration's validateInput reports this clearly
        }
        UnrolledRecurrentLayer conf = (UnrolledRecurrentLayer) layerConf();
        long steps = conf.getRnnDataFormat() == RNNFormat.NCW ? input.size(2) : input.size(1);
        if (sameDiff != null && steps != builtForSteps) {
            sameDiff = null;
        }
        builtForSteps = steps;
    }
}
