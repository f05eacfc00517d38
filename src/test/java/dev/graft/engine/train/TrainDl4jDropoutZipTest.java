package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.cli.Cli;
import dev.graft.data.NpyWriter;
import dev.graft.data.TrainingData;
import dev.graft.engine.Tensors;
import dev.graft.format.ModelFiles;
import dev.graft.format.dl4j.Dl4jNetworks;
import dev.graft.model.HostArray;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * A DL4J zip whose layers drop their inputs ({@code dropOut(0.6)} in DL4J 0.8's regression MLP: DL4J's p is the
 * probability of keeping a value, kept values scaled by 1/p) trains with DL4J's dropout as DL4J applies it, and the zip
 * {@code train} writes records it back. Random masks are compared by their semantics (the fraction kept, the scale) and,
 * with the engine's random numbers seeded alike, step for step with DL4J's own {@code fit}.
 */
class TrainDl4jDropoutZipTest {
    private static final String FIXTURE = "dl4j/regression_080/080_ModelSerializer_Regression_MLP_2.zip";
    private static final long SEED = 7;

    @TempDir
    Path dir;

    /**
     * graft's step is DL4J's own step with the same masks (parameters and loss); the loss is not the one without dropout
     * (the step alone would not tell: this zip clips every gradient element to 1.5, and its linspace weights saturate them all).
     */
    @Test
    void oneStepIsTheEnginesOwnStepWithItsMasks() {
        Path file = Fixtures.file(FIXTURE);
        // identical rows: the order train shuffles them in does not change which row gets which mask
        INDArray x = Nd4j.ones(DataType.FLOAT, 16, 3).muli(0.5);
        INDArray y = Nd4j.ones(DataType.FLOAT, 16, 5).muli(0.25);
        ModelFiles.WithNetwork read = ModelFiles.readWithNetwork(file);
        TrainOptions options = new TrainOptions(1, 16, "sgd", 0.01, null, null, null, List.of(), SEED, null, "all", null, null, false);
        TrainingData data = new TrainingData(Tensors.fromNd4j(x), Tensors.fromNd4j(y), "ones", null, null, null);
        TrainingResult ours = TrainJob.run(read.model(), read.network(), data, options, TrainingListener.SILENT).result();
        double ourLoss = ours.history().get(0).train().get("loss");

        ComputationGraph withDropout = dl4jStep(file, x, y, true);
        ComputationGraph without = dl4jStep(file, x, y, false);
        double scale = Math.max(1, withDropout.params().amaxNumber().doubleValue());
        assertTrue(ours.graph().params().sub(withDropout.params()).amaxNumber().doubleValue() < 1e-6 * scale,
                "graft's step is DL4J's with the same masks: " + ours.graph().params().sub(withDropout.params()).amaxNumber());
        assertEquals(withDropout.score(), ourLoss, 1e-6 * Math.abs(ourLoss), "first-batch loss with DL4J's masks");
        assertTrue(Math.abs(ourLoss - without.score()) > 1e-3 * Math.abs(ourLoss), "and not the loss without dropout: " + ourLoss + " vs " + without.score());
    }

    /** DL4J's p = 0.6 keeps 60 % of the values, scaled by 1/0.6, on the network train trains; the written zip records p = 0.6. */
    @Test
    void keepsAFractionPScaledByOneOverPAndWritesItBack() throws Exception {
        Path file = Fixtures.file(FIXTURE);
        Path xs = dir.resolve("x.npy");
        Path ys = dir.resolve("y.npy");
        NpyWriter.write(xs, HostArray.ofFloats(new long[] {4, 3}, new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1f, 0f, 0.5f}));
        NpyWriter.write(ys, HostArray.ofFloats(new long[] {4, 5}, new float[20]));
        Path out = dir.resolve("trained.zip");
        Cli r = Cli.run("train", file.toString(), "--x", xs.toString(), "--y", ys.toString(), "--optimizer", "sgd", "--learning-rate", "0.001",
                "--epochs", "1", "-o", out.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        ComputationGraph written = Dl4jNetworks.restore(out);
        for (String layer : List.of("layer0", "layer1")) {
            IDropout d = ((BaseLayer) ((LayerVertex) written.getConfiguration().getVertices().get(layer)).getLayerConf().getLayer()).getIDropout();
            assertEquals(new Dropout(0.6), d, layer);
            Nd4j.getRandom().setSeed(3);
            INDArray ones = Nd4j.ones(DataType.FLOAT, 200, 100);
            INDArray dropped = d.applyDropout(ones, Nd4j.createUninitialized(DataType.FLOAT, 200, 100), 0, 0, LayerWorkspaceMgr.noWorkspaces());
            double kept = dropped.neq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
            assertEquals(0.6, kept, 0.02, layer + ": fraction kept");       // 20,000 draws: 4.9 standard deviations
            INDArray values = dropped.getColumn(0).dup();
            for (int i = 0; i < 200; i++) if (dropped.getDouble(i, 0) != 0) assertEquals(1 / 0.6, dropped.getDouble(i, 0), 1e-6, "kept value");
            assertTrue(values.cond(Conditions.equals(0)).castTo(DataType.DOUBLE).sumNumber().doubleValue() > 0, "some dropped");
        }
    }

    /** DL4J's own step on the network it restores, plain SGD on every layer, its random numbers seeded as train seeds them. */
    private static ComputationGraph dl4jStep(Path file, INDArray x, INDArray y, boolean dropout) {
        ComputationGraph net = Dl4jNetworks.restore(file);
        ComputationGraphConfiguration conf = net.getConfiguration().clone();
        for (var v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer b) {
                b.setIUpdater(new Sgd(0.01));
                b.setBiasUpdater(new Sgd(0.01));
                if (!dropout) b.setIDropout(null);
            }
        }
        ComputationGraph g = new ComputationGraph(conf);
        g.init(net.params().dup(), false);
        Nd4j.getRandom().setSeed(SEED);
        g.fit(new MultiDataSet(new INDArray[] {x}, new INDArray[] {y}));
        return g;
    }
}
