package dev.graft.cli;

import static dev.graft.testutil.ArrayAssertions.binaryAccuracy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.format.ModelFiles;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bridge with one of the Keras 3 activations DL4J lacks ({@code --bridge dense:32:gelu}) is computed and trained
 * with graft's activation: the bridge learns the samples' task, the frozen donors stay bit for bit, and the written
 * file keeps Keras's activation name.
 */
class TrainActivationBridgeTest {
    @TempDir
    Path dir;

    @Test
    void geluBridgeTrainsAndIsWrittenBack() {
        Path hybrid = dir.resolve("hybrid.h5");
        Cli m = Cli.run("merge", "samples/example3_first.h5", "samples/example3_second.h5", "--bridge", "dense:32:gelu", "--freeze", "donors",
                "-o", hybrid.toString());
        assertEquals(0, m.exitCode(), m.err());
        assertEquals("gelu", ModelFiles.read(hybrid).layer("bridge1_dense").config().path("activation").asText());

        Path trained = dir.resolve("trained.h5");
        Cli r = Cli.run("train", hybrid.toString(), "--data", TrainTest.DATA.toString(), "--target", "label", "--epochs", "20",
                "--learning-rate", "0.01", "--validation-split", "0.2", "-o", trained.toString(), "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = r.json();
        assertTrue(j.path("validation").path("accuracy").asDouble() >= 0.95, "validation accuracy " + j.path("validation"));
        var table = dev.graft.data.CsvReader.read(TrainTest.DATA).split(dev.graft.data.ColumnSelection.parse("label"));
        assertTrue(binaryAccuracy(trained, table.features(), table.targets()) >= 0.95);

        ModelGraph in = ModelFiles.read(hybrid), out = ModelFiles.read(trained);
        for (Layer l : in.layers()) {
            for (int i = 0; i < l.weights().size(); i++) {
                boolean same = l.weights().get(i).read().bitEquals(out.layer(l.name()).weights().get(i).read());
                assertEquals(!l.name().startsWith("bridge"), same, "weight " + l.weights().get(i).name() + (same ? " unchanged" : " changed"));
            }
        }
        assertEquals("gelu", out.layer("bridge1_dense").config().path("activation").asText());
    }

    /**
     * The row-wise activations on a (batch, features) junction ({@code dense:N:log_softmax}, {@code dense:N:sparsemax}): the
     * hybrid computes the bridge (log_softmax rows exponentiate to 1, sparsemax's are not negative, checked on the bridge's
     * own output as a model output), and a log_softmax bridge trains with the donors frozen.
     */
    @Test
    void rowWiseBridgesComputeAndTrain() {
        for (String act : new String[] {"log_softmax", "sparsemax"}) {
            Path hybrid = dir.resolve(act + ".h5");
            Cli m = Cli.run("merge", "samples/example3_first.h5", "samples/example3_second.h5", "--bridge", "dense:32:" + act, "--freeze", "donors",
                    "-o", hybrid.toString());
            assertEquals(0, m.exitCode(), m.err());
            ModelGraph h = ModelFiles.read(hybrid);
            assertEquals(act, h.layer("bridge1_dense").config().path("activation").asText());
            // the bridge as the model's output: its rows are a distribution (log-probabilities for log_softmax)
            ModelGraph upToBridge = h.withLayers(h.layers(), h.inputs(), java.util.List.of(dev.graft.model.TensorRef.of("bridge1_dense")));
            var table = dev.graft.data.CsvReader.read(TrainTest.DATA).split(dev.graft.data.ColumnSelection.parse("label"));
            dev.graft.model.HostArray rows = dev.graft.data.RowSelection.of(table.features(), new int[] {0, 1, 2, 3, 4});
            dev.graft.model.HostArray p = dev.graft.engine.EngineModel.ofKeras(upToBridge).predict(rows)[0];
            assertEquals(32, p.shape()[1]);
            for (int r = 0; r < 5; r++) {
                double sum = 0;
                for (int c = 0; c < 32; c++) {
                    double v = p.getDouble(r * 32L + c);
                    sum += act.equals("log_softmax") ? Math.exp(v) : v;
                    if (act.equals("sparsemax")) assertTrue(v >= 0, "sparsemax " + v);
                }
                // Keras 3's sparsemax thresholds with the sum of the running sums (KerasActivationKind.SPARSEMAX): its rows need not sum to 1
                if (act.equals("log_softmax")) assertEquals(1.0, sum, 1e-5, act + " row " + r);
            }
        }
        Path trained = dir.resolve("trained.h5");
        Cli r = Cli.run("train", dir.resolve("log_softmax.h5").toString(), "--data", TrainTest.DATA.toString(), "--target", "label", "--epochs", "8",
                "--learning-rate", "0.01", "-o", trained.toString(), "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode hist = r.json().path("history");
        assertTrue(hist.get(hist.size() - 1).path("loss").asDouble() < hist.get(0).path("loss").asDouble(), hist.toString());
        ModelGraph in = ModelFiles.read(dir.resolve("log_softmax.h5")), out = ModelFiles.read(trained);
        for (Layer l : in.layers()) {
            for (int i = 0; i < l.weights().size(); i++) {
                boolean same = l.weights().get(i).read().bitEquals(out.layer(l.name()).weights().get(i).read());
                assertEquals(!l.name().startsWith("bridge"), same, "weight " + l.weights().get(i).name() + (same ? " unchanged" : " changed"));
            }
        }
    }
}
