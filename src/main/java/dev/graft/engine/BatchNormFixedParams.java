package dev.graft.engine;

import dev.graft.engine.layers.FixedParamsBatchNormalization;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;

/**
 * A Keras BatchNormalization without beta ({@code center=False}, entered as zeros by {@link BatchNormWithoutCenter}) or
 * without gamma ({@code scale=False}, ones): for training, the engine's layer keeps them there
 * ({@link FixedParamsBatchNormalization}), so the network trains what Keras trains and writes back to Keras's weights.
 */
final class BatchNormFixedParams {
    private BatchNormFixedParams() {
    }

    /** Recasts the BatchNormalization layers of {@code conf} whose Keras layer lacks gamma or beta; returns {@code conf}. */
    static ComputationGraphConfiguration apply(ComputationGraphConfiguration conf, ModelGraph engineModel) {
        for (Layer l : engineModel.layers()) {
            boolean fixedBeta = l.config().path(BatchNormWithoutCenter.ADDED_BETA).asBoolean(false);
            boolean fixedGamma = !l.config().path("scale").asBoolean(true);
            if (!fixedBeta && !fixedGamma) continue;
            GraphVertex v = conf.getVertices().get(l.name());
            if (v instanceof LayerVertex lv && lv.getLayerConf() != null && lv.getLayerConf().getLayer() instanceof BatchNormalization bn
                    && !(bn instanceof FixedParamsBatchNormalization)) {
                lv.getLayerConf().setLayer(FixedParamsBatchNormalization.copyOf(bn, fixedGamma, fixedBeta));
            }
        }
        return conf;
    }
}
