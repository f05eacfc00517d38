package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graft.format.ModelFiles;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.format.keras.KerasZipWriter;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.testutil.StoredPredictions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attention layers called with {@code return_attention_scores=True} ({@code keras-reference/attention-scores}, made by
 * {@code bench/keras_attention_scores_models.py} with real Keras 3.15.1), with argument values the keras3-zoo lacks:
 * GroupedQueryAttention's scores, MultiHeadAttention's with a key, value_dim, output_shape and the causal mask feeding
 * Flatten and Dense, with an attention mask that leaves a query step nothing (Keras's explicit softmax gives it zero
 * scores; the same layer with dropout and no scores returned computes the same way), AdditiveAttention's with and without
 * scale, causal and with a key, Attention's concat scores feeding a Dense per step and its scaled dot scores feeding an
 * LSTM, and MultiHeadAttention's output and scores both feeding one Dense head. Keras masks with the scores returned:
 * MultiHeadAttention after Masking (a masked query step gets zero scores, Keras's explicit softmax), with masked query,
 * value and key, an attention mask and the causal mask together, and Attention after Masking (the query mask zeroes the
 * output, not the scores). graft reproduces both outputs from the {@code .keras} and the {@code .h5} file (Keras 3.15.1 cannot reload an
 * {@code .h5} holding Attention, so that case has none), and from the files graft writes of them.
 */
class KerasAttentionScoresModelsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"gqa_scores.keras", "gqa_scores.h5", "mha_cross_causal_scores.keras", "mha_cross_causal_scores.h5",
            "mha_mask_dropout_scores.keras", "mha_mask_dropout_scores.h5", "mha_mask_dropout.keras", "mha_mask_dropout.h5",
            "additive_scores_causal_key.keras", "additive_scores_causal_key.h5", "additive_noscale_scores.keras", "additive_noscale_scores.h5",
            "attention_concat_scores.keras", "attention_concat_scores.h5", "attention_dot_scale_key_scores.keras",
            "mha_scores_head.keras", "mha_scores_head.h5",
            "mha_masking_scores.keras", "mha_masking_scores.h5", "mha_all_masks_causal_scores.keras", "mha_all_masks_causal_scores.h5",
            "att_masking_scores.keras"})
    void reproducesKerasPredictions(String file) throws Exception {
        assertReproduces(ModelFiles.read(folder().resolve(file)), file);
    }

    /** graft's writers keep the call's return_attention_scores and the outputs that name the scores (tensor 1). */
    @ParameterizedTest
    @ValueSource(strings = {"gqa_scores.keras", "mha_cross_causal_scores.h5", "attention_concat_scores.keras", "additive_noscale_scores.h5",
            "mha_all_masks_causal_scores.keras", "mha_masking_scores.h5", "att_masking_scores.keras", "mha_mask_dropout_scores.keras", "mha_mask_dropout.h5"})
    void filesGraftWritesComputeTheSame(String file) throws Exception {
        ModelGraph model = ModelFiles.read(folder().resolve(file));
        for (String ext : new String[] {".keras", ".h5"}) {
            Path out = tmp.resolve("rewritten" + ext);
            if (ext.equals(".keras")) KerasZipWriter.write(model, out);
            else KerasH5Writer.write(model, out);
            assertReproduces(ModelFiles.read(out), file);
        }
    }

    /** A DL4J zip of such a model (graft's packed vertex and its parts) reads back computing the same outputs, named the same. */
    @ParameterizedTest
    @ValueSource(strings = {"gqa_scores.keras", "attention_concat_scores.keras"})
    void zipsComputeTheSame(String file) throws Exception {
        StoredPredictions stored = StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
        EngineModel engine = EngineModel.ofKeras(ModelFiles.read(folder().resolve(file)));
        Path zip = tmp.resolve("model.zip");
        engine.writeZip(zip, dev.graft.format.Json.object());
        EngineModel restored = EngineModel.ofDl4j(zip);
        assertEquals(engine.outputNames(), restored.outputNames());
        HostArray[] y = restored.predict(stored.inputs().toArray(HostArray[]::new));
        for (int i = 0; i < y.length; i++) assertClose(stored.outputs().get(i), y[i], 1e-4);
    }

    /** Changed weights of masked attention layers returning their scores write back exactly and compute the same. */
    @ParameterizedTest
    @ValueSource(strings = {"mha_all_masks_causal_scores.keras:mha", "att_masking_scores.keras:att"})
    void maskedScoresLayersWriteBack(String fileAndLayer) throws Exception {
        String file = fileAndLayer.substring(0, fileAndLayer.indexOf(':'));
        StoredPredictions stored = StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
        List<org.nd4j.linalg.api.ndarray.INDArray> x = stored.inputs().stream()
                .map(a -> Tensors.toNd4j(a, org.nd4j.linalg.api.buffer.DataType.FLOAT)).toList();
        WritebackChecks.roundTrip(ModelFiles.read(folder().resolve(file)), java.util.Set.of(fileAndLayer.substring(fileAndLayer.indexOf(':') + 1)), tmp, x);
    }

    /** The outputs keep the names users know: the layer's for its output, {@code <layer>[0][1]} for the scores (as inspect names them); shapes as Keras's. */
    @Test
    void outputsAreNamedAfterTheLayer() throws Exception {
        EngineModel engine = EngineModel.ofKeras(ModelFiles.read(folder().resolve("gqa_scores.keras")));
        assertEquals(List.of("gqa", "gqa[0][1]"), engine.outputNames());
        assertEquals(List.of(Shape.of(null, 5L, 6L), Shape.of(null, 4L, 5L, 5L)), engine.outputShapes());
        EngineModel reversed = EngineModel.ofKeras(ModelFiles.read(folder().resolve("mha_mask_dropout_scores.h5")));
        assertEquals(List.of("mha[0][1]", "mha"), reversed.outputNames());
    }

    /** Scores over an open number of steps cannot be packed beside the output: refused by name, and inspect agrees. */
    @Test
    void scoresOverOpenStepsAreRefused() throws Exception {
        ModelGraph model = ModelFiles.read(folder().resolve("additive_noscale_scores.keras"));
        List<Layer> layers = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (l.isInput()) {
                var c = l.config().deepCopy();
                c.remove("batch_shape");
                c.putArray("batch_input_shape").addNull().addNull().add(4);
                l = l.withConfig(c);
            }
            layers.add(l);
        }
        ModelGraph open = model.withLayers(layers, model.inputs(), model.outputs());
        assertFalse(ComputableMeansComputesTest.inspectCallsComputable(open));
        EngineException e = assertThrows(EngineException.class, () -> EngineModel.ofKeras(open));
        assertEquals("layer 'att' (AdditiveAttention) returns its attention scores (None, None, None) over an open number of steps; graft computes "
                + "them for fixed query and key steps; graft cannot compute this model", e.getMessage());
    }

    private static void assertReproduces(ModelGraph model, String file) throws Exception {
        StoredPredictions stored = StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
        HostArray[] y = EngineModel.ofKeras(model).predict(stored.inputs().toArray(HostArray[]::new));
        assertEquals(stored.outputs().size(), y.length);
        for (int i = 0; i < y.length; i++) assertClose(stored.outputs().get(i), y[i], 1e-4);
    }

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasAttentionScoresModelsTest.class.getResource("/keras-reference/attention-scores").toURI());
    }
}
