package dev.graft.engine;

import dev.graft.model.Shape;

/**
 * One input or output of an engine network: its vertex name, its shape in Keras notation (batch
 * first, channels last; null dimensions where unknown, or a null shape when nothing is known), and
 * how the graph holds it relative to Keras.
 */
public record TensorSpec(String name, Shape kerasShape, Layout layout) {
    public TensorSpec {
        // Below rank 3 there is no channel axis to move: such tensors are held as Keras holds them,
        // whatever the layers around them declare, so that equal tensors have equal specs.
        if (kerasShape != null && kerasShape.rank() < 3) layout = Layout.CHANNELS_LAST;
    }

    public TensorSpec withName(String newName) {
        return new TensorSpec(newName, kerasShape, layout);
    }

    /** The rank in Keras notation, batch included; -1 when unknown. */
    public int rank() {
        return kerasShape == null ? -1 : kerasShape.rank();
    }
}
