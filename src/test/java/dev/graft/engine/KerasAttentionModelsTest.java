package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models real Keras 3.15.1 saved with its predictions ({@code keras-reference/attention}, made by
 * {@code bench/keras_attention_models.py}): an LSTM followed by self-attention, a {@code Bidirectional(GRU)} averaging its
 * halves into a causal {@code AdditiveAttention}, and a {@code Bidirectional(LSTM)} returning both halves
 * ({@code merge_mode=None}), and {@code TimeDistributed} Conv1D and Flatten over frames; graft reproduces them from the
 * {@code .keras} and the {@code .h5} file.
 */
class KerasAttentionModelsTest {
    @ParameterizedTest
    @ValueSource(strings = {"lstm_attention.h5", "lstm_attention.keras", "bigru_ave_additive.h5", "bigru_ave_additive.keras",
            "bilstm_none.h5", "bilstm_none.keras", "td_conv_flatten.h5", "td_conv_flatten.keras"})
    void reproducesKerasPredictions(String file) throws Exception {
        Path model = folder().resolve(file);
        StoredPredictions stored = StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
        HostArray[] y = EngineModel.ofKeras(ModelFiles.read(model)).predict(stored.inputs().toArray(HostArray[]::new));
        assertEquals(stored.outputs().size(), y.length);
        for (int i = 0; i < y.length; i++) assertClose(stored.outputs().get(i), y[i], 1e-4);
    }

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasAttentionModelsTest.class.getResource("/keras-reference/attention").toURI());
    }
}
