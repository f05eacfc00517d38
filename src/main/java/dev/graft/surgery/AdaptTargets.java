package dev.graft.surgery;

import dev.graft.format.ModelFiles;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import dev.graft.shape.GraphShapes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shapes {@code adapt} bridges to or from: written out ({@code 16x8}) or taken from another model. */
public final class AdaptTargets {
    private AdaptTargets() {
    }

    /** A shape and where it came from, for messages. */
    public record Target(Shape shape, String what) {
    }

    /** {@code 32} or {@code 16x8}: per-sample dimensions, batch left free; null stays null. */
    public static Shape parseShape(String option, String text) {
        if (text == null) return null;
        List<Long> dims = new ArrayList<>();
        for (String d : text.trim().split("x", -1)) {
            try {
                long v = Long.parseLong(d.trim());
                if (v <= 0) throw new NumberFormatException();
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad " + option + " '" + text + "': give positive whole numbers joined by x, e.g. 32 or 16x8");
            }
        }
        return Shape.batchOf(dims);
    }

    public static Target shape(Shape shape, String text) {
        return shape == null ? null : new Target(shape, "shape " + shape);
    }

    /** The input shape another model expects. */
    public static Target inputOf(Path file) {
        ModelGraph g = Flattener.flatten(ModelFiles.read(file));
        if (g.inputs().size() != 1) throw new MergeException(file + " has " + g.inputs().size() + " inputs; --to-input-of needs a model with one");
        Shape s = GraphShapes.infer(g).shape(g.inputs().get(0));
        if (s == null) throw new MergeException(file + ": its input shape is unknown (the model was saved without one)");
        return new Target(s, file.toString());
    }

    /** The output shape another model gives. */
    public static Target outputOf(Path file) {
        ModelGraph g = Flattener.flatten(ModelFiles.read(file));
        if (g.outputs().size() != 1) throw new MergeException(file + " has " + g.outputs().size() + " outputs; --from-output-of needs a model with one");
        TensorRef out = g.outputs().get(0);
        Shape s = GraphShapes.infer(g).shape(out);
        if (s == null) throw new MergeException(file + ": the shape of its output cannot be known");
        return new Target(s, file.toString());
    }
}
