package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static dev.graft.testutil.ArrayAssertions.assertClose;

import dev.graft.Fixtures;
import dev.graft.data.DataFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code graft predict} reproduces the predictions Keras itself stored, through the command line
 * a user runs: inputs written as .npy, outputs read back. 1e-4 absolute, as DESIGN.md §1 asks.
 */
class PredictStoredTest {
    /**
     * Stored arrays that are not predictions: this file's {@code outputs/} are the training targets
     * (the input series shifted), and it has no {@code predictions/} group. An independent numpy
     * LSTM on the stored weights computes what graft does, not these values.
     */
    static final Set<String> NOT_PREDICTIONS = Set.of("simple_lstm_tf_keras_2");

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Path io : Fixtures.files("keras/io", p -> p.toString().endsWith("_inputs_and_outputs.h5"))) {
            String name = io.getFileName().toString().replace("_inputs_and_outputs.h5", "");
            if (NOT_PREDICTIONS.contains(name)) continue;
            out.add(Arguments.of(name, io.resolveSibling(name + "_model.h5"), io));
        }
        for (String folder : List.of("keras3-seed", "wild")) {
            for (Path model : Fixtures.files(folder, Fixtures::isModel)) {
                String file = model.getFileName().toString();
                String stem = file.substring(0, file.lastIndexOf('.'));
                Path io = model.resolveSibling(stem + "_inputs_and_outputs.h5");
                if (io.toFile().exists()) out.add(Arguments.of(file, model, io));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reproducesKerasPredictions(String name, Path model, Path io) {
        StoredPredictions stored = StoredPredictions.read(io);
        List<String> args = new ArrayList<>(List.of("predict", model.toString()));
        for (int i = 0; i < stored.inputs().size(); i++) {
            Path x = dir.resolve("x" + i + ".npy");
            DataFiles.write(x, stored.inputs().get(i));
            args.addAll(List.of("--input", x.toString()));
        }
        Path out = dir.resolve(stored.outputs().size() == 1 ? "y.npy" : "y.npz");
        args.addAll(List.of("-o", out.toString()));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out());
        double tol = 1e-4; // every case, the 500-step GRU included (measured 3e-6 there)
        if (stored.outputs().size() == 1) {
            assertClose(stored.outputs().get(0), DataFiles.read(out), tol);
        } else {
            Map<String, HostArray> all = DataFiles.readAll(out, dev.graft.data.CsvOptions.defaults());
            List<HostArray> got = new ArrayList<>(all.values());
            for (int i = 0; i < stored.outputs().size(); i++) assertClose(stored.outputs().get(i), got.get(i), tol);
        }
    }
}
