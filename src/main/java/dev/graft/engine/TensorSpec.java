package dev.graft.engine;

import dev.graft.model.Shape;

/**
 * One input or output of an engine network: its vertex name, its shape in Keras notation (batch
 * first, channels last; null dimensions where unknown, or a null shape when nothing is known), how
 * the graph holds it relative to Keras, and the name a user knows it by. The engine may compute a
 * Keras output in a vertex of graft's own ({@code <layer>_graft_glu}, {@code <layer>_graft_back},
 * {@code <layer>__graft_call_1}, ...); every report, file name and record shows the Keras name.
 */
public record TensorSpec(String name, Shape kerasShape, Layout layout, String kerasName) {
    public TensorSpec {
        // Below rank 3 there is no channel axis to move: such tensors are held as Keras holds them,
        // whatever the layers around them declare, so that equal tensors have equal specs.
        if (kerasShape != null && kerasShape.rank() < 3) layout = Layout.CHANNELS_LAST;
        if (kerasName == null) kerasName = name;
    }

    /** A tensor the user knows by its vertex name. */
    public TensorSpec(String name, Shape kerasShape, Layout layout) {
        this(name, kerasShape, layout, name);
    }

    public TensorSpec withName(String newName) {
        return new TensorSpec(newName, kerasShape, layout, kerasName.equals(name) ? newName : kerasName);
    }

    public TensorSpec withShape(Shape newShape) {
        return new TensorSpec(name, newShape, layout, kerasName);
    }

    /** The rank in Keras notation, batch included; -1 when unknown. */
    public int rank() {
        return kerasShape == null ? -1 : kerasShape.rank();
    }
}
