package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Whether a layer's configuration asks for nothing beyond its arithmetic that a {@link HeapStage} would have to
 * compute: no input dropout that drops anything (DL4J's Keras import gives every layer a keep-everything one, p = 1),
 * no weight noise, constraint, regularization or gradient normalisation. Stages return null for anything else.
 */
final class PlainLayerSettings {
    private PlainLayerSettings() {
    }

    /** Whether the vertex is a layer the network feeds as it is: a layer vertex without an input preprocessor of its own. */
    static boolean bareLayer(GraphVertex vertex) {
        return vertex instanceof LayerVertex lv && lv.getPreProcessor() == null;
    }

    static boolean plain(Layer layer) {
        if (!keepsEveryInput(layer)) return false;
        if (!(layer instanceof BaseLayer b)) return true;
        if (b.getWeightNoise() != null) return false;
        if (b.getConstraints() != null && !b.getConstraints().isEmpty()) return false;
        if (b.getRegularization() != null && !b.getRegularization().isEmpty()) return false;
        if (b.getRegularizationBias() != null && !b.getRegularizationBias().isEmpty()) return false;
        return b.getGradientNormalization() == null || b.getGradientNormalization() == GradientNormalization.None;
    }

    /** No input dropout, or DL4J's that keeps every value (p = 1, no schedule). */
    static boolean keepsEveryInput(Layer layer) {
        return layer.getIDropout() == null || layer.getIDropout().getClass() == Dropout.class
                && ((Dropout) layer.getIDropout()).getPSchedule() == null && ((Dropout) layer.getIDropout()).getP() == 1.0;
    }
}
