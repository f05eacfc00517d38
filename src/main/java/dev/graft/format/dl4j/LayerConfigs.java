package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * The config graft keeps for a DL4J layer or vertex: DL4J's JSON of it, plus the preprocessor
 * DL4J applies to the layer's input (DL4J keeps it beside the layer: in the network's
 * {@code inputPreProcessors}, or on the LayerVertex) and {@code "trainable": false} for a frozen
 * one, Keras's flag for it.
 */
final class LayerConfigs {
    private LayerConfigs() {
    }

    static ObjectNode of(Layer layer, InputPreProcessor preProcessor, boolean frozen) {
        ObjectNode config = Dl4jJson.of(layer, Layer.class);
        if (preProcessor != null) config.set("preProcessor", Dl4jJson.of(preProcessor, InputPreProcessor.class));
        if (frozen) config.put("trainable", false);
        return config;
    }

    static ObjectNode of(GraphVertex vertex, boolean frozen) {
        ObjectNode config = Dl4jJson.of(vertex, GraphVertex.class);
        if (frozen) config.put("trainable", false);
        return config;
    }
}
