package dev.graft.engine;

import dev.graft.model.Weight;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code model_weights} group of the Keras 2 file graft used to write for DL4J's importer, held
 * in memory: one group per layer carrying its {@code weight_names}, each weight a dataset at the
 * path its name gives. Paths resolve as libhdf5 resolves them (empty segments skipped) and
 * children list in byte order of their names, as libhdf5 lists them, so code written against that
 * file reads the same weights from here.
 */
final class WeightGroups {
    /** libhdf5 lists links by name, comparing bytes. */
    private static final Comparator<String> BYTE_ORDER = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private static final class Group {
        final Map<String, Group> groups = new TreeMap<>(BYTE_ORDER);
        final Map<String, Weight> datasets = new TreeMap<>(BYTE_ORDER);
        String weightNames = "";
    }

    private final Group root = new Group();

    /** Adds a layer's group: its weights under the names given (as graft wrote them), in the same order. */
    void addLayer(String layerName, List<String> weightNames, List<Weight> weights) {
        Group layer = mkdirs(segments(layerName));
        layer.weightNames = asDl4jReadsThem(weightNames);
        for (int i = 0; i < weightNames.size(); i++) {
            List<String> path = segments(weightNames.get(i));
            if (path.isEmpty()) throw new IllegalStateException("weight " + i + " of layer '" + layerName + "' has an empty name");
            Group parent = layer;
            for (String s : path.subList(0, path.size() - 1)) parent = parent.groups.computeIfAbsent(s, k -> new Group());
            parent.datasets.put(path.get(path.size() - 1), weights.get(i));
        }
    }

    /**
     * The {@code weight_names} attribute as DL4J's {@code Hdf5Archive.readAttributeAsString} returns
     * it: the names are fixed-length, null-padded strings of the longest name's width, which the HDF5
     * C++ library reads into a string that ends at the first null, so a name shorter than the width
     * ends the text (names of exactly that width run into the next).
     */
    static String asDl4jReadsThem(List<String> names) {
        int width = 0;
        for (String n : names) width = Math.max(width, n.getBytes(StandardCharsets.UTF_8).length);
        StringBuilder text = new StringBuilder();
        for (String n : names) {
            text.append(n);
            if (n.getBytes(StandardCharsets.UTF_8).length < width) break;
        }
        return text.toString();
    }

    /** Names of the groups directly under a path, in byte order. */
    List<String> groups(String path) {
        return new ArrayList<>(group(path).groups.keySet());
    }

    /** Names of the datasets directly under a path, in byte order. */
    List<String> dataSets(String path) {
        return new ArrayList<>(group(path).datasets.keySet());
    }

    String weightNames(String path) {
        return group(path).weightNames;
    }

    /** The dataset at a path, or an exception like the one libhdf5 raises for a missing object. */
    Weight dataset(String path) {
        List<String> s = segments(path);
        if (s.isEmpty()) throw missing(path);
        Weight w = group(String.join("/", s.subList(0, s.size() - 1))).datasets.get(s.get(s.size() - 1));
        if (w == null) throw missing(path);
        return w;
    }

    private Group group(String path) {
        Group g = root;
        for (String s : segments(path)) {
            g = g.groups.get(s);
            if (g == null) throw missing(path);
        }
        return g;
    }

    private Group mkdirs(List<String> path) {
        Group g = root;
        for (String s : path) g = g.groups.computeIfAbsent(s, k -> new Group());
        return g;
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) if (!s.isEmpty()) out.add(s);
        return out;
    }

    private static IllegalStateException missing(String path) {
        return new IllegalStateException("no object '" + path + "' among the model's weights");
    }
}
