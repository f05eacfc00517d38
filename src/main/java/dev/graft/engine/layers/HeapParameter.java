package dev.graft.engine.layers;

import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A parameter of a {@link HeapStage} as the trainer updates it: its values and its gradient, in the same layout (whichever
 * the stage computes with: every optimizer graft computes on the heap is element-wise), and the optimizer the layer's
 * configuration gives it.
 */
public final class HeapParameter {
    private final float[] values;
    private final float[] gradient;
    private final IUpdater updater;

    public HeapParameter(float[] values, IUpdater updater) {
        this.values = values;
        this.gradient = new float[values.length];
        this.updater = updater;
    }

    /** The values the stage computes with; the trainer subtracts each step from them in place. */
    public float[] values() {
        return values;
    }

    /** The gradient of the batch's loss, summed over its samples; set by the stage's backward pass. */
    public float[] gradient() {
        return gradient;
    }

    public IUpdater updater() {
        return updater;
    }
}
