package dev.graft.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code ../shared/fixtures/hostile} (crafted or damaged models: libhdf5 crashes,
 * endless loops, 2^40-element datasets, zip bombs, {@code ../} entries, Python bytecode) gets one
 * line naming the file and exit 1 from {@code inspect}, {@code predict} and {@code merge}, and
 * nothing is written: no output, no temporary file. Time and memory are measured by
 * {@code bench/hostile.sh} (tests assert behaviour, not timings).
 */
class HostileFilesTest {
    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Path f : Fixtures.files("hostile", p -> !p.getFileName().toString().endsWith(".md"))) {
            for (String command : List.of("inspect", "predict", "merge")) out.add(Arguments.of(f.getFileName().toString(), command));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("cases")
    void refusedWithOneLineNamingTheFile(String name, String command) throws IOException {
        Path file = Fixtures.file("hostile/" + name);
        Path csv = Files.writeString(dir.resolve("in.csv"), "a,b\n1,2\n");
        Path output = dir.resolve(command.equals("predict") ? "out.csv" : "out.h5");
        Cli r = switch (command) {
            case "inspect" -> Cli.run("inspect", file.toString());
            case "predict" -> Cli.run("predict", file.toString(), "--input", csv.toString(), "-o", output.toString());
            default -> Cli.run("merge", file.toString(), Path.of("samples/example1_second.h5").toAbsolutePath().toString(), "-o",
                    output.toString());
        };
        if (command.equals("inspect") && name.equals("lambda_marshal.h5")) {
            // Inspecting is reading: the Lambda is listed, marked as not computable, and never run.
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("*"), r.out());
        } else {
            assertEquals(1, r.exitCode(), r.out() + r.err());
            String err = r.err().strip();
            assertFalse(err.contains("\n"), "one line: " + err);
            assertTrue(err.startsWith("graft: " + file + ": "), "names the file: " + err);
            assertFalse(err.contains("unexpected error"), err);
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(csv), left.toList(), "nothing written beside the output");
        }
    }
}
