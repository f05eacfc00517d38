package dev.graft.format.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.Fixtures;
import dev.graft.format.Json;
import dev.graft.format.ModelFiles;
import dev.graft.format.hdf5.H5DatasetInfo;
import dev.graft.format.hdf5.H5File;
import dev.graft.format.hdf5.H5Node;
import dev.graft.model.ModelGraph;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * graft's {@code .keras} archive of a zoo model against the archive real Keras 3.15.1 wrote of the
 * same model: the same variable paths and shapes in {@code model.weights.h5}, the same layer
 * configurations up to key order and the keys Keras fills by default (here: the ids Keras uses to
 * share objects while saving, and {@code build_config}, which Keras records as it happened to build).
 * graft converts Keras's own legacy {@code .h5} of the case, so nothing of Keras's archive is read.
 */
class KerasZipWriterTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"concat_last", "bidi_lstm_concat", "bidi_gru_concat_seq_reset_before", "gru_default", "lstm_seq",
        "batchnorm_default", "conv2d_same_s21", "embedding_10x4", "td_dense", "two_in_two_out", "small_cnn", "prelu",
        "leakyrelu_02", "relu_slope_thresh", "stacked_lstm_lstm", "layernorm_default", "sepconv2d_k3", "dwconv2d_k3",
        "mha_self", "mha_cross_value_dim", "transformer_postnorm_relu"})
    void matchesKerasOwnArchive(String name) throws IOException {
        Path keras = Fixtures.file("keras3-zoo/" + name + ".keras");
        Path legacy = Fixtures.file("keras3-zoo/" + name + ".h5");
        Path ours = dir.resolve(name + ".keras");
        KerasZipWriter.write(ModelFiles.read(legacy), ours);

        assertEquals(variables(keras), variables(ours), "variable paths and shapes in model.weights.h5");
        Map<String, JsonNode> expected = layerConfigs(keras);
        Map<String, JsonNode> actual = layerConfigs(ours);
        assertEquals(expected.keySet(), actual.keySet(), "layers");
        for (String layer : expected.keySet()) assertEquals(expected.get(layer), actual.get(layer), "layer " + layer);
    }

    @Test
    void sameModelSameBytes() throws IOException {
        ModelGraph m = ModelFiles.read(Fixtures.file("keras3-seed/ts_dense_hybrid_by_keras.h5"));
        Path a = dir.resolve("a.keras");
        Path b = dir.resolve("b.keras");
        KerasZipWriter.write(m, a);
        KerasZipWriter.write(m, b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        try (ZipFile z = new ZipFile(a.toFile())) {
            List<String> names = new ArrayList<>();
            z.stream().forEach(e -> names.add(e.getName()));
            assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"), names);
            JsonNode meta = json(z, "metadata.json");
            assertEquals("3.15.1", meta.path("keras_version").asText());
            assertEquals(3, meta.path(KerasZipWriter.PROVENANCE_KEY).path(KerasZipWriter.SEMANTICS_KEY).asInt(), "a Keras 3 donor keeps Keras 3 semantics");
            JsonNode config = json(z, "config.json");
            assertEquals("Functional", config.path("class_name").asText());
            assertEquals("binary_crossentropy", config.path("compile_config").path("loss").asText());
            assertEquals("keras.optimizers", config.path("compile_config").path("optimizer").path("module").asText());
        }
        assertTrue(ModelFiles.read(a).provenance().has("graft_version"), "provenance kept in metadata.json");
    }

    /** Dataset path -> shape, optimizer state left out (graft writes none). */
    private Map<String, String> variables(Path archive) throws IOException {
        Path h5 = dir.resolve(archive.getFileName() + ".weights.h5");
        try (ZipFile z = new ZipFile(archive.toFile()); InputStream in = z.getInputStream(z.getEntry("model.weights.h5"))) {
            Files.copy(in, h5, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, String> out = new TreeMap<>();
        try (H5File f = H5File.openReadOnly(h5)) {
            walk(f, "", out);
        }
        return out;
    }

    private static void walk(H5Node node, String prefix, Map<String, String> out) {
        for (String child : node.children()) {
            String path = prefix + child;
            if (path.startsWith("optimizer") || path.contains("/optimizer")) continue;
            if (node.isDataset(child)) {
                H5DatasetInfo info = node.datasetInfo(child);
                out.put(path, Arrays.toString(info.shape()));
            } else if (node.isGroup(child)) {
                try (var g = node.group(child)) {
                    walk(g, path + "/", out);
                }
            }
        }
    }

    /** Layer name -> {class_name, module, config} for every layer, nested Sequentials included. */
    private static Map<String, JsonNode> layerConfigs(Path archive) throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        try (ZipFile z = new ZipFile(archive.toFile())) {
            collect(json(z, "config.json"), out);
        }
        return out;
    }

    private static void collect(JsonNode model, Map<String, JsonNode> out) {
        for (JsonNode l : model.path("config").path("layers")) {
            String cls = l.path("class_name").asText();
            if (cls.equals("Sequential") || cls.equals("Functional")) {
                collect(l, out);
                continue;
            }
            ObjectNode o = Json.object();
            o.put("class_name", cls);
            o.set("module", l.get("module"));
            o.set("config", withoutSavingIds(l.get("config").deepCopy()));
            out.put(l.path("config").path("name").asText(), o);
        }
    }

    private static JsonNode withoutSavingIds(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove("shared_object_id");
            o.remove("build_config");
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) withoutSavingIds(it.next().getValue());
        } else if (n != null && n.isArray()) {
            n.forEach(KerasZipWriterTest::withoutSavingIds);
        }
        return n;
    }

    private static JsonNode json(ZipFile z, String entry) throws IOException {
        ZipEntry e = z.getEntry(entry);
        assertNotNull(e, entry);
        try (InputStream in = z.getInputStream(e)) {
            return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
