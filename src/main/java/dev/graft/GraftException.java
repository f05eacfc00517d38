package dev.graft;

/**
 * A problem with the user's models, data or request, reported as one line without a stack trace
 * (exit code 1). Anything else that escapes a command is a bug in graft.
 */
public class GraftException extends RuntimeException {
    public GraftException(String message) {
        super(message);
    }

    public GraftException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The one line the user sees. */
    public String userMessage() {
        return getMessage();
    }
}
