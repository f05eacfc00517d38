package dev.graft.data;

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
        for (Path p : new java.util.HashSet<>(files.values())) {
            DataFiles.formatForWriting(p);
            overwrite.check(p, inputs);
        }
        return files;
    }

    public static void write(Map<String, Path> plan, List<String> names, HostArray[] values) {
        Map<Path, Map<String, HostArray>> byFile = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) byFile.computeIfAbsent(plan.get(names.get(i)), k -> new LinkedHashMap<>()).put(names.get(i), values[i]);
        for (Map.Entry<Path, Map<String, HostArray>> e : byFile.entrySet()) {
            if (e.getValue().size() == 1 && DataFiles.formatForWriting(e.getKey()) != DataFiles.Format.NPZ) {
                DataFiles.write(e.getKey(), e.getValue().values().iterator().next());
            } else {
                DataFiles.write(e.getKey(), e.getValue());
            }
        }
    }
}
