package dev.graft.engine;

import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import java.util.Set;

/**
 * Where a Keras mask (from {@code Masking} or an {@code Embedding} with {@code mask_zero}) reaches a layer that
 * computes differently under it. The engine applies a mask to an LSTM, GRU or SimpleRNN reading the masking layer directly
 * (graft's LSTM vertex, GRU and SimpleRNN layers), to an LSTM, GRU or SimpleRNN reading it through other layers and to
 * GlobalAveragePooling1D ({@link MaskRoutes}); any other masked consumer would complete with numbers Keras does not compute, so it is refused.
 * Attention layers read the masks of their inputs ({@link AttentionMasks}) and hand on their query's.
 */
public final class MaskFlow {
    /** Layers that hand the mask of their input on unchanged (Keras's supports_masking layers that keep the steps). */
    private static final Set<String> PROPAGATE = Set.of("Dense", "Activation", "Dropout", "SpatialDropout1D", "GaussianNoise",
            "GaussianDropout", "AlphaDropout", "BatchNormalization", "TimeDistributed", "LeakyReLU", "ReLU", "ELU", "PReLU",
            "Softmax", "ThresholdedReLU", "Masking", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate",
            "LayerNormalization", "GroupNormalization", "UnitNormalization", "Identity", "Rescaling", "Normalization", "ActivityRegularization");
    /** Attention layers hand on the mask of their query (their first input) only (Keras's {@code compute_mask}). */
    private static final Set<String> QUERY_MASK = Set.of("Attention", "AdditiveAttention", "MultiHeadAttention", "GroupedQueryAttention",
            "GroupQueryAttention");
    /** Layers whose result depends on the mask. */
    private static final Set<String> CONSUMERS = Set.of("LSTM", "GRU", "SimpleRNN", "Bidirectional", "GlobalAveragePooling1D",
            "GlobalMaxPooling1D", "Conv1D", "Flatten", "ConvLSTM1D", "ConvLSTM2D");

    private MaskFlow() {
    }

    /** Consumers the engine hands the mask explicitly when it comes through other layers ({@link MaskRoutes}); GlobalAveragePooling1D always. */
    private static final Set<String> ROUTED = Set.of("LSTM", "GRU", "SimpleRNN", "GlobalAveragePooling1D");

    /** Null when the layer computes what Keras does under the masks that reach it, else why not. */
    static String whyNot(Layer layer, ModelGraph model) {
        if (!CONSUMERS.contains(layer.className()) || layer.calls().isEmpty() || layer.calls().get(0).inputs().isEmpty()) return null;
        TensorRef in = layer.calls().get(0).inputs().get(0);
        Layer source = maskSource(model, in, 0);
        if (source == null) return null;
        if (routedSource(layer, model) != null) return null;
        boolean direct = source.name().equals(in.layer());
        if (("LSTM".equals(layer.className()) || "GRU".equals(layer.className()) || "SimpleRNN".equals(layer.className())) && direct) return null;
        if (("Conv1D".equals(layer.className()) || "Flatten".equals(layer.className()))) return null;
        return "reads the mask of layer '" + source.name() + "' (" + source.className() + (direct ? "" : ", through other layers")
                + "), which graft's engine does not apply to a " + layer.className();
    }

    /**
     * The layer that made the mask reaching this consumer, when the engine routes it to the layer explicitly: an LSTM, GRU
     * or SimpleRNN reading it through other layers (one reading the masking layer directly detects masked steps itself), a
     * GlobalAveragePooling1D however it reads it; and only when a single layer made every mask that reaches it (Keras
     * combines several masks, which the engine does not). Else null.
     */
    static Layer routedSource(Layer layer, ModelGraph model) {
        if (!ROUTED.contains(layer.className()) || layer.calls().size() != 1 || layer.calls().get(0).inputs().isEmpty()) return null;
        TensorRef in = layer.calls().get(0).inputs().get(0);
        Set<Layer> sources = new java.util.LinkedHashSet<>();
        allSources(model, in, 0, sources);
        if (sources.size() != 1) return null;
        Layer source = sources.iterator().next();
        boolean direct = source.name().equals(in.layer());
        return direct && !"GlobalAveragePooling1D".equals(layer.className()) ? null : source;
    }

    /** The value a masked step's features hold in the engine's output of the mask source (see {@code MaskRoutes}). */
    static double maskValue(Layer source) {
        return "Masking".equals(source.className()) ? source.config().path("mask_value").asDouble(0.0) : 0.0;
    }

    private static void allSources(ModelGraph model, TensorRef t, int depth, Set<Layer> out) {
        Layer from = model.layer(t.layer());
        if (from == null || depth > 200) return;
        if ("Masking".equals(from.className()) || "Embedding".equals(from.className()) && from.config().path("mask_zero").asBoolean(false)) {
            out.add(from);
            return;
        }
        boolean sequenceOut = from.className().matches("LSTM|GRU|SimpleRNN|Bidirectional")
                ? from.config().path("return_sequences").asBoolean(false) || from.config().path("layer").path("config").path("return_sequences").asBoolean(false)
                : PROPAGATE.contains(from.className());
        if (QUERY_MASK.contains(from.className())) {
            for (LayerCall c : from.calls()) if (!c.inputs().isEmpty()) allSources(model, c.inputs().get(0), depth + 1, out);
            return;
        }
        if (!sequenceOut) return;
        for (LayerCall c : from.calls()) for (TensorRef r : c.inputs()) allSources(model, r, depth + 1, out);
    }

    /** Every layer that made a Keras mask the tensor carries (Keras combines several with a logical and); empty: none. */
    public static Set<Layer> sources(ModelGraph model, TensorRef t) {
        Set<Layer> sources = new java.util.LinkedHashSet<>();
        allSources(model, t, 0, sources);
        return sources;
    }

    /** The layer whose mask the tensor carries, or null. */
    static Layer maskSource(ModelGraph model, TensorRef t, int depth) {
        Layer from = model.layer(t.layer());
        if (from == null || depth > 200) return null;
        if ("Masking".equals(from.className())) return from;
        if ("Embedding".equals(from.className()) && from.config().path("mask_zero").asBoolean(false)) return from;
        boolean sequenceOut = from.className().matches("LSTM|GRU|SimpleRNN|Bidirectional")
                ? from.config().path("return_sequences").asBoolean(false) || from.config().path("layer").path("config").path("return_sequences").asBoolean(false)
                : PROPAGATE.contains(from.className());
        if (QUERY_MASK.contains(from.className())) {
            return from.calls().isEmpty() || from.calls().get(0).inputs().isEmpty() ? null : maskSource(model, from.calls().get(0).inputs().get(0), depth + 1);
        }
        if (!sequenceOut) return null;
        for (LayerCall c : from.calls()) {
            for (TensorRef r : c.inputs()) {
                Layer s = maskSource(model, r, depth + 1);
                if (s != null) return s;
            }
        }
        return null;
    }
}
