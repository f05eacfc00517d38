package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import dev.graft.surgery.KerasLayerFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.layers.recurrent.LastTimeStepLayer;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class KerasWritebackTest {
    @TempDir
    Path tmp;

    /**
     * Conv1D, LSTM on sequences, Dense on a sequence (the engine's Conv1D k=1), LSTM to its last
     * step (DL4J's LastTimeStep wrapper) and a Dense head.
     */
    static ModelGraph sequenceModel() {
        SplittableRandom rng = new SplittableRandom(3);
        Layer in = KerasLayerFactory.input("input", Arrays.asList(null, 8L, 3L));
        Layer conv = KerasLayerFactory.conv1d("conv", 4, 3, "same", "relu", 3, TensorRef.of("input"), rng);
        Layer seq = KerasLayerFactory.lstm("lstm_seq", 5, true, 4, TensorRef.of("conv"), rng);
        Layer perStep = KerasLayerFactory.dense("per_step", 6, "tanh", 5, TensorRef.of("lstm_seq"), rng);
        Layer last = KerasLayerFactory.lstm("lstm_last", 4, false, 6, TensorRef.of("per_step"), rng);
        Layer head = KerasLayerFactory.dense("head", 2, "linear", 4, TensorRef.of("lstm_last"), rng);
        SourceInfo src = new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1);
        return new ModelGraph("seq", "Model", List.of(in, conv, seq, perStep, last, head), List.of(TensorRef.of("input")),
                List.of(TensorRef.of("head")), null, null, src);
    }

    @Test
    void denseConv1dLstmAndDenseOnSequencesWriteBackExactly() throws Exception {
        ModelGraph model = sequenceModel();
        Set<String> all = WritebackChecks.weightedLayers(model);
        assertEquals(Set.of("conv", "lstm_seq", "per_step", "lstm_last", "head"), all);
        ComputationGraph engine = KerasEngine.buildForTraining(model);
        assertTrue(engine.getLayer("lstm_last") instanceof LastTimeStepLayer, "expected DL4J's LastTimeStep wrapper");
        WritebackChecks.roundTrip(model, all, tmp, null);
    }

    /**
     * A real seq2seq model (Keras 3.8): the encoder LSTM returns its state, so the engine holds its weights in a packed
     * vertex ({@code lstm_2__lstm}) while {@code lstm_2} names its output part; trained, both LSTMs write back exactly.
     */
    @Test
    void seq2seqEncoderReturningItsStateWritesBackExactly() throws Exception {
        ModelGraph model = ModelFiles.read(Fixtures.file("wild/seq2seq_lstm_2in_k38.keras"));
        WritebackChecks.roundTrip(model, Set.of("lstm_2", "lstm_3"), tmp, null);
    }

    /**
     * The time-series hybrid's shape: Conv1D and MaxPooling1D (the engine's channels-last layers,
     * computed through NCW), merge's per-step bridge written as a kernel-size-1 Conv1D (the engine's
     * TimeDistributed Dense, kernel (1, in, units) read as (in, units)), an LSTM and a Dense head.
     */
    @Test
    void conv1dPoolingAndAKernelSizeOneBridgeWriteBackExactly() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        Layer in = KerasLayerFactory.input("input", Arrays.asList(null, 8L, 3L));
        Layer conv = KerasLayerFactory.conv1d("conv", 4, 3, "same", "relu", 3, TensorRef.of("input"), rng);
        Layer pool = KerasLayerFactory.maxPooling1d("pool", 2, TensorRef.of("conv"));
        Layer bridge = KerasLayerFactory.densePerStep("bridge", 5, "tanh", 4, TensorRef.of("pool"), rng);
        Layer lstm = KerasLayerFactory.lstm("lstm", 3, false, 5, TensorRef.of("bridge"), rng);
        Layer head = KerasLayerFactory.dense("head", 1, "sigmoid", 3, TensorRef.of("lstm"), rng);
        SourceInfo src = new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1);
        ModelGraph model = new ModelGraph("ts", "Model", List.of(in, conv, pool, bridge, lstm, head), List.of(TensorRef.of("input")),
                List.of(TensorRef.of("head")), null, null, src);
        ComputationGraph engine = KerasEngine.buildForTraining(model);
        assertTrue(engine.getLayer("bridge") instanceof org.deeplearning4j.nn.layers.recurrent.TimeDistributedLayer, "per-step Dense on the engine");
        assertTrue(engine.getLayer("conv") instanceof dev.graft.engine.layers.ChannelsLastConv1DRuntime, "channels-last Conv1D through NCW");
        WritebackChecks.Result r = WritebackChecks.roundTrip(model, Set.of("conv", "bridge", "lstm", "head"), tmp, null);
        assertEquals("Conv1D", r.reread().layer("bridge").className());
        assertArrayEquals(new long[] {1, 4, 5}, r.reread().layer("bridge").weights().get(0).shape());
    }

    @Test
    void onlyTheNamedLayersChange() throws Exception {
        ModelGraph model = sequenceModel();
        // checks (c) inside: conv, per_step and lstm_last are copied bit for bit
        WritebackChecks.Result r = WritebackChecks.roundTrip(model, Set.of("lstm_seq", "head"), tmp, null);
        assertSame(model.layer("conv"), r.written().layer("conv"), "an untrained layer is the same object");
    }

    @Test
    void nothingToWriteBackGivesTheModelItself() {
        ModelGraph model = sequenceModel();
        ComputationGraph g = KerasEngine.buildForTraining(model);
        assertSame(model, KerasWriteback.apply(model, g, Set.of()));
        assertSame(model, KerasWriteback.apply(model, g, Set.of("input")));
    }

    @Test
    void frozenWrappersAreLookedThrough() throws Exception {
        ModelGraph model = sequenceModel();
        ComputationGraph g = KerasEngine.buildForTraining(model);
        // Freezes lstm_seq and everything before it, wrapping them as graft's trainer does.
        ComputationGraph frozen = new TransferLearning.GraphBuilder(g).setFeatureExtractor("lstm_seq").build();
        assertTrue(frozen.getLayer("conv") instanceof org.deeplearning4j.nn.layers.FrozenLayer
                || frozen.getLayer("conv") instanceof FrozenLayerWithBackprop, "conv is not wrapped: " + frozen.getLayer("conv"));
        Set<String> changed = Set.of("conv", "lstm_seq", "head");
        WritebackChecks.perturb(frozen, changed);
        float[] trained = WritebackChecks.allParams(frozen);
        ModelGraph written = KerasWriteback.apply(model, frozen, changed);
        Path file = tmp.resolve("frozen.h5");
        dev.graft.format.keras.KerasH5Writer.write(written, file);
        float[] after = WritebackChecks.allParams(KerasEngine.buildForTraining(ModelFiles.read(file)));
        assertTrue(Arrays.equals(trained, after), "parameters differ after writing back through frozen wrappers");
    }

    @Test
    void nestedModelsKeepTheirStructure() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        Layer innerIn = KerasLayerFactory.input("inner_in", Arrays.asList(null, 6L));
        Layer innerDense = KerasLayerFactory.dense("inner_dense", 4, "relu", 6, TensorRef.of("inner_in"), rng);
        ModelGraph inner = new ModelGraph("tower", "Functional", List.of(innerIn, innerDense), List.of(TensorRef.of("inner_in")),
                List.of(TensorRef.of("inner_dense")), null, null, null);
        Layer in = KerasLayerFactory.input("input", Arrays.asList(null, 6L));
        Layer tower = new Layer("tower", "Functional", Json.object(), List.of(new LayerCall(List.of(TensorRef.of("input")), Json.object())),
                List.of(), inner);
        Layer head = KerasLayerFactory.dense("head", 3, "linear", 4, TensorRef.of("tower"), rng);
        SourceInfo src = new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1);
        ModelGraph model = new ModelGraph("outer", "Model", List.of(in, tower, head), List.of(TensorRef.of("input")),
                List.of(TensorRef.of("head")), null, null, src);

        WritebackChecks.Result r = WritebackChecks.roundTrip(model, Set.of("inner_dense"), tmp, null);
        Layer writtenTower = r.written().layer("tower");
        assertTrue(writtenTower.nested() != null, "the nested model stays nested in the returned graph");
        assertTrue(!writtenTower.nested().layer("inner_dense").weights().get(0).read()
                .bitEquals(innerDense.weights().get(0).read()), "nested layer not written back");
        assertSame(head, r.written().layer("head"));
    }

    @Test
    void probingInSeveralRoundsGivesTheSameResult() throws Exception {
        ModelGraph model = sequenceModel();
        Set<String> all = WritebackChecks.weightedLayers(model);
        ComputationGraph g = KerasEngine.buildForTraining(model);
        WritebackChecks.perturb(g, all);
        // base 7: the LSTMs' 100+ elements take three rounds
        ProbeCodes small = new ProbeCodes(7);
        assertEquals(3, small.rounds(4 * (4 * 5) + 5 * 20 + 20));
        ModelGraph a = KerasWriteback.apply(model, g, all);
        ModelGraph b = KerasWriteback.apply(model, g, all, small);
        for (String name : all) {
            for (int j = 0; j < a.layer(name).weights().size(); j++) {
                assertTrue(a.layer(name).weights().get(j).read().bitEquals(b.layer(name).weights().get(j).read()),
                        "round-by-round probing differs for " + a.layer(name).weights().get(j).name());
            }
        }
    }

    @Test
    void unknownLayerNamesAreRefused() {
        ModelGraph model = sequenceModel();
        ComputationGraph g = KerasEngine.buildForTraining(model);
        EngineException e = assertThrows(EngineException.class, () -> KerasWriteback.apply(model, g, Set.of("nope")));
        assertEquals("cannot write back trained layer 'nope': the model has no such layer", e.getMessage());
    }

    /**
     * What the probe costs: about one extra engine build. Measured on a ~1M-parameter model (two
     * LSTM(256) and two Dense), with every layer written back.
     */
    @Test
    void probeCostForAMillionParameters() throws Exception {
        SplittableRandom rng = new SplittableRandom(11);
        Layer in = KerasLayerFactory.input("input", Arrays.asList(null, 20L, 64L));
        Layer l1 = KerasLayerFactory.lstm("lstm_1", 256, true, 64, TensorRef.of("input"), rng);
        Layer l2 = KerasLayerFactory.lstm("lstm_2", 256, false, 256, TensorRef.of("lstm_1"), rng);
        Layer d1 = KerasLayerFactory.dense("dense_1", 512, "relu", 256, TensorRef.of("lstm_2"), rng);
        Layer d2 = KerasLayerFactory.dense("dense_2", 10, "linear", 512, TensorRef.of("dense_1"), rng);
        SourceInfo src = new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1);
        ModelGraph model = new ModelGraph("big", "Model", List.of(in, l1, l2, d1, d2), List.of(TensorRef.of("input")),
                List.of(TensorRef.of("dense_2")), null, null, src);
        assertEquals(990_730, model.parameterCount());
        Set<String> all = WritebackChecks.weightedLayers(model);

        ComputationGraph warm = KerasEngine.buildForTraining(model); // ND4J start-up is not the probe's cost
        long t0 = System.nanoTime();
        ComputationGraph g = KerasEngine.buildForTraining(model);
        long build = System.nanoTime() - t0;
        WritebackChecks.perturb(g, all);
        t0 = System.nanoTime();
        ModelGraph written = KerasWriteback.apply(model, g, all);
        long apply = System.nanoTime() - t0;
        t0 = System.nanoTime();
        Path file = tmp.resolve("big.h5");
        dev.graft.format.keras.KerasH5Writer.write(written, file);
        long write = System.nanoTime() - t0;
        float[] after = WritebackChecks.allParams(KerasEngine.buildForTraining(ModelFiles.read(file)));
        assertTrue(Arrays.equals(WritebackChecks.allParams(g), after), "parameters differ after the round trip");
        System.err.printf("write-back of %,d parameters: engine build %d ms, apply (probe + mapping) %d ms, .h5 write %d ms%n",
                model.parameterCount(), build / 1_000_000, apply / 1_000_000, write / 1_000_000);
        warm.close();
    }

    // ---- what DL4J holds that Keras cannot, and refusals ----

    /** Input(5) -> Dense(4) -> BatchNormalization(scale=False) -> Dense(2). */
    static ModelGraph batchNormWithoutScale() {
        SplittableRandom rng = new SplittableRandom(9);
        Layer in = KerasLayerFactory.input("input", Arrays.asList(null, 5L));
        Layer d1 = KerasLayerFactory.dense("dense_1", 4, "relu", 5, TensorRef.of("input"), rng);
        ObjectNode c = Json.object();
        c.put("name", "bn_1");
        c.put("trainable", true);
        c.put("dtype", "float32");
        c.put("axis", -1);
        c.put("momentum", 0.99);
        c.put("epsilon", 0.001);
        c.put("center", true);
        c.put("scale", false);
        for (String k : new String[] {"beta_initializer", "moving_mean_initializer"}) c.putObject(k).put("class_name", "Zeros").putObject("config");
        c.putObject("moving_variance_initializer").put("class_name", "Ones").putObject("config");
        for (String k : new String[] {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"}) c.putNull(k);
        List<Weight> w = List.of(
                Weight.inMemory("bn_1/beta:0", HostArray.ofFloats(new long[] {4}, new float[] {0.1f, -0.2f, 0.3f, 0f}), true),
                Weight.inMemory("bn_1/moving_mean:0", HostArray.ofFloats(new long[] {4}, new float[] {0.5f, 0.25f, 1f, 2f}), false),
                Weight.inMemory("bn_1/moving_variance:0", HostArray.ofFloats(new long[] {4}, new float[] {1f, 2f, 0.5f, 3f}), false));
        Layer bn = new Layer("bn_1", "BatchNormalization", c, List.of(new LayerCall(List.of(TensorRef.of("dense_1")), Json.object())), w, null);
        Layer d2 = KerasLayerFactory.dense("dense_2", 2, "linear", 4, TensorRef.of("bn_1"), rng);
        SourceInfo src = new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1);
        return new ModelGraph("bn", "Model", List.of(in, d1, bn, d2), List.of(TensorRef.of("input")), List.of(TensorRef.of("dense_2")),
                null, null, src);
    }

    @Test
    void batchNormalizationWithoutScaleWritesBackWhileDl4jsOwnGammaStaysOne() throws Exception {
        ModelGraph model = batchNormWithoutScale();
        ComputationGraph g = KerasEngine.buildForTraining(model);
        // DL4J gives the layer a gamma of ones that Keras's file does not have
        assertEquals(Set.of("gamma", "beta", "mean", "var"), KerasWriteback.paramsOf(g, "bn_1").keySet());
        WritebackChecks.perturb(g, Set.of("bn_1", "dense_2"), (layer, param) -> !param.equals("gamma"));
        WritebackChecks.roundTrip(model, g, Set.of("bn_1", "dense_2"), tmp, null);
    }

    @Test
    void batchNormalizationWithoutScaleIsRefusedOnceDl4jTrainedItsGamma() {
        ModelGraph model = batchNormWithoutScale();
        ComputationGraph g = KerasEngine.buildForTraining(model);
        WritebackChecks.perturb(g, Set.of("bn_1"));
        EngineException e = assertThrows(EngineException.class, () -> KerasWriteback.apply(model, g, Set.of("bn_1", "dense_2")));
        assertEquals("layer 'bn_1' (BatchNormalization): its DL4J parameters cannot be mapped back to Keras's weights"
                + " (training changed DL4J parameter 'gamma' where Keras has no weight to keep it); write the trained model as .zip",
                e.getMessage());
    }

    /** graft's own LayerNormalization (gamma, beta; gamma alone with rms_scaling) and RMSNormalization (scale), from Keras 3 files. */
    @Test
    void normalizationLayersWriteBack() throws Exception {
        for (String[] c : new String[][] {{"layernorm_default.keras", "layer_normalization"}, {"layernorm_rms.h5", "layer_normalization"},
                {"layernorm_center_off.keras", "layer_normalization"}, {"rmsnorm_default.keras", "rms_normalization"}}) {
            ModelGraph model = ModelFiles.read(Fixtures.file("keras3-zoo/" + c[0]));
            WritebackChecks.roundTrip(model, Set.of(c[1]), tmp, null);
        }
    }

    /**
     * An adapted Normalization before a trained Dense: its statistics (constants of graft's activation, not trained by
     * Keras either) go into the file bit for bit, also when every layer with weights is named as trained.
     */
    @Test
    void adaptedNormalizationKeepsItsStatistics() throws Exception {
        for (String file : new String[] {"normalization_adapted.keras", "normalization_adapted.h5"}) {
            ModelGraph model = ModelFiles.read(Fixtures.file("keras3-zoo/" + file));
            WritebackChecks.roundTrip(model, Set.of("dense"), tmp, null);
            ComputationGraph g = KerasEngine.buildForTraining(model);
            WritebackChecks.perturb(g, Set.of("dense"));
            ModelGraph written = KerasWriteback.apply(model, g, Set.of("normalization", "dense"));
            assertSame(model.layer("normalization").weights().get(0), written.layer("normalization").weights().get(0));
        }
    }

    /** A Keras 3 transformer block: MultiHeadAttention's four projections, both LayerNormalizations and the feed-forward Denses. */
    @Test
    void transformerBlockWritesBack() throws Exception {
        ModelGraph model = ModelFiles.read(Fixtures.file("keras3-zoo/transformer_postnorm_relu.keras"));
        WritebackChecks.roundTrip(model, WritebackChecks.weightedLayers(model), tmp, null);
    }

    /** graft's own SameDiff layers (issue 12): depthwise, transposed and grouped convolutions, GroupNormalization, from .keras and .h5. */
    @Test
    void convolutionAndGroupNormalizationLayersWriteBack() throws Exception {
        for (String file : new String[] {"dwconv2d_dm2_same_s2.keras", "dwconv1d_cf.h5", "conv1dt_same_s2.keras", "conv2d_groups2.h5",
                "groupnorm_2.keras", "groupnorm_4_noscale.h5"}) {
            ModelGraph model = ModelFiles.read(Fixtures.file("keras3-zoo/" + file));
            WritebackChecks.roundTrip(model, WritebackChecks.weightedLayers(model), tmp, null);
        }
    }

    /**
     * graft's convolutions for channels first, output padding, 3-d strided transposes and separable 1-d/2-d layers, and the
     * channels-first BatchNormalization (DL4J's layer set NCHW; its moving statistics included), from .keras and .h5.
     */
    @Test
    void otherLayoutsAndArgumentsWriteBack() throws Exception {
        for (String file : new String[] {"conv2d_cf.keras", "conv2dt_valid_s21_op10.h5", "conv3dt_valid_s2.keras", "conv3dt_cf_same.h5",
                "sepconv1d_dm2.keras", "sepconv1d_cf.h5", "batchnorm_axis1.keras"}) {
            ModelGraph model = ModelFiles.read(Fixtures.file("keras3-zoo/" + file));
            WritebackChecks.roundTrip(model, WritebackChecks.weightedLayers(model), tmp, null);
        }
        java.nio.file.Path reference = java.nio.file.Paths.get(getClass().getResource("/keras-reference/convolution").toURI());
        for (String file : new String[] {"sepconv2d_cf_same_dm2.keras", "conv3d_cf_groups2.h5"}) {
            ModelGraph model = ModelFiles.read(reference.resolve(file));
            WritebackChecks.roundTrip(model, WritebackChecks.weightedLayers(model), tmp, null);
        }
    }

    /**
     * graft's Attention (scalar scale, concat_score_weight: Keras's shape-() weights), AdditiveAttention (scale vector) and
     * Bidirectional(GRU) (both halves, reset_after either way), and TimeDistributed around a convolution (computed on the
     * steps as rows), from Keras 3 .keras and .h5 files.
     */
    @Test
    void attentionAndBidirectionalGruWriteBack() throws Exception {
        for (String[] c : new String[][] {{"attention_concat.keras", "attention"}, {"attention_concat.h5", "attention"},
                {"attention_scale_key.keras", "attention"}, {"additive_default.h5", "additive_attention"},
                {"bidi_gru_sum_seq.keras", "bidirectional"}, {"bidi_gru_concat_seq_reset_before.h5", "bidirectional"},
                {"td_conv1d.keras", "time_distributed"}, {"td_conv2d_same.h5", "time_distributed"}}) {
            ModelGraph model = ModelFiles.read(Fixtures.file("keras3-zoo/" + c[0]));
            WritebackChecks.roundTrip(model, Set.of(c[1]), tmp, null);
        }
        // Bidirectional(merge_mode=None): computed as concat and sliced, written back as the one layer it is
        ModelGraph halves = ModelFiles.read(KerasAttentionModelsTest.folder().resolve("bilstm_none.h5"));
        WritebackChecks.roundTrip(halves, Set.of("bilstm", "head"), tmp, null);
    }

    /**
     * GroupedQueryAttention (key and value projections shared by several query heads, from its .keras sub-layers
     * {@code _query_dense}, ... and its .h5), MultiHeadAttention given a key and an attention mask, and layers whose
     * activation is glu (followed by graft's glu vertex, which holds no weight), and EinsumDense (kernel and bias of Keras's shapes).
     */
    @Test
    void groupedQueryAttentionKeyedAttentionAndGluLayersWriteBack() throws Exception {
        for (String file : new String[] {"gqa_self.keras", "gqa_self.h5", "mha_attention_mask.keras"}) {
            ModelGraph model = ModelFiles.read(Fixtures.file("keras3-zoo/" + file));
            WritebackChecks.roundTrip(model, WritebackChecks.weightedLayers(model), tmp, null);
        }
        for (String file : new String[] {"gqa_cross_mask.keras", "mha_key_mask_causal.h5", "conv2d_glu.keras", "dense_glu.h5", "einsum_steps_bias_d.keras",
                "einsum_shared_axis.h5", "einsum_left_ellipsis_gelu.keras"}) {
            ModelGraph model = ModelFiles.read(KerasIssue12ModelsTest.folder().resolve(file));
            WritebackChecks.roundTrip(model, WritebackChecks.weightedLayers(model), tmp, null);
        }
    }

    /**
     * Attention layers returning their scores keep their weights in the packed vertex ({@code <name>__attention}), which
     * writes back under the layer's name: the zoo's Attention and MultiHeadAttention cases, GroupedQueryAttention, a
     * cross MultiHeadAttention whose scores feed a Dense, AdditiveAttention and concat Attention.
     */
    @Test
    void attentionReturningItsScoresWritesBack() throws Exception {
        for (String file : new String[] {"attention_scores.keras", "mha_self_dropout_scores.h5"}) {
            ModelGraph model = ModelFiles.read(Fixtures.file("keras3-zoo/" + file));
            WritebackChecks.roundTrip(model, WritebackChecks.weightedLayers(model), tmp, null);
        }
        for (String file : new String[] {"gqa_scores.keras", "mha_cross_causal_scores.h5", "additive_scores_causal_key.keras", "attention_concat_scores.h5"}) {
            ModelGraph model = ModelFiles.read(KerasAttentionScoresModelsTest.folder().resolve(file));
            WritebackChecks.roundTrip(model, WritebackChecks.weightedLayers(model), tmp, null);
        }
    }

    /** PReLU's alpha (which DL4J's own import dropped; graft's plug-in loads it) goes back like any weight. */
    @Test
    void preluWritesBack() throws Exception {
        ModelGraph model = ModelFiles.read(Fixtures.file("keras/models/tfkeras__adv_act_2.h5"));
        WritebackChecks.roundTrip(model, Set.of("p_re_lu"), tmp, null);
    }

    /** An Embedding with {@code mask_zero}: DL4J's import zeroes row 0, so that row stays as Keras had it. */
    @Test
    void embeddingWithMaskZeroKeepsRowZeroAndRefusesWhenTrainingMovedIt() throws Exception {
        ModelGraph read = ModelFiles.read(Fixtures.file("wild/sentiment_embedding_gap_tf211_misnamed.keras"));
        Layer emb = read.layer("embedding");
        ObjectNode c = emb.config().deepCopy();
        c.put("mask_zero", true);
        ModelGraph model = read.withLayers(read.layers().stream().map(l -> l == emb ? l.withConfig(c) : l).toList(), read.inputs(),
                read.outputs());
        long dim = emb.config().path("output_dim").asLong();

        ComputationGraph g = KerasEngine.buildForTraining(model);
        INDArray w = KerasWriteback.paramsOf(g, "embedding").get("W");
        assertEquals(0.0, w.getRow(0).norm1Number().doubleValue(), "DL4J zeroes row 0");
        INDArray row0 = w.getRow(0).dup();
        WritebackChecks.perturb(g, Set.of("embedding"));
        w.getRow(0).assign(row0);
        WritebackChecks.Result r = WritebackChecks.roundTrip(model, g, Set.of("embedding"), tmp, null);
        float[] before = emb.weights().get(0).read().toFloatArray();
        float[] after = r.reread().layer("embedding").weights().get(0).read().toFloatArray();
        assertTrue(Arrays.equals(Arrays.copyOf(before, (int) dim), Arrays.copyOf(after, (int) dim)), "row 0 keeps Keras's values");

        w.getRow(0).addi(0.5);
        EngineException e = assertThrows(EngineException.class, () -> KerasWriteback.apply(model, g, Set.of("embedding")));
        assertEquals("layer 'embedding' (Embedding): its DL4J parameters cannot be mapped back to Keras's weights"
                + " (training changed DL4J parameter 'W' where Keras has no weight to keep it); write the trained model as .zip",
                e.getMessage());
    }

    // ---- real models: the layer classes graft must write back ----

    private WritebackChecks.Result fixture(String relative, Set<String> expectedClasses) throws Exception {
        ModelGraph model = ModelFiles.read(Fixtures.file(relative));
        Set<String> all = WritebackChecks.weightedLayers(model);
        Set<String> classes = new java.util.TreeSet<>();
        for (String n : all) classes.add(dev.graft.surgery.Flattener.flatten(model).layer(n).className());
        assertTrue(classes.containsAll(expectedClasses), relative + " holds " + classes);
        return WritebackChecks.roundTrip(model, all, tmp, null);
    }

    @Test
    void conv2dAndDense() throws Exception {
        fixture("wild/mnist_digit.keras", Set.of("Conv2D", "Dense"));
    }

    @Test
    void batchNormalizationAfterConv2d() throws Exception {
        fixture("keras/models/fullconfigs__cnn__cnn_batch_norm.h5", Set.of("BatchNormalization", "Conv2D", "Dense"));
    }

    @Test
    void batchNormalizationAfterConv1d() throws Exception {
        fixture("wild/ecg_conv1d_bn_functional_k341.keras", Set.of("BatchNormalization", "Conv1D", "Dense"));
    }

    @Test
    void simpleRnn() throws Exception {
        fixture("wild/climate_simplernn_k392.keras", Set.of("SimpleRNN", "Dense"));
    }

    @Test
    void embeddingAndGru() throws Exception {
        fixture("wild/sentiment_embedding_gru_k36.h5", Set.of("Embedding", "GRU", "Dense"));
    }

    @Test
    void lstmFromTfKeras() throws Exception {
        fixture("wild/gesture_lstm_tf2131.h5", Set.of("LSTM", "Dense"));
    }
}
