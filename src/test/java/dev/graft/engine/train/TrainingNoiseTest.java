package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.cli.Cli;
import dev.graft.engine.EngineModel;
import dev.graft.engine.layers.KerasGaussianDropout;
import dev.graft.format.ModelFiles;
import dev.graft.model.ModelGraph;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training noise graft computes as Keras's fit does, beyond plain Dropout (see {@link TrainingDropoutTest}): the semantics
 * of each mask (its distribution over many draws, which values share a factor, the same factors in the backward pass),
 * that prediction is unaffected, and that the models Keras's zoo has with that noise now train.
 */
class TrainingNoiseTest {
    @TempDir
    Path dir;

    /** Keras: {@code inputs * normal(mean=1, stddev=sqrt(rate / (1 - rate)))}, one factor per value. */
    @Test
    void gaussianDropoutMultipliesEachValueByItsOwnFactorFromKerasNormal() {
        double rate = 0.3;
        KerasGaussianDropout d = new KerasGaussianDropout(rate);
        INDArray x = Nd4j.rand(DataType.FLOAT, 400, 500).addi(0.5);
        INDArray out = d.applyDropout(x, x.ulike(), 0, 0, LayerWorkspaceMgr.noWorkspaces());
        INDArray factors = out.div(x);
        double mean = factors.meanNumber().doubleValue();
        double variance = factors.varNumber().doubleValue();
        assertEquals(1.0, mean, 0.01, "mean factor");
        assertEquals(rate / (1 - rate), variance, 0.01, "variance of the factors");
        // one factor per value, not per row or column: neighbours differ
        assertTrue(factors.getDouble(0, 0) != factors.getDouble(0, 1) && factors.getDouble(0, 0) != factors.getDouble(1, 0));
        // the backward pass multiplies by the same factors
        INDArray g = Nd4j.rand(DataType.FLOAT, 400, 500);
        INDArray back = d.backprop(g, g.ulike(), 0, 0);
        assertTrue(back.equalsWithEps(g.mul(factors), 1e-4), "the gradient takes the forward pass's factors");
        // a new call draws new factors
        INDArray again = d.applyDropout(x, x.ulike(), 0, 0, LayerWorkspaceMgr.noWorkspaces());
        assertTrue(!again.equalsWithEps(out, 1e-3), "new factors per call");
        // Keras's rate 0.7: the spread grows with the rate as sqrt(rate / (1 - rate))
        assertEquals(Math.sqrt(0.7 / 0.3), new KerasGaussianDropout(0.7).stddev(), 1e-12);
    }

