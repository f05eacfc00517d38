package dev.graft.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether an output can be written where it is asked for: its folder exists, is writable and has
 * room. Checked before the work (training can take hours) and before libhdf5 writes (it crashes
 * when the disk fills under it), so a full disk or a read-only folder is one clear line.
 */
public final class WriteRoom {
    /** Room kept free beyond the expected size: file-system metadata, HDF5's own overhead. */
    static final long MARGIN = 1L << 20;

    private WriteRoom() {
    }

    /** Null when {@code target} can be written with about {@code expectedBytes}; else the problem, naming the folder. */
    public static String problem(Path target, long expectedBytes) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) return "folder " + dir + " does not exist";
        if (!Files.isWritable(dir)) return "folder " + dir + " is read-only (no permission to create files there)";
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < Math.max(0, expectedBytes) + MARGIN) {
                return "not enough free space in " + dir + " (" + free + " bytes free, the output needs about " + (expectedBytes + MARGIN) + ")";
            }
        } catch (IOException | SecurityException e) {
            return null; // a file system that cannot say how full it is: the write itself will tell
        }
        return null;
    }

    /** Throws an IOException with {@link #problem}'s message. */
    public static void require(Path target, long expectedBytes) throws IOException {
        String p = problem(target, expectedBytes);
        if (p != null) throw new IOException(p);
    }
}
