package dev.graft.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.format.ModelFileException;
import dev.graft.format.hdf5.H5DatasetInfo;
import dev.graft.format.hdf5.H5DatasetSource;
import dev.graft.format.hdf5.H5Exception;
import dev.graft.format.hdf5.H5File;
import dev.graft.format.hdf5.H5Node;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.Weight;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * Reads a Keras 3 {@code .keras} archive: {@code config.json}, {@code metadata.json} and
 * {@code model.weights.h5}. The archive's weights file names variables by position under each
 * layer's snake-case class name ({@code layers/lstm_1/cell/vars/0}); this reader gives them the
 * Keras 2 names ({@code lstm_1/kernel:0}) the rest of graft uses.
 */
public final class KerasZipReader {
    private KerasZipReader() {
    }

    public static ModelGraph read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            JsonNode config = json(file, zip, "config.json");
            JsonNode metadata = zip.getEntry("metadata.json") != null ? json(file, zip, "metadata.json") : Json.object();
            String version = metadata.path("keras_version").asText(null);
            ModelGraph skeleton = KerasGraphParser.parse(config);

            Map<String, List<Weight>> stored = new HashMap<>();
            if (zip.getEntry("model.weights.h5") != null) {
                // Read in place: the weights' sources name the archive, which H5File reads as its weights member.
                Path weightsFile = file;
                try (H5File h5 = H5File.openReadOnly(weightsFile)) {
                    if (h5.isGroup("layers")) collect(weightsFile, h5, "layers", skeleton, stored);
                } catch (H5Exception e) {
                    throw new ModelFileException(file, "model.weights.h5 inside the archive is unreadable: " + e.getMessage());
                }
            }
            ModelGraph graph = WeightAttacher.attach(skeleton, name -> stored.getOrDefault(name, List.of()));
            ObjectNode training = trainingConfig(config.get("compile_config"));
            ObjectNode provenance = metadata.path(KerasZipWriter.PROVENANCE_KEY) instanceof ObjectNode p ? p : null;
            // graft's archives record whose semantics their numbers follow; a Keras 3 model's stay Keras 3's.
            boolean graftKeras2 = provenance != null && provenance.path(KerasZipWriter.SEMANTICS_KEY).asInt(2) == 2;
            SourceInfo source = graftKeras2
                    ? new SourceInfo(file, ModelFormat.KERAS_ZIP, "graft", provenance.path("graft_version").asText(null), null, KerasH5Reader.size(file))
                    : new SourceInfo(file, ModelFormat.KERAS_ZIP, "keras", version, null, KerasH5Reader.size(file));
            return graph.withTrainingConfig(training).withProvenance(provenance).withIdentity(graph.name(), graph.modelClass(), source);
        } catch (IOException e) {
            throw new ModelFileException(file, "unreadable .keras archive: " + e.getMessage());
        } catch (KerasConfigException e) {
            throw new ModelFileException(file, e.getMessage(), e);
        }
    }

    private static JsonNode json(Path file, ZipFile zip, String entry) {
        String text = dev.graft.format.ZipEntries.readText(file, zip, zip.getEntry(entry), dev.graft.format.ZipEntries.MAX_JSON_BYTES);
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, entry + " is " + e.getMessage());
        }
    }

    /**
     * Walks {@code <prefix>/<snake_name>} for each layer of {@code graph} in Keras 3's naming order,
     * adding the layer's variables to {@code out} under the layer's name. A nested model's variables
     * are collected under the nested model's name, with its inner layer names in their paths.
     */
    private static void collect(Path weightsFile, H5Node h5, String prefix, ModelGraph graph, Map<String, List<Weight>> out) {
        Map<String, Integer> used = new HashMap<>();
        for (Layer layer : graph.layers()) {
            // A Sequential's layer list leaves out its InputLayer; a Functional's keeps it.
            if (layer.isInput() && "Sequential".equals(graph.modelClass())) continue;
            String snake = snakeCase(layer.className());
            int n = used.merge(snake, 1, Integer::sum) - 1;
            String path = prefix + "/" + (n == 0 ? snake : snake + "_" + n);
            if (!h5.isGroup(path)) continue;
            List<Weight> weights = new ArrayList<>();
            if (layer.nested() != null) {
                Map<String, List<Weight>> inner = new HashMap<>();
                collect(weightsFile, h5, path + "/layers", layer.nested(), inner);
                for (Layer l : layer.nested().layers()) {
                    for (Weight w : inner.getOrDefault(l.name(), List.of())) weights.add(w.withName(layer.name() + "/" + w.name()));
                }
            } else {
                layerVariables(weightsFile, h5, path, layer.name(), layer.className(), layer.config(), weights);
            }
            out.put(layer.name(), weights);
        }
    }

    /** A layer's own variables, then those of the layers it wraps (RNN cell, Bidirectional halves, TimeDistributed). */
    private static void layerVariables(Path weightsFile, H5Node h5, String path, String weightPrefix, String className,
                                       JsonNode config, List<Weight> out) {
        List<String> vars = variableNames(h5, path + "/vars");
        List<String> roles = KerasVariableRoles.roles(className, config, vars.size());
        for (int i = 0; i < vars.size(); i++) {
            String ds = path + "/vars/" + vars.get(i);
            H5DatasetInfo info = h5.datasetInfo(ds);
            out.add(new Weight(weightPrefix + "/" + roles.get(i) + ":0", info.shape(), info.dtype(), true,
                    new H5DatasetSource(weightsFile, "/" + ds)));
        }
        if ("MultiHeadAttention".equals(className) || KerasVariablePaths.isGroupedQuery(className)) {
            // Its projections are sub-layers; Keras 2 and Keras 3's .h5 name them query, key, value, attention_output.
            // GroupedQueryAttention's .keras names its sub-layers after their attributes, underscore included.
            String u = KerasVariablePaths.isGroupedQuery(className) ? "_" : "";
            String[][] parts = {{u + "query_dense", "query"}, {u + "key_dense", "key"}, {u + "value_dense", "value"},
                    {u + "output_dense", "attention_output"}};
            for (String[] part : parts) {
                if (h5.isGroup(path + "/" + part[0])) {
                    layerVariables(weightsFile, h5, path + "/" + part[0], weightPrefix + "/" + part[1], "EinsumDense", config, out);
                }
            }
        }
        if (h5.isGroup(path + "/cell")) {
            layerVariables(weightsFile, h5, path + "/cell", weightPrefix, className, config, out);
        }
        JsonNode inner = config.path("layer");
        if (inner.isObject()) {
            String innerClass = inner.path("class_name").asText();
            JsonNode innerConfig = inner.path("config");
            if ("Bidirectional".equals(className)) {
                String innerName = innerConfig.path("name").asText(snakeCase(innerClass));
                // Keras 2 order and names: forward half first.
                layerVariables(weightsFile, h5, path + "/forward_layer", weightPrefix + "/forward_" + innerName, innerClass, innerConfig, out);
                layerVariables(weightsFile, h5, path + "/backward_layer", weightPrefix + "/backward_" + innerName, innerClass, innerConfig, out);
            } else if (h5.isGroup(path + "/layer")) {
                layerVariables(weightsFile, h5, path + "/layer", weightPrefix, innerClass, innerConfig, out);
            }
        }
    }

    /** Dataset names under a {@code vars} group in numeric order (HDF5 lists them as text: 0, 1, 10, 11, 2, ...). */
    private static List<String> variableNames(H5Node h5, String varsPath) {
        if (!h5.isGroup(varsPath)) return List.of();
        List<String> names = new ArrayList<>();
        try (var g = h5.group(varsPath)) {
            for (String c : g.children()) if (g.isDataset(c)) names.add(c);
        }
        names.sort((a, b) -> {
            boolean na = a.matches("\\d+"), nb = b.matches("\\d+");
            return na && nb ? Integer.compare(Integer.parseInt(a), Integer.parseInt(b)) : a.compareTo(b);
        });
        return names;
    }

    /**
     * Keras's {@code naming.to_snake_case} of the Python class an archive's class name stands for: an alias names the
     * class it stands for ({@code GroupQueryAttention} is {@code GroupedQueryAttention}, whose variables Keras keeps
     * under {@code grouped_query_attention}).
     */
    static String snakeCase(String className) {
        String s = Keras3Classes.get().canonical(className).replaceAll("\\W+", "");
        s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** Keras 3's {@code compile_config} in the shape of Keras 2's {@code training_config}. */
    static ObjectNode trainingConfig(JsonNode compile) {
        if (compile == null || !compile.isObject()) return null;
        ObjectNode c = (ObjectNode) Keras3Spelling.normalize(compile.deepCopy());
        ObjectNode out = Json.object();
        JsonNode opt = c.remove("optimizer");
        if (opt != null && opt.isObject()) {
            ObjectNode oc = Json.object();
            oc.put("class_name", opt.path("class_name").asText());
            oc.set("config", opt.path("config").deepCopy());
            out.set("optimizer_config", oc);
        } else if (opt != null && opt.isTextual()) {
            ObjectNode oc = Json.object();
            oc.put("class_name", opt.asText());
            oc.set("config", Json.object());
            out.set("optimizer_config", oc);
        }
        out.setAll(c);
        return out;
    }
}
