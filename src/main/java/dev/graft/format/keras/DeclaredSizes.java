package dev.graft.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Sane limits on the sizes a model configuration declares, checked before anything is built from
 * it: the engine allocates what a layer declares (a Dense of 10^12 units), and the arrays graft
 * holds are Java arrays. No real model comes near these limits.
 */
final class DeclaredSizes {
    /** Units, filters and vocabulary sizes above this are refused (16.7 million). */
    static final long MAX_LAYER_SIZE = 1L << 24;
    private static final Set<String> LAYER_SIZE_KEYS = Set.of("units", "filters", "output_dim", "input_dim", "num_heads", "key_dim",
            "value_dim", "depth_multiplier", "max_tokens", "num_tokens");
    /** An input's declared shape: a dimension is a positive size or null (any). Reshape's -1 is elsewhere. */
    private static final Set<String> INPUT_SHAPE_KEYS = Set.of("batch_input_shape", "batch_shape", "input_shape");
    /** Random seeds and Keras 3's object ids may be any integer; they size nothing. */
    private static final Set<String> FREE_KEYS = Set.of("seed", "shared_object_id");

    private DeclaredSizes() {
    }

    /** Throws KerasConfigException naming the layer and the key when a size is out of bounds. */
    static void check(JsonNode modelConfig) {
        walk(modelConfig, null, "");
    }

    private static void walk(JsonNode node, String layer, String key) {
        if (node == null) return;
        if (node.isObject()) {
            String here = node.has("name") && node.get("name").isTextual() ? node.get("name").asText() : layer;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (FREE_KEYS.contains(e.getKey())) continue;
                walk(e.getValue(), here, e.getKey());
            }
        } else if (node.isArray()) {
            for (JsonNode n : node) walk(n, layer, key);
        } else if (node.isNumber()) {
            double v = node.asDouble();
            boolean sizeKey = LAYER_SIZE_KEYS.contains(key);
            if ((sizeKey || INPUT_SHAPE_KEYS.contains(key)) && v < 0) {
                throw new KerasConfigException((layer == null ? "the model" : "layer '" + layer + "'") + " declares a negative size in " + key
                        + " (" + node.asText() + ")");
            }
            if (node.isIntegralNumber() && (Math.abs(v) > Integer.MAX_VALUE || (sizeKey && v > MAX_LAYER_SIZE))
                    || (sizeKey && node.isFloatingPointNumber() && v > MAX_LAYER_SIZE)) {
                throw new KerasConfigException((layer == null ? "the model" : "layer '" + layer + "'") + " declares " + key + " = "
                        + node.asText() + ", beyond what graft builds (at most " + (sizeKey ? MAX_LAYER_SIZE : Integer.MAX_VALUE) + ")");
            }
        }
    }
}
