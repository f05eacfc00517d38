package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.graft.data.DataFiles;
import dev.graft.model.HostArray;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data that does not fit the model or the loss is refused before any training starts: one line
 * naming the file and the row or shape, exit 1, no output written.
 */
class TrainBadDataTest {
    static final String MODEL = "samples/example1_second.h5"; // 32 features -> Dense(16) -> Dense(1, sigmoid), binary_crossentropy

    @TempDir
    Path dir;

    private void assertRefused(String message, String... args) {
        Cli r = Cli.run(args);
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("graft: " + message + "\n", r.err());
        assertFalse(Files.exists(dir.resolve("out.h5")), "nothing written");
    }

    private Path csv(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String header(int features) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < features; i++) sb.append("f").append(i).append(',');
        return sb.append("label\n").toString();
    }

    private static String row(int features, String label) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < features; i++) sb.append("0.5,");
        return sb.append(label).append('\n').toString();
    }

    private String out() {
        return dir.resolve("out.h5").toString();
    }

    @Test
    void wrongFeatureCount() throws Exception {
        Path p = csv("t.csv", header(10) + row(10, "1") + row(10, "0"));
        assertRefused(p + " (targets label): inputs of shape (2, 10) do not fit the model's input (None, 32) (rows first)",
                "train", MODEL, "--data", p.toString(), "--target", "label", "-o", out());
    }

    @Test
    void nonNumericCell() throws Exception {
        Path p = csv("t.csv", header(32) + row(32, "1") + row(31, "0") .replaceFirst("^0.5", "abc").replace("\n", ",0.5\n"));
        assertRefused(p + ": row 3, column 'f0': 'abc' is not a number", "train", MODEL, "--data", p.toString(), "--target", "label", "-o", out());
    }

    @Test
    void raggedRows() throws Exception {
        Path p = csv("t.csv", header(32) + row(32, "1") + row(30, "0"));
        assertRefused(p + ": row 3 has 31 fields, expected 33", "train", MODEL, "--data", p.toString(), "--target", "label", "-o", out());
    }

    @Test
    void nanInNpyInputs() {
        Path x = dir.resolve("x.npy"), y = dir.resolve("y.npy");
        float[] v = new float[64];
        v[40] = Float.NaN;
        DataFiles.write(x, HostArray.ofFloats(new long[] {2, 32}, v));
        DataFiles.write(y, HostArray.ofFloats(new long[] {2}, new float[] {0, 1}));
        // Blamed on the file that holds the NaN (it used to name y.npy).
        assertRefused(x + ": row 2 holds NaN; graft needs finite numbers", "train", MODEL, "--x", x.toString(), "--y", y.toString(), "-o", out());
    }

    @Test
    void binaryLabelsOutsideZeroOne() throws Exception {
        Path p = csv("t.csv", header(32) + row(32, "1") + row(32, "2"));
        assertRefused(p + " (targets label): row 2: label 2 is outside 0..1, which binary_crossentropy needs",
                "train", MODEL, "--data", p.toString(), "--target", "label", "-o", out());
    }

    @Test
    void labelWidthDisagreesWithTheOutput() throws Exception {
        Path p = csv("t.csv", header(32).replace("label\n", "label,label2\n") + row(32, "1,0") + row(32, "0,1"));
        assertRefused(p + " (targets label, label2): labels of shape (2, 2) do not match the model's output (None, 1) for binary_crossentropy",
                "train", MODEL, "--data", p.toString(), "--target", "label,label2", "-o", out());
    }

    @Test
    void sparseLabelsMustBeClassIndices() throws Exception {
        Path p = csv("t.csv", header(32) + row(32, "0") + row(32, "1"));
        assertRefused(p + " (targets label): row 2: label 1 is not a class index in 0..0 (the model has 1 outputs)",
                "train", MODEL, "--data", p.toString(), "--target", "label", "--loss", "sparse_categorical_crossentropy", "-o", out());
    }

    @Test
    void categoricalNeedsOneHotRows() throws Exception {
        Path p = csv("t.csv", header(32) + row(32, "0") + row(32, "1"));
        assertRefused(p + " (targets label): row 1: labels sum to 0; categorical_crossentropy needs one-hot rows or probabilities"
                + " (class indices need sparse_categorical_crossentropy)",
                "train", MODEL, "--data", p.toString(), "--target", "label", "--loss", "categorical_crossentropy", "-o", out());
    }

    @Test
    void labelRowsMustMatchInputRows() {
        Path x = dir.resolve("x.npy"), y = dir.resolve("y.npy");
        DataFiles.write(x, HostArray.ofFloats(new long[] {3, 32}, new float[96]));
        DataFiles.write(y, HostArray.ofFloats(new long[] {2}, new float[] {0, 1}));
        assertRefused(y + ": 2 label rows for 3 input rows in " + x, "train", MODEL, "--x", x.toString(), "--y", y.toString(), "-o", out());
    }

    @Test
    void unknownTargetColumn() throws Exception {
        Path p = csv("t.csv", "a,b,label\n1,2,0\n");
        assertRefused(p + ": no column named 'lable' (columns: a, b, label)", "train", MODEL, "--data", p.toString(), "--target", "lable", "-o", out());
    }

    @Test
    void modelWithoutLossNeedsOne() throws Exception {
        Path p = csv("t.csv", header(10) + row(10, "1") + row(10, "0"));
        assertRefused("samples/example1_first.h5: no loss to train with: the model records no training configuration; give --loss (e.g. binary_crossentropy)",
                "train", "samples/example1_first.h5", "--data", p.toString(), "--target", "label", "-o", out());
    }

    @Test
    void earlyStoppingNeedsValidation() throws Exception {
        Path p = csv("t.csv", header(32) + row(32, "1") + row(32, "0"));
        assertRefused("--early-stopping watches the validation loss: give --validation or --validation-split",
                "train", MODEL, "--data", p.toString(), "--target", "label", "--early-stopping", "3", "-o", out());
    }

    @Test
    void dl4jModelCannotTrainIntoH5() throws Exception {
        Path p = csv("t.csv", header(32) + row(32, "1") + row(32, "0"));
        assertRefused(out() + ": a DL4J model trains into a .zip; .h5 holds models that came from Keras",
                "train", "samples/dl4j_classifier.zip", "--data", p.toString(), "--target", "label", "--epochs", "1", "--quiet", "-o", out());
    }

    @Test
    void missingDataIsAUsageError() {
        Cli r = Cli.run("train", MODEL, "-o", out());
        assertEquals(2, r.exitCode());
        assertEquals("graft: training data is missing: give --data FILE.csv --target COLS, or --x X.npy --y Y.npy", r.err().lines().findFirst().orElse(""));
    }
}
