package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.Fixtures;
import static dev.graft.testutil.ArrayAssertions.assertClose;

import dev.graft.engine.EngineModels;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.shape.GraphShapes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graft adapt}: plans, bridges, heads, freezing, provenance, and every refusal with its message and exit code. */
class AdaptCommandTest {
    static final String CLASSIFIER = "samples/ts_classifier.h5";

    @TempDir
    Path dir;

    @Test
    void unknownLayerNamesTheNearest() {
        assertRefused(1, "graft: " + CLASSIFIER + ": --until max_pool: the model has no layer 'max_pool'; nearest: max_pooling1d, input, conv1d\n",
                "adapt", CLASSIFIER, "--until", "max_pool", "--dry-run");
        assertRefused(1, "graft: " + CLASSIFIER + ": --from conv: the model has no layer 'conv'; nearest: conv1d, dense, input\n",
                "adapt", CLASSIFIER, "--from", "conv", "--dry-run");
    }

    @Test
    void danglingBranchIsRefused() {
        Path ctr = Fixtures.file("wild/ctr_residual_add_tf224tf.h5");
        assertRefused(1, "graft: " + ctr + ": --drop-last 2 removes add, dense_5 and leaves 2 branch ends (dense_3, dense_4);"
                + " a cut must leave one output: name it with --until LAYER\n", "adapt", ctr.toString(), "--drop-last", "2", "--dry-run");
    }

    @Test
    void cutThatNeedsAnInputItCannotHaveIsRefused() {
        Path ctr = Fixtures.file("wild/ctr_residual_add_tf224tf.h5");
        assertRefused(1, "graft: " + ctr + ": --from dense_1: layers after the cut also read tensors from before it (add reads dense_4);"
                + " the new input cannot provide them\n", "adapt", ctr.toString(), "--from", "dense_1", "--dry-run");
    }

    @Test
    void multiOutputCutIsRefused() {
        Path s2s = Fixtures.file("wild/seq2seq_lstm_2in_k38.keras");
        assertRefused(1, "graft: " + s2s + ": --until lstm_2: layer 'lstm_2' (LSTM) has 3 outputs; a cut keeps one tensor,"
                + " so cut at a layer with a single output\n", "adapt", s2s.toString(), "--until", "lstm_2", "--dry-run");
    }

    /**
     * A Keras 1 source is adapted as its Keras 2 upgrade: into .h5 (refused before) and .zip alike,
     * the kept LSTM giving what the source's own head reads (the source's output is its Dense of them).
     */
    @Test
    void keras1SourceAdaptsIntoH5AndZipAlike() {
        Path k1 = Fixtures.file("keras/io/simple_lstm_th_keras_1_model.h5");
        Path h5 = dir.resolve("k1.h5"), zip = dir.resolve("k1.zip");
        for (Path out : new Path[] {h5, zip}) {
            Cli r = Cli.run("adapt", k1.toString(), "--drop-last", "1", "-o", out.toString());
            assertEquals(0, r.exitCode(), r.err());
        }
        HostArray x = randomInput(6, new long[] {1, 1}, 21);
        HostArray features = EngineModels.load(h5).predict(x)[0];
        assertEquals("[6, 50]", java.util.Arrays.toString(features.shape()));
        assertClose(features, EngineModels.load(zip).predict(x)[0], 1e-6);
        var dense = ModelFiles.read(k1).layer("dense_1");
        float[] w = dense.weights().get(0).read().toFloatArray(), b = dense.weights().get(1).read().toFloatArray();
        float[] f = features.toFloatArray(), full = EngineModels.load(k1).predict(x)[0].toFloatArray();
        for (int row = 0; row < 6; row++) {
            double y = b[0];
            for (int k = 0; k < 50; k++) y += f[row * 50 + k] * w[k];
            assertEquals(full[row], y, 1e-5, "row " + row);
        }
    }

