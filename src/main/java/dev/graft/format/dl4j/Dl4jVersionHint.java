package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which DL4J versions could have written a configuration, from the JSON spellings DL4J changed
 * over time. DL4J does not record its version in the zip, so this is a range, and only what DL4J's
 * own backward-compatibility code documents:
 * <ul>
 * <li>class names in {@code "@class"} replaced the "pre version 1.0.0-beta JSON format" (DL4J's
 *     error message for legacy custom layers);
 * <li>{@code "activationFunction": "relu"} "Changed after 0.7.1" to an {@code activationFn} object
 *     (comment in DL4J's {@code BaseNetConfigDeserializer});
 * <li>"0.5.0 and earlier: loss function was an enum like {@code "lossFunction"}", with no
 *     {@code lossFn} object (same source).
 * </ul>
 */
final class Dl4jVersionHint {
    private Dl4jVersionHint() {
    }

    /** e.g. {@code >=1.0.0-beta}, {@code <=0.7.1}; null when nothing can be said. */
    static String of(JsonNode config) {
        if (hasField(config, "@class")) return ">=1.0.0-beta";
        boolean oldActivation = hasField(config, "activationFunction");
        boolean newActivation = hasField(config, "activationFn");
        if (oldActivation && !newActivation) {
            if (hasField(config, "lossFunction") && !hasField(config, "lossFn")) return "<=0.5.0";
            return "<=0.7.1";
        }
        if (newActivation) return "0.7.2 to 1.0.0-alpha";
        return null;
    }

    private static boolean hasField(JsonNode node, String name) {
        if (node.isObject()) {
            if (node.has(name)) return true;
            for (JsonNode child : node) {
                if (hasField(child, name)) return true;
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                if (hasField(child, name)) return true;
            }
        }
        return false;
    }
}
