package dev.graft.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.cli.Cli;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.model.DType;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal of {@code merge}: its one-line message, its exit code, and nothing written. */
class MergeRefusalsTest {
    static final String A1 = "samples/example1_first.h5";
    static final String B1 = "samples/example1_second.h5";
    static final String A3 = "samples/example3_first.h5";
    static final String B3 = "samples/example3_second.h5";

    @TempDir
    Path dir;

    private void assertRefused(int code, String message, String... args) {
        Cli r = Cli.run(args);
        assertEquals(code, r.exitCode(), r.err());
        assertEquals("graft: " + message + "\n" + (code == 2 ? "see 'graft merge --help'\n" : ""), r.err());
        assertEquals("", r.out());
        try (var s = Files.list(dir)) {
            assertEquals(0, s.filter(p -> !p.getFileName().toString().startsWith("existing")).count(), "nothing written");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shapesThatDoNotJoinNameBothShapesAndTheBridge() {
        assertRefused(1, A3 + " gives (None, 64) but " + B3 + " expects (None, 32); add --bridge dense:32",
                "merge", A3, B3, "-o", dir.resolve("h.h5").toString());
    }

    @Test
    void reshapeNeedsEqualElementCounts() {
        assertRefused(1, "cannot reshape (None, 64) (" + A3 + ", 64 elements per sample) to (None, 32) (32 elements), which " + B3 + " expects",
                "merge", A3, B3, "--bridge", "reshape", "-o", dir.resolve("h.h5").toString());
    }

    @Test
    void denseOfTheWrongWidthSuggestsTheRightOne() {
        assertRefused(1, "--bridge dense:16 turns (None, 64) into (None, 16) but " + B3 + " expects (None, 32); use dense:32",
                "merge", A3, B3, "--bridge", "dense:16", "-o", dir.resolve("h.h5").toString());
    }

    @Test
    void explicitReshapeMustGiveTheNextInput() {
        assertRefused(1, "--bridge reshape:8x8 turns (None, 64) into (None, 8, 8) but " + B3 + " expects (None, 32)",
                "merge", A3, B3, "--bridge", "reshape:8x8", "-o", dir.resolve("h.h5").toString());
    }

    @Test
    void badBridgeSpecIsAUsageError() {
        Cli r = Cli.run("merge", A3, B3, "--bridge", "dense:zero", "-o", dir.resolve("h.h5").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("graft: bad --bridge 'dense:zero': dense:N needs a positive number of units\n"), r.err());
    }

    @Test
    void unknownActivationIsAUsageError() {
        Cli r = Cli.run("merge", A3, B3, "--bridge", "dense:32:swishy", "-o", dir.resolve("h.h5").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("graft: bad --bridge 'dense:32:swishy': activation 'swishy' is not one of celu, elu, exponential, gelu"), r.err());
    }

    /** glu and hard_sigmoid are computed in models but refused in a bridge, with the reason (usage errors). */
    @Test
    void bridgeActivationsGraftComputesButABridgeCannotTakeAreRefusedWithTheReason() {
        Cli glu = Cli.run("merge", A3, B3, "--bridge", "dense:32:glu", "-o", dir.resolve("h.h5").toString());
        assertEquals(2, glu.exitCode());
        assertTrue(glu.err().startsWith("graft: bad --bridge 'dense:32:glu': activation 'glu' is not taken in a bridge: glu halves the last axis,"
                + " which Keras's own shape inference ignores"), glu.err());
        Cli hs = Cli.run("merge", A3, B3, "--bridge", "dense:32:hard_sigmoid", "-o", dir.resolve("h.h5").toString());
        assertEquals(2, hs.exitCode());
        assertTrue(hs.err().startsWith("graft: bad --bridge 'dense:32:hard_sigmoid': activation 'hard_sigmoid' is not taken in a bridge: Keras 2"),
                hs.err());
        assertFalse(Files.exists(dir.resolve("h.h5")));
    }

    /** log_softmax and sparsemax are over a whole row: a per-step bridge (a sequence junction) is refused, naming the way round. */
    @Test
    void rowWiseBridgeActivationOnASequenceJunctionIsRefused() {
        Path out = dir.resolve("seq.h5");
        assertRefused(1, "--bridge dense:8:log_softmax: log_softmax is computed on (batch, features) only, and this junction gives (None, 16, 16)"
                        + " from samples/ts_extractor.h5 (flatten or pool first: flatten,dense:8:log_softmax or gap,dense:8:log_softmax)",
                "merge", "samples/ts_extractor.h5", "samples/ts_lstm.h5", "--bridge", "dense:8:log_softmax", "-o", out.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void wrongNumberOfBridges() {
        assertRefused(2, "2 --bridge options for 1 junctions: give one per junction, in order, or one for all",
                "merge", A3, B3, "--bridge", "dense:32", "--bridge", "dense:32", "-o", dir.resolve("h.h5").toString());
    }

    @Test
    void existingOutputIsKeptOnlyWithNoClobber() throws Exception {
        Path existing = dir.resolve("existing.h5");
        Files.writeString(existing, "keep me");
        assertRefused(1, existing + ": already exists; --no-clobber refuses to replace it", "merge", A1, B1, "-o", existing.toString(), "--no-clobber");
        assertEquals("keep me", Files.readString(existing));
        Cli r = Cli.run("merge", A1, B1, "-o", existing.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(Files.readString(existing, java.nio.charset.StandardCharsets.ISO_8859_1).equals("keep me"), "replaced by default");
        byte[] first = Files.readAllBytes(existing);
        Cli forced = Cli.run("merge", A1, B1, "-o", existing.toString(), "--force");
        assertEquals(0, forced.exitCode(), "--force is still accepted: " + forced.err());
        assertTrue(Arrays.equals(first, Files.readAllBytes(existing)), "the same merge gives the same bytes");
    }

    @Test
    void outputThatIsAnInputIsRefusedEvenWithForce() throws Exception {
        Path copy = dir.resolve("existing_first.h5");
        Files.copy(Path.of(A1), copy);
        byte[] before = Files.readAllBytes(copy);
        assertRefused(1, copy + ": is also an input; write the output to another file", "merge", copy.toString(), B1, "-o", copy.toString(), "--force");
        assertTrue(Arrays.equals(before, Files.readAllBytes(copy)), "input untouched");
    }

    @Test
    void unknownOutputExtension() {
        Path out = dir.resolve("h.bin");
        assertRefused(1, out + ": cannot tell the format from the extension; name it .h5, .keras or .zip, or give --format h5|keras|zip",
                "merge", A1, B1, "-o", out.toString());
    }

    @Test
    void missingDonor() {
        Path nope = dir.resolve("nope.h5");
        assertRefused(1, nope + ": no such file", "merge", A1, nope.toString(), "-o", dir.resolve("h.h5").toString());
    }

    @Test
    void modelWithTwoInputsCannotBeAChainLink() {
        Path two = dev.graft.Fixtures.file("wild/parkinsons_hybrid_2in_concat_k38.h5");
        assertRefused(1, two + " has 2 input(s) and 1 output(s); merge joins one output to one input",
                "merge", A1, two.toString(), "-o", dir.resolve("h.h5").toString());
    }

    @Test
    void differentFloatTypesNeedCast() throws Exception {
        Path f64 = dir.resolve("existing_second_f64.h5");
        KerasH5Writer.write(asFloat64(dev.graft.format.ModelFiles.read(Path.of(B1))), f64);
        assertRefused(1, "donors compute in different float types (" + A1 + ": float32, " + f64 + ": float64); give --cast float32 or --cast float64",
                "merge", A1, f64.toString(), "-o", dir.resolve("h.h5").toString());
        Cli r = Cli.run("merge", A1, f64.toString(), "--cast", "float64", "-o", dir.resolve("cast.h5").toString());
        assertEquals(0, r.exitCode(), r.err());
        ModelGraph cast = dev.graft.format.ModelFiles.read(dir.resolve("cast.h5"));
        assertTrue(cast.weights().stream().allMatch(w -> w.dtype() == DType.FLOAT64), "all weights cast to float64");
    }

    /** The same model computing in float64, as a Keras model built with dtype='float64' is saved. */
    static ModelGraph asFloat64(ModelGraph g) {
        List<Layer> layers = new ArrayList<>();
        for (Layer l : g.layers()) {
            var c = l.config().deepCopy();
            c.put("dtype", "float64");
            List<Weight> w = l.weights().stream().map(x -> Weight.inMemory(x.name(), x.read().castTo(DType.FLOAT64), true)).toList();
            layers.add(l.withConfig(c).withWeights(w));
        }
        return g.withLayers(layers, g.inputs(), g.outputs());
    }
}
