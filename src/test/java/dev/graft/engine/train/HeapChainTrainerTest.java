package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.cli.Cli;
import dev.graft.data.TrainingData;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.ModelGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The heap training step ({@link HeapChainTrainer}) of Dense stacks trains as the engine's step does: the
 * same model, data, seed and options trained both ways (the engine's with {@code graft.train.engineStepOnly}) give
 * the same losses every epoch and the same weights, within float rounding (the order of the additions of a matrix
 * product is all that differs). Bridges with each hidden activation it computes, the whole MLP learning, every
 * optimizer it computes, its own binary cross-entropy and a loss it leaves to the engine's loss function; the accuracy
 * reported each epoch (computed with the heap's inference pass) is the engine's.
 */
class HeapChainTrainerTest {
    @TempDir
    static Path dir;
    static TrainingData data;

    @BeforeAll
    static void setUp() throws Exception {
        Path csv = dir.resolve("first300.csv");
        Files.write(csv, Files.readAllLines(Path.of("samples/example3_train.csv")).subList(0, 301));
        data = TrainingData.fromCsv(csv, "label");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("dense:32", null, "adam", Map.of(), null),
                Arguments.of("dense:32", "all", "sgd", Map.of("momentum", "0.9", "nesterov", "true"), null),
                Arguments.of("dense:32:tanh", null, "rmsprop", Map.of("momentum", "0.5", "centered", "true"), null),
                Arguments.of("dense:32:sigmoid", null, "adam", Map.of("amsgrad", "true"), "mse"),
                Arguments.of("dense:32:linear", "all", "sgd", Map.of(), null));
    }

    @ParameterizedTest(name = "{0} trainable={1} {2} {3} loss={4}")
    @MethodSource("cases")
    void trainsAsTheEngineDoes(String bridge, String trainable, String optimizer, Map<String, String> args, String loss) throws Exception {
        ModelGraph hybrid = hybrid(bridge);
        assertNotNull(plainJavaStep(hybrid, trainable), "the network is a Dense stack the plain-Java step computes");
        TrainOptions opts = new TrainOptions(4, 32, optimizer, 0.01, args, loss, List.of("accuracy"), 7, null, trainable);
        TrainJob.Outcome plain = TrainJob.run(hybrid, data, opts, TrainingListener.SILENT);
        TrainJob.Outcome engine;
        System.setProperty(HeapChainTrainer.OFF, "true");
        try {
            assertEquals(null, plainJavaStep(hybrid, trainable));
            engine = TrainJob.run(hybrid, data, opts, TrainingListener.SILENT);
        } finally {
            System.clearProperty(HeapChainTrainer.OFF);
        }
        List<EpochRecord> a = plain.result().history(), b = engine.result().history();
        assertEquals(b.size(), a.size());
        // measured: losses within 1e-8, weights within 7e-7 of the largest (a few float roundings)
        for (int e = 0; e < a.size(); e++) {
            double la = a.get(e).train().get("loss"), lb = b.get(e).train().get("loss");
            assertTrue(Math.abs(la - lb) <= 1e-5 * Math.abs(lb), "epoch " + (e + 1) + " loss " + la + " against the engine's " + lb);
            // the epoch's metric, computed on the heap (HeapChainTrainer.predict) against the engine's output pass
            assertEquals(b.get(e).train().get("accuracy"), a.get(e).train().get("accuracy"), 1.0 / 300, "epoch " + (e + 1) + " accuracy");
        }
        double[] pa = params(plain.result().graph()), pb = params(engine.result().graph());
        assertEquals(pb.length, pa.length);
        double scale = 0, err = 0, moved = 0;
        double[] before = params(EngineModel.ofKerasForTraining(hybrid).graph());
        for (int i = 0; i < pa.length; i++) {
            scale = Math.max(scale, Math.abs(pb[i]));
            err = Math.max(err, Math.abs(pa[i] - pb[i]));
            moved = Math.max(moved, Math.abs(pb[i] - before[i]));
        }
        assertTrue(moved > 1e-3, "training moved the weights by " + moved);
        assertTrue(err <= 5e-6 * scale, "max |plain Java - engine| " + err + " for weights up to " + scale + " (training moved them up to " + moved + ")");
    }

    /**
     * Between epochs the heap chain computes the reported metrics itself ({@link HeapChainTrainer#predict}: Dropout passes
     * everything on): on the MNIST CNN, after a training step, it gives what the engine's inference gives with the weights
     * copied back.
     */
    @org.junit.jupiter.api.Test
    void predictsWhatTheEnginesInferenceGives() {
        ModelGraph cnn = ModelFiles.read(Path.of("../shared/fixtures/wild/mnist_digit.keras"));
        EngineModel engine = EngineModel.ofKerasForTraining(cnn);
        Set<String> trained = TrainableLayers.resolve(cnn, "all");
        ComputationGraph graph = TrainableGraph.prepare(engine.graph(), TrainableGraph.engineVertices(engine.graph(), trained), new KerasUpdater(),
                LossKind.CATEGORICAL_CROSSENTROPY, 7);
        HeapChainTrainer heap = HeapChainTrainer.of(graph, new int[] {28, 28, 1}, 7);
        assertNotNull(heap, "the MNIST CNN trains on the heap");
        int rows = 16;
        java.util.Random r = new java.util.Random(5);
        float[] x = new float[rows * 28 * 28], y = new float[rows * 10];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        for (int i = 0; i < rows; i++) y[i * 10 + r.nextInt(10)] = 1f;
        heap.fit(x, rows, () -> org.nd4j.linalg.factory.Nd4j.create(y, new long[] {rows, 10}, 'c'), () -> y);
        heap.copyToGraph();
        float[] got = heap.predict(x, rows);
        org.nd4j.linalg.api.ndarray.INDArray in = engine.inputs().get(0).layout().fromKeras(org.nd4j.linalg.factory.Nd4j.create(x, new long[] {rows, 28, 28, 1}, 'c'));
        float[] expected = graph.output(false, in)[0].dup('c').data().asFloat();
        assertEquals(expected.length, got.length);
        for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 1e-5, "output " + i);
    }

    private static ModelGraph hybrid(String bridge) throws Exception {
        Path h = dir.resolve(bridge.replace(':', '_') + ".h5");
        if (!Files.exists(h)) {
            Cli r = Cli.run("merge", "samples/example3_first.h5", "samples/example3_second.h5", "--bridge", bridge, "--freeze", "donors", "-o", h.toString());
            assertEquals(0, r.exitCode(), r.err());
        }
        return ModelFiles.read(h);
    }

    /** The plain-Java step for the network training runs on (the part after a frozen prefix), or null. */
    private static HeapChainTrainer plainJavaStep(ModelGraph hybrid, String trainable) {
        ComputationGraph engine = EngineModel.ofKerasForTraining(hybrid).graph();
        Set<String> trained = TrainableLayers.resolve(hybrid, trainable);
        ComputationGraph prepared = TrainableGraph.prepare(engine, trained, new KerasUpdater(), LossKind.BINARY_CROSSENTROPY, 7);
        FrozenPrefix prefix = FrozenPrefix.of(prepared, trained);
        ComputationGraph trainedPart = prefix == null ? prepared : prefix.rest();
        String first = trainedPart.getConfiguration().getVertexInputs().entrySet().stream()
                .filter(e -> e.getValue().equals(trainedPart.getConfiguration().getNetworkInputs())).findFirst().orElseThrow().getKey();
        long width = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) trainedPart.getLayer(first).conf().getLayer()).getNIn();
        return HeapChainTrainer.of(trainedPart, new int[] {Math.toIntExact(width)}, 7);
    }

    private static double[] params(ComputationGraph g) {
        return g.params().dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }
}
