package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasMultiHeadAttentionImport;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands a {@code MultiHeadAttention} to graft's plug-in: the call's keyword arguments it honours become config flags
 * ({@code use_causal_mask}), any other ({@code return_attention_scores}, a key or an {@code attention_mask} tensor) is
 * refused; weights get flat names ({@code query_kernel}, ...,
 * {@code attention_output_bias}) that DL4J's weight reader keeps apart.
 */
final class MultiHeadAttentionForEngine {
    private MultiHeadAttentionForEngine() {
    }

    /**
     * Why graft cannot compute this call of the layer, or null: what {@code inspect} reports and {@link #forEngine}
     * refuses (a Keras mask reaching the layer is {@code MaskFlow}'s to report).
     */
    static String whyNot(Layer layer) {
        if (layer.calls().size() != 1) return "is called " + layer.calls().size() + " times; graft computes one call";
        LayerCall call = layer.calls().get(0);
        int n = call.inputs().size();
        // A third tensor is a key or an attention mask (keyword tensors become inputs when the file is read, and which
        // keyword it was is not kept): refused rather than guessed.
        if (n != 2) return "takes " + n + " tensors (a key or an attention_mask besides query and value); graft computes [query, value] only";
        return AttentionForEngine.whyNotKeywords(call);
    }

    /** @param masked whether the model makes a Keras mask, which Keras's MultiHeadAttention would apply to its scores */
    static Layer forEngine(Layer layer, boolean masked) {
        if (masked) {
            throw refusal(layer, "would apply the Keras mask this model makes (Masking, or an Embedding with mask_zero), which graft's "
                    + "MultiHeadAttention does not");
        }
        String why = whyNot(layer);
        if (why != null) throw refusal(layer, why);
        ObjectNode kwargs = layer.calls().get(0).kwargs();
        boolean causal = kwargs != null && kwargs.path("use_causal_mask").asBoolean(false);
        ObjectNode c = layer.config().deepCopy();
        c.put("graft_causal", causal);
        c.put("graft_has_key", false);
        List<Weight> weights = new ArrayList<>();
        for (Weight w : layer.weights()) {
            String name = w.name().replaceAll(":\\d+$", "");
            String[] parts = name.split("/");
            if (parts.length < 2) throw refusal(layer, "has a weight '" + w.name() + "' graft cannot place");
            String flat = layer.name() + "/" + parts[parts.length - 2] + "_" + parts[parts.length - 1] + ":0";
            weights.add(new Weight(flat, w.shape(), w.dtype(), w.trainable(), w.source()));
        }
        return new Layer(layer.name(), KerasMultiHeadAttentionImport.KERAS_CLASS, c, layer.calls(), weights, null, layer.declaredOutputShapes());
    }

    private static EngineException refusal(Layer layer, String why) {
        return new EngineException("layer '" + layer.name() + "' (MultiHeadAttention) " + why + "; graft cannot compute this model");
    }
}
