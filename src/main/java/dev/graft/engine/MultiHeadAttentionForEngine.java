package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasMultiHeadAttentionImport;
import dev.graft.format.Json;
import dev.graft.format.keras.KerasGraphParser;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands a {@code MultiHeadAttention} or a {@code GroupedQueryAttention} (as the same, with {@code graft_kv_heads} key and
 * value heads) to graft's plug-in: the call's keyword arguments it honours become config flags
 * ({@code use_causal_mask}, whether a key and an {@code attention_mask} tensor are given, which become the vertex's
 * third and fourth inputs), the Keras masks reaching query, value and key ({@link AttentionMasks}) as further inputs, and
 * whether Keras 3 computes it with its explicit softmax ({@value #EXPLICIT_SOFTMAX_KEY}: the call returns its scores, which
 * {@link AttentionScoresRewrite} makes an output, or has dropout), any other is refused; weights get flat names ({@code query_kernel}, ...,
 * {@code attention_output_bias}) that DL4J's weight reader keeps apart.
 */
final class MultiHeadAttentionForEngine {
    /** Config for the engine: Keras computes the call with its explicit softmax, which zeroes masked positions after it. */
    static final String EXPLICIT_SOFTMAX_KEY = "graft_explicit_softmax";

    private MultiHeadAttentionForEngine() {
    }

    /** Whether the engine computes the class here: MultiHeadAttention, and GroupedQueryAttention by either Keras 3 name. */
    static boolean handles(String className) {
        return "MultiHeadAttention".equals(className) || isGroupedQuery(className);
    }

    static boolean isGroupedQuery(String className) {
        return "GroupedQueryAttention".equals(className) || "GroupQueryAttention".equals(className);
    }

    /**
     * Why graft cannot compute this call of the layer, or null: what {@code inspect} reports and {@link #forEngine}
     * refuses (a Keras mask reaching the layer is {@code MaskFlow}'s to report).
     */
    static String whyNot(Layer layer) {
        // A shared layer (called more than once) is one engine layer per call (SharedLayerCalls): each call must compute.
        for (int k = 0; k < layer.calls().size(); k++) {
            String why = whyNot(layer.calls().get(k));
            if (why != null) return layer.calls().size() == 1 ? why : "(call " + (k + 1) + " of " + layer.calls().size() + ") " + why;
        }
        return null;
    }

    private static String whyNot(LayerCall call) {
        int n = call.inputs().size();
        if (n < 2 || n > 4) return "takes " + n + " tensors; graft computes query, value, a key and an attention_mask";
        Roles r = Roles.of(call);
        if (r == null) return "takes " + n + " tensors that are not query, value, a key and an attention_mask";
        return AttentionForEngine.whyNotKeywords(call);
    }

    /** The key's input, or -1. */
    static int keyIndex(Layer layer) {
        if (layer.calls().size() != 1) return -1;
        Roles r = Roles.of(layer.calls().get(0));
        return r == null ? -1 : r.key();
    }

    /** Which of a call's inputs is the key and which the attention mask (-1: none): by keyword, else the third is the key. */
    record Roles(int key, int mask) {
        static Roles of(LayerCall call) {
            ObjectNode kwargs = call.kwargs();
            int n = call.inputs().size();
            int mask = kwargs == null ? -1 : kwargs.path("attention_mask").path(KerasGraphParser.TENSOR_INDEX).asInt(-1);
            int key = kwargs == null ? -1 : kwargs.path("key").path(KerasGraphParser.TENSOR_INDEX).asInt(-1);
            if (key < 0 && n > 2) key = mask == 2 ? (n > 3 ? 3 : -1) : 2;
            int expected = 2 + (key >= 0 ? 1 : 0) + (mask >= 0 ? 1 : 0);
            if (expected != n || (key >= 0 && key == mask) || key == 0 || key == 1 || mask == 0 || mask == 1 || key >= n || mask >= n) return null;
            return new Roles(key, mask);
        }
    }

    /**
     * @param masks      the Keras masks reaching the query, value and key, which Keras ands into the attention mask
     * @param kerasMajor Keras 3 zeroes the probabilities of a query step whose keys are all masked on its explicit softmax
     *                   path (the call returns its scores, dropout > 0, or rank-4+ inputs: {@code _compute_attention});
     *                   its fused dot-product attention and Keras 2 spread them evenly
     */
    static Layer forEngine(Layer layer, AttentionMasks masks, int kerasMajor) {
        String why = whyNot(layer);
        if (why != null) throw refusal(layer, why);
        // the engine's vertex would start from random projections, a silent wrong number
        if (layer.weights().isEmpty()) throw refusal(layer, "has no stored weights");
        LayerCall call = layer.calls().get(0);
        ObjectNode kwargs = call.kwargs();
        Roles roles = Roles.of(call);
        boolean causal = kwargs != null && kwargs.path("use_causal_mask").asBoolean(false);
        ObjectNode c = layer.config().deepCopy();
        if (isGroupedQuery(layer.className())) {
            // GroupedQueryAttention is MultiHeadAttention whose key and value heads each serve several query heads.
            c.set("num_heads", c.path("num_query_heads"));
            c.set("key_dim", c.path("head_dim"));
            c.set("value_dim", c.path("head_dim"));
            c.set("graft_kv_heads", c.path("num_key_value_heads"));
            c.remove(List.of("num_query_heads", "num_key_value_heads", "head_dim"));
        }
        c.put("graft_causal", causal);
        c.put("graft_has_key", roles.key() >= 0);
        c.put("graft_has_mask", roles.mask() >= 0);
        // the engine's vertex reads its inputs in the order query, value, key, mask
        List<TensorRef> inputs = new ArrayList<>(call.inputs().subList(0, 2));
        if (roles.key() >= 0) inputs.add(call.inputs().get(roles.key()));
        if (roles.mask() >= 0) inputs.add(call.inputs().get(roles.mask()));
        masks.addTo(inputs, c);
        // one flag for Keras 3's explicit softmax, which multiplies the probabilities by the combined mask (attention_mask,
        // the Keras masks, causal); MultiHeadAttentionAxes has set it already for rank-4 inputs
        boolean returnsScores = kwargs != null && kwargs.path("return_attention_scores").asBoolean(false);
        if (kerasMajor >= 3 && (returnsScores || c.path("dropout").asDouble(0.0) > 0.0)) c.put(EXPLICIT_SOFTMAX_KEY, true);
        ObjectNode plainKwargs = kwargs == null ? Json.object() : kwargs.deepCopy();
        plainKwargs.remove(KerasGraphParser.TENSOR_KEYWORDS);
        List<Weight> weights = new ArrayList<>();
        for (Weight w : layer.weights()) {
            String name = w.name().replaceAll(":\\d+$", "");
            String[] parts = name.split("/");
            if (parts.length < 2) throw refusal(layer, "has a weight '" + w.name() + "' graft cannot place");
            String flat = layer.name() + "/" + parts[parts.length - 2] + "_" + parts[parts.length - 1] + ":0";
            weights.add(new Weight(flat, w.shape(), w.dtype(), w.trainable(), w.source()));
        }
        return new Layer(layer.name(), KerasMultiHeadAttentionImport.KERAS_CLASS, c, List.of(new LayerCall(inputs, plainKwargs)), weights, null,
                layer.declaredOutputShapes());
    }

    private static EngineException refusal(Layer layer, String why) {
        return new EngineException("layer '" + layer.name() + "' (" + layer.className() + ") " + why + "; graft cannot compute this model");
    }
}
