package dev.graft.shape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Shape;
import java.util.List;
import java.util.Set;

/**
 * Keras-compatible output shapes of single layer calls, computed from the layer's saved config
 * without running Keras. The rules follow each layer's {@code compute_output_shape} in Keras 2
 * and 3 (and Keras 1's {@code get_output_shape_for}), and read the config in any of the three
 * spellings real files use.
 *
 * <p>Nested models ({@code Sequential}, {@code Functional}, {@code Model}) are not layers here:
 * callers walk their layers one by one.
 */
public final class ShapeInference {
    private static final RuleRegistry RULES = RuleRegistry.standard();
    private static final Set<String> NESTED_MODELS = Set.of("Sequential", "Functional", "Model");

    private ShapeInference() {}

    /**
     * Output shapes (one per output tensor; usually one) of one call of a Keras layer.
     *
     * @param className   the layer's {@code class_name} as saved, e.g. {@code Conv2D} or Keras 1's {@code Convolution2D}
     * @param config      the layer's {@code config} object as saved ({@code null} reads as empty)
     * @param inputShapes the shapes of the tensors the call receives, batch axis first; empty for an {@code InputLayer}
     * @throws ShapeInferenceException when the class is unknown, the inputs don't fit the layer, or the
     *                                 shape depends on Python code
     */
    public static List<Shape> outputShapes(String className, JsonNode config, List<Shape> inputShapes) {
        return outputShapes(className, config, inputShapes, null);
    }

    /**
     * {@link #outputShapes(String, JsonNode, List)} for a call with these keyword arguments (graft's {@code LayerCall.kwargs()}, null
     * for none): {@code return_attention_scores=True} gives an attention layer its scores as a second output.
     */
    public static List<Shape> outputShapes(String className, JsonNode config, List<Shape> inputShapes, JsonNode callArguments) {
        if (className == null || className.isEmpty()) {
            throw new ShapeInferenceException("layer has no class name");
        }
        if (inputShapes == null || inputShapes.stream().anyMatch(java.util.Objects::isNull)) {
            throw new ShapeInferenceException(className + " input shapes are missing");
        }
        ShapeRule rule = RULES.find(className);
        if (rule == null) {
            if (NESTED_MODELS.contains(className)) {
                throw new ShapeInferenceException("'" + className + "' is a nested model, not a layer:"
                        + " infer the shapes of its own layers");
            }
            throw new ShapeInferenceException("unknown layer class '" + className + "'");
        }
        List<Shape> out = rule.outputShapes(new InferenceCall(new LayerConfig(className, config), inputShapes, callArguments));
        return config != null && "glu".equals(config.path("activation").asText("")) ? gluHalves(className, out) : List.copyOf(out);
    }

    /** Keras's {@code glu} activation splits the last axis in two halves and returns one half's size. */
    private static List<Shape> gluHalves(String className, List<Shape> shapes) {
        List<Shape> out = new java.util.ArrayList<>();
        for (Shape s : shapes) {
            java.util.List<Long> dims = new java.util.ArrayList<>(s.dims());
            Long last = dims.get(dims.size() - 1);
            if (last != null && last % 2 != 0) {
                throw new ShapeInferenceException(className + " with activation 'glu' halves the last axis, which has an odd size (" + last + ")");
            }
            dims.set(dims.size() - 1, last == null ? null : last / 2);
            out.add(Shape.of(dims));
        }
        return List.copyOf(out);
    }

    /** Whether the class is known to this inference (so callers can say "shape unknown" otherwise). */
    public static boolean isKnown(String className) {
        return className != null && RULES.find(className) != null;
    }

    /** Every class name {@link #outputShapes} accepts, sorted. */
    public static Set<String> knownClasses() {
        return RULES.classNames();
    }

    /** Infers a wrapped layer's call, for wrappers (Bidirectional, TimeDistributed) in this package. */
    static List<Shape> inner(LayerConfig inner, List<Shape> inputShapes) {
        return outputShapes(inner.className(), inner.json(), inputShapes);
    }
}
