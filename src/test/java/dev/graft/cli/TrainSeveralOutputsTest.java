package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.data.DataFiles;
import dev.graft.data.RowSelection;
import dev.graft.engine.EngineModel;
import dev.graft.format.Json;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} on a Keras functional model with two inputs and two outputs ({@code samples/two_heads.h5}: two
 * inputs concatenated, a shared layer, a sigmoid and a softmax head), as Keras's {@code fit(x=[a, b], y=[p, k])}:
 * one SGD step is the step on the weighted sum of the outputs' losses (reference numbers from torch autograd on the
 * weights Keras reads), the loss falls, files bind by input and output name, frozen layers keep their weights bit
 * for bit, and data that does not fit the model is refused in one line.
 */
class TrainSeveralOutputsTest {
    private static final String MODEL = "samples/two_heads.h5";
    private static final String NUMBERS = "samples/two_heads_numbers.npy";
    private static final String FLAGS = "samples/two_heads_flags.npy";
    private static final String POSITIVE = "samples/two_heads_positive.npy";
    private static final String KIND = "samples/two_heads_kind.npy";

    @TempDir
    Path dir;

    @Test
    void oneStepFollowsTheWeightedSumOfTheOutputsLosses() throws Exception {
        JsonNode want = Json.parse(Files.readString(Path.of("src/test/resources/keras-reference/two_heads_sgd_step.json")));
        Path out = dir.resolve("step.h5");
        Cli r = Cli.run("train", MODEL, "--x", NUMBERS, "--x", FLAGS, "--y", POSITIVE, "--y", KIND, "--epochs", "1", "--batch-size", "600",
                "--optimizer", "sgd", "--learning-rate", "0.1", "--loss-weights", "positive=1,kind=0.5", "--json", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode epoch = r.json().path("history").get(0);
        for (String k : List.of("loss", "positive_loss", "kind_loss")) assertEquals(want.get(k).asDouble(), epoch.path(k).asDouble(), 1e-5, k);

        ModelGraph trained = ModelFiles.read(out);
        HostArray[] p = EngineModel.ofKeras(trained).predict(firstRows(NUMBERS), firstRows(FLAGS));
        assertClose(want.get("positive_first4"), p[0]);
        assertClose(want.get("kind_first4"), p[1]);
        // what Keras's compile records: a loss and metrics by output, the loss weights
        JsonNode tc = trained.trainingConfig();
        assertEquals("categorical_crossentropy", tc.path("loss").path("kind").asText());
        assertEquals(0.5, tc.path("loss_weights").path("kind").asDouble());
        assertTrue(tc.path("metrics").path("positive").isArray(), tc.toString());
    }

    @Test
    void lossFallsWithFilesByNameAndFrozenLayersKeepTheirWeights() throws Exception {
        Path vx = dir.resolve("vx.npy"), vy = dir.resolve("vy.npy");
        DataFiles.write(vx, RowSelection.of(DataFiles.read(Path.of(FLAGS)), range(500, 600)));
        DataFiles.write(vy, RowSelection.of(DataFiles.read(Path.of(KIND)), range(500, 600)));
        Path vn = dir.resolve("vn.npy"), vp = dir.resolve("vp.npy");
        DataFiles.write(vn, RowSelection.of(DataFiles.read(Path.of(NUMBERS)), range(500, 600)));
        DataFiles.write(vp, RowSelection.of(DataFiles.read(Path.of(POSITIVE)), range(500, 600)));
        Path out = dir.resolve("trained.h5"), history = dir.resolve("history.csv");
        // inputs and labels by name, in another order than the model's
        Cli r = Cli.run("train", MODEL, "--x", "flags=" + FLAGS, "--x", "numbers=" + NUMBERS, "--y", "kind=" + KIND, "--y", "positive=" + POSITIVE,
                "--validation-x", "flags=" + vx, "--validation-x", "numbers=" + vn, "--validation-y", "kind=" + vy, "--validation-y", "positive=" + vp,
                "--epochs", "6", "--learning-rate", "0.01", "--trainable", "kind", "--history", history.toString(), "--json", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode h = r.json().path("history");
        assertTrue(h.get(5).path("kind_loss").asDouble() < h.get(0).path("kind_loss").asDouble() - 0.01, h.toString());
        assertTrue(h.get(5).path("val_loss").asDouble() < h.get(0).path("val_loss").asDouble(), h.toString());
        // the frozen head's loss stays: only the kind head learns
        assertEquals(h.get(0).path("positive_loss").asDouble(), h.get(5).path("positive_loss").asDouble(), 1e-6);
        String header = Files.readAllLines(history).get(0);
        for (String c : List.of("positive_loss", "kind_loss", "positive_accuracy", "kind_accuracy", "val_kind_loss", "val_positive_accuracy")) {
            assertTrue(header.contains(c), header);
        }
        ModelGraph before = ModelFiles.read(Path.of(MODEL)), after = ModelFiles.read(out);
        for (String frozen : List.of("shared", "positive")) {
            for (int w = 0; w < 2; w++) {
                assertArrayEquals(weight(before, frozen, w), weight(after, frozen, w), frozen + " changed");
            }
        }
        assertFalse(Arrays.equals(weight(before, "kind", 0), weight(after, "kind", 0)), "kind did not learn");
    }

    @Test
    void dataThatDoesNotFitTheModelIsRefusedInOneLine() {
        Path out = dir.resolve("never.h5");
        Cli oneInput = Cli.run("train", MODEL, "--x", NUMBERS, "--y", POSITIVE, "--y", KIND, "-o", out.toString());
        assertRefused(1, oneInput, "the model has 2 input(s) (numbers, flags) but 1 --x file(s) were given");
        Cli swapped = Cli.run("train", MODEL, "--x", FLAGS, "--x", NUMBERS, "--y", POSITIVE, "--y", KIND, "-o", out.toString());
        assertRefused(1, swapped, "do not fit the model's input");
        Cli labels = Cli.run("train", MODEL, "--x", NUMBERS, "--x", FLAGS, "--y", KIND, "--y", POSITIVE, "-o", out.toString());
        assertRefused(1, labels, "model output 'positive'");
        Cli loss = Cli.run("train", MODEL, "--x", NUMBERS, "--x", FLAGS, "--y", POSITIVE, "--y", KIND, "--loss", "positive=mse,colour=mse",
                "-o", out.toString());
        assertRefused(1, loss, "--loss: the model has no output 'colour' (outputs: positive, kind)");
        Cli validation = Cli.run("train", MODEL, "--x", NUMBERS, "--x", FLAGS, "--y", POSITIVE, "--y", KIND, "--validation",
                NUMBERS + "," + POSITIVE, "-o", out.toString());
        assertRefused(2, validation, "--validation-x and --validation-y");
        Cli mixed = Cli.run("train", MODEL, "--x", NUMBERS, "--x", FLAGS, "--y", POSITIVE, "--y", KIND, "--loss-weights", "positive=1,0.5",
                "-o", out.toString());
        assertRefused(2, mixed, "--loss-weights");
        assertFalse(Files.exists(out));
    }

    /** One line naming the problem (a usage error adds picocli's pointer to --help). */
    private static void assertRefused(int code, Cli r, String text) {
        assertEquals(code, r.exitCode(), r.err());
        String first = r.err().strip().lines().findFirst().orElse("");
        assertTrue(first.contains(text), r.err());
        assertEquals(code == 2 ? 2 : 1, r.err().strip().lines().count(), r.err());
    }

    private static float[] weight(ModelGraph m, String layer, int index) {
        Weight w = m.layer(layer).weights().get(index);
        return w.read().toFloatArray();
    }

    private static HostArray firstRows(String file) {
        return RowSelection.of(DataFiles.read(Path.of(file)), range(0, 4));
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    private static void assertClose(JsonNode want, HostArray got) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) assertEquals(want.get(i).asDouble(), got.getDouble(i), 1e-5, "value " + i);
    }
}
