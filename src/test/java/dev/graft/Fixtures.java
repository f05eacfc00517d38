package dev.graft;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The shared fixtures (real model files written by Keras, tf.keras and DL4J), read in place from
 * {@code ../shared/fixtures}. Tests that need them are skipped, with a message, where they are absent.
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path root() {
        String dir = System.getProperty("graft.fixtures");
        if (dir == null || !Files.isDirectory(Path.of(dir))) dir = System.getenv("GRAFT_FIXTURES");
        if (dir == null) dir = "../shared/fixtures";
        Path p = Path.of(dir).toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(p), "shared fixtures not found at " + p + "; skipping tests on real model files");
        return p;
    }

    public static Path file(String relative) {
        Path p = root().resolve(relative);
        assumeTrue(Files.exists(p), "fixture " + relative + " is missing");
        return p;
    }

    /** Regular files under a fixture folder, sorted, filtered. */
    public static List<Path> files(String folder, Predicate<Path> keep) {
        try (Stream<Path> s = Files.walk(root().resolve(folder))) {
            return s.filter(Files::isRegularFile).filter(keep).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Model files (not the stored predictions, not the manifests). */
    public static boolean isModel(Path p) {
        String n = p.getFileName().toString();
        return !n.endsWith("_inputs_and_outputs.h5") && !n.endsWith(".tsv") && !n.endsWith(".md");
    }
}
