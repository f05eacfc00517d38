package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;

/**
 * Keras's {@code Dropout(rate)} in a network built for training: DL4J's Keras import leaves the {@link DropoutLayer} keeping
 * every value (p = 1) whatever the rate, so training would pass everything on where Keras's fit drops. Each gets DL4J's
 * inverted dropout keeping a value with probability 1 - rate (scaling the kept ones by 1 / (1 - rate), as Keras). Only in
 * training: inference passes everything on either way. {@code dev.graft.engine.train.TrainingNoise} refuses what this
 * does not cover (a {@code noise_shape}, a Dropout the engine computes under another name).
 */
final class TrainingDropout {
    private TrainingDropout() {
    }

    /** @param model the model as the engine imported it (normalized, layer names as the engine's vertices) */
    static void apply(ComputationGraphConfiguration conf, ModelGraph model) {
        for (Layer l : model.layers()) {
            if (!"Dropout".equals(l.className())) continue;
            JsonNode rate = l.config().has("rate") ? l.config().get("rate") : l.config().get("p"); // (Keras 1: p)
            if (rate == null || !rate.isNumber() || rate.asDouble() <= 0 || rate.asDouble() >= 1) continue;
            if (conf.getVertices().get(l.name()) instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof DropoutLayer d) {
                d.setIDropout(new Dropout(1 - rate.asDouble()));
            }
        }
    }
}
