package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

/**
 * Models real Keras 3.15.1 saved with its predictions ({@code keras-reference/attention-mask}, made by
 * {@code bench/keras_attention_mask_models.py}) where Keras masks from {@code Masking} (mask values 0, -1, 0.5, 2) and
 * {@code Embedding(mask_zero=True)} reach Attention (dot, concat with a key), AdditiveAttention (causal),
 * MultiHeadAttention (self-attention in a residual block; cross-attention with masked query, value and key, an
 * attention mask and the causal mask; with dropout, whose fully masked rows Keras zeroes) and GroupedQueryAttention,
 * and the query's mask passes on to GlobalAveragePooling1D and LSTM (and a mask passes LayerNormalization into an LSTM). Batches hold masked steps at the start, middle and
 * end, a row with every step masked and one with none. graft reproduces them from the {@code .keras} and the
 * {@code .h5} file, and from the files graft writes of them.
 */
class KerasAttentionMaskModelsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"att_masking_dot.keras", "att_masking_dot.h5", "att_embedding_additive_causal.keras", "att_embedding_additive_causal.h5",
            "att_cross_concat_key.keras", "att_cross_concat_key.h5", "mha_embedding_block.keras", "mha_embedding_block.h5",
            "mha_cross_all_masks.keras", "mha_cross_all_masks.h5", "mha_dropout_masked.keras", "mha_dropout_masked.h5",
            "gqa_masking_dense.keras", "gqa_masking_dense.h5", "att_masking_train.keras", "att_masking_train.h5",
            "mha_masking_train.keras", "mha_masking_train.h5", "mask_layernorm_lstm.keras", "mask_layernorm_lstm.h5",
            "att_query_mask_only.keras", "att_query_mask_only.h5", "att_value_mask_only.keras", "att_value_mask_only.h5", "mha_query_mask_only.keras",
            "mha_query_mask_only.h5"})
    void reproducesKerasPredictions(String file) throws Exception {
        assertReproduces(ModelFiles.read(folder().resolve(file)), file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"att_cross_concat_key.keras", "mha_cross_all_masks.h5", "mha_embedding_block.keras"})
    void filesGraftWritesComputeTheSame(String file) throws Exception {
        ModelGraph model = ModelFiles.read(folder().resolve(file));
        for (String ext : new String[] {".keras", ".h5"}) {
            Path out = tmp.resolve("rewritten" + ext);
            if (ext.equals(".keras")) KerasZipWriter.write(model, out);
            else KerasH5Writer.write(model, out);
            assertReproduces(ModelFiles.read(out), file);
        }
    }

    /** Trained weights of masked attention models (and the layers after them) write back exactly and compute the same on masked batches. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"mha_masking_train.keras,mha;head", "att_cross_concat_key.keras,att;lstm",
            "gqa_masking_dense.h5,gqa;head", "mha_cross_all_masks.keras,mha"})
    void trainedWeightsWriteBack(String file, String layers) throws Exception {
        StoredPredictions stored = StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
        java.util.List<org.nd4j.linalg.api.ndarray.INDArray> x = stored.inputs().stream()
                .map(a -> Tensors.toNd4j(a, org.nd4j.linalg.api.buffer.DataType.FLOAT)).toList();
        WritebackChecks.roundTrip(ModelFiles.read(folder().resolve(file)), java.util.Set.of(layers.split(";")), tmp, x);
    }

    /** A mask=[query_mask, value_mask] argument (Keras 3 keeps its tensors as further inputs) is refused by inspect and the engine alike. */
    @ParameterizedTest
    @ValueSource(strings = {"att_explicit_mask.keras", "att_explicit_mask.h5"})
    void anExplicitMaskArgumentIsRefusedByName(String file) throws Exception {
        ModelGraph model = ModelFiles.read(folder().resolve(file));
        String why = "takes 4 tensors, a mask=[...] argument given; graft computes [query, value] and [query, value, key] and applies the Keras "
                + "masks of Masking and Embedding(mask_zero=True) layers, not a mask argument (feed the model without it)";
        EngineException e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> EngineModel.ofKeras(model));
        assertEquals("layer 'att' (Attention) " + why + "; graft cannot compute this model", e.getMessage());
        dev.graft.model.Layer att = model.layer("att");
        assertEquals("(Attention) " + why, Computability.whyNot(att, model, dev.graft.shape.GraphShapes.infer(model)));
    }

    /** inspect calls every model here computable, as predict computes them (training is another matter: see MaskedAttentionTrainingTest). */
    @ParameterizedTest
    @ValueSource(strings = {"att_masking_dot.h5", "att_embedding_additive_causal.keras", "att_cross_concat_key.h5", "mha_embedding_block.keras",
            "mha_cross_all_masks.h5", "mha_dropout_masked.keras", "gqa_masking_dense.h5", "att_masking_train.keras", "mha_masking_train.keras"})
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
        return Paths.get(KerasAttentionMaskModelsTest.class.getResource("/keras-reference/attention-mask").toURI());
    }
}
