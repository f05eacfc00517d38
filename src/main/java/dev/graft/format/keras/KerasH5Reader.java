package dev.graft.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.format.ModelFileException;
import dev.graft.format.hdf5.H5DatasetInfo;
import dev.graft.format.hdf5.H5DatasetSource;
import dev.graft.format.hdf5.H5File;
import dev.graft.format.hdf5.H5Group;
import dev.graft.format.hdf5.H5Node;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.Weight;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Keras legacy HDF5 model file (Keras 1, Keras 2, tf.keras, and Keras 3's {@code .h5}):
 * the configuration from the root attributes, the weights from {@code model_weights}, read lazily.
 */
public final class KerasH5Reader {
    /** Root attribute where graft records a hybrid's provenance. */
    public static final String PROVENANCE_ATTRIBUTE = "graft_provenance";

    private KerasH5Reader() {
    }

    public static ModelGraph read(Path file) {
        try (H5File h5 = H5File.openReadOnly(file)) {
            String modelConfig = h5.stringAttribute("model_config");
            if (modelConfig == null) throw new ModelFileException(file, whyNoModel(h5));
            JsonNode config = parseJson(file, modelConfig, "model_config");
            String version = h5.stringAttribute("keras_version");
            String backend = h5.stringAttribute("backend");
            boolean hasWeights = h5.isGroup("model_weights");
            if (hasWeights) {
                try (H5Group mw = h5.group("model_weights")) {
                    if (version == null) version = mw.stringAttribute("keras_version");
                    if (backend == null) backend = mw.stringAttribute("backend");
                }
            }
            ModelGraph skeleton = KerasGraphParser.parse(config);
            Map<String, List<Weight>> stored = hasWeights ? storedWeights(file, h5) : Map.of();
            ModelGraph graph = WeightAttacher.attach(skeleton, name -> stored.getOrDefault(name, List.of()));

            ObjectNode training = null;
            String tc = h5.stringAttribute("training_config");
            if (tc != null) training = (ObjectNode) Keras3Spelling.normalize(parseJson(file, tc, "training_config"));
            ObjectNode provenance = null;
            String prov = h5.stringAttribute(PROVENANCE_ATTRIBUTE);
            if (prov != null) provenance = (ObjectNode) parseJson(file, prov, PROVENANCE_ATTRIBUTE);

            // A graft file says Keras 2 unless the model needs Keras 3's meaning of something (KerasH5Writer#versionFor):
            // then its producer is that Keras, so the file reads back as written.
            SourceInfo source = provenance != null && (version == null || !version.startsWith("3"))
                    ? new SourceInfo(file, ModelFormat.KERAS_H5, "graft", provenance.path("graft_version").asText(null), backend, size(file))
                    : new SourceInfo(file, ModelFormat.KERAS_H5, producerOf(version), version, backend, size(file));
            return graph.withTrainingConfig(training).withProvenance(provenance).withIdentity(graph.name(), graph.modelClass(), source);
        } catch (KerasConfigException e) {
            throw new ModelFileException(file, e.getMessage(), e);
        }
    }

    static String producerOf(String version) {
        if (version == null) return "keras";
        return version.contains("-tf") ? "tf.keras" : "keras";
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static JsonNode parseJson(Path file, String text, String what) {
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "attribute '" + what + "' is " + e.getMessage());
        }
    }

    /** A precise reason for an HDF5 file without {@code model_config}. */
    private static String whyNoModel(H5File h5) {
        if (h5.isGroup("inputs") && h5.isGroup("outputs")) {
            return "holds input and output arrays, not a model (no model configuration)";
        }
        if (h5.hasAttribute("layer_names") || h5.isGroup("model_weights") || h5.isGroup("layers")) {
            return "holds weights only, no model configuration (saved with save_weights?); graft needs a full model file";
        }
        return "is an HDF5 file without a Keras model configuration";
    }

    /** Every layer's weights as {@code model_weights} lists them. */
    private static Map<String, List<Weight>> storedWeights(Path file, H5File h5) {
        Map<String, List<Weight>> out = new HashMap<>();
        try (H5Group mw = h5.group("model_weights")) {
            List<String> layerNames = chunkedStrings(mw, "layer_names");
            for (String layerName : layerNames) {
                if (!mw.isGroup(layerName)) continue;
                try (H5Group lg = mw.group(layerName)) {
                    List<Weight> weights = new ArrayList<>();
                    for (String wn : chunkedStrings(lg, "weight_names")) {
                        if (!lg.isDataset(wn)) {
                            throw new ModelFileException(file, "weight '" + wn + "' of layer '" + layerName + "' is listed but missing");
                        }
                        H5DatasetInfo info = lg.datasetInfo(wn);
                        String path = "/model_weights/" + layerName + "/" + wn;
                        weights.add(new Weight(wn, info.shape(), info.dtype(), true, new H5DatasetSource(file, path)));
                    }
                    out.put(layerName, weights);
                }
            }
        }
        return out;
    }

    /** A name-list attribute; Keras splits lists over 64 KB into {@code name0}, {@code name1}, .... */
    static List<String> chunkedStrings(H5Node node, String name) {
        List<String> whole = node.stringsAttribute(name);
        if (whole != null) return whole;
        List<String> all = new ArrayList<>();
        for (int chunk = 0; node.hasAttribute(name + chunk); chunk++) all.addAll(node.stringsAttribute(name + chunk));
        return all;
    }
}
