package dev.graft.surgery;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static dev.graft.surgery.HybridChecks.predict;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.Fixtures;
import dev.graft.cli.Cli;
import dev.graft.format.ModelFiles;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * graft's merge of the Keras 3 donors reproduces the predictions Keras stored for the hybrid its
 * own functional API built ({@code *_hybrid_by_keras}), from {@code .keras} and {@code .h5} donors.
 */
class MergeKerasSeedTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} from {1} donors, bridge {2}")
    @CsvSource({
        "seed_ex1, .h5, ",
        "seed_ex1, .keras, ",
        "seed_ex2, .h5, reshape",
        "seed_ex2, .keras, reshape",
        "ts_reshape, .h5, reshape",
        "ts_reshape, .keras, reshape",
    })
    void reproducesKerasOwnHybrid(String seed, String ext, String bridge) {
        Path first = Fixtures.file("keras3-seed/" + seed + "_first" + ext);
        Path second = Fixtures.file("keras3-seed/" + seed + "_second" + ext);
        Path out = dir.resolve(seed + ".h5");
        List<String> args = new ArrayList<>(List.of("merge", first.toString(), second.toString(), "-o", out.toString()));
        if (bridge != null) args.addAll(List.of("--bridge", bridge));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        StoredPredictions keras = StoredPredictions.read(Fixtures.file("keras3-seed/" + seed + "_hybrid_by_keras_inputs_and_outputs.h5"));
        assertClose(keras.outputs().get(0), predict(ModelFiles.read(out), keras.inputs().get(0)), 1e-5);
    }
}
