package dev.graft.engine;

import dev.graft.GraftException;

/** A model the engine cannot compute, or data it cannot compute the model on. */
public class EngineException extends GraftException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
