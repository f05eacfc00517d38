package dev.graft.testutil;

import dev.graft.format.Json;
import dev.graft.format.hdf5.H5File;
import dev.graft.model.HostArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs and the predictions Keras itself computed, from a fixture's
 * {@code *_inputs_and_outputs.h5}: groups {@code inputs/} and {@code outputs/} (and, in the older
 * DL4J test files, {@code predictions/}, which is what the model computed when {@code outputs/}
 * holds the training targets), in the order the root attributes list them.
 */
public record StoredPredictions(List<String> inputNames, List<HostArray> inputs, List<String> outputNames, List<HostArray> outputs) {
    public static StoredPredictions read(Path file) {
        try (H5File h = H5File.openReadOnly(file)) {
            List<String> in = names(h.stringAttribute("inputs"), "inputs");
            List<String> out = names(h.stringAttribute("outputs"), "outputs");
            List<HostArray> xs = new ArrayList<>();
            for (String n : in) xs.add(h.readDataset("inputs/" + n));
            String group = h.isGroup("predictions") ? "predictions" : "outputs";
            List<HostArray> ys = new ArrayList<>();
            for (String n : out) ys.add(h.readDataset(group + "/" + n));
            return new StoredPredictions(in, xs, out, ys);
        }
    }

    private static List<String> names(String attr, String key) {
        List<String> names = new ArrayList<>();
        var node = Json.parse(attr);
        (node.isArray() ? node : node.path(key)).forEach(n -> names.add(n.asText()));
        return names;
    }
}
