package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * A DL4J layer configuration copied into a subclass of its class. DL4J's builders are private to
 * their classes, so the copy goes through DL4J's own JSON form, the one its zips hold: every field
 * DL4J's Keras import set (activation, regularisation, constraints, modes) comes along.
 */
final class LayerRecast {
    private LayerRecast() {
    }

    static <T extends Layer> T as(Layer parsed, Class<T> subclass) {
        ObjectMapper json = NeuralNetConfiguration.mapper();
        ObjectNode tree = json.valueToTree(parsed);
        tree.put("@class", subclass.getName());
        try {
            return subclass.cast(json.treeToValue(tree, Layer.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot copy the configuration of layer " + parsed.getLayerName(), e);
        }
    }
}
