package dev.graft;

/**
 * A request that cannot be right whatever the files hold: a bad option value, options that
 * contradict each other. Commands end with the usage exit code (2) and one line, before any work.
 * Plain classes throw it where only they can tell (a split fraction, a bridge count); command
 * classes usually let picocli's own {@code ParameterException} say it.
 */
public class UsageException extends GraftException {
    public UsageException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
