package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.data.NpyWriter;
import dev.graft.model.HostArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Layers graft computes in general, in arrangements it does not ({@code keras-reference/computable-edges}, made by
 * {@code bench/keras_computable_edges.py} with real Keras): {@code inspect} calls them not computable with the reason
 * {@code predict} refuses them with, so that "computable" keeps meaning "predict computes it".
 */
class ComputableEdgesTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bn_axis2_open_height|bn|2,4,5,3|normalises axis 2 of an input of open size",
        "bn_axis1_masked|bn|2,6,4|normalises axis 1 and reads the mask of layer",
        "convlstm_sequence_states_open_steps|convlstm|2,4,5,2|returns its sequence and its states over an open number of steps",
    })
    void inspectRefusesWhatPredictRefuses(String name, String layer, String shape, String reason) throws Exception {
        Path model = Paths.get(ComputableEdgesTest.class.getResource("/keras-reference/computable-edges/" + name + ".keras").toURI());
        Cli inspect = Cli.run("inspect", "--json", model.toString());
        assertEquals(0, inspect.exitCode(), inspect.err());
        assertFalse(inspect.json().path("computable").asBoolean(), inspect.out());
        JsonNode row = null;
        for (JsonNode l : inspect.json().path("layers")) if (l.path("name").asText().equals(layer)) row = l;
        assertTrue(row != null && !row.path("computable").asBoolean(), "layer " + layer + " marked: " + inspect.out());
        assertTrue(row.path("not_computable_reason").asText().contains(reason), row.toString());

        long[] dims = java.util.Arrays.stream(shape.split(",")).mapToLong(Long::parseLong).toArray();
        float[] values = new float[(int) java.util.Arrays.stream(dims).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < values.length; i++) values[i] = (i % 7) * 0.25f - 0.5f;
        Path x = tmp.resolve("x.npy");
        NpyWriter.write(x, HostArray.ofFloats(dims, values));
        Path y = tmp.resolve("y.npz");
        Cli predict = Cli.run("predict", model.toString(), "--input", x.toString(), "-o", y.toString());
        assertEquals(1, predict.exitCode(), predict.err());
        assertEquals(1, predict.err().strip().lines().count(), predict.err());
        assertTrue(predict.err().contains("'" + layer + "'") && predict.err().contains(reason), predict.err());
        assertFalse(Files.exists(y), "no output written");
    }
}
