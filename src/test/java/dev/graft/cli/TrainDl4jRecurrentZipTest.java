package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.Fixtures;
import dev.graft.data.NpyWriter;
import dev.graft.model.HostArray;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DL4J's own recurrent zips train: a character model saved for truncated backpropagation (full backpropagation on
 * sequences no longer than its segments, refused on longer ones) and a Graves LSTM model of DL4J 0.6; both failed
 * inside DL4J before (a recurrent output layer without a recorded format, Graves LSTMs under workspaces).
 */
class TrainDl4jRecurrentZipTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "integration_RnnCharacterTestCase/Model_RANDOM_INIT_UNTRAINED.zip, 77, 77",
        "regression_060/060_ModelSerializer_Regression_LSTM_1.zip, 3, 5",
    })
    void trainsAndTheLossFalls(String fixture, int features, int classes) throws Exception {
        Path x = sequences("x.npy", 8, 6, features, false);
        Path y = sequences("y.npy", 8, 6, classes, true);
        Path out = dir.resolve("trained.zip");
        Cli r = Cli.run("train", Fixtures.file("dl4j/" + fixture).toString(), "--x", x.toString(), "--y", y.toString(),
                "--epochs", "3", "-o", out.toString(), "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode h = r.json().path("history");
        double first = h.get(0).path("loss").asDouble();
        double last = h.get(h.size() - 1).path("loss").asDouble();
        assertTrue(Double.isFinite(first) && last < first, "loss " + first + " -> " + last);
        Cli p = Cli.run("predict", out.toString(), "--input", x.toString(), "-o", dir.resolve("p.npy").toString());
        assertEquals(0, p.exitCode(), p.err());
    }

    @org.junit.jupiter.api.Test
    void sequencesLongerThanTheSegmentsAreRefused() throws Exception {
        Path x = sequences("x.npy", 2, 60, 77, false);
        Path y = sequences("y.npy", 2, 60, 77, true);
        Path out = dir.resolve("trained.zip");
        Cli r = Cli.run("train", Fixtures.file("dl4j/integration_RnnCharacterTestCase/Model_RANDOM_INIT_UNTRAINED.zip").toString(),
                "--x", x.toString(), "--y", y.toString(), "--epochs", "1", "-o", out.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("graft: the network trains with truncated backpropagation through time (segments of 50 steps), which graft's train"
                + " computes only on sequences of at most 50 steps; the data has 60: cut the sequences to 50 steps\n", r.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    /** (rows, steps, width) values in Keras layout: one-hot rows of class (row + step) % width, or a fixed pattern. */
    private Path sequences(String name, int rows, int steps, int width, boolean oneHot) throws Exception {
        float[] v = new float[rows * steps * width];
        for (int i = 0; i < rows * steps; i++) {
            for (int f = 0; f < width; f++) v[i * width + f] = oneHot ? (f == i % width ? 1f : 0f) : ((i * 7 + f * 3) % 11) / 11f;
        }
        Path p = dir.resolve(name);
        NpyWriter.write(p, HostArray.ofFloats(new long[] {rows, steps, width}, v));
        return p;
    }
}
