package dev.graft.format.dl4j;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * Names for a MultiLayerNetwork's layers and input, which DL4J does not fix: a layer keeps its own
 * name when it has a usable one, else gets {@code layer<i>} as DL4J 1.0 would name it; the input
 * is {@code input}. The reader and the conversion to a ComputationGraph both use these names, so
 * graft's layer names are the engine's vertex names (DL4J's own {@code toComputationGraph()}
 * would rename everything {@code "0"}, {@code "1"}, ... and the input {@code "in"}).
 */
record MultiLayerNames(String input, List<String> layers) {

    static MultiLayerNames of(MultiLayerConfiguration conf) {
        int n = conf.getConfs().size();
        // Layers that name themselves keep their names (the first of duplicates wins)...
        String[] names = new String[n];
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String own = conf.getConf(i).getLayer().getLayerName();
            if (own != null && !own.isBlank() && taken.add(own)) names[i] = own;
        }
        // ...then the others are numbered by position.
        for (int i = 0; i < n; i++) {
            if (names[i] == null) {
                names[i] = unique("layer" + i, taken);
                taken.add(names[i]);
            }
        }
        return new MultiLayerNames(unique("input", taken), List.of(names));
    }

    /** {@code base}, or {@code base_1}, {@code base_2}, ... when that is taken. */
    private static String unique(String base, Set<String> taken) {
        String name = base;
        for (int k = 1; taken.contains(name); k++) name = base + "_" + k;
        return name;
    }
}
