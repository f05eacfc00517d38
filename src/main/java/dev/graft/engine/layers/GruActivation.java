package dev.graft.engine.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The activations a Keras GRU can use for its candidate ({@code activation}) and its gates
 * ({@code recurrent_activation}), as SameDiff expressions so that autodiff gives their gradients.
 *
 * <p>{@code hard_sigmoid} exists twice because its definition changed between Keras versions and a
 * model must be computed the way the Keras that trained it did: Keras 2 (and tf.keras) use
 * {@code clip(0.2x + 0.5, 0, 1)}, Keras 3 uses {@code relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1)}.
 */
public enum GruActivation {
    TANH,
    SIGMOID,
    /** Keras 2 / tf.keras {@code hard_sigmoid}: {@code clip(0.2x + 0.5, 0, 1)}. */
    HARD_SIGMOID_KERAS2,
    /** Keras 3 {@code hard_sigmoid}: {@code clip(x/6 + 0.5, 0, 1)}. */
    HARD_SIGMOID_KERAS3,
    LINEAR,
    RELU;

    /** Adds this activation applied to {@code x} to the graph. */
    public SDVariable apply(SameDiff sd, SDVariable x) {
        switch (this) {
            case TANH:
                return sd.math.tanh(x);
            case SIGMOID:
                return sd.nn.sigmoid(x);
            case HARD_SIGMOID_KERAS2:
                return clipToUnit(sd, x.mul(0.2).add(0.5));
            case HARD_SIGMOID_KERAS3:
                return clipToUnit(sd, x.div(6.0).add(0.5));
            case LINEAR:
                return x;
            case RELU:
                return sd.nn.relu(x, 0.0);
            default:
                throw new IllegalStateException("unhandled activation " + this);
        }
    }

    /**
     * {@code clip(y, 0, 1)} written as {@code relu(y) - relu(y - 1)}: relu's gradient is certain to
     * exist in SameDiff, and the two forms are equal everywhere.
     */
    private static SDVariable clipToUnit(SameDiff sd, SDVariable y) {
        return sd.nn.relu(y, 0.0).sub(sd.nn.relu(y.sub(1.0), 0.0));
    }
}
