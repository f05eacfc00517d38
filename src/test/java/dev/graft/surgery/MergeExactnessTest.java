package dev.graft.surgery;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static dev.graft.surgery.HybridChecks.assertDonorWeightsIdentical;
import static dev.graft.surgery.HybridChecks.dense;
import static dev.graft.surgery.HybridChecks.predict;
import static dev.graft.surgery.HybridChecks.randomInput;
import static dev.graft.surgery.HybridChecks.reshape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.Fixtures;
import dev.graft.cli.Cli;
import dev.graft.engine.Tensors;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A hybrid written by {@code graft merge} computes exactly {@code B(bridge(A(x)))}: its prediction
 * equals the composition of the separately loaded donors, the donors' weights are in the file bit
 * for bit, and the file reopens in graft and in DL4J's own Keras import with the same numbers.
 */
class MergeExactnessTest {
    static final Path S = Path.of("samples");
    static final double TOL = 1e-6;

    @TempDir
    Path dir;

    /** Merges, then checks the written file against the composition given. */
    private ModelGraph mergeAndCheck(List<Path> donors, List<String> extraArgs, long[] inputShape, UnaryOperator<HostArray> composition) throws Exception {
        Path out = dir.resolve("hybrid.h5");
        List<String> args = new ArrayList<>(List.of("merge"));
        donors.forEach(d -> args.add(d.toString()));
        args.addAll(extraArgs);
        args.add("-o");
        args.add(out.toString());
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out(), "merge keeps stdout quiet");

        ModelGraph hybrid = ModelFiles.read(out);
        HostArray x = randomInput(7, inputShape, 11);
        HostArray expected = composition.apply(x);
        HostArray actual = predict(hybrid, x);
        assertClose(expected, actual, TOL);

        JsonNode donorsProv = hybrid.provenance().path("donors");
        for (int i = 0; i < donors.size(); i++) {
            Map<String, String> renames = new HashMap<>();
            donorsProv.get(i).path("renamed").fields().forEachRemaining(e -> renames.put(e.getKey(), e.getValue().asText()));
            assertDonorWeightsIdentical(ModelFiles.read(donors.get(i)), renames, hybrid);
        }

        ComputationGraph dl4j = KerasModelImport.importKerasModelAndWeights(out.toString(), false);
        assertClose(actual, Tensors.fromNd4j(dl4j.output(false, Tensors.toNd4j(x, DataType.FLOAT))[0]), TOL);
        return hybrid;
    }

    @Test
    void example1JoinsDirectly() throws Exception {
        Path a = S.resolve("example1_first.h5"), b = S.resolve("example1_second.h5");
        mergeAndCheck(List.of(a, b), List.of(), new long[] {10}, x -> predict(b, predict(a, x)));
    }

    @Test
    void example2JoinsDirectlyAndThroughReshape() throws Exception {
        Path a = S.resolve("example2_first.h5"), b = S.resolve("example2_second.h5");
        mergeAndCheck(List.of(a, b), List.of(), new long[] {10}, x -> predict(b, predict(a, x)));
        mergeAndCheck(List.of(a, b), List.of("--bridge", "reshape", "--force"), new long[] {10}, x -> predict(b, predict(a, x)));
    }

    @Test
    void example3ThroughDense32() throws Exception {
        Path a = S.resolve("example3_first.h5"), b = S.resolve("example3_second.h5");
        HostArray[] bridge = new HostArray[1];
        ModelGraph h = mergeAndCheck(List.of(a, b), List.of("--bridge", "dense:32"), new long[] {10}, x -> {
            ModelGraph written = ModelFiles.read(dir.resolve("hybrid.h5"));
            Layer d = written.layer("bridge1_dense");
            return predict(b, dense(predict(a, x), d.weights().get(0), d.weights().get(1), "relu"));
        });
        assertEquals(32 * 64 + 32, h.layer("bridge1_dense").parameterCount());
    }

    @Test
    void timeSeriesPairThroughReshape() throws Exception {
        Path a = S.resolve("ts_extractor.h5"), b = S.resolve("ts_lstm32.h5");
        mergeAndCheck(List.of(a, b), List.of("--bridge", "reshape"), new long[] {32, 4}, x -> predict(b, reshape(predict(a, x), 32, 8)));
    }

    @Test
    void timeSeriesPairThroughDenseOnEveryStep() throws Exception {
        Path a = S.resolve("ts_extractor.h5"), b = S.resolve("ts_lstm.h5");
        mergeAndCheck(List.of(a, b), List.of("--bridge", "dense:8:tanh"), new long[] {32, 4}, x -> {
            Layer d = ModelFiles.read(dir.resolve("hybrid.h5")).layer("bridge1_dense");
            return predict(b, dense(predict(a, x), d.weights().get(0), d.weights().get(1), "tanh"));
        });
    }

    @Test
    void threeDonorChain() throws Exception {
        Path a = S.resolve("example2_first.h5"), b = S.resolve("example2_second.h5"), c = S.resolve("example1_first.h5");
        mergeAndCheck(List.of(a, b, c), List.of("--bridge", "reshape", "--bridge", "dense:10"), new long[] {10}, x -> {
            Layer d = ModelFiles.read(dir.resolve("hybrid.h5")).layer("bridge2_dense");
            return predict(c, dense(predict(b, predict(a, x)), d.weights().get(0), d.weights().get(1), "relu"));
        });
    }

    @Test
    void realConv1DIntoRealLstmThroughReshape() throws Exception {
        // tf.keras 2.3 Conv1D (16x3 -> 15x4) into a user's Keras 3.4 LSTM model reading 10 x 6: 60 values both sides.
        Path a = Fixtures.file("keras/io/conv1d_k2_s1_d1_cl_valid_model.h5");
        Path b = Fixtures.file("wild/stock_rnn.keras");
        mergeAndCheck(List.of(a, b), List.of("--bridge", "reshape"), new long[] {16, 3}, x -> predict(b, reshape(predict(a, x), 10, 6)));
    }

    @Test
    void conv1dExtractorIntoTheGruSample() throws Exception {
        Path a = S.resolve("ts_extractor.h5"), b = S.resolve("ts_gru.h5");
        mergeAndCheck(List.of(a, b), List.of(), new long[] {32, 4}, x -> predict(b, predict(a, x)));
    }

    @Test
    void realKeras3DonorsThroughDense() throws Exception {
        Path a = Fixtures.file("keras3-seed/ts_dense_first.keras");
        Path b = Fixtures.file("wild/gesture_lstm_tf2131.h5");
        // (16, 16) per sample into an LSTM reading (30, 63): no dense fits, so the chain goes through a reshape first.
        Cli r = Cli.run("merge", a.toString(), b.toString(), "--bridge", "dense:63", "-o", dir.resolve("x.h5").toString());
        assertEquals(1, r.exitCode());
        assertEquals("graft: --bridge dense:63 turns (None, 16, 16) into (None, 16, 63) but " + b + " expects (None, 30, 63)\n", r.err());
    }
}
