package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the Keras layers a DL4J network translates to, in order, with unique names: a DL4J
 * layer keeps its own name, a helper layer before it (a preprocessor's reshape, a padding) is named
 * after it with a suffix.
 */
final class KerasEmitter {
    private final List<Layer> layers = new ArrayList<>();
    private final Set<String> used = new HashSet<>();
    private final String dtype;

    KerasEmitter(String dtype, Set<String> reserved) {
        this.dtype = dtype;
        used.addAll(reserved);
    }

    String dtype() {
        return dtype;
    }

    /** A fresh name for a helper layer of {@code owner}. */
    String helperName(String owner, String suffix) {
        String name = owner + "_" + suffix;
        for (int k = 2; used.contains(name); k++) name = owner + "_" + suffix + "_" + k;
        used.add(name);
        return name;
    }

    /** Adds a layer reading {@code inputs}; returns its name, the tensor the next layer reads. */
    String add(String name, String className, ObjectNode config, List<String> inputs, List<Weight> weights) {
        return add(name, className, config, inputs, weights, Json.object());
    }

    /** {@link #add} of a call with keyword arguments (an attention's {@code use_causal_mask}). */
    String add(String name, String className, ObjectNode config, List<String> inputs, List<Weight> weights, ObjectNode kwargs) {
        used.add(name);
        List<TensorRef> refs = inputs.stream().map(TensorRef::of).toList();
        layers.add(new Layer(name, className, config, List.of(new LayerCall(refs, kwargs)), weights, null));
        return name;
    }

    void addInput(Layer input) {
        used.add(input.name());
        layers.add(input);
    }

    static Weight weight(String layer, String role, HostArray values, boolean trainable) {
        return Weight.inMemory(layer + "/" + role + ":0", values, trainable);
    }

    List<Layer> layers() {
        return layers;
    }
}
