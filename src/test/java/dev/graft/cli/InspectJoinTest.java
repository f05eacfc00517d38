package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code graft inspect FIRST SECOND}: the join verdict, the bridge to use, and the exit code. */
class InspectJoinTest {
    static final Path SAMPLES = Path.of("samples");

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
        "example1_first.h5, example1_second.h5, direct, , 0",
        "example2_first.h5, example2_second.h5, direct, , 0",
        "example3_first.h5, example3_second.h5, dense, dense:32, 3",
        "ts_extractor.h5, ts_lstm.h5, dense, dense:8, 3",
        "ts_extractor.h5, ts_lstm32.h5, reshape, reshape, 3",
    })
    void samplePairs(String first, String second, String verdict, String bridge, int exit) {
        Cli r = Cli.run("inspect", "--json", SAMPLES.resolve(first).toString(), SAMPLES.resolve(second).toString());
        assertEquals(exit, r.exitCode(), r.err());
        JsonNode join = r.json().path("join");
        assertEquals(verdict, join.path("verdict").asText());
        assertEquals(bridge == null ? null : bridge, join.path("bridge").isNull() ? null : join.path("bridge").asText());
        assertEquals(first, Path.of(r.json().path("first").path("file").asText()).getFileName().toString());
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource({
        "seed_ex1, .keras, direct, , 0",
        "seed_ex2, .h5, direct, , 0",
        "seed_ex3, .keras, dense, dense:32, 3",
        "ts_dense, .h5, dense, dense:8, 3",
        "ts_reshape, .keras, reshape, reshape, 3",
    })
    void kerasSeedPairs(String seed, String ext, String verdict, String bridge, int exit) {
        Path first = Fixtures.file("keras3-seed/" + seed + "_first" + ext);
        Path second = Fixtures.file("keras3-seed/" + seed + "_second.h5");
        Cli r = Cli.run("inspect", "--json", first.toString(), second.toString());
        assertEquals(exit, r.exitCode(), r.err());
        assertEquals(verdict, r.json().path("join").path("verdict").asText());
        JsonNode b = r.json().path("join").path("bridge");
        assertEquals(bridge, b.isNull() ? null : b.asText());
    }

    @Test
    void textNamesTheBridgeToUse() {
        Cli r = Cli.run("inspect", SAMPLES.resolve("example3_first.h5").toString(), SAMPLES.resolve("example3_second.h5").toString());
        assertEquals(3, r.exitCode());
        assertTrue(r.out().contains("verdict dense: a Dense layer of 32 units on the last axis maps (None, 64) to (None, 32)\n"), r.out());
        assertTrue(r.out().contains("merge with --bridge dense:32\n"), r.out());
    }

    @Test
    void rankMismatchIsIncompatibleWithAReason() {
        Cli r = Cli.run("inspect", "--json", SAMPLES.resolve("ts_extractor.h5").toString(), SAMPLES.resolve("example1_second.h5").toString());
        assertEquals(4, r.exitCode(), "no bridge graft builds joins them");
        JsonNode join = r.json().path("join");
        assertEquals("incompatible", join.path("verdict").asText());
        assertEquals("output (None, 16, 16) has rank 3, input (None, 32) has rank 2 and different element counts (256 vs 32):"
                + " neither a reshape nor a dense bridge fits", join.path("reason").asText());
    }

    @Test
    void samplesExist() {
        assertTrue(Files.isRegularFile(SAMPLES.resolve("example1_first.h5")), "samples/ is part of the repository");
    }
}
