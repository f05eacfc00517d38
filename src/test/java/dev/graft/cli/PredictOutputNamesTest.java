package dev.graft.cli;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.Fixtures;
import dev.graft.data.CsvOptions;
import dev.graft.data.DataFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code predict} names each output as Keras (and {@code inspect}) does, although graft's engine computes some of them in
 * vertices of its own: a Dense on an image ({@code <dense>_graft_back}), a glu activation ({@code <layer>_graft_glu}), an
 * LSTM's states ({@code <lstm>__h}), a shared layer's second call ({@code <layer>__graft_call_1}). The names reach the
 * report, the {@code .npz} keys and a {@code .zip} converted from the model; the numbers are Keras's (stored by Keras).
 */
class PredictOutputNamesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "src/test/resources/keras-reference/shapes/dense_on_image",
        "src/test/resources/keras-reference/issue12/dense_glu",
        "keras3-zoo/lstm_return_state",
        "keras3-zoo/shared_dense",
    })
    void outputsCarryKerasNames(String stem) {
        Path keras = model(stem + ".keras");
        StoredPredictions stored = StoredPredictions.read(model(stem + "_inputs_and_outputs.h5"));
        List<String> expected = outputNames(keras);
        assertEquals(stored.outputs().size(), expected.size());
        for (String n : expected) assertFalse(n.contains("graft") || n.contains("__"), "inspect lists " + expected);

        checkPredict(keras, stored, expected);
        Path zip = dir.resolve("model.zip");
        Cli c = Cli.run("convert", keras.toString(), "-o", zip.toString());
        assertEquals(0, c.exitCode(), c.err());
        checkPredict(zip, stored, expected);
    }

    private void checkPredict(Path model, StoredPredictions stored, List<String> expected) {
        List<String> args = new ArrayList<>(List.of("predict", "--json", "--force", model.toString()));
        for (int i = 0; i < stored.inputs().size(); i++) {
            Path x = dir.resolve("x" + i + ".npy");
            DataFiles.write(x, stored.inputs().get(i));
            args.addAll(List.of("--input", stored.inputs().size() == 1 ? x.toString() : inputName(model, i) + "=" + x));
        }
        Path out = dir.resolve("y.npz");
        args.addAll(List.of("-o", out.toString()));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        List<String> reported = new ArrayList<>();
        for (JsonNode o : r.json().path("outputs")) reported.add(o.path("name").asText());
        assertEquals(expected, reported, model + ": predict's report");
        Map<String, HostArray> written = DataFiles.readAll(out, CsvOptions.defaults());
        assertEquals(expected, new ArrayList<>(written.keySet()), model + ": keys of the .npz");
        for (int i = 0; i < expected.size(); i++) {
            assertClose(stored.outputs().get(i), written.get(expected.get(i)), 1e-4);
        }
        assertTrue(r.err().isEmpty() || !r.err().contains("graft_"), r.err());
    }

    private static String inputName(Path model, int i) {
        Cli r = Cli.run("inspect", "--json", model.toString());
        return r.json().path("inputs").get(i).path("name").asText();
    }

    private static List<String> outputNames(Path model) {
        Cli r = Cli.run("inspect", "--json", model.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> names = new ArrayList<>();
        for (JsonNode o : r.json().path("outputs")) names.add(o.path("name").asText());
        return names;
    }

    private static Path model(String relative) {
        return relative.startsWith("src/") ? Path.of(relative) : Fixtures.file(relative);
    }
}
