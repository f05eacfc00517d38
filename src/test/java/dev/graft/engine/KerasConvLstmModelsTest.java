package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graft.Fixtures;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ConvLSTM models real Keras 3.15.1 saved with its predictions ({@code keras-reference/convlstm}, made by
 * {@code bench/keras_convlstm_models.py}) with argument values the keras3-zoo does not have: strides with same padding,
 * dilation, channels first, go_backwards, return_state (h and c used, with and without sequences), both hard_sigmoids,
 * relu and linear activations, no bias. graft reproduces them from the {@code .keras} and the {@code .h5} file, and the
 * tf.keras ConvLSTM2D fixtures (Keras 2's hard_sigmoid, channels first and last, go_backwards) as Keras computes them.
 */
class KerasConvLstmModelsTest {
    static Stream<String> computed() {
        return Stream.of("convlstm2d_same_strides", "convlstm2d_dilation_cf", "convlstm2d_state_head", "convlstm1d_seq_state_cf",
                        "convlstm1d_dilated_same")
                .flatMap(n -> Stream.of(n + ".keras", n + ".h5"));
    }

    @ParameterizedTest
    @MethodSource("computed")
    void reproducesKerasPredictions(String file) throws Exception {
        StoredPredictions stored = stored(file.substring(0, file.lastIndexOf('.')));
        HostArray[] y = EngineModel.ofKeras(ModelFiles.read(folder().resolve(file))).predict(stored.inputs().toArray(HostArray[]::new));
        assertEquals(stored.outputs().size(), y.length);
        for (int i = 0; i < y.length; i++) assertClose(stored.outputs().get(i), y[i], 1e-5);
    }

    /**
     * tf.keras 2.2.4 files: ConvLSTM2D pairs, channels first and last, valid and same, forwards and backwards, Keras 2's
     * hard_sigmoid; and Bidirectional(ConvLSTM2D) pairs concatenating their sequences (18, 26; and 0, 16, 24, whose wrapped layer reads
     * backwards, which Keras 3 refuses to load: their numbers are tf.keras's Bidirectional composed from two ConvLSTM2D layers).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 9, 11, 17, 19, 18, 26, 0, 16, 24})
    void tfKerasFixturesComputeAsKeras(int n) throws Exception {
        Path model = Fixtures.file("keras/models/tfkeras__convlstm2d_" + n + ".h5");
        StoredPredictions stored = stored("tfkeras__convlstm2d_" + n);
        HostArray[] y = EngineModel.ofKeras(ModelFiles.read(model)).predict(stored.inputs().toArray(HostArray[]::new));
        assertClose(stored.outputs().get(0), y[0], 1e-5);
    }

    @Test
    void convLstm3DIsRefusedNamingTheLayer() throws Exception {
        EngineException e = assertThrows(EngineException.class,
                () -> EngineModel.ofKeras(ModelFiles.read(folder().resolve("convlstm3d_small.keras"))));
        assertEquals("layer 'convlstm' is a Keras ConvLSTM3D layer, which graft's engine does not compute; graft cannot compute this model",
                e.getMessage());
    }

    /**
     * Trained ConvLSTMs write back to a .h5 exactly: a layer returning its states (the engine's packed layer) and the Dense after
     * it, a channels-first ConvLSTM1D with Keras 3's hard_sigmoid, and one of two tf.keras channels-first ConvLSTM2Ds reading
     * backwards with Keras 2's hard_sigmoid, whose untrained neighbour stays bit for bit.
     */
    @Test
    void trainedConvLstmsWriteBackExactly(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        WritebackChecks.roundTrip(ModelFiles.read(folder().resolve("convlstm2d_state_head.keras")), java.util.Set.of("convlstm", "head"), tmp, null);
        WritebackChecks.Result r = WritebackChecks.roundTrip(ModelFiles.read(folder().resolve("convlstm1d_seq_state_cf.h5")),
                java.util.Set.of("convlstm"), tmp, null);
        assertEquals(3, r.reread().source().kerasMajor());
        WritebackChecks.roundTrip(ModelFiles.read(Fixtures.file("keras/models/tfkeras__convlstm2d_9.h5")), java.util.Set.of("conv_lst_m2d_10"), tmp, null);
        // a Bidirectional(ConvLSTM2D) trains as its halves, which go back into the one Keras layer
        WritebackChecks.roundTrip(ModelFiles.read(Fixtures.file("keras/models/tfkeras__convlstm2d_0.h5")), java.util.Set.of("bidirectional"), tmp, null);
    }

    static StoredPredictions stored(String stem) throws URISyntaxException {
        return StoredPredictions.read(folder().resolve(stem + "_inputs_and_outputs.h5"));
    }

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasConvLstmModelsTest.class.getResource("/keras-reference/convlstm").toURI());
    }
}