    @Test
    void gaussianDropoutTrainsInTheZooModelAndPredictionPassesEverythingOn() {
        Path model = Fixtures.file("keras3-zoo/gaussiandropout_03.keras");
        ModelGraph graph = ModelFiles.read(model);
        EngineModel engine = EngineModel.ofKerasForTraining(graph);
        DropoutLayer layer = (DropoutLayer) ((LayerVertex) engine.graph().getConfiguration().getVertices().get("gaussian_dropout")).getLayerConf().getLayer();
        assertInstanceOf(KerasGaussianDropout.class, layer.getIDropout());
        assertEquals(0.3, ((KerasGaussianDropout) layer.getIDropout()).rate, 1e-12);
        // in training, the layer's output over ones is the factors: mean 1, variance rate / (1 - rate); predicting, ones
        long[] shape = engine.inputs().get(0).kerasShape().dims().stream().mapToLong(v -> v == null ? 2000 : v).toArray();
        INDArray ones = Nd4j.ones(DataType.FLOAT, shape);
        INDArray[] in = {engine.inputs().get(0).layout().fromKeras(ones)};
        String before = engine.graph().getConfiguration().getVertexInputs().get("gaussian_dropout").get(0);
        INDArray feeding = engine.graph().feedForward(in, false, false).get(before).dup();
        INDArray trained = engine.graph().feedForward(in, true, false).get("gaussian_dropout").dup();
        INDArray predicted = engine.graph().feedForward(in, false, false).get("gaussian_dropout").dup();
        assertTrue(predicted.equalsWithEps(feeding, 0), "prediction passes everything on");
        INDArray nonZero = feeding.neq(0);
        INDArray factors = trained.div(feeding.add(feeding.eq(0).castTo(DataType.FLOAT)));
        long n = nonZero.castTo(DataType.INT).sumNumber().longValue();
        assertTrue(n > 1000, n + " values to measure");
        double mean = factors.mul(nonZero.castTo(DataType.FLOAT)).sumNumber().doubleValue() / n;
        double sq = factors.sub(mean).mul(nonZero.castTo(DataType.FLOAT)).norm2Number().doubleValue();
        assertEquals(1.0, mean, 0.05, "mean factor");
        assertEquals(0.3 / 0.7, sq * sq / n, 0.06, "variance of the factors");
        // graft train now trains it
        StoredPredictions stored = StoredPredictions.read(model.resolveSibling("gaussiandropout_03_inputs_and_outputs.h5"));
        Path xs = dir.resolve("x.npy"), ys = dir.resolve("y.npy"), out = dir.resolve("trained.h5");
        dev.graft.data.NpyWriter.write(xs, stored.inputs().get(0));
        dev.graft.data.NpyWriter.write(ys, stored.outputs().get(0));
        Cli r = Cli.run("train", model.toString(), "--x", xs.toString(), "--y", ys.toString(), "--loss", "mse", "--epochs", "2", "-q",
                "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(java.nio.file.Files.exists(out));
    }

    /**
     * Keras's noise_shape: a mask of that shape (None taking the input's size) broadcast over the axes given as 1. On the
     * zoo's Dropout after a Dense on (batch, 3, 6): (None, 1, 6) keeps or drops a feature at all 3 steps together,
     * (None, 3, 1) a step's 6 features together, (1, 3, 6) the same mask for every sample. Kept values are scaled by
     * 1 / (1 - rate), about 1 - rate of the mask's elements are kept, and prediction passes everything on.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"'null,1,6', 0", "'null,3,1', 1", "'1,3,6', 2"})
    void aNoiseShapeSharesOneDrawAlongTheAxesGivenAsOne(String noise, int which) {
        ModelGraph graph = ModelFiles.read(Fixtures.file("keras3-zoo/dropout_03.keras"));
        com.fasterxml.jackson.databind.node.ArrayNode ns = graph.layer("dropout").config().putArray("noise_shape");
        for (String v : noise.split(",")) {
            if (v.equals("null")) ns.addNull();
            else ns.add(Integer.parseInt(v));
        }
        EngineModel engine = EngineModel.ofKerasForTraining(graph);
        int batch = 400;
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 6).addi(0.1);
        INDArray[] in = {engine.inputs().get(0).layout().fromKeras(x)};
        // the Dense's output from a pass in inference mode: in training the dropout may mask its input array in place
        INDArray before = engine.outputs().get(0).layout().toKeras(engine.graph().feedForward(in, false, false).get("dense")).dup('c');
        INDArray after = engine.outputs().get(0).layout().toKeras(engine.graph().feedForward(in, true, false).get("dropout")).dup('c');
        float scale = (float) (1 / 0.7);
        int kept = 0, draws = 0;
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < 3; t++) {
                for (int f = 0; f < 6; f++) {
                    double b = before.getDouble(n, t, f), a = after.getDouble(n, t, f);
                    // a dropped value is exactly 0 (b is not: a linear Dense of random inputs)
                    assertTrue(b != 0, "the Dense's output");
                    boolean keep = a != 0;
                    assertTrue(!keep || Math.abs(a - b * scale) < 1e-5 * Math.max(1, Math.abs(b)), "a value is dropped or scaled by 1 / (1 - rate): " + a + " from " + b);
                    // the element that shares its draw: step 0 (features shared over steps), feature 0, or sample 0
                    double sa = which == 0 ? after.getDouble(n, 0, f) : which == 1 ? after.getDouble(n, t, 0) : after.getDouble(0, t, f);
                    assertEquals(keep, sa != 0, "shares the draw of " + (which == 0 ? "step 0" : which == 1 ? "feature 0" : "sample 0"));
                    boolean first = which == 0 ? t == 0 : which == 1 ? f == 0 : n == 0;
                    if (first) {
                        draws++;
                        if (keep) kept++;
                    }
                }
            }
        }
        // (one mask of 18 for every sample: too few draws to measure the share)
        if (which != 2) assertEquals(0.7, (double) kept / draws, 0.06, "share of the mask kept");
        INDArray predicted = engine.outputs().get(0).layout().toKeras(engine.graph().feedForward(in, false, false).get("dropout"));
        INDArray dense = engine.outputs().get(0).layout().toKeras(engine.graph().feedForward(in, false, false).get("dense"));
        assertTrue(predicted.equalsWithEps(dense, 0), "prediction passes everything on");
    }

    /** The backward pass multiplies by the forward pass's broadcast mask (a gradient check of y = x * mask with the mask fixed). */
    @Test
    void aNoiseShapeMaskIsTheSameInTheBackwardPass() {
        dev.graft.engine.layers.NoiseShapeDropout d = new dev.graft.engine.layers.NoiseShapeDropout(0.5, new long[] {-1, 1, 5}, new long[] {-1, 4, 5});
        INDArray x = Nd4j.rand(DataType.FLOAT, 7, 4, 5).addi(0.1);
        INDArray y = d.applyDropout(x, x.ulike(), 0, 0, LayerWorkspaceMgr.noWorkspaces());
        INDArray mask = y.div(x);
        INDArray g = Nd4j.rand(DataType.FLOAT, 7, 4, 5);
        assertTrue(d.backprop(g, g.ulike(), 0, 0).equalsWithEps(g.mul(mask), 1e-5));
        // the mask: 0 or 2, the same at the 4 positions of axis 1
        for (int n = 0; n < 7; n++) {
            for (int f = 0; f < 5; f++) {
                double m = mask.getDouble(n, 0, f);
                assertTrue(Math.abs(m) < 1e-6 || Math.abs(m - 2) < 1e-5, "mask " + m);
                for (int t = 1; t < 4; t++) assertEquals(m, mask.getDouble(n, t, f), 1e-5);
            }
        }
        // an array that is not Keras's shape fails rather than masking other axes
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> d.applyDropout(Nd4j.rand(DataType.FLOAT, 7, 5, 4), Nd4j.rand(DataType.FLOAT, 7, 5, 4), 0, 0, LayerWorkspaceMgr.noWorkspaces()));
    }

