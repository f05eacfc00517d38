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
}
