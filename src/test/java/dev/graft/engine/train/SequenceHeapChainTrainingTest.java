package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.cli.Cli;
import dev.graft.data.RowSelection;
import dev.graft.data.TrainingData;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The time-series hybrid (Conv1D, MaxPooling1D, a dense:8 bridge on every step, LSTM, Dense) trains whole on the heap
 * ({@link HeapChainTrainer} with the sequence stages) as the engine's step trains it: the same model, data, seed and
 * options both ways (the engine's with {@code graft.train.engineStepOnly}) give the same loss every epoch and the same
 * weights, within float rounding, and the loss falls. Trained whole, and with the donors frozen (a frozen prefix computed
 * once, then the bridge learning in front of a frozen LSTM that passes the error back).
 */
class SequenceHeapChainTrainingTest {
    @TempDir
    static Path dir;
    static ModelGraph hybrid;
    static ModelGraph frozenDonors;
    static TrainingData data;

    @BeforeAll
    static void setUp() {
        Path all = dir.resolve("ts.h5"), frozen = dir.resolve("ts-frozen.h5");
        Cli r = Cli.run("merge", "samples/ts_extractor.h5", "samples/ts_lstm.h5", "--bridge", "dense:8", "-o", all.toString());
        assertEquals(0, r.exitCode(), r.err());
        r = Cli.run("merge", "samples/ts_extractor.h5", "samples/ts_lstm.h5", "--bridge", "dense:8", "--freeze", "donors", "-o", frozen.toString());
        assertEquals(0, r.exitCode(), r.err());
        hybrid = ModelFiles.read(all);
        frozenDonors = ModelFiles.read(frozen);
        TrainingData full = TrainingData.fromArrays(Path.of("samples/ts_train_x.npy"), Path.of("samples/ts_train_y.npy"));
        // 200 rows: 7 batches of 32 per epoch, the last one short (a batch of another size through the same stages)
        int[] rows = new int[200];
        for (int i = 0; i < rows.length; i++) rows[i] = i;
        data = new TrainingData(RowSelection.of(full.x(), rows), RowSelection.of(full.y(), rows), "ts_train", null, null, null);
    }

    @ParameterizedTest(name = "trainable={0} {1} {2}")
    @CsvSource({"all, adam, 0.01", "all, sgd, 0.2", ", rmsprop, 0.01"})
    void trainsOnTheHeapAsTheEngineDoes(String trainable, String optimizer, double learningRate) {
        ModelGraph model = trainable == null ? frozenDonors : hybrid;
        assertNotNull(heapStep(model, trainable), "the whole chain has heap stages");
        TrainOptions opts = new TrainOptions(3, 32, optimizer, learningRate, Map.of(), null, List.of(), 7, null, trainable);
        TrainJob.Outcome heap = TrainJob.run(model, data, opts, TrainingListener.SILENT);
        TrainJob.Outcome engine;
        System.setProperty(HeapChainTrainer.OFF, "true");
        try {
            assertNull(heapStep(model, trainable));
            engine = TrainJob.run(model, data, opts, TrainingListener.SILENT);
        } finally {
            System.clearProperty(HeapChainTrainer.OFF);
        }
        List<EpochRecord> a = heap.result().history(), b = engine.result().history();
        assertEquals(b.size(), a.size());
        // measured: losses within 7e-8 relative, weights within 4e-7 of the largest
        for (int e = 0; e < a.size(); e++) {
            double la = a.get(e).train().get("loss"), lb = b.get(e).train().get("loss");
            assertTrue(Math.abs(la - lb) <= 1e-5 * Math.abs(lb), "epoch " + (e + 1) + " loss " + la + " against the engine's " + lb);
        }
        assertTrue(a.get(a.size() - 1).train().get("loss") < a.get(0).train().get("loss") - 1e-3, "the loss falls: " + a);
        double[] pa = params(heap.result().graph()), pb = params(engine.result().graph());
        double[] before = params(EngineModel.ofKerasForTraining(model).graph());
        assertEquals(pb.length, pa.length);
        double scale = 0, err = 0, moved = 0;
        for (int i = 0; i < pa.length; i++) {
            scale = Math.max(scale, Math.abs(pb[i]));
            err = Math.max(err, Math.abs(pa[i] - pb[i]));
            moved = Math.max(moved, Math.abs(pb[i] - before[i]));
        }
        assertTrue(moved > 1e-3, "training moved the weights by " + moved);
        assertTrue(err <= 1e-5 * scale, "max |heap - engine| " + err + " for weights up to " + scale + " (training moved them up to " + moved + ")");
    }

    /** The heap step of the network training runs on (the part after a frozen prefix), or null. */
    private static HeapChainTrainer heapStep(ModelGraph model, String trainable) {
        ComputationGraph engine = EngineModel.ofKerasForTraining(model).graph();
        Set<String> trained = TrainableLayers.resolve(model, trainable);
        ComputationGraph prepared = TrainableGraph.prepare(engine, TrainableGraph.engineVertices(engine, trained), new KerasUpdater(),
                LossKind.BINARY_CROSSENTROPY, 7);
        FrozenPrefix prefix = FrozenPrefix.of(prepared, trained);
        // after the frozen Conv1D and pooling: 16 steps of 16 channels
        return prefix == null ? HeapChainTrainer.of(prepared, new int[] {32, 4}, 7) : HeapChainTrainer.of(prefix.rest(), new int[] {16, 16}, 7);
    }

    private static double[] params(ComputationGraph g) {
        return g.params().dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }
}
