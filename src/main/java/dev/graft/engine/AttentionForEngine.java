package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasAttentionImport;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Hands an {@code Attention} or {@code AdditiveAttention} to graft's plug-in: how it scores ({@code graft_kind}), whether
 * it is causal (the call's {@code use_causal_mask}, Keras 2's {@code causal}) and whether a key tensor is given become
 * config flags; {@code return_attention_scores} is {@link AttentionScoresRewrite}'s, the call's other keyword arguments
 * ({@code mask}) are refused. The Keras masks reaching the query and the value ({@link AttentionMasks}) become further
 * inputs. Weights
 * get flat names and the scalar ones (Keras's shape {@code ()}) one element, which DL4J's weight reader can read.
 */
final class AttentionForEngine {
    private AttentionForEngine() {
    }

    static boolean handles(String className) {
        return "Attention".equals(className) || "AdditiveAttention".equals(className);
    }

    /** Why graft cannot compute this call of the layer, or null: what {@code inspect} reports and {@link #forEngine} refuses. */
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
        if (n == 4 || n == 5) {
            // Keras 3 keeps the tensors of mask=[query_mask, value_mask] as the call's further inputs
            return "takes " + n + " tensors, a mask=[...] argument given; graft computes [query, value] and [query, value, key] and applies the "
                    + "Keras masks of Masking and Embedding(mask_zero=True) layers, not a mask argument (feed the model without it)";
        }
        if (n != 2 && n != 3) return "takes " + n + " tensors; graft computes [query, value] and [query, value, key]";
        return whyNotKeywords(call);
    }

    /**
     * Why graft cannot compute an attention layer's call with these keyword arguments, or null: {@code training},
     * {@code use_causal_mask} and {@code return_attention_scores} are read, anything else given a value (a mask) is refused.
     */
    static String whyNotKeywords(LayerCall call) {
        ObjectNode kwargs = call.kwargs();
        if (kwargs == null) return null;
        Iterator<Map.Entry<String, JsonNode>> it = kwargs.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                // the scores, when used, are the second output (AttentionScoresRewrite)
                case "training", "use_causal_mask", "return_attention_scores" -> { }
                // MultiHeadAttention's key and attention_mask tensors (the call's inputs), which its reader places
                case "key", "attention_mask" -> {
                    if (!v.has(dev.graft.format.keras.KerasGraphParser.TENSOR_INDEX)) {
                        return "is called with " + e.getKey() + ", which graft does not compute (feed the model without it)";
                    }
                }
                default -> {
                    if (!v.isNull() && !(v.isBoolean() && !v.asBoolean())) {
                        return "is called with " + e.getKey() + ", which graft does not compute (feed the model without it)";
                    }
                }
            }
        }
        return null;
    }

    /** @param masks the Keras masks reaching the query and the value, which Keras applies to the scores and the output */
    static Layer forEngine(Layer layer, AttentionMasks masks) {
        String cls = layer.className();
        String why = whyNot(layer);
        if (why != null) throw refusal(layer, why);
        ObjectNode kwargs = layer.calls().get(0).kwargs();
        ObjectNode c = layer.config().deepCopy();
        boolean causal = kwargs != null && kwargs.path("use_causal_mask").asBoolean(false) || c.path("causal").asBoolean(false);
        String mode = c.path("score_mode").asText("dot");
        c.put("graft_kind", "AdditiveAttention".equals(cls) ? "additive" : mode);
        // AdditiveAttention's use_scale defaults to true, Attention's to false.
        if (!c.has("use_scale")) c.put("use_scale", "AdditiveAttention".equals(cls));
        c.put("graft_causal", causal);
        c.put("graft_has_key", layer.calls().get(0).inputs().size() == 3);
        List<Weight> weights = new ArrayList<>();
        for (Weight w : layer.weights()) {
            String flat = layer.name() + "/" + w.role() + ":0";
            long[] shape = w.shape().length == 0 ? new long[] {1} : w.shape();
            Weight source = w;
            weights.add(new Weight(flat, shape, w.dtype(), w.trainable(), () -> source.read().reshape(shape)));
        }
        List<dev.graft.model.TensorRef> inputs = new ArrayList<>(layer.calls().get(0).inputs());
        masks.addTo(inputs, c);
        List<LayerCall> calls = List.of(new LayerCall(inputs, layer.calls().get(0).kwargs()));
        return new Layer(layer.name(), KerasAttentionImport.KERAS_CLASS, c, calls, weights, null, layer.declaredOutputShapes());
    }

    private static EngineException refusal(Layer layer, String why) {
        return new EngineException("layer '" + layer.name() + "' (" + layer.className() + ") " + why + "; graft cannot compute this model");
    }
}
