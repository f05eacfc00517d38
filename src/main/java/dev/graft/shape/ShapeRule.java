package dev.graft.shape;

import dev.graft.model.Shape;
import java.util.List;

/** How one family of Keras layers maps input shapes to output shapes. */
@FunctionalInterface
interface ShapeRule {
    List<Shape> outputShapes(InferenceCall call);
}
