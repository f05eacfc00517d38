package dev.graft.engine;

import dev.graft.format.ModelFiles;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.format.keras.KerasZipWriter;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.testutil.StoredPredictions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MultiHeadAttention over inputs of rank 4 and 5 with {@code attention_axes} other than the steps ({@code (2,)},
 * {@code (1,)} in cross-attention with {@code output_shape}, {@code (1, 2)}, the default of every position axis,
 * {@code (-2,)} with a key, {@code (1, 3)} on rank 5): models real Keras 3.15.1 saved with its predictions
 * ({@code keras-reference/attention-axes}, made by {@code bench/keras_attention_axes_models.py}). graft reproduces them
 * from the {@code .keras} and the {@code .h5} file, and from the files graft writes of them.
 */
class KerasAttentionAxesModelsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"mha_axes_2.keras", "mha_axes_2.h5", "mha_axes_1_cross.keras", "mha_axes_1_cross.h5", "mha_axes_12.keras", "mha_axes_12.h5",
            "mha_axes_default_rank4.keras", "mha_axes_default_rank4.h5", "mha_axes_negative_key.keras", "mha_axes_negative_key.h5"})
    void reproducesKerasPredictions(String file) throws Exception {
        assertReproduces(ModelFiles.read(folder().resolve(file)), file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mha_axes_1_cross.keras", "mha_axes_negative_key.h5"})
    void filesGraftWritesComputeTheSame(String file) throws Exception {
        ModelGraph model = ModelFiles.read(folder().resolve(file));
        for (String ext : new String[] {".keras", ".h5"}) {
            Path out = tmp.resolve("rewritten" + ext);
            if (ext.equals(".keras")) KerasZipWriter.write(model, out);
            else KerasH5Writer.write(model, out);
            assertReproduces(ModelFiles.read(out), file);
        }
    }

    /** Trained weights of the attention over rank-4 inputs write back exactly and compute the same. */
    @ParameterizedTest
    @ValueSource(strings = {"mha_axes_1_cross.keras", "mha_axes_2.h5"})
    void trainedWeightsWriteBack(String file) throws Exception {
        StoredPredictions stored = StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
        java.util.List<org.nd4j.linalg.api.ndarray.INDArray> x = stored.inputs().stream()
                .map(a -> Tensors.toNd4j(a, org.nd4j.linalg.api.buffer.DataType.FLOAT)).toList();
        WritebackChecks.roundTrip(ModelFiles.read(folder().resolve(file)), java.util.Set.of("mha"), tmp, x);
    }

    /** Rank 5 is refused, by inspect and by the engine alike, with one line naming the layer. */
    @ParameterizedTest
    @ValueSource(strings = {"mha_axes_rank5.keras", "mha_axes_rank5.h5"})
    void rankFiveIsRefusedByName(String file) throws Exception {
        ModelGraph model = ModelFiles.read(folder().resolve(file));
        EngineException e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> EngineModel.ofKeras(model));
        assertEquals("layer 'mha' (MultiHeadAttention) reads inputs of rank 5; graft computes MultiHeadAttention on inputs of rank 3 and 4; "
                + "graft cannot compute this model", e.getMessage());
        org.junit.jupiter.api.Assertions.assertFalse(ComputableMeansComputesTest.inspectCallsComputable(model));
    }

    /**
     * Keras's scores over rank-4 inputs keep the positions as axes of their own (batch, heads, query positions..., key
     * positions...), which graft's engine does not give: the scores used are refused by name, by inspect and the engine alike.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mha_axes_2.keras", "mha_axes_default_rank4.h5"})
    void scoresOnRankFourAreRefusedByName(String file) throws Exception {
        ModelGraph model = ModelFiles.read(folder().resolve(file));
        java.util.List<dev.graft.model.Layer> layers = new java.util.ArrayList<>();
        for (dev.graft.model.Layer l : model.layers()) {
            if (l.name().equals("mha")) {
                dev.graft.model.LayerCall call = l.calls().get(0);
                com.fasterxml.jackson.databind.node.ObjectNode kwargs = call.kwargs() == null ? dev.graft.format.Json.object() : call.kwargs().deepCopy();
                kwargs.put("return_attention_scores", true);
                l = l.withCalls(java.util.List.of(new dev.graft.model.LayerCall(call.inputs(), kwargs)));
            }
            layers.add(l);
        }
        java.util.List<dev.graft.model.TensorRef> outputs = new java.util.ArrayList<>(model.outputs());
        outputs.add(new dev.graft.model.TensorRef("mha", 0, 1));
        ModelGraph withScores = model.withLayers(layers, model.inputs(), outputs);
        EngineException e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> EngineModel.ofKeras(withScores));
        assertEquals("layer 'mha' (MultiHeadAttention) returns its attention scores on rank-4 inputs, which graft does not compute; "
                + "graft cannot compute this model", e.getMessage());
        org.junit.jupiter.api.Assertions.assertFalse(ComputableMeansComputesTest.inspectCallsComputable(withScores));
    }

    /** inspect calls the computed models computable (what predict does). */
    @ParameterizedTest
    @ValueSource(strings = {"mha_axes_2.keras", "mha_axes_1_cross.h5", "mha_axes_negative_key.keras", "mha_axes_default_rank4.h5"})
    void inspectCallsThemComputable(String file) throws Exception {
        org.junit.jupiter.api.Assertions.assertTrue(ComputableMeansComputesTest.inspectCallsComputable(ModelFiles.read(folder().resolve(file))));
    }

    static void assertReproduces(ModelGraph model, String file) throws Exception {
        StoredPredictions stored = StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
        HostArray[] y = EngineModel.ofKeras(model).predict(stored.inputs().toArray(HostArray[]::new));
        assertEquals(stored.outputs().size(), y.length);
        for (int i = 0; i < y.length; i++) assertClose(stored.outputs().get(i), y[i], 1e-4);
    }

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasAttentionAxesModelsTest.class.getResource("/keras-reference/attention-axes").toURI());
    }
}
