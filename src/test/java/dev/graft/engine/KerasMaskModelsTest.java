package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models where a Keras mask's values reach a layer that does not read the mask ({@code keras-reference/mask}, made by
 * {@code bench/keras_mask_models.py} with real Keras 3.15.1): Keras's {@code Masking} outputs zeros at masked steps
 * whatever its {@code mask_value}, and a {@code mask_zero} Embedding returns row 0's stored vector at index 0 (the mask
 * comes from the index). graft reproduces them from the {@code .keras} and the {@code .h5} file.
 */
class KerasMaskModelsTest {
    static Stream<String> computed() {
        return Stream.of("masking_neg1_dense", "masking_2_conv1d", "masking_neg1_lstm_zero_step", "masking_half_dense_gru",
                        "embedding_mask_flatten", "embedding_mask_dense_seq")
                .flatMap(n -> Stream.of(n + ".keras", n + ".h5"));
    }

    @ParameterizedTest
    @MethodSource("computed")
    void reproducesKerasPredictions(String file) throws Exception {
        StoredPredictions stored = stored(file);
        HostArray[] y = EngineModel.ofKeras(ModelFiles.read(folder().resolve(file))).predict(stored.inputs().toArray(HostArray[]::new));
        assertEquals(stored.outputs().size(), y.length);
        for (int i = 0; i < y.length; i++) assertClose(stored.outputs().get(i), y[i], 1e-4);
    }

    /** A Dense reading a Masking layer's zeroed values trains and writes back (the zeroing vertex has no weights of its own). */
    @org.junit.jupiter.api.Test
    void denseAfterMaskingWritesBack(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        WritebackChecks.roundTrip(ModelFiles.read(folder().resolve("masking_neg1_dense.keras")), java.util.Set.of("head"), tmp, null);
    }

    /**
     * Row 0 is put back where a mask_zero Embedding's output is all zeros: another all-zero row would get it too, and
     * training would move row 0 (which the engine keeps zero to find the mask), so both are refused.
     */
    @org.junit.jupiter.api.Test
    void embeddingRowZeroCasesTheEngineCannotTellAreRefused() throws Exception {
        dev.graft.model.ModelGraph model = ModelFiles.read(folder().resolve("embedding_mask_flatten.keras"));
        EngineException trained = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> KerasEngine.buildForTraining(model));
        assertEquals("layer 'embed' (Embedding) with mask_zero is trained while a layer reads its values (Keras trains row 0 through"
                + " them; graft's engine keeps it zero to find the mask); graft cannot compute this model", trained.getMessage());

        java.util.List<dev.graft.model.Layer> layers = new java.util.ArrayList<>();
        for (dev.graft.model.Layer l : model.layers()) {
            if (l.name().equals("embed")) {
                dev.graft.model.Weight w = l.weights().get(0);
                float[] v = w.read().toFloatArray();
                java.util.Arrays.fill(v, 3 * 4, 4 * 4, 0f);
                l = l.withWeights(java.util.List.of(dev.graft.model.Weight.inMemory(w.name(), HostArray.ofFloats(w.shape(), v), true)));
            }
            layers.add(l);
        }
        EngineException zeroRow = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class,
                () -> EngineModel.ofKeras(model.withLayers(layers, model.inputs(), model.outputs())));
        assertEquals("layer 'embed' (Embedding) with mask_zero has an all-zero row 3 besides row 0, which graft's engine cannot tell from"
                + " the masked index 0; graft cannot compute this model", zeroRow.getMessage());
    }

    static StoredPredictions stored(String file) throws URISyntaxException {
        return StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
    }

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasMaskModelsTest.class.getResource("/keras-reference/mask").toURI());
    }
}
