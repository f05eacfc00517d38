package dev.graft.data;

import dev.graft.GraftException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data files given once per model input (or output) in the model's order, or as {@code NAME=FILE}:
 * the files in the model's order. Named files first; files given in order fill the rest, in order,
 * as {@code predict --input} binds them.
 */
public final class NamedFiles {
    private NamedFiles() {
    }

    /**
     * @param option the option the files came with, for messages ({@code --x})
     * @param what   {@code input} or {@code output}, for messages
     */
    public static List<Path> inModelOrder(List<String> specs, List<String> names, String option, String what) {
        Map<String, Path> byName = new LinkedHashMap<>();
        List<Path> positional = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq > 0 && names.contains(spec.substring(0, eq))) {
                if (byName.put(spec.substring(0, eq), Path.of(spec.substring(eq + 1))) != null) {
                    throw new GraftException(option + ": two files for model " + what + " '" + spec.substring(0, eq) + "'");
                }
            } else {
                positional.add(Path.of(spec));
            }
        }
        if (byName.size() + positional.size() != names.size()) {
            throw new GraftException("the model has " + names.size() + " " + what + "(s) (" + String.join(", ", names) + ") but "
                    + specs.size() + " " + option + " file(s) were given; give " + option + " FILE once per " + what
                    + " in that order, or " + option + " NAME=FILE");
        }
        List<Path> out = new ArrayList<>();
        int next = 0;
        for (String n : names) out.add(byName.containsKey(n) ? byName.get(n) : positional.get(next++));
        return out;
    }
}
