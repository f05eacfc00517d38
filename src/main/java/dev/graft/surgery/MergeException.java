package dev.graft.surgery;

import dev.graft.GraftException;

/** A merge graft refuses: incompatible shapes, a bridge that does not fit, dtypes, outputs. */
public class MergeException extends GraftException {
    public MergeException(String message) {
        super(message);
    }
}
