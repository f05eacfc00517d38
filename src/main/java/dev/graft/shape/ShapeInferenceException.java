package dev.graft.shape;

/**
 * A layer's output shape cannot be inferred: the input does not fit the layer, the config is
 * incomplete, or the shape depends on code graft cannot run. The message is meant for the user
 * as it is (it names the layer class and what was expected), so callers can print it unchanged.
 */
public final class ShapeInferenceException extends RuntimeException {
    public ShapeInferenceException(String message) {
        super(message);
    }
}
