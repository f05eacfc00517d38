package dev.graft.format.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.Fixtures;
import dev.graft.format.Json;
import dev.graft.format.ModelFiles;
import dev.graft.format.hdf5.H5File;
import dev.graft.format.hdf5.H5Group;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import dev.graft.surgery.Flattener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files graft writes reopen in graft with the same graph and weights, follow Keras 2's legacy
 * layout (the attributes and groups Keras's loader reads), and are the same bytes when written twice.
 */
class KerasH5WriterTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keras/io/simple_flatten_rnn_tf_keras_2_model.h5", "keras3-seed/ts_dense_hybrid_by_keras.keras",
        "wild/parkinsons_hybrid_2in_concat_k38.h5", "wild/nslkdd_conv1d_bn_bilstm_tf210.h5", "wild/sentiment_embedding_gru_k36.h5",
        "keras/models/examples__deepfm__deepfm.h5", "keras3-zoo/mha_cross_value_dim.keras", "keras3-zoo/transformer_postnorm_relu.keras",
        "wild/seq2seq_lstm_2in_k38.keras", "keras3-zoo/lstm_initial_state.keras"})
    void reopensWithTheSameGraphAndWeights(String fixture) throws Exception {
        ModelGraph original = Flattener.flatten(ModelFiles.read(Fixtures.file(fixture)));
        Path out = dir.resolve("model.h5");
        KerasH5Writer.write(original, out);
        ModelGraph back = ModelFiles.read(out);

        assertEquals(original.layers().size(), back.layers().size());
        for (Layer l : original.layers()) {
            Layer b = back.layer(l.name());
            assertNotNull(b, l.name());
            assertEquals(l.className(), b.className());
            assertEquals(l.calls(), b.calls(), "wiring of " + l.name());
            assertEquals(l.weights().size(), b.weights().size());
            for (int i = 0; i < l.weights().size(); i++) {
                Weight w = l.weights().get(i);
                assertTrue(w.read().bitEquals(b.weights().get(i).read()), "weight " + w.name());
                assertEquals(w.trainable(), b.weights().get(i).trainable());
            }
        }
        assertEquals(original.inputs(), back.inputs());
        assertEquals(original.outputs(), back.outputs());
        assertLegacyLayout(out, original);

        Path again = dir.resolve("again.h5");
        KerasH5Writer.write(original, again);
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again), "same model, same bytes");
    }

    /** What keras/src/legacy/saving/legacy_h5_format.py reads. */
    private static void assertLegacyLayout(Path file, ModelGraph model) {
        try (H5File h5 = H5File.openReadOnly(file)) {
            assertEquals(KerasH5Writer.KERAS_VERSION, h5.stringAttribute("keras_version"));
            assertEquals("tensorflow", h5.stringAttribute("backend"));
            JsonNode config = Json.parse(h5.stringAttribute("model_config"));
            assertEquals("Model", config.path("class_name").asText());
            assertEquals(model.layers().size(), config.path("config").path("layers").size());
            for (JsonNode l : config.path("config").path("layers")) {
                assertTrue(l.has("name") && l.has("class_name") && l.has("config") && l.path("inbound_nodes").isArray(), l.toString());
                assertTrue(!l.toString().contains("\"Orthogonal\""), "no Orthogonal initializer (DL4J hangs on it)");
                if ("LSTM".equals(l.path("class_name").asText()) && l.path("inbound_nodes").get(0).isObject()) {
                    // An LSTM given initial states: Keras 3 takes them only as the keyword initial_state.
                    assertEquals(2, l.path("inbound_nodes").get(0).path("kwargs").path("initial_state").size(), l.toString());
                }
                if ("MultiHeadAttention".equals(l.path("class_name").asText())) {
                    // Keras 3 calls it (query, value) only from its own node form; the list form hands it one list.
                    JsonNode node = l.path("inbound_nodes").get(0);
                    assertTrue(node.isObject() && node.path("args").size() == 2, node.toString());
                    assertEquals("__keras_tensor__", node.path("args").get(1).path("class_name").asText());
                }
            }
            try (H5Group mw = h5.group("model_weights")) {
                List<String> names = mw.stringsAttribute("layer_names");
                assertEquals(model.layers().stream().map(Layer::name).toList(), names);
                for (Layer l : model.layers()) {
                    try (H5Group g = mw.group(l.name())) {
                        List<String> weightNames = g.stringsAttribute("weight_names");
                        assertEquals(l.weights().size(), weightNames.size(), "weight_names of " + l.name());
                        for (String w : weightNames) {
                            assertTrue(w.startsWith(l.name() + "/") && w.endsWith(":0"), w);
                            assertTrue(g.isDataset(w), "dataset " + w);
                        }
                    }
                }
            }
        }
    }
}
