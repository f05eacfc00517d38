package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftException;
import dev.graft.data.TrainingData;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models where Keras masks reach attention layers ({@code keras-reference/attention-mask}, made by
 * {@code bench/keras_attention_mask_models.py}) train: a few SGD steps on {@code mse} against the model's outputs shifted,
 * on Keras's own masked batches; the first loss is the mse of the inference outputs (the training network applies the
 * masks as inference does) and it falls. A {@code mask_zero} Embedding whose values reach an attention layer is refused
 * for training with a line naming it (the engine keeps its row 0 zero to find the mask). MultiHeadAttention with
 * {@code attention_axes} over rank-4 inputs ({@code keras-reference/attention-axes}) trains the same way.
 */
class MaskedAttentionTrainingTest {
    @ParameterizedTest
    @ValueSource(strings = {"att_masking_dot.keras", "mha_cross_all_masks.keras", "gqa_masking_dense.keras", "att_masking_train.keras", "mha_masking_train.h5", "../attention-axes/mha_axes_2.keras",
            "../attention-axes/mha_axes_1_cross.h5", "../attention-axes/mha_axes_default_rank4.keras"})
    void trainsOnMaskedBatches(String file) throws Exception {
        ModelGraph graph = ModelFiles.read(folder().resolve(file));
        StoredPredictions stored = stored(file);
        HostArray[] x = stored.inputs().toArray(HostArray[]::new);
        HostArray[] before = EngineModel.ofKeras(graph).predict(x);
        List<HostArray> y = new ArrayList<>();
        for (HostArray b : before) y.add(shifted(b));
        TrainingData data = new TrainingData(Arrays.asList(x), y, y.stream().map(a -> "labels").toList(), null, null, null);
        TrainOptions options = new TrainOptions(8, 5, "sgd", 0.05, "mse", List.of(), 7, null, "all");
        TrainJob.Outcome outcome = TrainJob.run(graph, data, options, TrainingListener.SILENT);
        double want = 0;
        for (int o = 0; o < before.length; o++) want += mse(before[o], y.get(o));
        double first = outcome.result().history().get(0).train().get("loss");
        double last = outcome.result().history().get(outcome.result().history().size() - 1).train().get("loss");
        assertEquals(want, first, 1e-4 * Math.max(1, want), "first-batch loss against the mse of the inference outputs");
        assertTrue(last < first, "loss " + first + " -> " + last);
    }

    /**
     * Keras's fit drops attention weights at the layer's {@code dropout} (after the masked softmax): graft's attention does
     * too in training (AttentionDropoutTest checks the semantics); the masked model trains, its losses finite.
     */
    @org.junit.jupiter.api.Test
    void attentionDropoutTrainsWithTheMask() throws Exception {
        ModelGraph graph = ModelFiles.read(folder().resolve("mha_dropout_masked.h5"));
        StoredPredictions stored = stored("mha_dropout_masked.h5");
        TrainingData data = new TrainingData(stored.inputs(), stored.outputs(), stored.outputs().stream().map(a -> "labels").toList(), null, null, null);
        TrainOptions options = new TrainOptions(3, 5, "sgd", 0.05, "mse", List.of(), 7, null, "all");
        TrainJob.Outcome o = TrainJob.run(graph, data, options, TrainingListener.SILENT);
        for (EpochRecord r : o.result().history()) assertTrue(Double.isFinite(r.train().get("loss")), "loss " + r);
        assertTrue(java.util.Arrays.stream(o.result().graph().getVertices()).anyMatch(v -> v instanceof dev.graft.engine.layers.AttentionDropoutVertexRuntime),
                "the attention drops its weights in training");
    }

    @ParameterizedTest
    @ValueSource(strings = {"att_embedding_additive_causal.keras", "mha_embedding_block.h5"})
    void anEmbeddingWhoseValuesReachTheAttentionIsRefused(String file) throws Exception {
        ModelGraph graph = ModelFiles.read(folder().resolve(file));
        StoredPredictions stored = stored(file);
        List<HostArray> x = stored.inputs();
        TrainingData data = new TrainingData(x, stored.outputs(), stored.outputs().stream().map(a -> "labels").toList(), null, null, null);
        TrainOptions options = new TrainOptions(1, 5, "sgd", 0.05, "mse", List.of(), 7, null, "all");
        GraftException e = assertThrows(GraftException.class, () -> TrainJob.run(graph, data, options, TrainingListener.SILENT));
        assertTrue(e.getMessage().startsWith("layer 'embed' (Embedding) with mask_zero is trained while a layer reads its values"), e.getMessage());
    }

    private static StoredPredictions stored(String file) throws Exception {
        return StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
    }

    private static HostArray shifted(HostArray a) {
        float[] f = a.toFloatArray();
        for (int i = 0; i < f.length; i++) f[i] += i % 2 == 0 ? 0.25f : -0.5f;
        return HostArray.ofFloats(a.shape(), f);
    }

    private static double mse(HostArray a, HostArray b) {
        double s = 0;
        for (long i = 0; i < a.size(); i++) s += (a.getDouble(i) - b.getDouble(i)) * (a.getDouble(i) - b.getDouble(i));
        return s / a.size();
    }

    private static Path folder() throws Exception {
        return Paths.get(MaskedAttentionTrainingTest.class.getResource("/keras-reference/attention-mask").toURI());
    }
}
