package dev.graft.format;

import dev.graft.GraftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Whether a command may replace an output file that exists. By default it does, atomically, as
 * Keras's {@code model.save} and compilers do (so Makefiles need no {@code --force});
 * {@code --no-clobber} refuses. An output that is one of the command's inputs is refused either
 * way, whatever path or link names it.
 */
public enum Overwrite {
    REPLACE, NO_CLOBBER;

    /** Refuses an output that is an input, a directory, or (with {@code --no-clobber}) one that exists. */
    public void check(Path output, Collection<Path> inputs) {
        for (Path in : inputs) {
            if (in != null && sameFile(output, in)) {
                throw new GraftException(output + ": is also an input; write the output to another file");
            }
        }
        if (Files.isDirectory(output)) throw new GraftException(output + ": is a directory; give an output file name");
        if (this == NO_CLOBBER && Files.exists(output, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new GraftException(output + ": already exists; --no-clobber refuses to replace it");
        }
    }

    /**
     * The same file through any path: a symbolic link or a hard link to it, or {@code ./a} and
     * {@code a}. An output that does not exist yet is compared by its resolved folder and name, so
     * a link to the folder is seen through too.
     */
    public static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (IOException ignored) {
            // fall through to comparing names
        }
        return resolved(a).equals(resolved(b));
    }

    private static Path resolved(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        try {
            if (dir != null && Files.isDirectory(dir)) return dir.toRealPath().resolve(abs.getFileName());
        } catch (IOException ignored) {
            // keep the absolute form
        }
        return abs;
    }
}
