package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** DL4J's BatchNormalization runtime whose fixed gamma or beta ({@link FixedParamsBatchNormalization}) gets a zero gradient. */
public class FixedParamsBatchNormalizationRuntime extends BatchNormalization {
    public FixedParamsBatchNormalizationRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> ret = super.backpropGradient(epsilon, workspaceMgr);
        FixedParamsBatchNormalization c = (FixedParamsBatchNormalization) layerConf();
        if (c.isFixedGamma()) zero(ret.getFirst(), BatchNormalizationParamInitializer.GAMMA);
        if (c.isFixedBeta()) zero(ret.getFirst(), BatchNormalizationParamInitializer.BETA);
        return ret;
    }

    private void zero(Gradient g, String param) {
        INDArray returned = g.getGradientFor(param);
        if (returned != null) returned.assign(0);
        INDArray view = gradientViews == null ? null : gradientViews.get(param);
        if (view != null) view.assign(0);
    }
}
