package dev.graft.format.keras;

import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Gives each layer of a parsed model the weights a file stores for it. Files store a nested
 * model's weights as one list under the nested model's name; they are handed on to its inner
 * layers by the layer name each weight's path mentions.
 */
final class WeightAttacher {
    private WeightAttacher() {
    }

    /**
     * @param skeleton       the parsed model (no weights yet)
     * @param storedWeights  the weights the file lists for a top-level layer name, in storage order
     *                       (trainability not yet decided)
     */
    static ModelGraph attach(ModelGraph skeleton, Function<String, List<Weight>> storedWeights) {
        List<Layer> layers = new ArrayList<>();
        for (Layer layer : skeleton.layers()) layers.add(attach(layer, storedWeights.apply(layer.name()), true));
        return skeleton.withLayers(layers, skeleton.inputs(), skeleton.outputs());
    }

    private static Layer attach(Layer layer, List<Weight> weights, boolean parentTrainable) {
        boolean trainable = parentTrainable && layer.trainable();
        if (layer.nested() == null) {
            List<Weight> marked = new ArrayList<>();
            for (Weight w : weights) marked.add(w.withTrainable(WeightTrainability.trainable(trainable, layer.className(), w.role())));
            return layer.withWeights(marked);
        }
        ModelGraph inner = layer.nested();
        Map<String, List<Weight>> byLayer = distribute(layer.name(), inner, weights);
        List<Layer> innerLayers = new ArrayList<>();
        for (Layer l : inner.layers()) innerLayers.add(attach(l, byLayer.getOrDefault(l.name(), List.of()), trainable));
        ModelGraph filled = inner.withLayers(innerLayers, inner.inputs(), inner.outputs());
        return new Layer(layer.name(), layer.className(), layer.config(), layer.calls(), List.of(), filled);
    }

    private static Map<String, List<Weight>> distribute(String modelName, ModelGraph inner, List<Weight> weights) {
        Map<String, List<Weight>> out = new LinkedHashMap<>();
        for (Weight w : weights) {
            String owner = owner(w.name(), inner);
            if (owner == null) {
                throw new KerasConfigException("cannot tell which layer of nested model '" + modelName + "' the weight '"
                        + w.name() + "' belongs to");
            }
            out.computeIfAbsent(owner, k -> new ArrayList<>()).add(w);
        }
        return out;
    }

    /** The first path segment naming a layer of {@code inner}; TF sometimes suffixes names ({@code dense_1_2}). */
    private static String owner(String weightName, ModelGraph inner) {
        String[] segments = weightName.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            if (inner.hasLayer(segments[i])) return segments[i];
        }
        for (int i = 0; i < segments.length - 1; i++) {
            String s = segments[i];
            while (s.matches(".*_\\d+$")) {
                s = s.substring(0, s.lastIndexOf('_'));
                if (inner.hasLayer(s)) return s;
            }
        }
        return null;
    }
}
