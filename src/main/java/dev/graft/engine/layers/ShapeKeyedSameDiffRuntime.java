package dev.graft.engine.layers;

import java.util.Arrays;
import java.util.Collection;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's SameDiff layer runtime for graft's shape-generic SameDiff layers, with the two corrections
 * {@link KerasGruRuntimeLayer} explains: the graph (whose input placeholder DL4J fixes to the first input's shape
 * but the batch) is built again when an input of another shape arrives, and ND4J M2.1's doubled SameDiff-layer
 * gradients are halved. An inference pass of a {@link DirectInferenceLayer} without a mask is computed by the layer
 * itself when it can (no SameDiff session).
 */
public class ShapeKeyedSameDiffRuntime extends SameDiffLayer {
    private long[] builtFor;

    public ShapeKeyedSameDiffRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The runtime of one of graft's SameDiff layer configurations: what each one's {@code instantiate} does. */
    static ShapeKeyedSameDiffRuntime instantiate(ParamInitializer initializer, NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                 int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        ShapeKeyedSameDiffRuntime layer = new ShapeKeyedSameDiffRuntime(conf, networkDataType);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer.init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        layer.setListeners(listeners);
        return layer;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!training && maskArray == null && input != null && layerConf() instanceof DirectInferenceLayer direct) {
            INDArray out = direct.inferDirectly(input, paramTable);
            if (out != null) return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
        }
        rebuildIfShapeChanged();
        return super.activate(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        rebuildIfShapeChanged();
        return super.backpropGradient(epsilon.mul(0.5), workspaceMgr);
    }

    private void rebuildIfShapeChanged() {
        if (input == null) return;
        long[] shape = Arrays.copyOfRange(input.shape(), 1, input.rank());
        if (sameDiff != null && !Arrays.equals(shape, builtFor)) sameDiff = null;
        builtFor = shape;
    }
}