    @Test
    void aModelWithANoiseShapeTrainsAndItsLossFalls() {
        ModelGraph cnn = ModelFiles.read(Fixtures.file("wild/mnist_digit.keras"));
        cnn.layer("dropout").config().putArray("noise_shape").addNull().add(1);
        TrainJob.Outcome o = TrainJob.run(cnn, HeapCnnTrainingTest.blocks(64, 5), new TrainOptions(4, 32, "adam", 0.005, java.util.Map.of(),
                "categorical_crossentropy", java.util.List.of(), 7, null, "all"), TrainingListener.SILENT);
        java.util.List<EpochRecord> h = o.result().history();
        assertTrue(h.get(h.size() - 1).train().get("loss") < h.get(0).train().get("loss"), "the loss falls: " + h);
    }

    @Test
    void aNoiseShapeThatDoesNotBroadcastIsRefused() {
        ModelGraph cnn = ModelFiles.read(Fixtures.file("wild/mnist_digit.keras"));
        cnn.layer("dropout").config().putArray("noise_shape").addNull().add(7);
        dev.graft.GraftException e = org.junit.jupiter.api.Assertions.assertThrows(dev.graft.GraftException.class, () -> TrainJob.run(cnn,
                HeapCnnTrainingTest.blocks(8, 1), new TrainOptions(1, 8, "adam", 0.001, java.util.Map.of(), "categorical_crossentropy",
                        java.util.List.of(), 7, null, "all"), TrainingListener.SILENT));
        assertEquals("layer 'dropout' (Dropout): noise_shape=[null,7] is applied by Keras's fit and not by graft's train"
                + " (set it to null, or the rate to 0, to train with graft)", e.getMessage());
    }
}
