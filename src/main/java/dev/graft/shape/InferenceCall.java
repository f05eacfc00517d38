package dev.graft.shape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Shape;
import java.util.List;

/**
 * One call of a layer: its class, its config, the shapes of the tensors it receives and the call's keyword arguments
 * (an attention layer's {@code return_attention_scores} adds an output).
 */
final class InferenceCall {
    private final LayerConfig config;
    private final List<Shape> inputs;
    private final JsonNode arguments;

    InferenceCall(LayerConfig config, List<Shape> inputs) {
        this(config, inputs, null);
    }

    InferenceCall(LayerConfig config, List<Shape> inputs, JsonNode arguments) {
        this.config = config;
        this.inputs = List.copyOf(inputs);
        this.arguments = arguments;
    }

    /** Whether the call passes this keyword argument as {@code true}. */
    boolean callFlag(String keyword) {
        return arguments != null && arguments.path(keyword).asBoolean(false);
    }

    String className() {
        return config.className();
    }

    LayerConfig config() {
        return config;
    }

    List<Shape> inputs() {
        return inputs;
    }

    /** The input of a layer that takes exactly one tensor. */
    Shape onlyInput() {
        if (inputs.size() != 1) {
            throw error("takes one input, got " + inputs.size());
        }
        return inputs.get(0);
    }

    /**
     * The main input of a layer whose further inputs do not shape its output (a recurrent layer's
     * initial states, a Lambda's extra arguments).
     */
    Shape firstInput() {
        if (inputs.isEmpty()) throw error("needs an input, got none");
        return inputs.get(0);
    }

    /** Checks the rank; {@code layout} names the axes as the user should arrange them. */
    Shape requireRank(Shape shape, int rank, String layout) {
        if (shape.rank() != rank) {
            throw error("needs a rank-" + rank + " input " + layout + ", got " + shape);
        }
        return shape;
    }

    Shape requireMinRank(Shape shape, int minRank, String layout) {
        if (shape.rank() < minRank) {
            throw error("needs an input of rank " + minRank + " or more " + layout + ", got " + shape);
        }
        return shape;
    }

    /**
     * Layers whose weights are sized by an input axis cannot be built while that axis is unknown,
     * so Keras itself refuses such a model; saying so here beats reporting a shape that can't exist.
     */
    long requireKnown(Long dim, String what, Shape shape) {
        if (dim == null) {
            throw error("needs a known " + what + " dimension to size its weights, got " + shape);
        }
        return dim;
    }

    /** An error message that starts with the layer class, as every message from this package does. */
    ShapeInferenceException error(String message) {
        return new ShapeInferenceException(className() + " " + message);
    }
}
