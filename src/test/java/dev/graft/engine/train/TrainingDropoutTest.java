package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code Dropout(rate)} drops in training as Keras's fit does (DL4J's Keras import keeps every value), wherever it
 * is (also before the first layer that learns: not computed once in a frozen prefix, not frozen in inference mode), and
 * only in training; what graft's training does not compute as Keras's fit (a recurrent layer's recurrent dropout, an
 * attention layer's dropout) is refused with one line naming the layer, the argument and its value. GaussianDropout and
 * noise_shape: {@link TrainingNoiseTest}.
 */
class TrainingDropoutTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"wild/mnist_digit.keras,dropout,0.5", "wild/mnist_cnn_k215.h5,dropout_2,0.999"})
    void theTrainingGraphKeepsEachValueWithOneMinusTheKerasRate(String file, String layer, double keep) {
        ModelGraph cnn = ModelFiles.read(Fixtures.file(file));
        ComputationGraph prepared = prepared(cnn, TrainableLayers.resolve(cnn, "all"));
        assertEquals(keep, keep(prepared, layer), 1e-12);
    }

    @Test
    void dropoutDrawsNewMasksInTrainingAndPassesEverythingOnWhenPredicting() {
        ModelGraph cnn = ModelFiles.read(Fixtures.file("wild/mnist_digit.keras"));
        ComputationGraph g = prepared(cnn, TrainableLayers.resolve(cnn, "all"));
        HostArray x = HeapCnnTrainingTest.blocks(8, 3).x();
        INDArray in = Nd4j.create(x.toFloatArray(), new long[] {8, 28, 28, 1}, 'c');
        INDArray a = g.feedForward(new INDArray[] {in}, true, false).get("dropout").dup();
        INDArray b = g.feedForward(new INDArray[] {in}, true, false).get("dropout").dup();
        INDArray before = g.feedForward(new INDArray[] {in}, false, false).get("dropout").dup();
        // about half the values are dropped, the kept ones doubled, and the masks differ between calls
        long nonZero = before.neq(0).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
        long kept = a.neq(0).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
        assertTrue(kept > 0.4 * nonZero && kept < 0.6 * nonZero, kept + " of " + nonZero + " kept");
        assertFalse(a.equalsWithEps(b, 1e-6), "two training passes draw different masks");
        INDArray keptValues = a.neq(0).castTo(a.dataType());
        assertTrue(a.equalsWithEps(before.mul(keptValues).mul(2), 1e-5), "kept values are scaled by 1 / (1 - rate)");
        // prediction: the trained network computes what the inference build computes
        HostArray predicted = EngineModel.ofKeras(cnn).predict(x)[0];
        float[] trainingGraph = g.outputSingle(false, in).dup('c').data().asFloat();
        float[] want = predicted.toFloatArray();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], trainingGraph[i], 1e-6);
    }

    @Test
    void dropoutBeforeTheFirstLayerThatLearnsRunsPerBatch() {
        ModelGraph cnn = ModelFiles.read(Fixtures.file("wild/mnist_digit.keras"));
        ComputationGraph prepared = prepared(cnn, Set.of("dense"));
        assertInstanceOf(DropoutLayer.class, ((LayerVertex) prepared.getConfiguration().getVertices().get("dropout")).getLayerConf().getLayer(),
                "not frozen (a frozen layer computes in inference mode)");
        FrozenPrefix prefix = FrozenPrefix.of(prepared, Set.of("dense"));
        assertNotNull(prefix);
        assertNotNull(prefix.rest().getVertex("dropout"), "the frozen prefix stops before the dropout");
        assertEquals(0.5, keep(prefix.rest(), "dropout"), 1e-12);
        // and training only the Dense layer after it runs: the convolutions keep their weights bit for bit, the loss falls
        TrainingData data = HeapCnnTrainingTest.blocks(64, 5);
        TrainJob.Outcome o = TrainJob.run(cnn, data, new TrainOptions(4, 32, "adam", 0.005, Map.of(), "categorical_crossentropy", List.of(), 7,
                null, "dense"), TrainingListener.SILENT);
        List<EpochRecord> h = o.result().history();
        assertTrue(h.get(h.size() - 1).train().get("loss") < h.get(0).train().get("loss"), "the loss falls: " + h);
        float[] k0 = EngineModel.ofKerasForTraining(cnn).graph().getVertex("conv2d").params().dup('c').data().asFloat();
        float[] k1 = o.result().graph().getVertex("conv2d").params().dup('c').data().asFloat();
        assertArrayEquals(k0, k1);
    }

    @Test
    void aDropoutBridgeDropsWithItsRate() {
        Path h5 = dir.resolve("h.h5");
        Cli r = Cli.run("merge", "samples/ts_classifier.h5:until=max_pooling1d", "samples/example1_second.h5",
                "--bridge", "flatten,dropout:0.3,dense:32", "-o", h5.toString());
        assertEquals(0, r.exitCode(), r.err());
        ModelGraph hybrid = ModelFiles.read(h5);
        Set<String> bridges = TrainableLayers.resolve(hybrid, "bridges");
        ComputationGraph prepared = prepared(hybrid, TrainableGraph.engineVertices(EngineModel.ofKerasForTraining(hybrid).graph(), bridges));
        assertEquals(0.7, keep(prepared, "bridge1_dropout"), 1e-12);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lstm_no_unit_forget_bias|layer 'lstm' (LSTM): recurrent_dropout=0.1 is applied by Keras's fit and not by graft's train (set it to 0 to train with graft)",
        "gru_relu_dropouts|layer 'gru' (GRU): recurrent_dropout=0.2 is applied by Keras's fit and not by graft's train (set it to 0 to train with graft)"})
    void trainingNoiseGraftDoesNotComputeIsRefusedByName(String zoo, String message) throws Exception {
        Path model = Fixtures.file("keras3-zoo/" + zoo + ".keras");
        StoredPredictions stored = StoredPredictions.read(model.resolveSibling(zoo + "_inputs_and_outputs.h5"));
        Path xs = dir.resolve("x.npy"), ys = dir.resolve("y.npy"), out = dir.resolve("trained.h5");
        dev.graft.data.NpyWriter.write(xs, stored.inputs().get(0));
        dev.graft.data.NpyWriter.write(ys, stored.outputs().get(0));
        Cli r = Cli.run("train", model.toString(), "--x", xs.toString(), "--y", ys.toString(), "--loss", "mse", "--epochs", "1", "-q",
                "-o", out.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("graft: " + message + "\n", r.err());
        assertFalse(Files.exists(out), "no output file");
        // predicting is unchanged: the noise is the identity there
        assertEquals(0, Cli.run("predict", model.toString(), "--input", xs.toString(), "-o", dir.resolve("p.npy").toString()).exitCode());
    }

    /**
     * Keras's SpatialDropout drops whole channels: in the training graph each sample's channel is zero at every position
     * or kept (times 1 / (1 - rate)) at every position, along the channel axis of Keras's layout (DL4J's own SpatialDropout
     * drops along axis 1: rows of a channels-last image, steps of a sequence). About 1 - rate of the channels are kept.
     */
    @ParameterizedTest
    @CsvSource({"spatialdropout2d, 0.3", "spatialdropout1d, 0.4"})
    void spatialDropoutDropsWholeChannelsInTraining(String zoo, double rate) {
        ModelGraph model = ModelFiles.read(Fixtures.file("keras3-zoo/" + zoo + ".keras"));
        EngineModel engine = EngineModel.ofKerasForTraining(model);
        long[] shape = engine.inputs().get(0).kerasShape().dims().stream().mapToLong(d -> d == null ? 300 : d).toArray();
        INDArray ones = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape);
        String output = engine.graph().getConfiguration().getNetworkOutputs().get(0);
        INDArray out = engine.outputs().get(0).layout().toKeras(engine.graph().feedForward(engine.inputs().get(0).layout().fromKeras(ones), true).get(output));
        int channels = (int) shape[shape.length - 1];
        long positions = ones.length() / shape[0] / channels;
        float[] v = out.dup('c').data().asFloat();
        float scale = (float) (1 / (1 - rate));
        int kept = 0;
        for (int n = 0; n < shape[0]; n++) {
            for (int c = 0; c < channels; c++) {
                float first = v[(int) (n * positions * channels) + c];
                assertTrue(first == 0f || Math.abs(first - scale) < 1e-5, "value " + first);
                for (long p = 0; p < positions; p++) assertEquals(first, v[(int) ((n * positions + p) * channels) + c], 0f, "sample " + n + " channel " + c);
                if (first != 0f) kept++;
            }
        }
        assertEquals(1 - rate, (double) kept / (shape[0] * channels), 0.1, "share of channels kept");
        // predicting passes everything on
        assertEquals(ones.length(), engine.graph().output(false, engine.inputs().get(0).layout().fromKeras(ones))[0].sumNumber().doubleValue(), 1e-3);
    }

    @Test
    void keras1RecurrentDropoutIsRefused() {
        ModelGraph lstm = ModelFiles.read(Fixtures.file("keras/io/simple_lstm_th_keras_1_model.h5"));
        TrainingData data = new TrainingData(HostArray.ofFloats(new long[] {2, 1, 1}, new float[2]), HostArray.ofFloats(new long[] {2, 1}, new float[2]),
                "generated", null, null, null);
        GraftException e = org.junit.jupiter.api.Assertions.assertThrows(GraftException.class, () -> TrainJob.run(lstm, data,
                new TrainOptions(1, 2, "sgd", 0.01, Map.of(), "mse", List.of(), 7, null, "all"), TrainingListener.SILENT));
        assertEquals("layer 'lstm_1' (LSTM): dropout_W=0.2 is applied by Keras's fit and not by graft's train (set it to 0 to train with graft)",
                e.getMessage());
    }

    private static ComputationGraph prepared(ModelGraph model, Set<String> trainable) {
        ComputationGraph engine = EngineModel.ofKerasForTraining(model).graph();
        return TrainableGraph.prepare(engine, trainable, new KerasUpdater(), LossKind.CATEGORICAL_CROSSENTROPY, 7);
    }

    private static double keep(ComputationGraph g, String vertex) {
        DropoutLayer d = (DropoutLayer) ((LayerVertex) g.getConfiguration().getVertices().get(vertex)).getLayerConf().getLayer();
        assertInstanceOf(Dropout.class, d.getIDropout());
        return ((Dropout) d.getIDropout()).getP();
    }
}
