package dev.graft.engine.layers;

/**
 * A layer that can leave out the gradient at its input while it trains, when nothing reads it (it takes network inputs
 * only; see {@link UnusedInputGradients}): its backward pass then returns zeros of the input's shape.
 */
public interface SkipsInputGradient {
    /** Whether anything reads the gradient at this layer's input; when not, the backward pass skips computing it. */
    void setInputGradientUnused(boolean unused);
}
