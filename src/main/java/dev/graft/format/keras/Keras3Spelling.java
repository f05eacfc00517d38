package dev.graft.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a layer configuration written by Keras 3 into the Keras 2 spelling that the rest of
 * graft (and DL4J's importer, and Keras 2's loader) understands. Keras 3 wraps every object in
 * {@code module}/{@code registered_name}, turns {@code dtype} into a {@code DTypePolicy} object
 * and renames {@code batch_input_shape} to {@code batch_shape}. Keras 2 configs pass unchanged.
 */
final class Keras3Spelling {
    /** Keys Keras 3 adds that carry nothing a Keras 2 reader needs. */
    private static final List<String> DROPPED = List.of("module", "registered_name", "shared_object_id", "build_config",
            "quantization_config", "compile_config");

    private Keras3Spelling() {
    }

    /** A Keras-2-spelled deep copy of a layer config object. */
    static ObjectNode layerConfig(JsonNode config, String className) {
        ObjectNode c = (ObjectNode) normalize(config.deepCopy());
        if ("InputLayer".equals(className)) {
            JsonNode batchShape = c.remove("batch_shape");
            if (batchShape != null && !c.has("batch_input_shape")) c.set("batch_input_shape", batchShape);
            c.remove("optional");
        }
        if ("LeakyReLU".equals(className) && c.has("negative_slope") && !c.has("alpha")) {
            c.set("alpha", c.remove("negative_slope")); // the one argument Keras 3 renamed that changes the numbers
        }
        return c;
    }

    /** Applies the rewrite to any JSON value, recursively, in place where possible. */
    static JsonNode normalize(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            if (isDTypePolicy(obj)) return TextNode.valueOf(obj.path("config").path("name").asText("float32"));
            for (String key : DROPPED) obj.remove(key);
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(normalize(e.getValue()));
            }
            return obj;
        }
        if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) arr.set(i, normalize(arr.get(i)));
        }
        return node;
    }

    private static boolean isDTypePolicy(ObjectNode obj) {
        String cls = obj.path("class_name").asText("");
        return cls.endsWith("DTypePolicy") && obj.path("config").has("name");
    }
}
