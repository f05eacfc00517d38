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
 * with other seeds, in separate processes (JVM crashes, timings, memory): {@code bench/fuzz.sh}.
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

    /** Width of the input each seed model takes, so predict on a kept input reaches the engine. */
    private static final java.util.Map<String, Integer> INPUT_WIDTH = java.util.Map.of("example1_first", 10, "dl4j_classifier", 32, "elu_05", 6);

    /** The files a campaign once crashed or tripped graft with (bench/fuzz.sh), kept as they were: {@code <seed file stem>.<seed>.<ext>}. */
    static Stream<Path> keptInputs() throws Exception {
        Path folder = Path.of(MutationFuzzTest.class.getResource("/fuzz/inputs").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList().stream();
        }
    }

    /**
     * Inspect and predict on every kept input, in process: a native crash here takes the test
     * JVM down, which is the point. Each must compute or be refused in one line naming the file.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("keptInputs")
    void keptInputIsInspectedAndPredictedOrRefusedInOneLine(Path input) throws IOException {
        String stem = input.getFileName().toString().split("\\.")[0];
        int width = INPUT_WIDTH.get(stem);
        Path csv = dir.resolve(stem + ".csv");
        StringBuilder rows = new StringBuilder();
        for (int c = 0; c < width; c++) rows.append(c == 0 ? "" : ",").append("c").append(c);
        rows.append('\n');
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < width; c++) rows.append(c == 0 ? "" : ",").append(0.1 * ((r * width + c) % 7));
            rows.append('\n');
        }
        Files.writeString(csv, rows);
        Path out = dir.resolve(input.getFileName() + ".out.csv");
        for (String[] args : List.of(new String[] {"inspect", input.toString()},
                new String[] {"predict", input.toString(), "--input", csv.toString(), "-o", out.toString()})) {
            Cli r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run(args), args[0] + " did not finish: " + input);
            String err = r.err().strip();
            assertFalse(err.contains("unexpected error"), args[0] + " " + input + ": " + err);
            assertTrue(r.exitCode() == 0 || r.exitCode() == 1, args[0] + " " + input + ": exit " + r.exitCode() + " " + err);
            if (r.exitCode() == 1) {
                assertFalse(err.contains("\n"), "one line: " + err);
                assertTrue(err.startsWith("graft: " + input + ": "), args[0] + " names the file: " + err);
            } else if (args[0].equals("predict")) {
                assertTrue(Files.readAllLines(out).size() == 5, "a header and 4 predictions: " + out);
            }
            Files.deleteIfExists(out);
        }
    }
}
