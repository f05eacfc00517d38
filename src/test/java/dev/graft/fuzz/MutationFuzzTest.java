package dev.graft.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.cli.Cli;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A short, fixed-seed mutation pass over the three formats graft reads (a Keras .h5, a .keras
 * archive, a DL4J zip), plus every recorded regression: each mutated file must be inspected or
 * refused with one line naming it, never answered with an unexpected error or a hang. Long runs
 * with other seeds (JVM crashes, timings, memory): {@code bench/fuzz.sh}; every input a campaign
 * ever crashed graft with is replayed through inspect and predict by {@link JazzerFuzzTest}.
 */
class MutationFuzzTest {
    /** Mutations per seed file in the suite's pass; bench/fuzz.sh runs thousands. */
    private static final int PER_SEED = 60;
    private static final long SUITE_SEED = 20261205L;

    @TempDir
    static Path dir;

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String seedFile : List.of("samples/example1_first.h5", "samples/dl4j_classifier.zip", "fixtures/keras3-zoo/elu_05.keras")) {
            for (int i = 0; i < PER_SEED; i++) out.add(Arguments.of(seedFile, SUITE_SEED * 1_000_003L + i));
        }
        try (InputStream in = MutationFuzzTest.class.getResourceAsStream("/fuzz/regressions.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                String[] parts = l.split("\\s+");
                out.add(Arguments.of(parts[0], Long.parseLong(parts[1])));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} #{1}")
    @MethodSource("cases")
    void mutatedFileIsReadOrRefusedInOneLine(String seedFile, long seed) throws IOException {
        Path original = seedFile.startsWith("fixtures/") ? Fixtures.file(seedFile.substring("fixtures/".length())) : Path.of(seedFile);
        String name = original.getFileName().toString();
        Path mutated = dir.resolve(seed + "_" + name);
        Files.write(mutated, FileMutator.mutate(Files.readAllBytes(original), seed));
        // A guard against endless loops, not a timing assertion: a healthy run takes well under a second.
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("inspect", mutated.toString()),
                "inspect did not finish: " + seedFile + " " + seed);
        String err = r.err().strip();
        assertFalse(err.contains("unexpected error"), seedFile + " " + seed + ": " + err);
        assertTrue(r.exitCode() == 0 || r.exitCode() == 1, seedFile + " " + seed + ": exit " + r.exitCode() + " " + err);
        if (r.exitCode() == 1) {
            assertFalse(err.contains("\n"), "one line: " + err);
            assertTrue(err.startsWith("graft: " + mutated + ": "), seedFile + " " + seed + " names the file: " + err);
        }
        Files.delete(mutated);
    }
}
