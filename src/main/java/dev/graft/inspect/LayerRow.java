package dev.graft.inspect;

import dev.graft.model.Shape;
import java.util.List;

/**
 * One row of a model summary.
 *
 * @param depth         0 for the model's own layers, 1+ for the layers of nested models
 * @param outputShapes  empty when unknown (then {@code shapeProblem} says why)
 * @param trainable     {@code null} for a layer without weights
 * @param notComputable why graft cannot compute the layer, or null
 * @param connectedTo   the tensors the layer consumes, as Keras's summary names them ({@code dense[0][0]})
 * @param bridge        the {@code --bridge} spec when graft added this layer as a bridge ({@code dense:8}), else null
 */
public record LayerRow(String name, String className, int depth, List<Shape> outputShapes, String shapeProblem,
                       long params, Boolean trainable, String notComputable, List<String> connectedTo, String bridge) {
    public LayerRow(String name, String className, int depth, List<Shape> outputShapes, String shapeProblem,
                    long params, Boolean trainable, String notComputable) {
        this(name, className, depth, outputShapes, shapeProblem, params, trainable, notComputable, List.of(), null);
    }
}
