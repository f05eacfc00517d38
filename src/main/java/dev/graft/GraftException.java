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

    /** The file the problem is about, as the user named it, or null when it is about no one file. */
    public String problemFile() {
        return null;
    }

    /** The exit code this problem ends a command with: a model or data problem unless a subclass says otherwise. */
    public int exitCode() {
        return 1;
    }
}
