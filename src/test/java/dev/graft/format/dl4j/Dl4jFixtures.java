package dev.graft.format.dl4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** The DL4J fixtures, read in place from {@code -Dgraft.fixtures}; tests skip when they are absent. */
final class Dl4jFixtures {
    /** Every DL4J model file in the fixtures: 21 that load, 3 that need a custom layer class. */
    static final int MODEL_FILES = 24;
    static final String CUSTOM_LAYER_CLASS = "org.deeplearning4j.regressiontest.customlayer100a.CustomLayer";

    private Dl4jFixtures() {
    }

    static Path root() {
        Path shared = sharedFixtures();
        Path dir = shared == null ? null : shared.resolve("dl4j");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(dir), "fixtures not present (set -Dgraft.fixtures)");
        return dir;
    }

    /**
     * {@code -Dgraft.fixtures} (the build passes {@code <project>/../shared/fixtures}); a git worktree
     * sits deeper than the main checkout, so failing that, the nearest {@code shared/fixtures} above.
     */
    private static Path sharedFixtures() {
        String prop = System.getProperty("graft.fixtures");
        if (prop != null && Files.isDirectory(Path.of(prop))) return Path.of(prop);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }

    static Path file(String relative) {
        Path p = root().resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(p), "fixture not present: " + p);
        return p;
    }

    /** Every model zip, whatever its extension; the stored input/output arrays are not models. */
    static List<Path> models() {
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".zip") || p.toString().endsWith(".bin"))
                    .filter(p -> !p.getFileName().toString().contains("_Input_") && !p.getFileName().toString().contains("_Output_"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean needsCustomLayer(Path p) {
        return p.getFileName().toString().startsWith("CustomLayerExample");
    }

    static Stream<Path> loadable() {
        return models().stream().filter(p -> !needsCustomLayer(p));
    }

    static Stream<Path> needingCustomLayer() {
        return models().stream().filter(Dl4jFixtures::needsCustomLayer);
    }
}
