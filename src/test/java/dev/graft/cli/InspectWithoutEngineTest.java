package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inspecting a Keras file needs no arithmetic, so it must not start ND4J or DL4J (their start
 * costs more than the whole inspection): run in a fresh JVM, no engine class is ever loaded.
 */
class InspectWithoutEngineTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"samples/example3_first.h5", "keras3-seed/ts_dense_hybrid_by_keras.keras", "wild/sentiment_embedding_gru_k36.h5"})
    void loadsNoEngineClass(String model) throws Exception {
        Path file = model.startsWith("samples/") ? Path.of(model) : Fixtures.file(model);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"), "dev.graft.Main",
                "inspect", file.toString()).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, waitFor(p), String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        List<String> engine = lines.stream().filter(l -> l.contains(" org.nd4j.") || l.contains(" org.deeplearning4j.")).collect(Collectors.toList());
        assertTrue(engine.isEmpty(), "engine classes loaded: " + engine.stream().limit(5).toList());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Total params:")), "the summary was printed");
    }

    private static int waitFor(Process p) throws IOException, InterruptedException {
        return p.waitFor();
    }
}
