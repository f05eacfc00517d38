package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.Fixtures;
import dev.graft.inspect.StoredArraysAccess;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code graft inspect} over every real Keras model file in the shared fixtures: each opens, and
 * the parameters it reports are exactly the elements of the weight arrays the file stores.
 */
class InspectFixturesTest {

    static Stream<Path> kerasModels() {
        return Stream.of("keras", "wild", "keras3-seed")
                .flatMap(folder -> Fixtures.files(folder, Fixtures::isModel).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kerasModels")
    void inspectsAndCountsEveryStoredWeight(Path model) throws Exception {
        Cli r = Cli.run("inspect", "--json", model.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        JsonNode s = r.json();
        assertEquals(StoredArraysAccess.elements(model), s.path("params").path("total").asLong(), "parameters of " + model);
        long sumOfLayers = 0;
        for (JsonNode l : s.path("layers")) if (l.path("depth").asInt() == 0) sumOfLayers += l.path("params").asLong();
        assertEquals(s.path("params").path("total").asLong(), sumOfLayers, "layer rows add up to the total");
        assertTrue(s.path("params").path("trainable").asLong() <= s.path("params").path("total").asLong());
        assertFalse(s.path("layers").isEmpty());
    }

    static List<Path> predictionFiles() {
        return Fixtures.files("wild", p -> p.getFileName().toString().endsWith("_inputs_and_outputs.h5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("predictionFiles")
    void refusesDataFilesWithOneLine(Path data) {
        Cli r = Cli.run("inspect", data.toString());
        assertEquals(1, r.exitCode());
        assertEquals("graft: " + data + ": holds input and output arrays, not a model (no model configuration)\n", r.err());
        assertEquals("", r.out());
    }
}
