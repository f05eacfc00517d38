package dev.graft.cli;

import static dev.graft.testutil.ArrayAssertions.binaryAccuracy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.data.DataFiles;
import dev.graft.engine.EngineModel;
import dev.graft.engine.Tensors;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@code graft train} on the samples' story: example 3 merged through an untrained dense:32 bridge
 * with frozen donors is near chance on its dataset; training only the bridge makes it solve it,
 * while the donors' weights stay bit for bit what they were.
 */
class TrainTest {
    static final Path DATA = Path.of("samples/example3_train.csv");

    @TempDir
    Path dir;
    Path hybrid;

    @BeforeEach
    void merge() {
        hybrid = dir.resolve("hybrid.h5");
        Cli r = Cli.run("merge", "samples/example3_first.h5", "samples/example3_second.h5", "--bridge", "dense:32", "--freeze", "donors",
                "-o", hybrid.toString());
        assertEquals(0, r.exitCode(), r.err());
    }

    private Cli train(String out, String... extra) {
        String[] base = {"train", hybrid.toString(), "--data", DATA.toString(), "--target", "label", "-o", dir.resolve(out).toString(), "--quiet", "--json"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Cli.run(args);
    }


    @Test
    void trainingTheBridgeSolvesTheTaskAndLeavesDonorsUntouched() {
        var table = dev.graft.data.CsvReader.read(DATA).split(dev.graft.data.ColumnSelection.parse("label"));
        double before = binaryAccuracy(hybrid, table.features(), table.targets());
        assertTrue(before < 0.65, "untrained hybrid near chance, got " + before);

        Cli r = train("trained.h5", "--epochs", "20", "--learning-rate", "0.01", "--validation-split", "0.2");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = r.json();
        assertTrue(j.path("validation").path("accuracy").asDouble() >= 0.95, "validation accuracy " + j.path("validation"));
        assertEquals("[\"bridge1_dense\"]", j.path("trained_layers").toString());
        double after = binaryAccuracy(dir.resolve("trained.h5"), table.features(), table.targets());
        assertTrue(after >= 0.95, "trained hybrid accuracy " + after);

        ModelGraph in = ModelFiles.read(hybrid), out = ModelFiles.read(dir.resolve("trained.h5"));
        for (Layer l : in.layers()) {
            for (int i = 0; i < l.weights().size(); i++) {
                boolean same = l.weights().get(i).read().bitEquals(out.layer(l.name()).weights().get(i).read());
                assertEquals(!l.name().startsWith("bridge"), same, "weight " + l.weights().get(i).name() + (same ? " unchanged" : " changed"));
            }
        }
        assertEquals("binary_crossentropy", out.trainingConfig().path("loss").asText());
        assertEquals(0.01, out.trainingConfig().path("optimizer_config").path("config").path("learning_rate").asDouble(), 1e-12);
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        assertEquals(0, train("a.h5", "--epochs", "2").exitCode());
        assertEquals(0, train("b.h5", "--epochs", "2").exitCode());
        assertEquals(0, train("c.h5", "--epochs", "2", "--seed", "7").exitCode());
        Weight a = ModelFiles.read(dir.resolve("a.h5")).layer("bridge1_dense").weights().get(0);
        Weight b = ModelFiles.read(dir.resolve("b.h5")).layer("bridge1_dense").weights().get(0);
        Weight c = ModelFiles.read(dir.resolve("c.h5")).layer("bridge1_dense").weights().get(0);
        assertTrue(a.read().bitEquals(b.read()), "same seed, same data: identical weights");
        assertFalse(a.read().bitEquals(c.read()), "another seed: other weights");
    }

    @Test
    void trainedH5ReopensInGraftAndDl4jWithTheSamePredictions() throws Exception {
        Cli r = train("t.h5", "--epochs", "2");
        assertEquals(0, r.exitCode(), r.err());
        HostArray x = HostArray.ofFloats(new long[] {4, 10}, new float[] {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f, 0.9f, 0.0f,
            -0.1f, 0.2f, -0.3f, 0.4f, 0.5f, -0.6f, 0.7f, 0.8f, -0.9f, 0.1f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f,
            -1f, -1f, -1f, -1f, -1f, 1f, 1f, 1f, 1f, 1f});
        HostArray graft = EngineModel.ofKeras(ModelFiles.read(dir.resolve("t.h5"))).predict(x)[0];
        ComputationGraph dl4j = KerasModelImport.importKerasModelAndWeights(dir.resolve("t.h5").toString(), false);
        HostArray direct = Tensors.fromNd4j(dl4j.output(false, Tensors.toNd4j(x, DataType.FLOAT))[0]);
        for (int i = 0; i < 4; i++) assertEquals(graft.getDouble(i), direct.getDouble(i), 1e-6);
    }

    @Test
    void zipOutputHistoryAndPlot() throws Exception {
        Path history = dir.resolve("h.csv"), plot = dir.resolve("p.png");
        Cli r = train("t.zip", "--epochs", "3", "--validation-split", "0.25", "--history", history.toString(), "--plot", plot.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = Files.readAllLines(history);
        assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,seconds", lines.get(0));
        assertEquals(4, lines.size());
        byte[] png = Files.readAllBytes(plot);
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG image");
        ModelGraph zip = ModelFiles.read(dir.resolve("t.zip"));
        assertEquals("graft", zip.source().producer());
        assertEquals(3, zip.provenance().path("training").get(0).path("epochs").asInt());
    }

    @Test
    void earlyStoppingKeepsTheBestEpoch() {
        Cli r = train("t.h5", "--epochs", "30", "--learning-rate", "0.5", "--optimizer", "sgd", "--validation-split", "0.2", "--early-stopping", "2");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = r.json();
        int best = j.path("best_epoch").asInt();
        double bestLoss = j.path("history").get(best - 1).path("val_loss").asDouble();
        for (JsonNode e : j.path("history")) assertTrue(e.path("val_loss").asDouble() >= bestLoss, "best epoch has the lowest val_loss");
        if (j.path("stopped_early").asBoolean()) assertEquals(best + 2, j.path("epochs").asInt());
        assertEquals(bestLoss, j.path("validation").path("loss").asDouble(), 1e-12);
    }

    @Test
    void trainableAllChangesTheDonorsToo() {
        Cli r = train("t.h5", "--epochs", "1", "--trainable", "all");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(5, r.json().path("trained_layers").size());
        ModelGraph out = ModelFiles.read(dir.resolve("t.h5"));
        assertFalse(ModelFiles.read(hybrid).layer("dense").weights().get(0).read().bitEquals(out.layer("dense").weights().get(0).read()));
    }

    @Test
    void npyData() {
        Path x = dir.resolve("x.npy"), y = dir.resolve("y.npy");
        var table = dev.graft.data.CsvReader.read(DATA).split(dev.graft.data.ColumnSelection.parse("label"));
        DataFiles.write(x, table.features());
        DataFiles.write(y, table.targets());
        Cli r = Cli.run("train", hybrid.toString(), "--x", x.toString(), "--y", y.toString(), "--epochs", "1", "-o", dir.resolve("t.h5").toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertEquals("", r.err(), "--quiet prints nothing");
    }

    @Test
    void validationFromFilesAndShuffledSplits() throws Exception {
        var table = dev.graft.data.CsvReader.read(DATA).split(dev.graft.data.ColumnSelection.parse("label"));
        Path npz = dir.resolve("val.npz");
        int[] rows = new int[200];
        for (int i = 0; i < rows.length; i++) rows[i] = i;
        DataFiles.write(npz, java.util.Map.of("x", dev.graft.data.RowSelection.of(table.features(), rows),
                "y", dev.graft.data.RowSelection.of(table.targets(), rows)));
        Cli r = train("a.h5", "--epochs", "1", "--validation", npz.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.json().path("validation").path("loss").isNumber());
        Cli csv = train("b.h5", "--epochs", "1", "--validation", DATA.toString());
        assertEquals(0, csv.exitCode(), csv.err());
        Cli last = train("c.h5", "--epochs", "1", "--validation-split", "0.25");
        Cli shuffled = train("d.h5", "--epochs", "1", "--validation-split", "0.25", "--shuffle-split");
        assertEquals(0, last.exitCode(), last.err());
        assertEquals(0, shuffled.exitCode(), shuffled.err());
        assertFalse(last.json().path("validation").equals(shuffled.json().path("validation")), "another validation set, other figures");
    }

    @Test
    void trainableBridgesOfAHybrid() {
        Cli r = train("t.h5", "--epochs", "1", "--trainable", "bridges");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("[\"bridge1_dense\"]", r.json().path("trained_layers").toString());
        Cli notHybrid = Cli.run("train", "samples/example1_second.h5", "--data", DATA.toString(), "--target", "label", "--trainable", "bridges",
                "-o", dir.resolve("x.h5").toString());
        assertEquals(1, notHybrid.exitCode());
        assertEquals("graft: samples/example1_second.h5 is not a hybrid graft merged: it has no bridges to train (use --trainable all or LAYER,...)\n",
                notHybrid.err());
    }

    @Test
    void progressIsOneLinePerEpochOffATerminal() {
        Cli r = Cli.run("train", hybrid.toString(), "--data", DATA.toString(), "--target", "label", "--epochs", "2", "-o", dir.resolve("t.h5").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out(), "progress and summary go to stderr");
        assertTrue(r.err().matches("(?s)Epoch 1/2 - [0-9.]+s - loss [0-9.]+ - accuracy [0-9.]+\nEpoch 2/2 - .*wrote .*t\\.h5\n"), r.err());
    }
}
