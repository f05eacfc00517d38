package dev.graft.format.keras;

import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keras 3 records the operations that compute a Keras mask while it builds a functional model ({@code NotEqual} and
 * {@code Any} of a {@code Masking}, {@code NotEqual} of an {@code Embedding} with {@code mask_zero}, {@code LogicalOr}
 * of a merge, {@code ConvertToTensor} of an attention layer's mask) as op nodes of its saved graph that nothing reads:
 * the masks live on the tensors, and Keras computes them again from the layers; a layer after an attention layer
 * (whose mask is such an operation's output) is even saved with that tensor as its {@code mask} keyword argument. Such
 * a {@code mask} argument is not read as an input (graft traces the masks from the layers, {@code MaskFlow}), and
 * then the operation nodes (class from the {@code keras.src.ops} modules) that no layer and no model output reads are
 * dropped when a model is read; operation nodes whose values something reads stay, and are refused as before.
 */
final class UnreadMaskOps {
    private UnreadMaskOps() {
    }

    /** Keras 3's operations that compute masks, by class: its legacy .h5 config names them without a module. */
    private static final Set<String> MASK_OPERATIONS = Set.of("NotEqual", "Equal", "Any", "All", "ConvertToTensor", "LogicalOr", "LogicalAnd",
            "LogicalNot", "ExpandDims", "Cast", "Squeeze");

    /** The names of the layer entries of a Keras 3 config that are Keras's operations (not layers). */
    static Set<String> operations(com.fasterxml.jackson.databind.JsonNode layers) {
        Set<String> names = new HashSet<>();
        for (com.fasterxml.jackson.databind.JsonNode lj : layers) {
            String module = lj.path("module").asText("");
            boolean operation = module.startsWith("keras.src.ops.") || module.isEmpty() && MASK_OPERATIONS.contains(lj.path("class_name").asText());
            if (operation) names.add(lj.path("config").path("name").asText(lj.path("name").asText()));
        }
        return names;
    }

    /** Whether there are tensors and each comes from one of the operations. */
    static boolean allFrom(List<TensorRef> tensors, Set<String> operations) {
        return !tensors.isEmpty() && tensors.stream().allMatch(t -> operations.contains(t.layer()));
    }

    /** The layers without the operations in {@code operations} that nothing reads, directly or through other dropped ones. */
    static List<Layer> drop(List<Layer> layers, Set<String> operations, List<TensorRef> outputs) {
        if (operations.isEmpty()) return layers;
        List<Layer> kept = new ArrayList<>(layers);
        boolean changed = true;
        while (changed) {
            Set<String> read = new HashSet<>();
            for (Layer l : kept) for (LayerCall c : l.calls()) for (TensorRef r : c.inputs()) read.add(r.layer());
            for (TensorRef r : outputs) read.add(r.layer());
            changed = kept.removeIf(l -> operations.contains(l.name()) && !read.contains(l.name()));
        }
        return kept;
    }
}
