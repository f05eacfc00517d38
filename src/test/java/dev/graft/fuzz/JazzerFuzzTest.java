package dev.graft.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.graft.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Jazzer fuzz tests over the three formats graft reads. In the suite they run in Jazzer's
 * regression mode: every file of {@code src/test/resources/dev/graft/fuzz/JazzerFuzzTestInputs/<method>/}
 * (a seed model and every input a campaign ever crashed graft with) goes through {@code inspect} and
 * {@code predict}. With {@code JAZZER_FUZZ=1} (e.g. {@code JAZZER_FUZZ=1 bin/test -Dtest=JazzerFuzzTest#h5})
 * Jazzer mutates from that corpus, coverage-guided, and writes what it finds into the same folder.
 * Each input must compute or be refused in one line naming the file; a native crash takes the JVM
 * down, which Jazzer reports as a crash too.
 */
class JazzerFuzzTest {
    static {
        // Jazzer's bug-detector hooks instrument every class loaded (DL4J and ND4J are thousands) and
        // made the regression pass take minutes; graft's findings are crashes, hangs and messages.
        System.setProperty("jazzer.hooks", "false");
        // Coverage instrumentation serves fuzzing only (JAZZER_FUZZ=1); replaying the corpus needs none.
        if (System.getenv("JAZZER_FUZZ") == null) System.setProperty("jazzer.instrumentation_excludes", "**");
    }

    @FuzzTest(maxDuration = "60s")
    void h5(byte[] bytes) throws IOException {
        check(bytes, ".h5", 10);
    }

    @FuzzTest(maxDuration = "60s")
    void keras(byte[] bytes) throws IOException {
        check(bytes, ".keras", 10);
    }

    @FuzzTest(maxDuration = "60s")
    void dl4j(byte[] bytes) throws IOException {
        check(bytes, ".zip", 32);
    }

    /** {@code inputWidth}: columns of the seed model's input, so predict reaches the engine. */
    private static void check(byte[] bytes, String extension, int inputWidth) throws IOException {
        Path dir = Files.createTempDirectory("graft-jazzer");
        try {
            Path model = dir.resolve("model" + extension);
            Files.write(model, bytes);
            Path csv = dir.resolve("input.csv");
            StringBuilder rows = new StringBuilder();
            for (int c = 0; c < inputWidth; c++) rows.append(c == 0 ? "" : ",").append("c").append(c);
            rows.append('\n');
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < inputWidth; c++) rows.append(c == 0 ? "" : ",").append(0.125 * ((r + c) % 5));
                rows.append('\n');
            }
            Files.writeString(csv, rows);
            Path out = dir.resolve("out.csv");
            for (String[] args : List.of(new String[] {"inspect", model.toString()},
                    new String[] {"predict", model.toString(), "--input", csv.toString(), "-o", out.toString()})) {
                Cli r = Cli.run(args);
                String err = r.err().strip();
                assertFalse(err.contains("unexpected error"), args[0] + ": " + err);
                assertTrue(r.exitCode() == 0 || r.exitCode() == 1, args[0] + ": exit " + r.exitCode() + " " + err);
                if (r.exitCode() == 1) {
                    assertFalse(err.contains("\n"), args[0] + ", one line: " + err);
                    assertTrue(err.startsWith("graft: " + model + ": "), args[0] + " names the file: " + err);
                } else if (args[0].equals("predict")) {
                    assertTrue(Files.readAllLines(out).size() == 4, "a header and 3 predictions");
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }
}
