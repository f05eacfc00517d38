package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code graft inspect} over every DL4J model in the fixtures, whatever its extension. */
class InspectDl4jTest {
    static List<Path> models() {
        return Fixtures.files("dl4j", p -> {
            String n = p.getFileName().toString();
            return (n.endsWith(".zip") || n.endsWith(".bin")) && !n.contains("_Input_") && !n.contains("_Output_") && !n.startsWith("CustomLayer");
        });
    }

    static List<Path> customLayerModels() {
        return Fixtures.files("dl4j", p -> p.getFileName().toString().matches("CustomLayerExample_100b4_(float|double|half)\\.bin"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void inspectsEveryDl4jModel(Path model) {
        Cli r = Cli.run("inspect", "--json", model.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode s = r.json();
        assertEquals("dl4j-zip", s.path("format").asText());
        assertTrue(List.of("MultiLayerNetwork", "ComputationGraph").contains(s.path("model_class").asText()));
        long rows = 0;
        for (JsonNode l : s.path("layers")) rows += l.path("params").asLong();
        assertEquals(s.path("params").path("total").asLong(), rows);
        ComputationGraph net = dev.graft.format.dl4j.Dl4jNetworks.restore(model);
        assertTrue(s.path("params").path("total").asLong() >= net.numParams(), "every parameter counted");
        assertTrue(s.path("computable").asBoolean());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("customLayerModels")
    void customLayerZipFailsWithOneLine(Path model) {
        Cli r = Cli.run("inspect", model.toString());
        assertEquals(1, r.exitCode());
        assertEquals("graft: " + model + ": needs the custom DL4J layer class 'org.deeplearning4j.regressiontest.customlayer100a.CustomLayer',"
                + " which is not on graft's classpath\n", r.err());
    }
}
