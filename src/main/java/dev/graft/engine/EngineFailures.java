package dev.graft.engine;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DL4J reports a failure in its own words, which name the layer in various ways or not at all. A refusal must name
 * it: this finds the model's layer the message speaks of and puts it first, as graft's own refusals do.
 */
final class EngineFailures {
    private EngineFailures() {
    }

    static String naming(List<String> layerNames, String message) {
        if (message.contains("layer '")) return message;
        String best = null;
        for (String name : layerNames) {
            if (name == null || name.isEmpty()) continue;
            Matcher m = Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])").matcher(message);
            if (m.find() && (best == null || name.length() > best.length())) best = name;
        }
        if (best == null) {
            Matcher type = Pattern.compile("(?i)(?:keras layer type|Keras pooling layer|Keras activation function) (\\w+)").matcher(message);
            return type.find() ? "a layer using " + type.group(1) + " (layer '?'): " + message : "layer '?' (not named by DL4J): " + message;
        }
        return "layer '" + best + "': " + message;
    }
}
