package dev.graft.format;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names, tracks and cleans up graft's temporary files. Every temporary file carries the id of the
 * process that made it ({@code .OUT.graft-PID-N.KIND.tmp} beside an output), is deleted by a
 * shutdown hook when the run ends in any way the JVM sees, and, when the run was killed (kill -9,
 * a crash, a power cut), by the next graft that writes in that folder: a temporary file whose
 * process is gone is a leftover. Older versions also wrote {@code graft-engine-PID-N.h5} for
 * the engine in the temporary folder; those leftovers are swept too.
 */
public final class TempFiles {
    /** {@code .<output name>.graft-<pid>-<n>.<kind>.tmp} */
    private static final Pattern BESIDE = Pattern.compile("^\\..+\\.graft-(\\d+)-\\d+\\.[a-z0-9]+\\.tmp$");
    /** {@code graft-engine-<pid>-<n>.h5} */
    private static final Pattern ENGINE = Pattern.compile("^graft-engine-(\\d+)-\\d+\\.h5$");
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : LIVE) deleteQuietly(p);
        }, "graft-temp-cleanup"));
    }

    private TempFiles() {
    }

    /**
     * A fresh, not yet existing temporary path beside {@code target} (same folder, so the final
     * rename is atomic), registered for deletion at exit. Leftovers of killed runs in that folder
     * are removed first.
     */
    public static Path beside(Path target, String kind) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        sweep(dir);
        Path p = dir.resolve("." + absolute.getFileName() + ".graft-" + PID + "-" + COUNTER.incrementAndGet() + "." + kind + ".tmp");
        LIVE.add(p);
        return p;
    }

    /** Deletes a temporary file (if it still exists) and forgets it. */
    public static void release(Path p) {
        deleteQuietly(p);
        LIVE.remove(p);
    }

    /** Forgets a temporary file that was renamed into place. */
    public static void renamed(Path p) {
        LIVE.remove(p);
    }

    /** True for a name graft gives its temporary files. */
    public static boolean isTemporaryName(String name) {
        return BESIDE.matcher(name).matches() || ENGINE.matcher(name).matches();
    }

    /** Removes graft's temporary files in {@code dir} whose process no longer runs. Never fails. */
    public static int sweep(Path dir) {
        int removed = 0;
        if (dir == null) return 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, TempFiles::looksTemporary)) {
            for (Path f : files) {
                long pid = pidOf(f.getFileName().toString());
                if (pid < 0 || pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                try {
                    Files.deleteIfExists(f);
                    removed++;
                } catch (IOException ignored) {
                    // Someone else's file, or a read-only folder: not ours to insist on.
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // A folder that cannot be listed has nothing we could remove.
        }
        return removed;
    }

    private static boolean looksTemporary(Path p) {
        String n = p.getFileName().toString();
        return (n.startsWith(".") && n.endsWith(".tmp") && n.contains(".graft-")) || (n.startsWith("graft-engine-") && n.endsWith(".h5"));
    }

    private static long pidOf(String name) {
        for (Pattern pattern : new Pattern[] {BESIDE, ENGINE}) {
            Matcher m = pattern.matcher(name);
            if (m.matches()) {
                try {
                    return Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort.
        }
    }
}
