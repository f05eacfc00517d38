package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.model.Layer;
import dev.graft.model.Shape;
import dev.graft.shape.GraphShapes;

/**
 * Keras's {@code Reshape} solves a {@code -1} in {@code target_shape} from the sample's element count; DL4J's reshape
 * applies it to the batch too. The engine is handed the solved target shape, so DL4J's own Reshape computes it (known
 * when the input's sample shape is: graft refuses the layer otherwise, {@link #whyNot}).
 */
final class ReshapeForEngine {
    private ReshapeForEngine() {
    }

    /** Null when the engine computes the Reshape, else why not. */
    static String whyNot(Layer reshape, GraphShapes shapes) {
        if (!hasOpenDimension(reshape.config()) || reshape.calls().isEmpty()) return null;
        Shape in = shapes.shape(reshape.calls().get(0).inputs().get(0));
        if (in != null && in.elementsPerSample() >= 0) return null;
        return "(Reshape): argument target_shape=" + reshape.config().path("target_shape")
                + " is not computed by graft on an input of open size " + (in == null ? "(unknown)" : in.toString())
                + " (graft solves the -1 from a fixed sample shape)";
    }

    /** Writes the solved target shape into the engine's copy {@code c} of the layer's configuration. */
    static void resolveOpenDimension(Layer reshape, ObjectNode c, GraphShapes shapes) {
        if (!hasOpenDimension(c)) return;
        Shape out = shapes.shape(dev.graft.model.TensorRef.of(reshape.name()));
        if (out == null) return;
        ArrayNode target = c.putArray("target_shape");
        for (int d = 1; d < out.rank(); d++) target.add(out.dim(d));
    }

    private static boolean hasOpenDimension(JsonNode config) {
        for (JsonNode d : config.path("target_shape")) if (d.isNull() || d.asLong() < 0) return true;
        return false;
    }
}
