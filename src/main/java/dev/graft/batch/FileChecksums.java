package dev.graft.batch;

import dev.graft.format.Checksums;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 of the files a run reads, each hashed once per run (a donor used by 100 merges is read
 * once). A step that writes a file replaces its entry with the new content's hash.
 */
final class FileChecksums {
    private final Map<Path, String> known = new ConcurrentHashMap<>();

    /** The file's SHA-256, or null when it does not exist. */
    String of(Path file) {
        Path id = file.toAbsolutePath().normalize();
        String h = known.get(id);
        if (h != null) return h;
        if (!Files.isRegularFile(id)) return null;
        try {
            h = Checksums.sha256(id);
        } catch (UncheckedIOException e) {
            return null;
        }
        known.put(id, h);
        return h;
    }

    /** Forgets a file about to be rewritten. */
    void forget(Path file) {
        known.remove(file.toAbsolutePath().normalize());
    }
}
