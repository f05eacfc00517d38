package dev.graft.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stderr, where progress goes, is a terminal. {@code System.console()} answers for
 * stdin and stdout instead: {@code train ... 2>train.log} on a terminal would fill the log with
 * redrawn bars, and {@code train --json | jq} would lose them. On Linux the answer is where
 * {@code /proc/self/fd/2} points; elsewhere graft falls back to the console check.
 */
final class Terminal {
    private Terminal() {
    }

    /** A terminal that can redraw a line in place ({@code TERM} set and not {@code dumb}). */
    static boolean stderrRedraws() {
        String term = System.getenv("TERM");
        return term != null && !term.equals("dumb") && stderrIsTerminal();
    }

    static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(fd)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (java.io.IOException | SecurityException e) {
                return false;
            }
        }
        return System.console() != null;
    }

    /**
     * Whether colour may be used: on a terminal, unless {@code NO_COLOR} is set (no-color.org).
     * graft prints no colour today; whatever adds some asks here first.
     */
    static boolean colour() {
        String noColor = System.getenv("NO_COLOR");
        return (noColor == null || noColor.isEmpty()) && stderrRedraws();
    }
}
