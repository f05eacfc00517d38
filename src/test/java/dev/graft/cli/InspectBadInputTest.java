package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.format.hdf5.H5File;
import dev.graft.model.HostArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code graft inspect}: one line naming the file and the problem, exit 1, no stack trace. */
class InspectBadInputTest {
    @TempDir
    Path dir;

    private static void assertOneLineError(Cli r, String expectedLine) {
        assertEquals(1, r.exitCode());
        assertEquals("graft: " + expectedLine + "\n", r.err());
        assertEquals("", r.out());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nope.h5");
        assertOneLineError(Cli.run("inspect", p.toString()), p + ": no such file");
    }

    @Test
    void csvIsNotAModel() throws IOException {
        Path p = dir.resolve("train.csv");
        Files.writeString(p, "a,b,label\n1,2,0\n3,4,1\n");
        assertOneLineError(Cli.run("inspect", p.toString()),
                p + ": is not a model file (text that looks like CSV); expected a Keras .h5/.keras file or a DL4J zip");
    }

    @Test
    void emptyFile() throws IOException {
        Path p = dir.resolve("empty.h5");
        Files.createFile(p);
        assertOneLineError(Cli.run("inspect", p.toString()), p + ": is empty");
    }

    @Test
    void directory() {
        assertOneLineError(Cli.run("inspect", dir.toString()),
                dir + ": is a directory, not a model file (a TensorFlow SavedModel folder is not supported)");
    }

    @Test
    void weightsOnlyFile() {
        Path p = dir.resolve("weights.h5");
        try (H5File h5 = H5File.create(p)) {
            h5.writeFixedStringsAttribute("layer_names", List.of("dense"));
            try (var g = h5.createGroup("dense")) {
                g.writeFixedStringsAttribute("weight_names", List.of("dense/kernel:0"));
                g.writeDataset("dense/kernel:0", HostArray.ofFloats(new long[] {2, 2}, new float[4]));
            }
        }
        assertOneLineError(Cli.run("inspect", p.toString()),
                p + ": holds weights only, no model configuration (saved with save_weights?); graft needs a full model file");
    }

    @Test
    void predictionsFileIsNotAModel() {
        Path p = Fixtures.file("keras/io/ReLU_0_inputs_and_outputs.h5");
        assertOneLineError(Cli.run("inspect", p.toString()), p + ": holds input and output arrays, not a model (no model configuration)");
    }

    @Test
    void truncatedHdf5() throws IOException {
        Path p = dir.resolve("cut.h5");
        byte[] whole = Files.readAllBytes(Fixtures.file("keras3-seed/seed_ex1_first.h5"));
        Files.write(p, Arrays.copyOf(whole, whole.length / 3));
        Cli r = Cli.run("inspect", p.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("graft: " + p + ": is a corrupt or truncated HDF5 file"), r.err());
        assertEquals(1, r.err().lines().count());
    }

    @Test
    void truncatedKerasArchive() throws IOException {
        Path p = dir.resolve("cut.keras");
        byte[] whole = Files.readAllBytes(Fixtures.file("keras3-seed/seed_ex1_first.keras"));
        Files.write(p, Arrays.copyOf(whole, whole.length / 2));
        Cli r = Cli.run("inspect", p.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("graft: " + p + ": is a corrupt or truncated zip archive"), r.err());
        assertEquals(1, r.err().lines().count());
    }

    @Test
    void corruptModelConfig() throws IOException {
        Path p = dir.resolve("bad_config.h5");
        try (H5File h5 = H5File.create(p)) {
            h5.writeStringAttribute("keras_version", "2.3.1", false);
            h5.writeStringAttribute("model_config", "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [", false);
        }
        Cli r = Cli.run("inspect", p.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("graft: " + p + ": attribute 'model_config' is not valid JSON"), r.err());
    }

    @Test
    void verboseAddsTheStackTrace() {
        Path p = dir.resolve("nope.h5");
        Cli r = Cli.run("inspect", "--verbose", p.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("graft: " + p + ": no such file\n"));
        assertTrue(r.err().contains("\tat "), "stack trace with --verbose");
    }

    @Test
    void inputsAreUntouched() throws IOException {
        Path src = Fixtures.file("keras3-seed/seed_ex1_first.h5");
        byte[] before = Files.readAllBytes(src);
        assertEquals(0, Cli.run("inspect", src.toString()).exitCode());
        assertTrue(Arrays.equals(before, Files.readAllBytes(src)));
    }
}
