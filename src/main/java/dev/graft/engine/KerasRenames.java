package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Keras 3 spellings of arguments DL4J's importer reads under their Keras 2 names. Without this, the importer never
 * sees them and computes its default instead (a real file's LeakyReLU(negative_slope=0.2) came out off by 0.73).
 */
final class KerasRenames {
    private KerasRenames() {
    }

    static void apply(String className, ObjectNode c) {
        if ("LeakyReLU".equals(className) && c.has("negative_slope") && !c.has("alpha")) {
            c.set("alpha", c.remove("negative_slope"));
        }
        // Keras 3 writes swish as silu: the same function, x * sigmoid(x).
        for (String key : new String[] {"activation", "recurrent_activation"}) {
            if ("silu".equals(c.path(key).asText(null))) c.put(key, "swish");
        }
        // Keras 3 names a Bidirectional's halves forward_<name> / backward_<name> in the config itself; the Keras 2 form
        // DL4J reads (weights under <bidirectional>/forward_<inner>/) takes the inner layer's own name.
        if ("Bidirectional".equals(className) && c.path("layer").path("config") instanceof ObjectNode fwd
                && fwd.path("name").asText("").startsWith("forward_")) {
            fwd.put("name", fwd.path("name").asText().substring("forward_".length()));
            c.remove("backward_layer");
        }
        if (c.path("layer").path("config") instanceof ObjectNode inner) apply(c.path("layer").path("class_name").asText(""), inner);
    }
}
