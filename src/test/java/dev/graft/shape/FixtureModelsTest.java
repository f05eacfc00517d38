package dev.graft.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole real models, layer by layer. Keras 3 {@code .keras} zips record the shape of every tensor
 * on a functional edge and each Sequential layer's build input shape, so every layer call is
 * checked against what Keras computed; the final outputs are those of the fixtures'
 * {@code *_inputs_and_outputs.h5} predictions. Reads the shared fixtures in place and skips when
 * they are absent ({@code -Dgraft.fixtures=DIR}, or the {@code GRAFT_FIXTURES} environment variable).
 */
class FixtureModelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "keras3-seed/seed_ex1_first.keras;              [(None, 32)]",
        "keras3-seed/seed_ex1_hybrid_by_keras.keras;    [(None, 1)]",
        "keras3-seed/seed_ex2_second.keras;             [(None, 1)]",
        "keras3-seed/seed_ex2_hybrid_by_keras.keras;    [(None, 1)]",
        "keras3-seed/seed_ex3_hybrid_by_keras.keras;    [(None, 1)]",
        "keras3-seed/ts_dense_first.keras;              [(None, 16, 16)]",
        "keras3-seed/ts_dense_second.keras;             [(None, 1)]",
        "keras3-seed/ts_dense_hybrid_by_keras.keras;    [(None, 1)]",
        "keras3-seed/ts_reshape_hybrid_by_keras.keras;  [(None, 1)]",
        "wild/climate_simplernn_k392.keras;             [(None, 1)]",
        "wild/crypto_lstm.keras;                        [(None, 1)]",
        "wild/ecg_conv1d_bn_functional_k341.keras;      [(None, 5)]",
        "wild/electricity.keras;                        [(None, 1)]",
        "wild/mnist_digit.keras;                        [(None, 10)]",
        "wild/seq2seq_lstm_2in_k38.keras;               [(None, 60, 1)]",
        "wild/spam_embedding_gru_k3132.keras;           [(None, 1)]",
        "wild/stock_rnn.keras;                          [(None, 1)]",
    })
    void everyLayerAgreesWithTheShapesKerasRecorded(String file, String expectedOutputs) throws IOException {
        KerasModelWalker walker = new KerasModelWalker();
        String outputs = walker.walk(kerasZipConfig(file)).toString();
        assertEquals(java.util.List.of(), walker.mismatches);
        assertTrue(walker.recordedShapesChecked > 0, "the file records no shapes to check against");
        assertEquals(expectedOutputs, outputs);
    }

    /** The custom layer stops the walk, after the nested encoder sub-model checked out. */
    @Test
    void customLayerIsReportedByName() throws IOException {
        KerasModelWalker walker = new KerasModelWalker();
        JsonNode model = kerasZipConfig("wild/speaker_siamese_customlayer_k350.keras");
        ShapeInferenceException e = assertThrows(ShapeInferenceException.class, () -> walker.walk(model));
        assertEquals("unknown layer class 'L1Distance'", e.getMessage());
        assertEquals(java.util.List.of(), walker.mismatches);
        assertTrue(walker.recordedShapesChecked >= 10, "only " + walker.recordedShapesChecked + " shapes checked");
    }

    @Test
    void tsDenseHybridJunctionShapes() throws IOException {
        // The seed's recipe: the extractor gives 16 x 16, the per-step Dense(8) makes the 16 x 8 the LSTM reads.
        KerasModelWalker walker = new KerasModelWalker();
        walker.walk(kerasZipConfig("keras3-seed/ts_dense_hybrid_by_keras.keras"));
        StringBuilder junctions = new StringBuilder();
        for (KerasModelWalker.Call call : walker.calls) {
            junctions.append(call.className()).append(' ').append(call.outputs()).append('\n');
        }
        assertEquals("Conv1D [(None, 32, 16)]\n"
                + "MaxPooling1D [(None, 16, 16)]\n"
                + "Sequential [(None, 16, 16)]\n"
                + "Dense [(None, 16, 8)]\n"
                + "LSTM [(None, 32)]\n"
                + "Dense [(None, 1)]\n"
                + "Sequential [(None, 1)]\n", junctions.toString());
    }

    private static JsonNode kerasZipConfig(String relative) throws IOException {
        Path file = fixtures().resolve(relative);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry("config.json");
            try (InputStream in = zip.getInputStream(entry)) {
                return JSON.readTree(in);
            }
        }
    }

    private static Path fixtures() {
        String dir = System.getProperty("graft.fixtures");
        if (dir == null || !Files.isDirectory(Path.of(dir))) dir = System.getenv("GRAFT_FIXTURES");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "shared fixtures not found (set -Dgraft.fixtures or GRAFT_FIXTURES); skipping real-model shape checks");
        return Path.of(dir);
    }
}
