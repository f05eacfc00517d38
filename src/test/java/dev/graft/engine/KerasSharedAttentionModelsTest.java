package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.shape.GraphShapes;
import dev.graft.testutil.StoredPredictions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attention layers called more than once (one set of weights on several tensors): {@code MultiHeadAttention} as self- and
 * cross-attention with a causal call, the same one on its own output, {@code GroupQueryAttention}, {@code Attention} with a
 * learnt scale and a causal second call, {@code Attention(score_mode=concat)} and {@code AdditiveAttention} with and without a
 * key. Real Keras 3.15.1 saved them with its predictions ({@code keras-reference/shared-attention}, made by
 * {@code bench/keras_shared_attention_models.py}). inspect calls them computable and predict reproduces Keras from the
 * {@code .keras} and the {@code .h5} file (SharedLayerTrainingTest trains them as Keras does).
 */
class KerasSharedAttentionModelsTest {
    @ParameterizedTest
    @ValueSource(strings = {"mha_self_and_cross.h5", "mha_self_and_cross.keras", "mha_twice.h5", "mha_twice.keras",
            "gqa_shared.h5", "gqa_shared.keras", "attention_shared_scale.h5", "attention_shared_scale.keras",
            "additive_shared_concat.h5", "additive_shared_concat.keras"})
    void computableAndReproducesKeras(String file) throws Exception {
        Path model = folder().resolve(file);
        ModelGraph graph = ModelFiles.read(model);
        GraphShapes shapes = GraphShapes.infer(graph);
        int shared = 0;
        for (Layer l : graph.layers()) {
            assertNull(Computability.whyNot(l, graph, shapes), file + ": layer " + l.name());
            if (l.calls().size() > 1) shared++;
        }
        assertTrue(shared > 0, file + " calls a layer more than once");
        StoredPredictions stored = StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
        HostArray[] y = EngineModel.ofKeras(graph).predict(stored.inputs().toArray(HostArray[]::new));
        assertEquals(stored.outputs().size(), y.length);
        for (int i = 0; i < y.length; i++) assertClose(stored.outputs().get(i), y[i], 1e-4);
    }

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasSharedAttentionModelsTest.class.getResource("/keras-reference/shared-attention").toURI());
    }
}
