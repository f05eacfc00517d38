package dev.graft.format.keras;

import dev.graft.model.Layer;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where Keras 3.15 stores each variable of a layer inside {@code model.weights.h5}, relative to the
 * layer's group ({@code layers/<attr>}): by position under {@code vars}, recurrent layers under their
 * {@code cell}, wrappers under {@code layer}, {@code forward_layer} and {@code backward_layer}. This is
 * the inverse of the walk {@link KerasZipReader} does, and the roles it gives back by position are
 * {@link KerasVariableRoles}'s, so a layer's weights keep their order and names through a round trip.
 */
final class KerasVariablePaths {
    private static final Set<String> RECURRENT = Set.of("LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D");

    private KerasVariablePaths() {
    }

    /** One path per weight of the layer, in the layer's weight order. */
    static List<String> of(Layer layer) {
        String cls = layer.className();
        List<Weight> weights = layer.weights();
        List<String> out = new ArrayList<>();
        if ("Bidirectional".equals(cls)) {
            String inner = layer.config().path("layer").path("class_name").asText();
            Map<String, Integer> next = new HashMap<>();
            for (Weight w : weights) {
                String half = backward(w.name()) ? "backward_layer" : "forward_layer";
                int i = next.merge(half, 1, Integer::sum) - 1;
                out.add(half + "/" + varsOf(inner) + "/" + i);
            }
            return out;
        }
        String prefix = "TimeDistributed".equals(cls)
                ? "layer/" + varsOf(layer.config().path("layer").path("class_name").asText())
                : varsOf(cls);
        for (int i = 0; i < weights.size(); i++) out.add(prefix + "/" + i);
        return out;
    }

    /** The groups Keras creates for the layer even when they hold no variable (e.g. a recurrent layer's own {@code vars}). */
    static List<String> groups(Layer layer) {
        List<String> g = new ArrayList<>(List.of("vars"));
        String cls = layer.className();
        if (RECURRENT.contains(cls)) g.add("cell/vars");
        if ("Bidirectional".equals(cls)) {
            String inner = layer.config().path("layer").path("class_name").asText();
            for (String half : new String[] {"forward_layer", "backward_layer"}) {
                g.add(half + "/vars");
                if (RECURRENT.contains(inner)) g.add(half + "/cell/vars");
            }
        }
        if ("TimeDistributed".equals(cls)) g.add("layer/" + varsOf(layer.config().path("layer").path("class_name").asText()));
        return g;
    }

    private static String varsOf(String className) {
        return RECURRENT.contains(className) ? "cell/vars" : "vars";
    }

    private static boolean backward(String weightName) {
        for (String segment : weightName.split("/")) {
            if (segment.startsWith("backward")) return true;
            if (segment.startsWith("forward")) return false;
        }
        return false;
    }
}