    /** A DL4J source is adapted as its Keras translation: into .h5 (refused before) and .zip alike, DL4J's own activations. */
    @Test
    void dl4jSourceAdaptsIntoH5AndZipAlike() {
        Path h5 = dir.resolve("d.h5"), zip = dir.resolve("d.zip");
        for (Path out : new Path[] {h5, zip}) {
            Cli r = Cli.run("adapt", "samples/dl4j_classifier.zip", "--until", "layer0", "-o", out.toString());
            assertEquals(0, r.exitCode(), r.err());
        }
        HostArray x = randomInput(5, new long[] {32}, 22);
        var dl4j = dev.graft.format.dl4j.Dl4jNetworks.restore(Path.of("samples/dl4j_classifier.zip"));
        HostArray expected = dev.graft.engine.Tensors.fromNd4j(
                dl4j.feedForward(dev.graft.engine.Tensors.toNd4j(x, org.nd4j.linalg.api.buffer.DataType.FLOAT), false).get("layer0"));
        assertClose(expected, EngineModels.load(h5).predict(x)[0], 1e-6);
        assertClose(expected, EngineModels.load(zip).predict(x)[0], 1e-6);
    }

    @Test
    void usageErrorsExitTwo() {
        Cli r = Cli.run("adapt", CLASSIFIER, "--until", "conv1d", "--drop-last", "1", "--dry-run");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("graft: give --until or --drop-last, not both\n"), r.err());
        r = Cli.run("adapt", CLASSIFIER, "--head", "dense:ten", "--dry-run");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("graft: bad --head 'dense:ten': dense:N needs a positive number of units\n"), r.err());
        r = Cli.run("adapt", CLASSIFIER, "--to-shape", "16xx8", "--dry-run");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("graft: bad --to-shape '16xx8': give positive whole numbers joined by x, e.g. 32 or 16x8\n"), r.err());
        r = Cli.run("adapt", CLASSIFIER, "--until", "conv1d");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("graft: Missing required option: '--output=OUT'"), r.err());
    }

    @Test
    void unknownSubcommandIsAUsageErrorEvenWithHelp() {
        Cli r = Cli.run("adaptt", "--help");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("graft: Unmatched argument at index 0: 'adaptt'"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void helpDocumentsEveryOptionWithAnExample() {
        Cli r = Cli.run("adapt", "--help");
        assertEquals(0, r.exitCode());
        for (String opt : List.of("--until", "--drop-last", "--from", "--to-shape", "--to-input-of", "--from-shape", "--from-output-of",
                "--bridge", "--head", "--freeze", "--seed", "--optimizer", "--loss", "--metrics", "--format", "--output")) {
            String line = r.out().lines().filter(l -> l.contains(opt + "=")).findFirst().orElse("");
            assertFalse(line.isEmpty(), opt + " missing from --help:\n" + r.out());
        }
        String flat = r.out().replaceAll("\\s+", ""); // picocli wraps at spaces and colons
        for (String example : List.of("e.g. --until max_pooling1d", "e.g. --drop-last 2", "e.g. --from lstm", "e.g. --to-shape 32",
                "e.g. --to-input-of", "e.g. --from-shape 64", "e.g. --from-output-of", "e.g. --bridge flatten,dense:32",
                "e.g. --head dropout:0.3,dense:10:softmax", "e.g. --freeze kept", "e.g. --seed 7", "e.g. --optimizer adam",
                "e.g. --loss categorical_crossentropy", "e.g. --metrics accuracy", "e.g. --format zip", "e.g. -o features.h5")) {
            assertTrue(flat.contains(example.replaceAll("\\s+", "")), "no example '" + example + "' in --help");
        }
    }

    @Test
    void planBridgesHeadsAndFreezes() {
        Cli r = Cli.run("adapt", CLASSIFIER, "--until", "max_pooling1d", "--head", "dropout:0.3", "--head", "dense:8",
                "--to-input-of", "samples/ts_lstm.h5", "--freeze", "kept", "--dry-run", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = r.json();
        assertTrue(j.path("dry_run").asBoolean());
        assertEquals("until=max_pooling1d", j.path("source").path("cut").asText());
        assertEquals("[\"conv1d\",\"max_pooling1d\"]", j.path("source").path("layers").toString());
        assertEquals("[\"flatten\",\"dense\"]", j.path("source").path("removed").toString());
        JsonNode head = j.path("added").get(0);
        assertEquals("head", head.path("role").asText());
        assertEquals("dropout:0.3,dense:8", head.path("spec").asText());
        assertEquals("[\"head_dropout\",\"head_dense\"]", head.path("layers").toString());
        JsonNode bridge = j.path("added").get(1);
        assertEquals("output bridge", bridge.path("role").asText());
        assertEquals("none", bridge.path("spec").asText()); // the head already gives (None, 16, 8)
        assertEquals(16 * 8 + 8, j.path("model").path("trainable_params").asLong()); // kept layers frozen
        assertEquals("[null,16,8]", j.path("model").path("output_shape").toString());
    }

    @Test
    void autoPicksFlattenDenseForFeatureMapsIntoAVector() {
        Cli r = Cli.run("adapt", CLASSIFIER, "--until", "max_pooling1d", "--to-shape", "32", "--dry-run", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode b = r.json().path("added").get(0);
        assertEquals("flatten,dense:32", b.path("spec").asText());
        assertTrue(b.path("chosen_by_auto").asBoolean());
        assertEquals(256 * 32 + 32, b.path("new_parameters").asLong());
    }

    @Test
    void inputSideBridgeAndReshapeTarget() {
        Path out = dir.resolve("in.h5");
        Cli r = Cli.run("adapt", "samples/ts_lstm.h5", "--from-output-of", "samples/example1_first.h5", "--bridge", "dense:128,reshape",
                "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        ModelGraph g = ModelFiles.read(out);
        GraphShapes s = GraphShapes.infer(g);
        assertEquals(Shape.batchOf(32), s.shape(g.inputs().get(0)));
        assertEquals(Shape.batchOf(1), s.shape(g.outputs().get(0)));
        List<String> names = new ArrayList<>();
        g.layers().forEach(l -> names.add(l.name()));
        assertEquals(List.of("input", "input_bridge_dense", "input_bridge_reshape", "lstm", "dense"), names);
    }

    @Test
    void provenanceRecordsTheCutAndInspectShowsIt() {
        Path out = dir.resolve("f.h5");
        assertEquals(0, Cli.run("adapt", CLASSIFIER, "--drop-last", "2", "--head", "gmp", "-o", out.toString()).exitCode());
        Cli r = Cli.run("inspect", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("  donor source  ts_classifier.h5  sha256 "), r.out());
        assertTrue(r.out().contains("        cut drop-last=2, removed flatten, dense\n"), r.out());
        assertTrue(r.out().contains("  bridge gmp  layers head_gmp\n"), r.out());
        assertTrue(r.out().contains("  command graft adapt ts_classifier.h5 --drop-last 2 --head gmp -o f.h5\n"), r.out());
    }

    /** Provenance names the source by file name and checksum: the same adapt through another path gives the same bytes. */
    @Test
    void theSameAdaptThroughAnotherPathGivesTheSameBytes() throws Exception {
        Path a = Files.createDirectories(dir.resolve("one")).resolve("f.h5");
        Path b = Files.createDirectories(dir.resolve("two")).resolve("f.h5");
        Path copy = Files.copy(Path.of(CLASSIFIER), dir.resolve("ts_classifier.h5"));
        assertEquals(0, Cli.run("adapt", CLASSIFIER, "--until", "max_pooling1d", "--head", "gap", "-o", a.toString()).exitCode());
        assertEquals(0, Cli.run("adapt", copy.toAbsolutePath().toString(), "--until", "max_pooling1d", "--head", "gap", "-o", b.toString()).exitCode());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)), "same inputs and options, same bytes");
    }

    @Test
    void freezeNamedLayersAndRefuseUnknownOnes() {
        Cli r = Cli.run("adapt", CLASSIFIER, "--until", "max_pooling1d", "--freeze", "conv1d", "--dry-run", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(0, r.json().path("model").path("trainable_params").asLong());
        assertRefused(1, "graft: --freeze dense: " + CLASSIFIER + " keeps no layer 'dense'; nearest: conv1d, max_pooling1d\n",
                "adapt", CLASSIFIER, "--until", "max_pooling1d", "--freeze", "dense", "--dry-run");
    }

    private static HostArray randomInput(long batch, long[] sampleShape, long seed) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = batch;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(HostArray.size(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return HostArray.ofFloats(shape, v);
    }

    private static void assertRefused(int code, String message, String... args) {
        Cli r = Cli.run(args);
        assertEquals(code, r.exitCode(), r.err());
        assertEquals(message, r.err());
    }
}
