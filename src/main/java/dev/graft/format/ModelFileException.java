package dev.graft.format;

import dev.graft.GraftException;
import java.nio.file.Path;

/**
 * A model file graft cannot use, with a message a user can act on. Its text is printed as one
 * line prefixed with the file name; the command exits with the "model or data problem" code.
 */
public class ModelFileException extends GraftException {
    private final Path file;

    public ModelFileException(Path file, String problem) {
        super(problem);
        this.file = file;
    }

    public ModelFileException(Path file, String problem, Throwable cause) {
        super(problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    public String problemFile() {
        return file == null ? null : file.toString();
    }

    /** {@code file: problem}, the one line the user sees. */
    @Override
    public String userMessage() {
        return (file == null ? "" : file + ": ") + getMessage();
    }
}
