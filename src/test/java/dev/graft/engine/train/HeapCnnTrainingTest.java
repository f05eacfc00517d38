package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.data.TrainingData;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The MNIST CNN ({@code Conv2D → MaxPooling2D → Conv2D → MaxPooling2D → Flatten → Dropout → Dense}, both fixture files)
 * trains whole on the heap ({@link HeapChainTrainer} with the channels-last CNN stages): its loss falls, and it trains as
 * the engine's step does (the same model, data, seed and options both ways, the engine's with
 * {@code graft.train.engineStepOnly}): the same losses every epoch and the same weights, within float rounding. The two
 * draw their own dropout masks, so they are compared with the Dropout's rate set to 0 (both runs deterministic); with
 * its rate (0.5) the heap step drops, and the losses differ from rate 0's.
 */
class HeapCnnTrainingTest {
    @ParameterizedTest
    @ValueSource(strings = {"wild/mnist_digit.keras", "wild/mnist_cnn_k215.h5"})
    void mnistCnnTrainsOnTheHeapAsTheEngineDoes(String file) {
        ModelGraph withDropout = ModelFiles.read(Fixtures.file(file));
        assertNotNull(heapStep(withDropout), "the CNN, with its dropout, is a chain the heap step computes");
        TrainingData data = blocks(96, 5);
        TrainOptions opts = new TrainOptions(3, 32, "adam", 0.002, Map.of(), "categorical_crossentropy", List.of(), 7, null, "all");
        double droppingFirst = TrainJob.run(withDropout, data, opts, TrainingListener.SILENT).result().history().get(0).train().get("loss");
        // the heap and the engine each draw their own dropout masks: they are compared with the dropout's rate at 0
        ModelGraph cnn = ModelFiles.read(Fixtures.file(file));
        cnn.layers().stream().filter(l -> l.className().equals("Dropout")).forEach(l -> l.config().put("rate", 0.0));
        TrainJob.Outcome heap = TrainJob.run(cnn, data, opts, TrainingListener.SILENT);
        if (file.contains("digit")) {
            // rate 0.5 trains on other numbers than rate 0 (the first epoch's loss differs from the same run's without dropout)
            double first = heap.result().history().get(0).train().get("loss");
            assertTrue(Math.abs(droppingFirst - first) > 1e-4 * first, "dropout changes training: " + droppingFirst + " against " + first);
        }
        TrainJob.Outcome engine;
        System.setProperty(HeapChainTrainer.OFF, "true");
        try {
            engine = TrainJob.run(cnn, data, opts, TrainingListener.SILENT);
        } finally {
            System.clearProperty(HeapChainTrainer.OFF);
        }
        List<EpochRecord> a = heap.result().history(), b = engine.result().history();
        assertEquals(b.size(), a.size());
        double first = a.get(0).train().get("loss"), last = a.get(a.size() - 1).train().get("loss");
        assertTrue(last < 0.8 * first, file + ": the loss falls, " + first + " to " + last);
        for (int e = 0; e < a.size(); e++) {
            double la = a.get(e).train().get("loss"), lb = b.get(e).train().get("loss");
            assertTrue(Math.abs(la - lb) <= 1e-5 * Math.abs(lb), file + ": epoch " + (e + 1) + " loss " + la + " against the engine's " + lb);
        }
        // measured: losses within 2e-7, weights within 7e-7 of the largest after 9 steps
        double[] pa = params(heap.result().graph()), pb = params(engine.result().graph());
        assertEquals(pb.length, pa.length);
        double scale = 0, err = 0;
        for (int i = 0; i < pa.length; i++) {
            scale = Math.max(scale, Math.abs(pb[i]));
            err = Math.max(err, Math.abs(pa[i] - pb[i]));
        }
        assertTrue(err <= 1e-5 * scale, file + ": max |heap - engine| " + err + " for weights up to " + scale);
    }

    /** {@code n} 28×28 images of faint noise with a bright 7×7 block at one of ten places, its class (one-hot). */
    static TrainingData blocks(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 28 * 28];
        float[] y = new float[n * 10];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(10);
            y[i * 10 + c] = 1f;
            int top = (c / 5) * 14 + 3, left = (c % 5) * 5 + 1;
            for (int p = 0; p < 28 * 28; p++) x[i * 784 + p] = (float) (r.nextDouble() * 0.2);
            for (int dy = 0; dy < 7; dy++) for (int dx = 0; dx < 4; dx++) x[i * 784 + (top + dy) * 28 + left + dx] = 1f;
        }
        return new TrainingData(HostArray.ofFloats(new long[] {n, 28, 28, 1}, x), HostArray.ofFloats(new long[] {n, 10}, y), "generated", null, null, null);
    }

    private static HeapChainTrainer heapStep(ModelGraph cnn) {
        ComputationGraph engine = EngineModel.ofKerasForTraining(cnn).graph();
        ComputationGraph prepared = TrainableGraph.prepare(engine, TrainableLayers.resolve(cnn, "all"), new KerasUpdater(), LossKind.CATEGORICAL_CROSSENTROPY, 7);
        return HeapChainTrainer.of(prepared, new int[] {28, 28, 1}, 7);
    }

    private static double[] params(ComputationGraph g) {
        return g.params().dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }
}
