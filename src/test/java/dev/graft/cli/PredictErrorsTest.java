package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.data.DataFiles;
import dev.graft.model.HostArray;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graft predict}'s refusals: one line naming the file and the problem, exit 1, nothing written. */
class PredictErrorsTest {
    static final String MODEL = "samples/example1_first.h5";

    @TempDir
    Path dir;
    Path x10;

    @BeforeEach
    void data() {
        x10 = dir.resolve("x10.npy");
        DataFiles.write(x10, HostArray.ofFloats(new long[] {3, 10}, new float[30]));
    }

    private void assertRefused(String message, String... args) {
        Cli r = Cli.run(args);
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("graft: " + message + "\n", r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(dir.resolve("y.npy")), "nothing written");
    }

    @Test
    void wrongFeatureCountNamesBothShapes() {
        Path x12 = dir.resolve("x12.npy");
        DataFiles.write(x12, HostArray.ofFloats(new long[] {5, 12}, new float[60]));
        assertRefused("input 'input' expects (None, 10) per sample, got (5, 12)", "predict", MODEL, "-i", x12.toString(), "-o", dir.resolve("y.npy").toString());
    }

    @Test
    void wrongRankNamesBothShapes() {
        Path x = dir.resolve("x3d.npy");
        DataFiles.write(x, HostArray.ofFloats(new long[] {2, 5, 10}, new float[100]));
        assertRefused("input 'input' expects (None, 10) per sample, got (2, 5, 10)", "predict", MODEL, "-i", x.toString(), "-o", dir.resolve("y.npy").toString());
    }

    @Test
    void tooManyInputs() {
        assertRefused("the model has 1 input(s) (input) but 2 --input files were given",
                "predict", MODEL, "-i", x10.toString(), "-i", x10.toString(), "-o", dir.resolve("y.npy").toString());
    }

    @Test
    void missingSecondInput() {
        Path model = Fixtures.file("wild/parkinsons_hybrid_2in_concat_k38.h5");
        Cli r = Cli.run("predict", model.toString(), "-i", x10.toString(), "-o", dir.resolve("y.npy").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("graft: input 'input_layer' expects (None, 19) per sample, got (3, 10)")
                || r.err().startsWith("graft: no data for model input"), r.err());
    }

    @Test
    void unreadableData() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,b\n1,2\n3,x\n");
        assertRefused(bad + ": row 3, column 'b': 'x' is not a number", "predict", MODEL, "-i", bad.toString(), "-o", dir.resolve("y.npy").toString());
    }

    @Test
    void existingOutputIsKeptOnlyWithNoClobber() throws Exception {
        Path y = dir.resolve("y.npy");
        Files.writeString(y, "keep");
        Cli r = Cli.run("predict", MODEL, "-i", x10.toString(), "-o", y.toString(), "--no-clobber");
        assertEquals(1, r.exitCode());
        assertEquals("graft: " + y + ": already exists; --no-clobber refuses to replace it\n", r.err());
        assertEquals("keep", Files.readString(y));
        assertEquals(0, Cli.run("predict", MODEL, "-i", x10.toString(), "-o", y.toString()).exitCode());
        assertEquals(0, Cli.run("predict", MODEL, "-i", x10.toString(), "-o", y.toString(), "--force").exitCode(), "--force: accepted, no effect");
    }

    @Test
    void outputThatIsALinkToTheInputIsRefused() throws Exception {
        Path hard = dir.resolve("hard.npy");
        Files.createLink(hard, x10);
        Path soft = dir.resolve("soft.npy");
        Files.createSymbolicLink(soft, x10);
        byte[] before = Files.readAllBytes(x10);
        for (Path link : java.util.List.of(hard, soft)) {
            Cli r = Cli.run("predict", MODEL, "-i", x10.toString(), "-o", link.toString());
            assertEquals(1, r.exitCode(), link.toString());
            assertEquals("graft: " + link + ": is also an input; write the output to another file\n", r.err());
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(x10)), "input untouched");
    }

    @Test
    void outputThatIsTheInputIsRefused() {
        Cli r = Cli.run("predict", MODEL, "-i", x10.toString(), "-o", x10.toString(), "--force");
        assertEquals(1, r.exitCode());
        assertEquals("graft: " + x10 + ": is also an input; write the output to another file\n", r.err());
    }

    @Test
    void customLayerModel() {
        Path m = Fixtures.file("wild/speaker_siamese_customlayer_k350.keras");
        assertRefused(m + ": layer 'l1_distance_2' is a custom layer class ('L1Distance') defined in the Python code that saved the model;"
                + " graft cannot compute this model", "predict", m.toString(), "-i", x10.toString(), "-i", x10.toString(), "-o", dir.resolve("y.npy").toString());
    }

    @Test
    void tensorflowOpModel() {
        Path m = Fixtures.file("wild/twotower_nested_tfoplambda_tf212.h5");
        assertRefused(m + ": layer 'tf.math.l2_normalize' is a raw TensorFlow operation (TFOpLambda 'math.l2_normalize'), which only TensorFlow can run;"
                + " graft cannot compute this model", "predict", m.toString(), "-i", x10.toString(), "-i", x10.toString(), "-o", dir.resolve("y.npy").toString());
    }

    @Test
    void modelSavedBeforeItWasBuilt() {
        Path m = Fixtures.file("wild/nextword_lstm_unbuilt_k3132.h5");
        assertRefused(m + ": the model was saved before it was built: input 'embedding_3_input' has no shape and no layer holds weights,"
                + " so there is nothing to compute with", "predict", m.toString(), "-i", x10.toString(), "-o", dir.resolve("y.npy").toString());
    }

    @Test
    void lambdaModel() {
        Path m = Fixtures.file("keras/models/examples__lambda__sequential_lambda.h5");
        Cli r = Cli.run("predict", m.toString(), "-i", x10.toString(), "-o", dir.resolve("y.npy").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().matches("graft: " + java.util.regex.Pattern.quote(m.toString())
                + ": layer '\\w+' holds Python code \\(Lambda\\), which only Python can run; graft cannot compute this model\n"), r.err());
    }

    @Test
    void jsonSummary() {
        Cli r = Cli.run("predict", MODEL, "-i", x10.toString(), "-o", dir.resolve("y.csv").toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, r.json().path("rows").asInt());
        assertEquals("[3,32]", r.json().path("outputs").get(0).path("shape").toString());
        assertEquals(dir.resolve("y.csv").toString(), r.json().path("outputs").get(0).path("file").asText());
        assertTrue(r.json().path("seconds").isNumber());
    }
}
