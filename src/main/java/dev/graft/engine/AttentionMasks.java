package dev.graft.engine;

import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import java.util.Set;

/**
 * The Keras masks (from {@code Masking} or an {@code Embedding} with {@code mask_zero}, traced by {@link MaskFlow}) that
 * reach an attention layer's query, value and key, each as the layer that made it (null: none). Keras fills an
 * attention layer's masks from its inputs unasked: {@code Attention}/{@code AdditiveAttention} read the query's and the
 * value's ({@code mask=[query_mask, value_mask]}; a key's mask is not read), {@code MultiHeadAttention} and
 * {@code GroupedQueryAttention} the query's, the value's and a given key's ({@code query_mask}, {@code value_mask},
 * {@code key_mask}). The engine reads each from its source's output ({@code StepKeep}: a step is masked when all its
 * features hold the mask value).
 */
record AttentionMasks(Layer query, Layer value, Layer key) {
    static final AttentionMasks NONE = new AttentionMasks(null, null, null);

    boolean any() {
        return query != null || value != null || key != null;
    }

    /**
     * The masks reaching the layer's one call in the flat model; {@code keyIndex} is the key's input (-1: none or not
     * read). Throws when a tensor carries masks of several layers, which Keras combines and the engine does not.
     */
    static AttentionMasks of(Layer layer, ModelGraph model, int keyIndex) {
        String why = whyNot(layer, model, keyIndex);
        if (why != null) {
            throw new EngineException("layer '" + layer.name() + "' (" + layer.className() + ") " + why + "; graft cannot compute this model");
        }
        if (layer.calls().size() != 1) return NONE;
        LayerCall call = layer.calls().get(0);
        return new AttentionMasks(source(model, call, 0), source(model, call, 1), keyIndex < 0 ? null : source(model, call, keyIndex));
    }

    /** Why the engine cannot apply the masks reaching the layer, or null. */
    static String whyNot(Layer layer, ModelGraph model, int keyIndex) {
        if (layer.calls().size() != 1) return null;
        LayerCall call = layer.calls().get(0);
        String[] roles = {"query", "value", "key"};
        int[] inputs = {0, 1, keyIndex};
        for (int r = 0; r < roles.length; r++) {
            if (inputs[r] < 0 || inputs[r] >= call.inputs().size()) continue;
            Set<Layer> sources = MaskFlow.sources(model, call.inputs().get(inputs[r]));
            if (sources.size() > 1) {
                return "reads on its " + roles[r] + " the masks of several layers ("
                        + String.join(", ", sources.stream().map(Layer::name).toList()) + "), which graft's engine does not combine";
            }
            if (sources.size() == 1 && sources.iterator().next().calls().size() != 1) {
                return "reads on its " + roles[r] + " the mask of layer '" + sources.iterator().next().name()
                        + "', which is called more than once; graft's engine applies the mask of a layer called once";
            }
        }
        return null;
    }

    private static Layer source(ModelGraph model, LayerCall call, int input) {
        Set<Layer> sources = MaskFlow.sources(model, call.inputs().get(input));
        return sources.isEmpty() ? null : sources.iterator().next();
    }

    /** Config of an attention layer for the engine: its first input that is a mask source (those after it are too). */
    static final String FIRST_MASK_INPUT_KEY = "graft_first_mask_input";

    /**
     * Appends the mask sources to the engine's inputs (query's, value's, key's, those present) and notes in the config
     * where they start and each one's mask value ({@code graft_<role>_mask_value}).
     */
    void addTo(java.util.List<TensorRef> inputs, com.fasterxml.jackson.databind.node.ObjectNode config) {
        if (!any()) return;
        config.put(FIRST_MASK_INPUT_KEY, inputs.size());
        Layer[] sources = {query, value, key};
        String[] roles = {"query", "value", "key"};
        for (int r = 0; r < sources.length; r++) {
            if (sources[r] == null) continue;
            config.put("graft_" + roles[r] + "_mask_value", MaskFlow.maskValue(sources[r]));
            inputs.add(TensorRef.of(sources[r].name()));
        }
    }
}
