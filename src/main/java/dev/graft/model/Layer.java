package dev.graft.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One layer of a model: its Keras class and configuration (in Keras 2 spelling, whatever wrote
 * the file), the calls that wire it into the graph, and its weights in the order Keras stores
 * them. A layer that is itself a model (a nested Sequential or Functional) carries that model.
 */
public final class Layer {
    private final String name;
    private final String className;
    private final ObjectNode config;
    private final List<LayerCall> calls;
    private final List<Weight> weights;
    private final ModelGraph nested;
    private final List<Shape> declaredOutputShapes;

    public Layer(String name, String className, ObjectNode config, List<LayerCall> calls, List<Weight> weights, ModelGraph nested) {
        this(name, className, config, calls, weights, nested, null);
    }

    /**
     * @param declaredOutputShapes output shapes the producing library computed itself (DL4J knows
     *                             its layers' shapes; Keras layers' shapes are inferred by graft), or null
     */
    public Layer(String name, String className, ObjectNode config, List<LayerCall> calls, List<Weight> weights, ModelGraph nested,
                 List<Shape> declaredOutputShapes) {
        this.name = name;
        this.className = className;
        this.config = config;
        this.calls = List.copyOf(calls);
        if (nested != null && !weights.isEmpty()) throw new IllegalArgumentException("a nested model's weights live in its layers");
        this.weights = List.copyOf(weights);
        this.nested = nested;
        this.declaredOutputShapes = declaredOutputShapes == null ? null : List.copyOf(declaredOutputShapes);
    }

    public String name() {
        return name;
    }

    public String className() {
        return className;
    }

    /** The layer's configuration; callers must not modify it (copy with {@code deepCopy()}). */
    public ObjectNode config() {
        return config;
    }

    public List<LayerCall> calls() {
        return calls;
    }

    /** The layer's weights in storage order; for a nested model, all of its layers' weights. */
    public List<Weight> weights() {
        return nested != null ? nested.weights() : weights;
    }

    /** The model this layer is, when it is a nested Sequential/Functional model; else null. */
    public ModelGraph nested() {
        return nested;
    }

    /** Output shapes the producing library declared, or null when graft must infer them. */
    public List<Shape> declaredOutputShapes() {
        return declaredOutputShapes;
    }

    public boolean isInput() {
        return "InputLayer".equals(className);
    }

    /** The layer's own {@code trainable} flag (true when absent, as in Keras). */
    public boolean trainable() {
        JsonNode t = config.get("trainable");
        return t == null || t.asBoolean(true);
    }

    public long parameterCount() {
        return weights().stream().mapToLong(Weight::size).sum();
    }

    public long trainableParameterCount() {
        return weights().stream().filter(Weight::trainable).mapToLong(Weight::size).sum();
    }

    public Layer withName(String newName) {
        ObjectNode c = config.deepCopy();
        c.put("name", newName);
        return new Layer(newName, className, c, calls, weights, nested, declaredOutputShapes);
    }

    public Layer withCalls(List<LayerCall> newCalls) {
        return new Layer(name, className, config, newCalls, weights, nested, declaredOutputShapes);
    }

    public Layer withWeights(List<Weight> newWeights) {
        if (nested != null) throw new IllegalStateException("set a nested model's weights on its layers");
        return new Layer(name, className, config, calls, newWeights, nested, declaredOutputShapes);
    }

    public Layer withConfig(ObjectNode newConfig) {
        return new Layer(name, className, newConfig, calls, weights, nested, declaredOutputShapes);
    }

    @Override
    public String toString() {
        return name + " (" + className + ")";
    }
}
