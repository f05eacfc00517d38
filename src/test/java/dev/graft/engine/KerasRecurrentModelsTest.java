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
 * Recurrent models real Keras 3.15.1 saved with its predictions ({@code keras-reference/recurrent}, made by
 * {@code bench/keras_recurrent_models.py}) with argument values the keras3-zoo does not have: go_backwards returning
 * sequences, Keras 3's hard_sigmoid as activation and recurrent activation, a masked SimpleRNN, a SimpleRNN reading backwards returning its state. graft
 * reproduces them from the {@code .keras} and the {@code .h5} file.
 */
class KerasRecurrentModelsTest {
    static Stream<String> computed() {
        return Stream.of("simplernn_back_seq_hsig", "simplernn_mask", "simplernn_back_state", "lstm_back_seq_hsig", "gru_back_hsig",
                        "masking_dense_gru_seq", "masking_relu_simplernn", "masking_dense_lstm", "embedding_mask_gap", "embedding_mask_dense_gap",
                        "bidi_backward_relu", "bidi_backward_last_sum")
                .flatMap(n -> Stream.of(n + ".keras", n + ".h5"));
    }

    @ParameterizedTest
    @MethodSource("computed")
    void reproducesKerasPredictions(String file) throws Exception {
        HostArray[] y = predict(file);
        StoredPredictions stored = stored(file);
        assertEquals(stored.outputs().size(), y.length);
        for (int i = 0; i < y.length; i++) assertClose(stored.outputs().get(i), y[i], 1e-4);
    }

    /** A wrapped LSTM is DL4J's layer, which reads forward only with Keras 2's hard_sigmoid: what it would compute otherwise is refused. */
    @org.junit.jupiter.api.Test
    void aWrappedLstmReadingBackwardsOrWithKeras3HardSigmoidIsRefused() {
        String[][] changes = {
            {"recurrent_activation", "\"hard_sigmoid\"", "layer 'bidirectional' (Bidirectional): wrapped LSTM: argument recurrent_activation=\"hard_sigmoid\""
                    + " (Keras 3's, relu6(x+3)/6) is not computed inside a wrapper; graft cannot compute this model"},
            {"go_backwards", "true", "layer 'bidirectional' (Bidirectional): wrapped LSTM: argument go_backwards=true is not computed inside a wrapper;"
                    + " graft cannot compute this model"},
        };
        dev.graft.model.ModelGraph model = ModelFiles.read(dev.graft.Fixtures.file("keras3-zoo/bidi_lstm_concat.keras"));
        for (String[] c : changes) {
            java.util.List<dev.graft.model.Layer> layers = new java.util.ArrayList<>();
            for (dev.graft.model.Layer l : model.layers()) {
                if (l.className().equals("Bidirectional")) {
                    com.fasterxml.jackson.databind.node.ObjectNode config = l.config().deepCopy();
                    ((com.fasterxml.jackson.databind.node.ObjectNode) config.path("layer").path("config")).set(c[0], dev.graft.format.Json.parse(c[1]));
                    config.remove("backward_layer");
                    l = l.withConfig(config);
                }
                layers.add(l);
            }
            EngineException e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class,
                    () -> EngineModel.ofKeras(model.withLayers(layers, model.inputs(), model.outputs())));
            org.junit.jupiter.api.Assertions.assertEquals(c[2], e.getMessage());
        }
    }

    /**
     * A Bidirectional(LSTM) or Bidirectional(SimpleRNN) trains as its two halves (DL4J's own Bidirectional fails backwards);
     * the trained halves go back into the one Keras layer exactly, a backward layer unlike the forward one included.
     */
    @org.junit.jupiter.api.Test
    void splitBidirectionalHalvesWriteBack(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // (a backward half with Keras 3's hard_sigmoid is left out: the .h5 graft writes says Keras 2, whose hard_sigmoid differs)
        for (String file : new String[] {"bidi_lstm_concat.keras", "bidi_simplernn_mul.h5"}) {
            WritebackChecks.roundTrip(ModelFiles.read(dev.graft.Fixtures.file("keras3-zoo/" + file)), java.util.Set.of("bidirectional"), tmp, null);
        }
    }

    /** An LSTM with Keras 3's hard_sigmoid trains and writes back to a .h5 that reads back with that hard_sigmoid (the predictions agree). */
    @org.junit.jupiter.api.Test
    void keras3HardSigmoidLstmWritesBack(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        WritebackChecks.Result r = WritebackChecks.roundTrip(ModelFiles.read(dev.graft.Fixtures.file("keras3-zoo/lstm_hard_sigmoid.keras")),
                java.util.Set.of("lstm"), tmp, null);
        assertEquals(3, r.reread().source().kerasMajor());
    }

    /** Layers reading a mask through other layers (the mask as their last feature) write their trained weights back exactly. */
    @org.junit.jupiter.api.Test
    void maskedLayersWriteBack(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        WritebackChecks.roundTrip(ModelFiles.read(folder().resolve("masking_dense_gru_seq.h5")), java.util.Set.of("per_step", "gru", "head"), tmp, null);
        WritebackChecks.roundTrip(ModelFiles.read(folder().resolve("masking_dense_lstm.keras")), java.util.Set.of("lstm", "head"), tmp, null);
        WritebackChecks.roundTrip(ModelFiles.read(folder().resolve("masking_relu_simplernn.keras")), java.util.Set.of("rnn"), tmp, null);
    }

    static HostArray[] predict(String file) throws URISyntaxException {
        StoredPredictions stored = stored(file);
        return EngineModel.ofKeras(ModelFiles.read(folder().resolve(file))).predict(stored.inputs().toArray(HostArray[]::new));
    }

    static StoredPredictions stored(String file) throws URISyntaxException {
        return StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
    }

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasRecurrentModelsTest.class.getResource("/keras-reference/recurrent").toURI());
    }
}
