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
        return Stream.of("masking_neg1_dense", "masking_2_conv1d", "masking_neg1_lstm_zero_step", "masking_half_dense_gru")
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

    static StoredPredictions stored(String file) throws URISyntaxException {
        return StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
    }

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasMaskModelsTest.class.getResource("/keras-reference/mask").toURI());
    }
}
