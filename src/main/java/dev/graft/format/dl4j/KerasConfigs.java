package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;

/** Keras 2 layer configurations with Keras's defaults, as the DL4J translation spells them. */
final class KerasConfigs {
    private KerasConfigs() {
    }

    static ObjectNode base(String name, String dtype, boolean trainable) {
        ObjectNode c = Json.object();
        c.put("name", name);
        c.put("trainable", trainable);
        c.put("dtype", dtype);
        return c;
    }

    /** What Dense, Conv2D and the recurrent layers share: initializers (irrelevant, weights are given), no regularizers or constraints. */
    static void weighted(ObjectNode c, String activation, boolean useBias, String... kernels) {
        c.put("activation", activation);
        c.put("use_bias", useBias);
        for (String k : kernels) c.set(k + "_initializer", initializer("GlorotUniform"));
        c.set("bias_initializer", initializer("Zeros"));
        for (String k : kernels) {
            c.putNull(k + "_regularizer");
            c.putNull(k + "_constraint");
        }
        c.putNull("bias_regularizer");
        c.putNull("bias_constraint");
        c.putNull("activity_regularizer");
    }

    static ObjectNode recurrent(ObjectNode c, long units, String activation, String recurrentActivation, boolean returnSequences) {
        c.put("return_sequences", returnSequences);
        c.put("return_state", false);
        c.put("go_backwards", false);
        c.put("stateful", false);
        c.put("unroll", false);
        c.put("units", units);
        weighted(c, activation, true, "kernel", "recurrent");
        if (recurrentActivation != null) c.put("recurrent_activation", recurrentActivation);
        c.put("dropout", 0.0);
        c.put("recurrent_dropout", 0.0);
        // Keras's gated layers take an implementation; Keras 3's SimpleRNN refuses the keyword (Keras 2's dropped it)
        if (recurrentActivation != null) c.put("implementation", 2);
        return c;
    }

    static ArrayNode ints(ObjectNode c, String key, long... values) {
        ArrayNode a = c.putArray(key);
        for (long v : values) a.add(v);
        return a;
    }

    static ArrayNode ints(ObjectNode c, String key, int... values) {
        ArrayNode a = c.putArray(key);
        for (int v : values) a.add(v);
        return a;
    }

    private static ObjectNode initializer(String className) {
        ObjectNode i = Json.object();
        i.put("class_name", className);
        ObjectNode config = i.putObject("config");
        if (!"Zeros".equals(className)) config.putNull("seed");
        return i;
    }
}
