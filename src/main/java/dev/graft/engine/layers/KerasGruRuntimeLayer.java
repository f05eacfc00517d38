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
 * DL4J's SameDiff layer runtime, plus one thing: the GRU graph is unrolled for a fixed number of steps,
 * so when an input arrives with another step count the graph is dropped and built again for it
 * (DL4J would otherwise reuse the graph of the first input it saw).
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

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        rebuildIfStepsChanged();
        return super.backpropGradient(epsilon, workspaceMgr);
    }

    private void rebuildIfStepsChanged() {
        if (input == null || input.rank() != 3) {
            return; // the layer configuration's validateInput reports this clearly
        }
        KerasGruLayer conf = (KerasGruLayer) layerConf();
        long steps = conf.getRnnDataFormat() == RNNFormat.NCW ? input.size(2) : input.size(1);
        if (sameDiff != null && steps != builtForSteps) {
            sameDiff = null;
        }
        builtForSteps = steps;
    }
}
