package dev.graft.data;

import dev.graft.GraftException;
import dev.graft.format.Overwrite;
import dev.graft.model.HostArray;
import java.util.Collection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where predictions go: one file for one output; for several outputs, a {@code .npz} holding all of
 * them, or one file each named {@code <stem>_<output>.<ext>} next to the path given.
 */
public final class ModelOutputs {
    private ModelOutputs() {
    }

    /**
     * Output name to file; an {@code .npz} path maps every output to itself. Each file is checked
     * against the inputs and the overwrite policy before anything runs.
     */
    public static Map<String, Path> plan(Path out, List<String> names, Overwrite overwrite, Collection<Path> inputs) {
        Map<String, Path> files = new LinkedHashMap<>();
        if (isStdout(out)) {
            if (names.size() != 1) {
                throw new GraftException("the model has " + names.size() + " outputs (" + String.join(", ", names)
                        + "), which cannot all go to standard output as CSV; give -o FILE.npz");
            }
            files.put(names.get(0), out);
            return files;
        }
        boolean npz = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz");
        if (names.size() == 1 || npz) {
            for (String n : names) files.put(n, out);
        } else {
            String file = out.getFileName().toString();
            int dot = file.lastIndexOf('.');
            String stem = dot > 0 ? file.substring(0, dot) : file;
            String ext = dot > 0 ? file.substring(dot) : "";
            for (String n : names) files.put(n, out.resolveSibling(stem + "_" + n.replaceAll("[^A-Za-z0-9_.-]", "_") + ext));
        }
        for (Path p : new java.util.LinkedHashSet<>(files.values())) {
            DataFiles.formatForWriting(p);
            overwrite.check(p, inputs);
        }
        return files;
    }

    /** {@code -o -}: predictions go to standard output, as CSV. */
    public static boolean isStdout(Path out) {
        return out.toString().equals("-");
    }

    public static void write(Map<String, Path> plan, List<String> names, HostArray[] values) {
        write(plan, names, values, null, null);
    }

    /**
     * Writes each output; a CSV output's columns are named after the model's output ({@code dense_1},
     * or {@code dense_1_0, dense_1_1, ...}), after the {@code --keep} columns if any.
     *
     * @param stdout where {@code -} writes
     */
    public static void write(Map<String, Path> plan, List<String> names, HostArray[] values, KeptColumns kept, java.io.Writer stdout) {
        Map<Path, Map<String, HostArray>> byFile = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) byFile.computeIfAbsent(plan.get(names.get(i)), k -> new LinkedHashMap<>()).put(names.get(i), values[i]);
        for (Map.Entry<Path, Map<String, HostArray>> e : byFile.entrySet()) {
            boolean csv = isStdout(e.getKey()) || DataFiles.formatForWriting(e.getKey()) == DataFiles.Format.CSV;
            if (kept != null && (!csv || e.getValue().size() != 1)) {
                throw new GraftException(e.getKey() + ": --keep writes its columns beside the predictions in a CSV output; name the output .csv");
            }
            if (csv && e.getValue().size() == 1) {
                String name = e.getValue().keySet().iterator().next();
                HostArray a = e.getValue().get(name);
                List<String> columns = columnNames(name, a);
                if (isStdout(e.getKey())) {
                    try {
                        CsvWriter.write(stdout, a, columns, kept);
                    } catch (java.io.IOException x) {
                        throw new DataFileException("standard output", "cannot write: " + x.getMessage(), x);
                    }
                } else {
                    CsvWriter.write(e.getKey(), a, columns, kept);
                }
            } else if (e.getValue().size() == 1 && DataFiles.formatForWriting(e.getKey()) != DataFiles.Format.NPZ) {
                DataFiles.write(e.getKey(), e.getValue().values().iterator().next());
            } else {
                DataFiles.write(e.getKey(), e.getValue());
            }
        }
    }

    /** {@code dense_1} for one column, {@code dense_1_0, dense_1_1, ...} for several. */
    static List<String> columnNames(String output, HostArray a) {
        long columns = a.rank() <= 1 ? 1 : a.shape()[1];
        if (columns == 1) return List.of(output);
        List<String> names = new java.util.ArrayList<>();
        for (long c = 0; c < columns; c++) names.add(output + "_" + c);
        return names;
    }
}
