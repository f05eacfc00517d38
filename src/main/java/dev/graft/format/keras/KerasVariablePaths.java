package dev.graft.format.keras;

import dev.graft.GraftException;
import dev.graft.model.Layer;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Keras 3.15 stores each variable of a layer inside {@code model.weights.h5}, relative to the
 * layer's group ({@code layers/<attr>}): by position under {@code vars}, recurrent layers under their
 * {@code cell}, wrappers under {@code layer}, {@code forward_layer} and {@code backward_layer}. This is
 * the inverse of the walk {@link KerasZipReader} does, and the roles it gives back by position are
 * {@link KerasVariableRoles}'s, so a layer's weights keep their order and names through a round trip.
 */
final class KerasVariablePaths {
    private KerasVariablePaths() {
    }

    /** One path per weight of the layer, in the layer's weight order. */
    static List<String> of(Layer layer) {
        String cls = layer.className();
        List<Weight> weights = layer.weights();
        List<String> out = new ArrayList<>();
        if ("Bidirectional".equals(cls)) {
            // graft holds the forward half's variables first, then the backward half's, as Keras 2 did.
            String inner = varsOf(layer, layer.config().path("layer").path("class_name").asText());
            int half = weights.size() / 2;
            for (int i = 0; i < weights.size(); i++) {
                out.add((i < half ? "forward_layer/" : "backward_layer/") + inner + "/" + (i < half ? i : i - half));
            }
            return out;
        }
        if ("MultiHeadAttention".equals(cls) || isGroupedQuery(cls)) {
            for (Weight w : weights) out.add(multiHeadAttentionPath(layer, w));
            return out;
        }
        String prefix = "TimeDistributed".equals(cls)
                ? "layer/" + varsOf(layer, layer.config().path("layer").path("class_name").asText())
                : varsOf(layer, cls);
        for (int i = 0; i < weights.size(); i++) out.add(prefix + "/" + i);
        return out;
    }

    /** The groups Keras creates for the layer even when they hold no variable (e.g. a recurrent layer's own {@code vars}). */
    static List<String> groups(Layer layer) {
        List<String> g = new ArrayList<>(List.of("vars"));
        String cls = layer.className();
        if (cellVars(cls)) g.add("cell/vars");
        String inner = layer.config().path("layer").path("class_name").asText();
        if ("Bidirectional".equals(cls)) {
            for (String half : new String[] {"forward_layer", "backward_layer"}) {
                g.add(half + "/vars");
                if (cellVars(inner)) g.add(half + "/cell/vars");
            }
        }
        if ("MultiHeadAttention".equals(cls) || isGroupedQuery(cls)) {
            String u = isGroupedQuery(cls) ? "_" : "";
            for (String sub : MHA_SUBLAYERS.values()) g.add(u + sub + "/vars");
            g.add("_softmax/vars");
            g.add("_dropout_layer/vars");
        }
        if ("TimeDistributed".equals(cls)) {
            g.add("layer/vars");
            if (cellVars(inner)) g.add("layer/cell/vars");
        }
        return g;
    }

    /**
     * Keras 3's MultiHeadAttention keeps its projections as EinsumDense sub-layers ({@code query_dense/vars/0}
     * the kernel, {@code /1} the bias); graft names its weights as Keras 2 and Keras 3's {@code .h5} do
     * ({@code <layer>/query/kernel:0}, ..., {@code attention_output}).
     */
    private static final java.util.Map<String, String> MHA_SUBLAYERS = new java.util.LinkedHashMap<>();

    static {
        MHA_SUBLAYERS.put("query", "query_dense");
        MHA_SUBLAYERS.put("key", "key_dense");
        MHA_SUBLAYERS.put("value", "value_dense");
        MHA_SUBLAYERS.put("attention_output", "output_dense");
    }

    private static String multiHeadAttentionPath(Layer layer, Weight w) {
        String[] parts = w.name().replaceAll(":\\d+$", "").split("/");
        String sub = parts.length >= 2 ? MHA_SUBLAYERS.get(parts[parts.length - 2]) : null;
        String role = w.role();
        int index = "kernel".equals(role) ? 0 : "bias".equals(role) ? 1 : -1;
        if (sub == null || index < 0) {
            throw new GraftException("layer '" + layer.name() + "' (" + layer.className() + "): its weight '" + w.name()
                    + "' is none of the query, key, value and attention_output projections Keras 3 stores; write the model as .h5");
        }
        return (isGroupedQuery(layer.className()) ? "_" : "") + sub + "/vars/" + index;
    }

    /** GroupedQueryAttention, by either of its Keras 3 names: its .keras sub-layers are {@code _query_dense}, ... */
    static boolean isGroupedQuery(String className) {
        return "GroupedQueryAttention".equals(className) || "GroupQueryAttention".equals(className);
    }

    private static boolean cellVars(String className) {
        return "cell/vars".equals(Keras3Classes.get().varsLayout(className));
    }

    private static String varsOf(Layer layer, String className) {
        String layout = Keras3Classes.get().varsLayout(className);
        if ("own".equals(layout) && !layer.weights().isEmpty()) {
            throw new GraftException("layer '" + layer.name() + "' (" + className + "): Keras 3 keeps its variables in sub-layers"
                    + " graft does not lay out; write the model as .h5");
        }
        return layout;
    }
}
