package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code graft run} stopped mid-step (SIGTERM, as Ctrl-C or a CI timeout sends) leaves the
 * output the step was replacing as it was, and no temporary or half-written file.
 */
class RunInterruptedTest {
    @TempDir
    Path dir;

    @Test
    void aRunStoppedWhileAStepRunsLeavesThePreviousOutputWhole() throws Exception {
        Files.copy(Path.of("samples/example3_first.h5"), dir.resolve("first.h5"));
        Files.copy(Path.of("samples/example3_second.h5"), dir.resolve("second.h5"));
        Files.copy(Path.of("samples/example3_train.csv"), dir.resolve("train.csv"));
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/trained.zip"), "the previous output");
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                steps:
                  - merge: [first.h5, second.h5, --bridge, "dense:32", -o, out/hybrid.h5]
                  - train: [out/hybrid.h5, --data, train.csv, --target, label, --epochs, "10000", -o, out/trained.zip]
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.graft.Main", "run", plan.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean training = false;
            while ((line = err.readLine()) != null) {
                if (line.contains("Epoch 1/10000")) { // the step is under way: its old output is set aside
                    training = true;
                    break;
                }
            }
            assertTrue(training, "the train step started");
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "graft stopped");
        } finally {
            p.destroyForcibly();
        }
        assertEquals("the previous output", Files.readString(dir.resolve("out/trained.zip")));
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            assertEquals(List.of(".hybrid.h5.graft-step", "hybrid.h5", "trained.zip"), s.map(x -> x.getFileName().toString()).sorted().toList());
        }
    }
}
