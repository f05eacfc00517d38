package dev.graft.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.ParseResult;

/**
 * A command line as text a shell would accept again, for provenance: the same inputs and options
 * must give the same bytes from any working directory and any path to the inputs, so files are
 * named by their file name alone (the provenance pairs each with its checksum), and options that
 * change only what is printed ({@code --json}, {@code --quiet}, {@code --verbose}, {@code --force},
 * {@code --no-clobber}) are left out.
 */
final class CommandLines {
    private static final Set<String> REPORTING_ONLY = Set.of("--json", "--quiet", "-q", "--verbose", "--force", "--no-clobber");

    private CommandLines() {
    }

    static String render(String command, List<String> args) {
        StringBuilder sb = new StringBuilder(command);
        for (String a : args) sb.append(' ').append(quoted(a));
        return sb.toString();
    }

    /** The command that produced a file, without the paths that depend on where it ran. */
    static String portable(ParseResult root) {
        Set<String> paths = new HashSet<>();
        for (ParseResult p = root; p != null; p = p.subcommand()) {
            for (ArgSpec a : p.matchedArgs()) {
                Class<?> type = a.type();
                boolean pathValued = Path.class.isAssignableFrom(type)
                        || a.auxiliaryTypes().length > 0 && Path.class.isAssignableFrom(a.auxiliaryTypes()[0]);
                if (pathValued) paths.addAll(a.originalStringValues());
            }
        }
        List<String> out = new ArrayList<>();
        for (String arg : root.expandedArgs()) {
            if (REPORTING_ONLY.contains(arg)) continue;
            out.add(withoutFolders(arg, paths));
        }
        return render("graft", out);
    }

    /** {@code ../models/a.h5} gives {@code a.h5}; {@code -o=out/h.h5}, {@code x.npy,y.npy} and {@code NAME=dir/f.npy} likewise. */
    private static String withoutFolders(String arg, Set<String> paths) {
        if (paths.contains(arg) || isFile(arg)) return fileName(arg);
        int eq = arg.indexOf('=');
        if (eq > 0) {
            String value = arg.substring(eq + 1);
            if (paths.contains(value) || isFile(value)) return arg.substring(0, eq + 1) + fileName(value);
        }
        if (arg.contains(",")) {
            String[] parts = arg.split(",", -1);
            boolean any = false;
            for (int i = 0; i < parts.length; i++) {
                if (isFile(parts[i])) {
                    parts[i] = fileName(parts[i]);
                    any = true;
                }
            }
            if (any) return String.join(",", parts);
        }
        return arg;
    }

    private static boolean isFile(String s) {
        if (s.isEmpty() || s.startsWith("-")) return false;
        try {
            return Files.isRegularFile(Path.of(s));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String fileName(String s) {
        try {
            Path name = Path.of(s).getFileName();
            return name == null ? s : name.toString();
        } catch (RuntimeException e) {
            return s;
        }
    }

    private static String quoted(String a) {
        return a.matches("[A-Za-z0-9_./:=,+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'";
    }
}
