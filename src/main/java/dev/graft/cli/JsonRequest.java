package dev.graft.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether a command line asked for {@code --json}, read from the raw arguments: a usage error can
 * happen before picocli has matched any option, and the error must still be a JSON document.
 * Arguments after {@code --} are operands; {@code @file} arguments are read as picocli reads them.
 */
final class JsonRequest {
    private JsonRequest() {
    }

    static boolean in(String... args) {
        return in(List.of(args), 0);
    }

    private static boolean in(List<String> args, int depth) {
        for (String a : args) {
            if (a.equals("--")) return false;
            if (a.equals("--json")) return true;
            if (a.startsWith("@") && a.length() > 1 && depth < 3) {
                try {
                    String text = Files.readString(Path.of(a.substring(1)));
                    if (in(List.of(text.trim().split("\\s+")), depth + 1)) return true;
                } catch (IOException | RuntimeException ignored) {
                    // not an argument file: picocli will say so
                }
            }
        }
        return false;
    }
}
