package dev.graft.cli;

import static dev.graft.testutil.ArrayAssertions.binaryAccuracy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.data.DataFiles;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GRU hybrid learns a small sequence task with {@code graft train}: the samples' Conv1D
 * extractor (frozen) feeding the GRU sample, trained on the time-series dataset, written back
 * into the Keras file with the GRU's new weights in Keras's layout.
 */
class TrainGruTest {
    @TempDir
    Path dir;


    @Test
    void gruHybridLearns() {
        Path hybrid = dir.resolve("hybrid.h5"), trained = dir.resolve("trained.h5");
        assertEquals(0, Cli.run("merge", "samples/ts_extractor.h5", "samples/ts_gru.h5", "--freeze", "first", "-o", hybrid.toString()).exitCode());
        HostArray x = DataFiles.read(Path.of("samples/ts_train_x.npy"));
        HostArray y = DataFiles.read(Path.of("samples/ts_train_y.npy"));
        double before = binaryAccuracy(hybrid, x, y);

        Cli r = Cli.run("train", hybrid.toString(), "--x", "samples/ts_train_x.npy", "--y", "samples/ts_train_y.npy", "--validation-split", "0.2",
                "--epochs", "15", "--learning-rate", "0.01", "-o", trained.toString(), "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("[\"gru\",\"dense\"]", r.json().path("trained_layers").toString());
        double after = binaryAccuracy(trained, x, y);
        assertTrue(after >= 0.7 && after >= before + 0.2, "accuracy " + before + " -> " + after);

        ModelGraph in = ModelFiles.read(hybrid), out = ModelFiles.read(trained);
        assertTrue(in.layer("conv1d").weights().get(0).read().bitEquals(out.layer("conv1d").weights().get(0).read()), "frozen extractor unchanged");
        assertFalse(in.layer("gru").weights().get(1).read().bitEquals(out.layer("gru").weights().get(1).read()), "GRU recurrent kernel trained");
        assertEquals(3, out.layer("gru").weights().size());
        assertEquals("[2, 48]", java.util.Arrays.toString(out.layer("gru").weights().get(2).shape()), "reset_after bias kept in Keras's layout");
    }
}
