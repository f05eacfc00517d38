package dev.graft.format.dl4j;

import java.util.Set;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;

/** Which DL4J parameters training may change. */
final class Trainability {
    /** Batch normalization's running statistics are updated by averaging, never by the optimizer. */
    private static final Set<String> BATCH_NORM_STATISTICS = Set.of(BatchNormalizationParamInitializer.GLOBAL_MEAN,
            BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormalizationParamInitializer.GLOBAL_LOG_STD);

    private Trainability() {
    }

    /** A layer transfer learning froze (its parameters never change). */
    static boolean frozen(Layer layer) {
        return layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop;
    }

    static boolean frozen(GraphVertex vertex) {
        return vertex instanceof FrozenVertex;
    }

    static boolean trainable(Layer layer, String param) {
        if (frozen(layer)) return false;
        return !(layer instanceof BatchNormalization && BATCH_NORM_STATISTICS.contains(param));
    }
}
