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
 * (DL4J would otherwise reuse the graph of the first input it saw); and a correction for ND4J M2.1's
 * doubled SameDiff-layer gradients.
 */
public class KerasGruRuntimeLayer extends SameDiffLayer {

    private long builtForSteps = -1;

    public KerasGruRuntimeLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        rebuildIfStepsChanged();
        return super.activate(training, workspaceMgr);
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
        return super.backpropGradient(epsilon.mul(0.5), workspaceMgr);
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
