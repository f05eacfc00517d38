package dev.graft.format.keras;

import dev.graft.model.Layer;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The weight names graft writes: {@code <layer>/<role>:0}, and for a Bidirectional layer
 * {@code <layer>/forward_<inner>/<role>:0} and {@code backward_...}. Files name weights after
 * whatever the layer was called when created ({@code embedding_1_2/embeddings:0}, Keras 3's
 * {@code sequential/dense/kernel}); Keras loads them by position, but a renamed layer whose weights
 * carry its old name confuses every other reader.
 */
final class KerasWeightNames {
    private KerasWeightNames() {
    }

    static List<String> canonical(Layer layer) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String inner = layer.config().path("layer").path("config").path("name").asText("layer");
        for (Weight w : layer.weights()) {
            String name;
            if (!w.name().contains("/")) {
                // Keras 1 names weights flatly ("lstm_1_W_i"); its readers rely on exactly these names.
                return originalNames(layer);
            } else if ("Bidirectional".equals(layer.className())) {
                String direction = direction(w.name());
                name = layer.name() + "/" + direction + "_" + inner + "/" + w.role() + ":0";
            } else {
                name = layer.name() + "/" + w.role() + ":0";
            }
            if (!seen.add(name)) return originalNames(layer); // roles not unique: keep what the file said
            names.add(name);
        }
        return names;
    }

    private static String direction(String weightName) {
        for (String segment : weightName.split("/")) {
            if (segment.startsWith("backward")) return "backward";
            if (segment.startsWith("forward")) return "forward";
        }
        return "forward";
    }

    private static List<String> originalNames(Layer layer) {
        List<String> names = new ArrayList<>();
        for (Weight w : layer.weights()) names.add(w.name());
        return names;
    }
}
