package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.data.NpyWriter;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.SplittableRandom;
import dev.graft.engine.train.LossKind;
import dev.graft.engine.train.TrainableGraph;
import java.util.Set;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid of two GroupedQueryAttention models (keras-reference/issue12/gqa_causal.keras twice) whose first donor's
 * attention trains and whose second, the output, is frozen: DL4J's FrozenVertex would pass no error back, so graft keeps
 * the frozen attention a vertex the error passes through, with a zero step. Its first epoch's loss (one batch: before any
 * step) is the mse of {@code predict}'s outputs, the loss falls, the frozen attention stays bit for bit in the .h5 and the
 * .zip (recorded frozen there, with DL4J's classes only), and the first attention's gradient is the one it gets with the
 * second trainable.
 */
class TrainFrozenAttentionOutputTest {
    @TempDir
    Path dir;

    @Test
    void frozenAttentionAfterALearningOnePassesTheErrorAndKeepsItsWeights() throws Exception {
        Path donor = Paths.get(TrainFrozenAttentionOutputTest.class.getResource("/keras-reference/issue12/gqa_causal.keras").toURI());
        Path hybrid = dir.resolve("hybrid.h5");
        Cli m = Cli.run("merge", donor.toString(), donor.toString(), "-o", hybrid.toString(), "--quiet");
        assertEquals(0, m.exitCode(), m.err());
        int n = 16;
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[n * 24];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        HostArray xs = HostArray.ofFloats(new long[] {n, 4, 6}, x);
        HostArray predicted = EngineModel.ofKeras(ModelFiles.read(hybrid)).predict(new HostArray[] {xs})[0];
        float[] y = new float[n * 24];
        double want = 0;
        for (int i = 0; i < y.length; i++) {
            y[i] = 0.5f * x[i] - 0.25f;
            want += Math.pow(predicted.getDouble(i) - y[i], 2);
        }
        want /= y.length;
        NpyWriter.write(dir.resolve("x.npy"), xs);
        NpyWriter.write(dir.resolve("y.npy"), HostArray.ofFloats(new long[] {n, 4, 6}, y));
        for (String file : new String[] {"trained.h5", "trained.zip"}) {
            Path out = dir.resolve(file);
            Cli t = Cli.run("train", hybrid.toString(), "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(), "--loss", "mse",
                    "--epochs", "2", "--batch-size", String.valueOf(n), "--learning-rate", "0.05", "--trainable", "gqa",
                    "-o", out.toString(), "--quiet", "--json");
            assertEquals(0, t.exitCode(), t.err());
            JsonNode h = t.json().path("history");
            double first = h.get(0).path("loss").asDouble(), last = h.get(h.size() - 1).path("loss").asDouble();
            assertEquals(want, first, 1e-5, "the first batch's loss is the mse of predict's outputs");
            assertTrue(last < first - 1e-3, file + ": loss " + h);
        }
        var before = ModelFiles.read(hybrid);
        var after = ModelFiles.read(dir.resolve("trained.h5"));
        for (int j = 0; j < before.layer("gqa_causal_gqa").weights().size(); j++) {
            assertTrue(before.layer("gqa_causal_gqa").weights().get(j).read().bitEquals(after.layer("gqa_causal_gqa").weights().get(j).read()),
                    "frozen weight " + before.layer("gqa_causal_gqa").weights().get(j).name() + " changed");
        }
        assertTrue(!before.layer("gqa").weights().get(0).read().bitEquals(after.layer("gqa").weights().get(0).read()), "the first attention trained");

        // the zip: reopens, records the attention frozen, names DL4J's updaters only, keeps the frozen weights bit for bit
        ComputationGraph zip = EngineModel.ofDl4j(dir.resolve("trained.zip")).graph();
        GraphVertex frozen = zip.getConfiguration().getVertices().get("gqa_causal_gqa");
        assertTrue(frozen instanceof FrozenVertex, String.valueOf(frozen));
        String json = zip.getConfiguration().toJson();
        assertTrue(!json.contains("ZeroStep") && !json.contains("KerasUpdater"), "graft's updater classes in the zip");
        ComputationGraph source = EngineModel.ofKeras(before).graph();
        for (var p : source.getVertex("gqa_causal_gqa").paramTable(false).entrySet()) {
            assertTrue(p.getValue().equals(zip.getVertex("gqa_causal_gqa").paramTable(false).get(p.getKey()))
                    && java.util.Arrays.equals(p.getValue().dup().data().asFloat(), zip.getVertex("gqa_causal_gqa").paramTable(false).get(p.getKey()).dup().data().asFloat()),
                    "zip's frozen " + p.getKey() + " changed");
        }

        // the first attention's gradient through the frozen one is the one it gets when the second trains too
        EngineModel engineModel = EngineModel.ofKerasForTraining(before);
        ComputationGraph engine = engineModel.graph();
        var mse = dev.graft.engine.train.LossSettings.of(LossKind.MEAN_SQUARED_ERROR);
        INDArray[] features = {engineModel.inputs().get(0).layout().fromKeras(Nd4j.create(x, new long[] {n, 4, 6}, 'c'))};
        INDArray[] labels = {Nd4j.create(y, new long[] {n * 4, 6}, 'c')}; // the loss head takes one row per position
        INDArray frozenGradient = gradientOfGqa(TrainableGraph.prepare(engine, Set.of("gqa"), new Sgd(0.0), mse, 1, engineModel.outputs().get(0)), features, labels);
        INDArray trainedGradient = gradientOfGqa(TrainableGraph.prepare(engine, Set.of("gqa", "gqa_causal_gqa"), new Sgd(0.0), mse, 1,
                engineModel.outputs().get(0)),
                features, labels);
        assertTrue(trainedGradient.amaxNumber().doubleValue() > 1e-4, "a gradient reaches the first attention");
        assertTrue(frozenGradient.equalsWithEps(trainedGradient, 1e-6), frozenGradient + " vs " + trainedGradient);
    }

    private static INDArray gradientOfGqa(ComputationGraph g, INDArray[] x, INDArray[] y) {
        g.setInputs(x);
        g.setLabels(y);
        g.computeGradientAndScore();
        INDArray out = null;
        for (String param : g.getVertex("gqa").paramTable(false).keySet()) {
            INDArray grad = g.gradient().getGradientFor("gqa_" + param);
            INDArray flat = grad.dup().reshape(-1);
            out = out == null ? flat : Nd4j.concat(0, out, flat);
        }
        return out;
    }

    /** A frozen masked LSTM as the output, after a learning embedding: the error passes through it, its weights stay bit for bit. */
    @Test
    void frozenMaskedLstmOutputAfterALearningLayerPassesTheErrorOn() throws Exception {
        Path model = dev.graft.Fixtures.file("keras3-zoo/embedding_mask_zero_lstm.keras");
        float[] x = new float[4 * 6];
        for (int i = 0; i < x.length; i++) x[i] = i % 5;
        NpyWriter.write(dir.resolve("x.npy"), HostArray.ofFloats(new long[] {4, 6}, x));
        NpyWriter.write(dir.resolve("y.npy"), HostArray.ofFloats(new long[] {4, 4}, new float[16]));
        Path out = dir.resolve("trained.h5");
        Cli r = Cli.run("train", model.toString(), "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(), "--loss", "mse",
                "--trainable", "embedding", "--learning-rate", "0.1", "-o", out.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        dev.graft.model.ModelGraph before = ModelFiles.read(model), after = ModelFiles.read(out);
        for (int w = 0; w < before.layer("lstm").weights().size(); w++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(before.layer("lstm").weights().get(w).read().toFloatArray(),
                    after.layer("lstm").weights().get(w).read().toFloatArray(), "the frozen LSTM changed");
        }
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(before.layer("embedding").weights().get(0).read().toFloatArray(),
                after.layer("embedding").weights().get(0).read().toFloatArray()), "the embedding did not learn");
    }
}
