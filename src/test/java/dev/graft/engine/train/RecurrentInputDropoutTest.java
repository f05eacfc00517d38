package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.GraftException;
import dev.graft.cli.Cli;
import dev.graft.data.TrainingData;
import dev.graft.engine.EngineModel;
import dev.graft.engine.layers.ChannelAxisDropout;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A recurrent layer's {@code dropout} where Keras draws one mask {@code (batch, input_dim)} per call for every step
 * (Keras 3's {@code DropoutRNNCell.get_dropout_mask}, Keras 2's one mask for a SimpleRNN and for implementation 2): the
 * training pass computes the layer on the input times one 0-or-1/(1 - rate) factor per sample and feature, the same at
 * every step; the input's gradient takes the same mask; prediction is unaffected; the configurations where Keras draws one
 * mask per gate, and the recurrent dropout, are refused by name.
 */
class RecurrentInputDropoutTest {
    @TempDir
    Path dir;

    /**
     * The zoo's SimpleRNN(2, dropout=0.4) over 5 steps of 3 features: for each sample, one of the 8 masks over its features
     * (each 0 or 1/0.6) reproduces the training pass's output as the layer's inference pass on the masked input, and the
     * training pass's input gradient is that mask times the gradient at the masked input.
     */
    @Test
    void theSimpleRnnComputesOnItsInputTimesOneMaskForEveryStepAndBackpropagatesThroughIt() {
        ModelGraph graph = ModelFiles.read(Fixtures.file("keras3-zoo/simplernn_dropout_seq.keras"));
        EngineModel engine = EngineModel.ofKerasForTraining(graph);
        org.deeplearning4j.nn.conf.layers.Layer conf = ((LayerVertex) engine.graph().getConfiguration().getVertices().get("simple_rnn")).getLayerConf().getLayer();
        ChannelAxisDropout d = assertInstanceOf(ChannelAxisDropout.class, conf.getIDropout());
        assertEquals(0.6, d.p, 1e-12);
        engine.graph().initGradientsView();
        Layer layer = engine.graph().getLayer("simple_rnn");
        int batch = 64;
        double scale = 1 / 0.6;
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 5, 3).subi(0.5).muli(2);
        INDArray eps = Nd4j.rand(DataType.FLOAT, batch, 5, 2);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x.dup(), ws);
        INDArray trained = layer.activate(true, ws).dup();
        INDArray gradient = layer.backpropGradient(eps.dup(), ws).getSecond().dup();
        // each sample's mask, found among the 8: the inference pass on the masked input gives the training output
        INDArray mask = Nd4j.zeros(DataType.FLOAT, batch, 5, 3);
        int keptFeatures = 0;
        for (int n = 0; n < batch; n++) {
            int found = -1;
            for (int m = 0; m < 8 && found < 0; m++) {
                INDArray xm = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n, n + 1)).dup();
                for (int f = 0; f < 3; f++) xm.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(f)).muli(((m >> f) & 1) == 1 ? scale : 0);
                layer.setInput(xm, ws);
                INDArray out = layer.activate(false, ws);
                if (out.equalsWithEps(trained.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n, n + 1)), 1e-5)) found = m;
            }
            assertTrue(found >= 0, "sample " + n + ": no mask over its features, the same at every step, gives the training output");
            for (int f = 0; f < 3; f++) {
                boolean kept = ((found >> f) & 1) == 1;
                if (kept) keptFeatures++;
                for (int t = 0; t < 5; t++) mask.putScalar(new int[] {n, t, f}, kept ? scale : 0);
            }
        }
        assertEquals(0.6, keptFeatures / (3.0 * batch), 0.16, "share of the features kept");
        // the backward pass: the same mask times the gradient at the masked input (the layer without its dropout)
        conf.setIDropout(null);
        try {
            layer.setInput(x.mul(mask), ws);
            layer.activate(true, ws);
            Pair<Gradient, INDArray> plain = layer.backpropGradient(eps.dup(), ws);
            assertTrue(gradient.equalsWithEps(plain.getSecond().mul(mask), 1e-5), "the input's gradient takes the forward pass's mask");
        } finally {
            conf.setIDropout(d);
        }
        // prediction passes everything on
        INDArray predicted = engine.graph().output(false, x)[0];
        layer.setInput(x.dup(), ws);
        assertTrue(predicted.equalsWithEps(layer.activate(false, ws), 1e-6));
        assertFalse(predicted.equalsWithEps(trained, 1e-3), "training differs from prediction");
    }

    /**
     * DL4J's LSTM puts its unmasked input back after the forward pass and computes that pass again inside its backward
     * pass from it: an input mask there would give the input's and weights' gradients of another input. An LSTM's
     * dropout is refused by name, even where Keras draws one mask (implementation 2, no recurrent_dropout).
     */
    @Test
    void anLstmsDropoutIsRefusedByName() {
        ModelGraph graph = ModelFiles.read(Fixtures.file("keras3-zoo/lstm_no_unit_forget_bias.keras"));
        graph.layer("lstm").config().put("recurrent_dropout", 0.0);
        StoredPredictions stored = StoredPredictions.read(Fixtures.file("keras3-zoo/lstm_no_unit_forget_bias_inputs_and_outputs.h5"));
        GraftException e = org.junit.jupiter.api.Assertions.assertThrows(GraftException.class, () -> TrainJob.run(graph,
                new TrainingData(stored.inputs().get(0), stored.outputs().get(0), "zoo", null, null, null),
                new TrainOptions(1, 4, "sgd", 0.01, Map.of(), "mse", List.of(), 7, null, "all"), TrainingListener.SILENT));
        assertEquals("layer 'lstm' (LSTM): dropout=0.2 is applied by Keras's fit and not by graft's train (the engine computes this layer in a way"
                + " that takes no input mask; set it to 0 to train with graft)", e.getMessage());
    }

    /**
     * The heap path (HeapChainTrainer) computes no input mask: its LSTM stage falls back to the engine for an LSTM with an
     * input dropout (put on by hand: train refuses an LSTM's), and takes the same LSTM without one; its dropout stage falls
     * back for GaussianDropout.
     */
    @Test
    void theHeapStagesFallBackForNoiseTheyDoNotApply() {
        for (double rate : new double[] {0.2, 0.0}) {
            ModelGraph graph = ModelFiles.read(Fixtures.file("keras3-zoo/lstm_no_unit_forget_bias.keras"));
            graph.layer("lstm").config().put("recurrent_dropout", 0.0).put("dropout", 0.0);
            EngineModel engine = EngineModel.ofKerasForTraining(graph);
            int[] shape = engine.inputs().get(0).kerasShape().dims().stream().skip(1).mapToInt(v -> Math.toIntExact(v)).toArray();
            LayerVertex vertex = (LayerVertex) engine.graph().getConfiguration().getVertices().get("lstm");
            org.deeplearning4j.nn.conf.layers.Layer lstm = vertex.getLayerConf().getLayer();
            if (lstm instanceof org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep w) lstm = w.getUnderlying();
            if (rate > 0) lstm.setIDropout(new ChannelAxisDropout(1 - rate, 1));
            dev.graft.engine.layers.HeapStage stage = dev.graft.engine.layers.LstmStage.of(new dev.graft.engine.layers.HeapStageSource("lstm", vertex,
                    vertex.getLayerConf().getLayer(), engine.graph().getLayer("lstm"), true, shape, new java.util.SplittableRandom(1)));
            assertEquals(rate == 0, stage != null, "dropout " + rate + ": stage " + stage);
        }
        for (String zoo : new String[] {"gaussiandropout_03", "dropout_03"}) {
            EngineModel engine = EngineModel.ofKerasForTraining(ModelFiles.read(Fixtures.file("keras3-zoo/" + zoo + ".keras")));
            String name = zoo.startsWith("gaussian") ? "gaussian_dropout" : "dropout";
            LayerVertex vertex = (LayerVertex) engine.graph().getConfiguration().getVertices().get(name);
            dev.graft.engine.layers.HeapStage stage = dev.graft.engine.layers.InvertedDropoutStage.of(new dev.graft.engine.layers.HeapStageSource(name, vertex,
                    vertex.getLayerConf().getLayer(), engine.graph().getLayer(name), false, new int[] {3, 6}, new java.util.SplittableRandom(1)));
            assertEquals(zoo.startsWith("dropout"), stage != null, zoo);
        }
    }

    /** graft's GRU (Keras 3, implementation 2 once recurrent_dropout is 0): the mask over the features of its steps-last input. */
    @Test
    void aGruWithoutRecurrentDropoutTrainsWithItsInputMask() {
        ModelGraph graph = ModelFiles.read(Fixtures.file("keras3-zoo/gru_relu_dropouts.keras"));
        graph.layer("gru").config().put("recurrent_dropout", 0.0);
        EngineModel engine = EngineModel.ofKerasForTraining(graph);
        org.deeplearning4j.nn.conf.layers.Layer conf = ((LayerVertex) engine.graph().getConfiguration().getVertices().get("gru")).getLayerConf().getLayer();
        assertInstanceOf(dev.graft.engine.layers.KerasGruLayer.class, conf);
        ChannelAxisDropout d = assertInstanceOf(ChannelAxisDropout.class, conf.getIDropout());
        assertEquals(0.8, d.p, 1e-12);
        assertEquals(2, d.axis, "features of [batch, steps, features]");
        assertLossFalls(graph, "gru_relu_dropouts");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "keras3-zoo/lstm_no_unit_forget_bias.keras|layer 'lstm' (LSTM): recurrent_dropout=0.1 is applied by Keras's fit and not by graft's train (set it to 0 to train with graft)",
        "keras3-zoo/gru_relu_dropouts.keras|layer 'gru' (GRU): recurrent_dropout=0.2 is applied by Keras's fit and not by graft's train (set it to 0 to train with graft)",
        "keras/io/simple_lstm_tf_keras_2_model.h5|layer 'lstm_1' (LSTM): dropout=0.2 is applied by Keras's fit and not by graft's train (implementation=0 draws one mask per gate; set it to 0 to train with graft)",
        "keras/io/simple_flatten_lstm_tf_keras_2_model.h5|layer 'lstm_1' (LSTM): dropout=0.2 is applied by Keras's fit and not by graft's train (implementation=1 draws one mask per gate; set it to 0 to train with graft)"})
    void aDropoutKerasDrawsPerGateOrARecurrentDropoutIsRefusedByName(String file, String message) {
        ModelGraph graph = ModelFiles.read(Fixtures.file(file));
        EngineModel engine = EngineModel.ofKeras(graph);
        long[] in = shape(engine.inputs().get(0), 2);
        long[] out = shape(engine.outputs().get(0), 2);
        TrainingData data = new TrainingData(HostArray.ofFloats(in, new float[(int) java.util.Arrays.stream(in).reduce(1, (a, b) -> a * b)]),
                HostArray.ofFloats(out, new float[(int) java.util.Arrays.stream(out).reduce(1, (a, b) -> a * b)]), "generated", null, null, null);
        GraftException e = org.junit.jupiter.api.Assertions.assertThrows(GraftException.class, () -> TrainJob.run(graph, data,
                new TrainOptions(1, 2, "sgd", 0.01, Map.of(), "mse", List.of(), 7, null, "all"), TrainingListener.SILENT));
        assertEquals(message, e.getMessage());
    }

    /** The zoo's SimpleRNN with dropout, and Keras 2.1.3's SimpleRNN with dropout=0.2, now train from the command line. */
    @ParameterizedTest
    @CsvSource({"keras3-zoo/simplernn_dropout_seq.keras", "keras/io/simple_flatten_rnn_tf_keras_2_model.h5"})
    void simpleRnnsWithDropoutTrain(String file) throws Exception {
        Path model = Fixtures.file(file);
        ModelGraph graph = ModelFiles.read(model);
        EngineModel engine = EngineModel.ofKeras(graph);
        long[] in = shape(engine.inputs().get(0), 32);
        long[] out = shape(engine.outputs().get(0), 32);
        java.util.Random r = new java.util.Random(3);
        float[] xs = new float[(int) java.util.Arrays.stream(in).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
        float[] ys = new float[(int) java.util.Arrays.stream(out).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < ys.length; i++) ys[i] = 0.5f;
        Path x = dir.resolve("x.npy"), y = dir.resolve("y.npy"), o = dir.resolve("trained.h5"), hist = dir.resolve("history.csv");
        dev.graft.data.NpyWriter.write(x, HostArray.ofFloats(in, xs));
        dev.graft.data.NpyWriter.write(y, HostArray.ofFloats(out, ys));
        Cli c = Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--loss", "mse", "--optimizer", "adam", "--learning-rate", "0.01",
                "--epochs", "8", "--batch-size", "8", "-q", "-o", o.toString());
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(Files.exists(o));
        assertNotNull(ModelFiles.read(o));
    }

    /**
     * A Bidirectional's halves are two layers in Keras, each drawing its own mask; graft's engine trains a
     * Bidirectional(SimpleRNN) as its two halves ({@code <name>__forward}, {@code <name>__backward}), each with its own
     * input dropout, and the model trains. A Bidirectional(LSTM)'s backward half is graft's SameDiff LSTM, which takes no
     * input mask: refused by name.
     */
    @Test
    void aBidirectionalsHalvesEachDrawTheirOwnMask() {
        ModelGraph graph = withDropout("bidi_simplernn_mul");
        String name = bidirectional(graph);
        EngineModel engine = EngineModel.ofKerasForTraining(graph);
        ChannelAxisDropout[] halves = new ChannelAxisDropout[2];
        for (int h = 0; h < 2; h++) {
            org.deeplearning4j.nn.conf.layers.Layer conf = ((LayerVertex) engine.graph().getConfiguration().getVertices()
                    .get(name + (h == 0 ? "__forward" : "__backward"))).getLayerConf().getLayer();
            halves[h] = assertInstanceOf(ChannelAxisDropout.class, conf.getIDropout());
            assertEquals(0.75, halves[h].p, 1e-12);
        }
        assertTrue(halves[0] != halves[1], "two draws");
        assertLossFalls(graph, "bidi_simplernn_mul");
        // the LSTM's
        ModelGraph lstm = withDropout("bidi_lstm_concat");
        StoredPredictions s2 = StoredPredictions.read(Fixtures.file("keras3-zoo/bidi_lstm_concat_inputs_and_outputs.h5"));
        GraftException e = org.junit.jupiter.api.Assertions.assertThrows(GraftException.class, () -> TrainJob.run(lstm,
                new TrainingData(s2.inputs().get(0), s2.outputs().get(0), "zoo", null, null, null),
                new TrainOptions(1, 4, "sgd", 0.01, Map.of(), "mse", List.of(), 7, null, "all"), TrainingListener.SILENT));
        assertEquals("layer '" + bidirectional(lstm) + "' (Bidirectional): dropout=0.25 is applied by Keras's fit and not by graft's train (the engine"
                + " computes this layer in a way that takes no input mask; set it to 0 to train with graft)", e.getMessage());
    }

    /** The zoo model with dropout=0.25 on both halves of its Bidirectional (Keras 3 writes the backward layer's config too). */
    /** Three epochs of Adam on the zoo case's inputs, towards its outputs shifted by 0.5: the loss is finite and falls. */
    private static void assertLossFalls(ModelGraph graph, String zoo) {
        StoredPredictions stored = StoredPredictions.read(Fixtures.file("keras3-zoo/" + zoo + "_inputs_and_outputs.h5"));
        float[] y = stored.outputs().get(0).toFloatArray();
        for (int i = 0; i < y.length; i++) y[i] += 0.5f;
        TrainJob.Outcome o = TrainJob.run(graph, new TrainingData(stored.inputs().get(0), HostArray.ofFloats(stored.outputs().get(0).shape(), y), "zoo", null, null, null),
                new TrainOptions(3, 4, "adam", 0.01, Map.of(), "mse", List.of(), 7, null, "all"), TrainingListener.SILENT);
        List<EpochRecord> h = o.result().history();
        assertTrue(Double.isFinite(h.get(0).train().get("loss")) && h.get(2).train().get("loss") < h.get(0).train().get("loss"), "loss: " + h);
    }

    private static ModelGraph withDropout(String zoo) {
        ModelGraph graph = ModelFiles.read(Fixtures.file("keras3-zoo/" + zoo + ".keras"));
        com.fasterxml.jackson.databind.JsonNode c = graph.layer(bidirectional(graph)).config();
        ((com.fasterxml.jackson.databind.node.ObjectNode) c.path("layer").path("config")).put("dropout", 0.25);
        if (c.path("backward_layer").path("config").isObject()) ((com.fasterxml.jackson.databind.node.ObjectNode) c.path("backward_layer").path("config")).put("dropout", 0.25);
        return graph;
    }

    private static String bidirectional(ModelGraph graph) {
        return graph.layers().stream().filter(l -> l.className().equals("Bidirectional")).findFirst().orElseThrow().name();
    }

    /** Keras's fit drops a frozen layer's input too; graft's frozen layers compute in inference mode, so that is refused. */
    @Test
    void aFrozenLayerWithAnInputDropoutIsRefused() {
        ModelGraph graph = ModelFiles.read(Fixtures.file("keras/io/simple_flatten_rnn_tf_keras_2_model.h5"));
        TrainingData data = new TrainingData(HostArray.ofFloats(new long[] {4, 1, 1}, new float[4]), HostArray.ofFloats(new long[] {4, 1}, new float[4]),
                "generated", null, null, null);
        GraftException e = org.junit.jupiter.api.Assertions.assertThrows(GraftException.class, () -> TrainJob.run(graph, data,
                new TrainOptions(1, 2, "sgd", 0.01, Map.of(), "mse", List.of(), 7, null, "dense_1"), TrainingListener.SILENT));
        assertEquals("layer 'simple_rnn_1': its dropout is applied by Keras's fit also when the layer is frozen, and not by graft's train"
                + " (train the layer too, or set its dropout to 0)", e.getMessage());
    }

    /** The tensor's Keras shape with this many rows (and 3 steps where the steps are open). */
    private static long[] shape(dev.graft.engine.TensorSpec t, int rows) {
        long[] s = t.kerasShape().dims().stream().mapToLong(v -> v == null ? 3 : v).toArray();
        s[0] = rows;
        return s;
    }
}
