package dev.graft.format;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes an output file so that it appears whole or not at all: the content goes to a temporary
 * file in the target folder (same file system, so the final rename is atomic), which replaces the
 * target only once complete. An interrupted run leaves the old file or none, never half of one.
 */
public final class AtomicFile {
    /** Writes the content of a file at the path it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temporary) throws IOException;
    }

    private AtomicFile() {
    }

    public static void write(Path target, Content content) throws IOException {
        write(target, 0, content);
    }

    /**
     * Writes when the target's folder is writable and has room for about {@code expectedBytes};
     * otherwise fails, before writing anything, with one line saying which.
     */
    public static void write(Path target, long expectedBytes, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        WriteRoom.require(target, expectedBytes);
        // A name graft recognises: deleted at exit, or by the next run here if this one is killed.
        Path tmp = TempFiles.beside(target, "part");
        try {
            content.writeTo(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            TempFiles.renamed(tmp);
        } catch (IOException | RuntimeException | Error e) {
            TempFiles.release(tmp);
            String room = WriteRoom.problem(target, 0);
            if (room != null) throw new IOException(room, e);
            // A writer working through an interface without IOException (libhdf5's) wraps it.
            if (e instanceof java.io.UncheckedIOException u) throw u.getCause();
            throw e;
        }
    }
}
