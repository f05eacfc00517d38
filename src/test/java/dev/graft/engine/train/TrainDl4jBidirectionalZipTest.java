package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.Fixtures;
import dev.graft.cli.Cli;
import dev.graft.data.NpyWriter;
import dev.graft.data.TrainingData;
import dev.graft.engine.Tensors;
import dev.graft.format.ModelFiles;
import dev.graft.format.dl4j.Dl4jNetworks;
import dev.graft.model.HostArray;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * DL4J's regression graph of 1.0.0-beta4 with a Bidirectional LSTM and a Bidirectional SimpleRnn concatenated along the
 * features (channels-first sequences) trains. It failed with "Input size (32 columns) ... layer # inputs = 64" at the
 * output layer: reading the zip asked DL4J for the merge's output type, which set the merge's axis to the steps (DL4J's
 * MergeVertex takes an unset sequence format for NWC), and the training copy of the network joined the halves along the
 * steps. The network in memory computed right, so predict matched the stored outputs all along.
 */
class TrainDl4jBidirectionalZipTest {
    private static final String FIXTURE = "dl4j/regression_100b4/SyntheticBidirectionalRNNGraph_100b4.bin";

    @TempDir
    Path dir;

    /** One SGD step of graft's train is DL4J's own step on the network as DL4J restores it (same loss, same regularization). */
    @Test
    void oneStepIsTheEnginesOwnStep() throws Exception {
        Path file = Fixtures.file(FIXTURE);
        INDArray ncw = storedInput(file);                     // (4, 10 features, 10 steps)
        INDArray labels = oneHot(ncw.size(0));

        ModelFiles.WithNetwork read = ModelFiles.readWithNetwork(file);
        TrainOptions options = new TrainOptions(1, 4, "sgd", 0.01, null, null, null, List.of(), 7, null, "all", null, null, false);
        HostArray x = Tensors.fromNd4j(ncw.permute(0, 2, 1).dup());   // Keras layout: (batch, steps, features)
        TrainingData data = new TrainingData(x, Tensors.fromNd4j(labels), "stored input", null, null, null);
        TrainJob.Outcome outcome = TrainJob.run(read.model(), read.network(), data, options, TrainingListener.SILENT);

        ComputationGraph reference = withSgd(Dl4jNetworks.restore(file), 0.01);
        double before = reference.score(new MultiDataSet(new INDArray[] {ncw}, new INDArray[] {labels}), true);
        reference.fit(new MultiDataSet(new INDArray[] {ncw}, new INDArray[] {labels}));

        assertEquals(before, outcome.result().history().get(0).train().get("loss"), 1e-5, "first-batch loss");
        INDArray ours = outcome.result().graph().params();
        INDArray theirs = reference.params();
        assertArrayEquals(theirs.shape(), ours.shape());
        double moved = theirs.sub(Dl4jNetworks.restore(file).params()).amaxNumber().doubleValue();
        double diff = ours.sub(theirs).amaxNumber().doubleValue();
        assertTrue(moved > 1e-4, "the step moved the weights: " + moved);
        assertTrue(diff < 1e-6, "max |graft - DL4J| after one step: " + diff + " (step " + moved + ")");
    }

    /** train writes a zip that DL4J itself restores and computes as graft's predict does (the merge still joins the features). */
    @Test
    void trainedZipComputesAsDl4jRestoresIt() throws Exception {
        Path file = Fixtures.file(FIXTURE);
        INDArray ncw = storedInput(file);
        Path x = dir.resolve("x.npy");
        Path y = dir.resolve("y.npy");
        NpyWriter.write(x, Tensors.fromNd4j(ncw.permute(0, 2, 1).dup()));
        NpyWriter.write(y, Tensors.fromNd4j(oneHot(ncw.size(0))));
        Path out = dir.resolve("trained.zip");
        Cli r = Cli.run("train", file.toString(), "--x", x.toString(), "--y", y.toString(), "--optimizer", "sgd", "--learning-rate", "0.05",
                "--epochs", "3", "-o", out.toString(), "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode h = r.json().path("history");
        double first = h.get(0).path("loss").asDouble();
        double last = h.get(h.size() - 1).path("loss").asDouble();
        assertTrue(Double.isFinite(first) && last < first, "loss " + first + " -> " + last);

        Path predicted = dir.resolve("p.npy");
        Cli p = Cli.run("predict", out.toString(), "--input", x.toString(), "-o", predicted.toString());
        assertEquals(0, p.exitCode(), p.err());
        INDArray ours = Tensors.toNd4j(dev.graft.data.NpyReader.read(predicted), DataType.FLOAT);
        INDArray theirs = Dl4jNetworks.restore(out).outputSingle(ncw);
        assertArrayEquals(theirs.shape(), ours.shape());
        assertTrue(ours.sub(theirs).amaxNumber().doubleValue() < 1e-6, "predict vs DL4J on the written zip");
    }

    /** The network as DL4J restores it, every layer (each half of a Bidirectional) stepping with plain SGD. */
    private static ComputationGraph withSgd(ComputationGraph net, double rate) {
        ComputationGraphConfiguration conf = net.getConfiguration().clone();
        for (var v : conf.getVertices().values()) {
            if (!(v instanceof LayerVertex lv)) continue;
            var layer = lv.getLayerConf().getLayer();
            List<org.deeplearning4j.nn.conf.layers.Layer> layers = layer instanceof Bidirectional b ? List.of(b.getFwd(), b.getBwd()) : List.of(layer);
            for (var l : layers) {
                if (l instanceof BaseLayer bl) {
                    bl.setIUpdater(new Sgd(rate));
                    bl.setBiasUpdater(new Sgd(rate));
                }
            }
        }
        ComputationGraph g = new ComputationGraph(conf);
        g.init(net.params().dup(), false);
        return g;
    }

    static INDArray storedInput(Path model) throws Exception {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(
                model.resolveSibling("SyntheticBidirectionalRNNGraph_Input_100b4.bin"))))) {
            return Nd4j.read(in);
        }
    }

    private static INDArray oneHot(long rows) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, 3);
        for (int i = 0; i < rows; i++) y.putScalar(i, (i + 1) % 3, 1);
        return y;
    }
}
