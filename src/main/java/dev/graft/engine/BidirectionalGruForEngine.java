package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasBidirectionalGruImport;
import dev.graft.model.Layer;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands a {@code Bidirectional(GRU)} to graft's plug-in (DL4J's Bidirectional wraps only its own recurrent layers): the
 * wrapped GRU learns which {@code hard_sigmoid} its Keras meant, and the weights get flat names by half
 * ({@code forward_kernel}, ..., {@code backward_bias}) that DL4J's weight reader keeps apart.
 */
final class BidirectionalGruForEngine {
    private BidirectionalGruForEngine() {
    }

    static boolean applies(Layer layer) {
        return "Bidirectional".equals(layer.className()) && "GRU".equals(layer.config().path("layer").path("class_name").asText());
    }

    static Layer forEngine(Layer layer, int kerasMajor) {
        ObjectNode c = layer.config().deepCopy();
        if (c.path("layer").path("config") instanceof ObjectNode gru && !gru.has("graft_hard_sigmoid")) {
            gru.put("graft_hard_sigmoid", kerasMajor >= 3 ? "keras3" : "keras2");
        }
        List<Weight> weights = new ArrayList<>();
        for (Weight w : layer.weights()) {
            weights.add(w.withName(layer.name() + "/" + direction(w.name()) + "_" + w.role() + ":0"));
        }
        return new Layer(layer.name(), KerasBidirectionalGruImport.KERAS_CLASS, c, layer.calls(), weights, null, layer.declaredOutputShapes());
    }

    /** Which half a weight belongs to, from its path ({@code bidirectional/backward_gru/gru_cell/kernel}). */
    private static String direction(String weightName) {
        for (String segment : weightName.split("/")) {
            if (segment.startsWith("backward")) return "backward";
            if (segment.startsWith("forward")) return "forward";
        }
        throw new EngineException("Bidirectional weight '" + weightName + "' names no forward or backward half; graft cannot place it");
    }
}
