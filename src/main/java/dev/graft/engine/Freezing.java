package dev.graft.engine;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;

/**
 * Freezes a donor's vertices in a hybrid, so that training leaves its parameters as they are; the
 * configuration a zip stores records it. Frozen layers compute in inference mode (no dropout,
 * batch-norm running statistics), as Keras computes a frozen batch norm.
 */
public final class Freezing {
    private Freezing() {
    }

    /**
     * For the first donor: nothing before it needs its error, so it is frozen as DL4J's own
     * transfer learning freezes a feature extractor (FrozenLayer, FrozenVertex), which DL4J does
     * not backpropagate through at all. That also keeps training clear of DL4J M2.1's broken
     * backward passes of its own channels-last 1-d layers (a DL4J donor's Subsampling1D, Keras's
     * Reshape, Permute...; the engine computes Keras's Conv1D and pooling with its own, which work).
     */
    public static GraphVertex asFeatureExtractor(GraphVertex vertex) {
        if (vertex instanceof FrozenVertex) return vertex;
        if (!(vertex instanceof LayerVertex lv)) return new FrozenVertex(vertex);
        Layer layer = lv.getLayerConf().getLayer();
        if (layer instanceof FrozenLayer) return vertex;
        if (layer instanceof FrozenLayerWithBackprop f) layer = f.getUnderlying();
        return wrapped(lv, new FrozenLayer(layer.clone()), layer);
    }

    /**
     * For later donors: {@code FrozenLayerWithBackprop}, because the error must still flow through
     * the donor to the bridge before it, or that bridge could never learn. The wrapper drops the
     * layer's updater and regularization and zeroes its gradients.
     */
    public static GraphVertex withBackprop(GraphVertex vertex) {
        if (!(vertex instanceof LayerVertex lv) || vertex.numParams(false) == 0) return vertex;
        Layer layer = lv.getLayerConf().getLayer();
        if (layer instanceof FrozenLayerWithBackprop || layer instanceof FrozenLayer) return vertex;
        return wrapped(lv, new FrozenLayerWithBackprop(layer.clone()), layer);
    }

    private static GraphVertex wrapped(LayerVertex lv, Layer frozen, Layer original) {
        frozen.setLayerName(original.getLayerName());
        NeuralNetConfiguration conf = lv.getLayerConf().clone();
        conf.setLayer(frozen);
        return new LayerVertex(conf, lv.getPreProcessor() == null ? null : lv.getPreProcessor().clone());
    }
}
