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
        assertEquals(1.0, mean, 0.005, "mean factor");
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
}
