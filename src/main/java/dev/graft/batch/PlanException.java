package dev.graft.batch;

import dev.graft.GraftException;

/** A plan that cannot run as written: reported before any step runs, naming the step and the key (exit 2). */
public final class PlanException extends GraftException {
    public PlanException(String message) {
        super(message);
    }
}
