package dev.graft.surgery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.cli.Cli;
import dev.graft.format.ModelFiles;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** merge's options: dry run, JSON, seeds, freezing, prefixes, training configuration, auto bridges. */
class MergeOptionsTest {
    static final String A3 = "samples/example3_first.h5";
    static final String B3 = "samples/example3_second.h5";

    @TempDir
    Path dir;

    private Path merge(String name, String... extra) {
        Path out = dir.resolve(name);
        String[] args = new String[extra.length + 5];
        args[0] = "merge";
        args[1] = A3;
        args[2] = B3;
        System.arraycopy(extra, 0, args, 3, extra.length);
        args[args.length - 2] = "-o";
        args[args.length - 1] = out.toString();
        Cli r = Cli.run(args);
        assertEquals(0, r.exitCode(), r.err());
        return out;
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() throws Exception {
        Cli r = Cli.run("merge", A3, B3, "--bridge", "dense:32", "--dry-run");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Merge plan (dry run, nothing written)\n"), r.out());
        assertTrue(r.out().contains("junction 1: dense_1 (None, 64) -> bridge dense:32 [bridge1_dense], 2,080 new parameters -> input (None, 32)"), r.out());
        assertTrue(r.out().contains("renamed dense -> example3_second_dense"), r.out());
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void jsonReportsJunctionsAndTheHybrid() {
        Cli r = Cli.run("merge", A3, B3, "--bridge", "auto", "--dry-run", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = r.json();
        assertTrue(j.path("dry_run").asBoolean());
        JsonNode junction = j.path("junctions").get(0);
        assertEquals("dense:32", junction.path("bridge").asText());
        assertTrue(junction.path("chosen_by_auto").asBoolean());
        assertEquals("[null,64]", junction.path("from").path("shape").toString());
        assertEquals(2080, junction.path("new_parameters").asLong());
        assertEquals(1408 + 8256 + 2080 + 528 + 17, j.path("hybrid").path("params").asLong());
        assertEquals("[null,1]", j.path("hybrid").path("output_shape").toString());
        assertEquals(64, j.path("donors").get(0).path("sha256").asText().length());
    }

    @Test
    void autoChoosesReshapeWhenCountsAgree() {
        Cli r = Cli.run("merge", "samples/ts_extractor.h5", "samples/ts_lstm32.h5", "--bridge", "auto", "--dry-run", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("reshape", r.json().path("junctions").get(0).path("bridge").asText());
    }

    @Test
    void autoAddsNothingWhereTheShapesJoin() {
        Cli r = Cli.run("merge", "samples/example1_first.h5", "samples/example1_second.h5", "--bridge", "auto", "--dry-run", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("none", r.json().path("junctions").get(0).path("bridge").asText());
        assertEquals(0, r.json().path("junctions").get(0).path("layers").size());
    }

    @Test
    void sameCommandSameBytesOtherSeedOtherBridge() throws Exception {
        byte[] one = Files.readAllBytes(merge("a.h5", "--bridge", "dense:32"));
        Files.delete(dir.resolve("a.h5"));
        byte[] two = Files.readAllBytes(merge("a.h5", "--bridge", "dense:32"));
        assertArrayEquals(one, two, "same command, same file");
        ModelGraph seeded = ModelFiles.read(merge("c.h5", "--bridge", "dense:32", "--seed", "7"));
        ModelGraph base = ModelFiles.read(dir.resolve("a.h5"));
        assertFalse(seeded.layer("bridge1_dense").weights().get(0).read().bitEquals(base.layer("bridge1_dense").weights().get(0).read()));
    }

    @Test
    void bridgeStartsAsKerasDoes() {
        Layer d = ModelFiles.read(merge("h.h5", "--bridge", "dense:32")).layer("bridge1_dense");
        float[] kernel = d.weights().get(0).read().toFloatArray();
        double limit = Math.sqrt(6.0 / (64 + 32));
        double max = 0;
        for (float v : kernel) max = Math.max(max, Math.abs(v));
        assertTrue(max <= limit && max > 0.9 * limit, "Glorot-uniform within +-" + limit + ", max " + max);
        for (float b : d.weights().get(1).read().toFloatArray()) assertEquals(0f, b);
        assertEquals("relu", d.config().path("activation").asText());
    }

    @Test
    void freezeDonorsLeavesOnlyTheBridgeTrainable() {
        ModelGraph h = ModelFiles.read(merge("h.h5", "--bridge", "dense:32", "--freeze", "donors"));
        for (Layer l : h.layers()) {
            if (l.weights().isEmpty()) continue;
            boolean bridge = l.name().startsWith("bridge");
            assertEquals(bridge, l.trainable(), l.name());
            assertTrue(l.weights().stream().allMatch(w -> w.trainable() == bridge), l.name());
        }
        assertEquals(2080, h.trainableParameterCount());
    }

    @Test
    void freezeFirstOnly() {
        ModelGraph h = ModelFiles.read(merge("h.h5", "--bridge", "dense:32", "--freeze", "first"));
        assertFalse(h.layer("dense").trainable());
        assertTrue(h.layer("example3_second_dense").trainable());
    }

    @Test
    void prefixesChosenByTheUser() {
        ModelGraph h = ModelFiles.read(merge("h.h5", "--bridge", "dense:32", "--prefix", "first=cnn_,second=rnn_"));
        assertTrue(h.hasLayer("cnn_dense") && h.hasLayer("cnn_dense_1") && h.hasLayer("rnn_dense") && h.hasLayer("rnn_dense_1"));
        assertEquals("rnn_dense", h.provenance().path("donors").get(1).path("renamed").path("dense").asText());
    }

    @Test
    void trainingConfigurationFromOptions() {
        ModelGraph h = ModelFiles.read(merge("h.h5", "--bridge", "dense:32", "--optimizer", "sgd", "--loss", "mse", "--metrics", "mae,mse"));
        JsonNode tc = h.trainingConfig();
        assertEquals("mean_squared_error", tc.path("loss").asText(), "recorded under Keras's name");
        assertEquals("[\"mae\",\"mse\"]", tc.path("metrics").toString());
        assertEquals("SGD", tc.path("optimizer_config").path("class_name").asText());
        assertEquals(0.01, tc.path("optimizer_config").path("config").path("learning_rate").asDouble());
    }

    @Test
    void trainingConfigurationDefaultsToTheLastDonors() {
        JsonNode tc = ModelFiles.read(merge("h.h5", "--bridge", "dense:32")).trainingConfig();
        assertEquals("binary_crossentropy", tc.path("loss").asText());
        assertEquals("Adam", tc.path("optimizer_config").path("class_name").asText());
        assertEquals("[\"accuracy\"]", tc.path("metrics").toString());
    }

    @Test
    void provenanceRecordsDonorsBridgesAndCommand() {
        ModelGraph h = ModelFiles.read(merge("h.h5", "--bridge", "dense:32"));
        JsonNode p = h.provenance();
        assertEquals(dev.graft.GraftInfo.VERSION, p.path("graft_version").asText());
        assertEquals("example3_first.h5", p.path("donors").get(0).path("file").asText(), "the file name: the bytes do not depend on where the donor lies");
        assertEquals(dev.graft.format.Checksums.sha256(Path.of(A3)), p.path("donors").get(0).path("sha256").asText());
        assertEquals("[\"dense\",\"dense_1\"]", p.path("donors").get(0).path("layers").toString());
        assertEquals("dense:32", p.path("bridges").get(0).path("spec").asText());
        assertEquals("graft merge example3_first.h5 example3_second.h5 --bridge dense:32 -o h.h5", p.path("command").asText());
        Cli r = Cli.run("inspect", dir.resolve("h.h5").toString());
        assertTrue(r.out().contains("donor first  example3_first.h5  sha256 " + p.path("donors").get(0).path("sha256").asText()), r.out());
    }

    @Test
    void mergedWeightsKeepTheirTypes() {
        for (Weight w : ModelFiles.read(merge("h.h5", "--bridge", "dense:32")).weights()) assertEquals(dev.graft.model.DType.FLOAT32, w.dtype());
    }
}
