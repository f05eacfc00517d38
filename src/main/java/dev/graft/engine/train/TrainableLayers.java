package dev.graft.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.GraftException;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import dev.graft.surgery.Flattener;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which layers {@code --trainable} lets training change. */
public final class TrainableLayers {
    private TrainableLayers() {
    }

    /**
     * @param spec {@code all}, {@code bridges}, {@code LAYER,...}, or null for what the file marks trainable
     */
    public static Set<String> resolve(ModelGraph model, String spec) {
        ModelGraph flat = Flattener.flatten(model);
        List<String> withWeights = new ArrayList<>();
        for (Layer l : flat.layers()) if (!l.weights().isEmpty()) withWeights.add(l.name());
        Set<String> out = new LinkedHashSet<>();
        if (spec == null) {
            for (Layer l : flat.layers()) if (l.weights().stream().anyMatch(Weight::trainable) || trainsStatistics(l)) out.add(l.name());
        } else if (spec.equals("all")) {
            out.addAll(withWeights);
        } else if (spec.equals("bridges")) {
            JsonNode bridges = model.provenance() == null ? null : model.provenance().get("bridges");
            if (bridges == null) throw new GraftException(source(model) + " is not a hybrid graft merged: it has no bridges to train (use --trainable all or LAYER,...)");
            for (JsonNode b : bridges) for (JsonNode n : b.path("layers")) out.add(n.asText());
            if (out.isEmpty()) throw new GraftException(source(model) + ": its junctions have no bridge layers to train (use --trainable all or LAYER,...)");
        } else {
            for (String name : spec.split(",")) {
                String n = name.trim();
                if (!flat.hasLayer(n)) throw new GraftException("--trainable: no layer named '" + n + "' (layers with weights: " + String.join(", ", withWeights) + ")");
                if (flat.layer(n).weights().isEmpty()) throw new GraftException("--trainable: layer '" + n + "' has no weights to train");
                out.add(n);
            }
        }
        return out;
    }

    /**
     * A trainable BatchNormalization without gamma and beta ({@code center=False, scale=False}) has no trainable weight, yet
     * Keras trains it: batch statistics in the forward pass and its moving statistics updated. Frozen, it would compute
     * with the moving statistics instead.
     */
    private static boolean trainsStatistics(Layer l) {
        return "BatchNormalization".equals(l.className()) && !l.weights().isEmpty() && l.config().path("trainable").asBoolean(true);
    }

    private static String source(ModelGraph m) {
        return m.source() == null || m.source().path() == null ? "the model" : m.source().path().toString();
    }
}
