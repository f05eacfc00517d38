package dev.graft.engine.train;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.cli.Cli;
import dev.graft.data.NpyReader;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Models whose training graft computes in a way of its own train as Keras trains them. Each model was trained by real
 * Keras 3.15.1 for three full-batch SGD steps on seeded data ({@code keras-reference/training-steps}, made by
 * {@code bench/keras_training_steps.py}); graft trains the same file on the same data and its trained model's outputs are
 * Keras's trained model's.
 * <ul>
 * <li>A layer called more than once (one set of weights on several tensors): the gradient of its weights is the sum of
 * every call's ({@link SharedWeightTies}), and it stays one layer. A Dense on two inputs, a Dense called twice in a row
 * (a chain) and shared attention layers (MultiHeadAttention, GroupQueryAttention, Attention, AdditiveAttention).</li>
 * <li>A Bidirectional(ConvLSTM2D) returning sequences, channels last and first, from .keras and .h5: its halves' rank-5
 * sequences joined by graft's {@link dev.graft.engine.layers.ConcatenateVertex} (DL4J's merge passes no error back through
 * rank 5).</li>
 * </ul> {@code attention_shared_scale} has two
 * outputs of different lengths (3 and 5 steps): it also checks that each output's gradient is its own mean
 * ({@link PositionScaledLoss}; before, the second was averaged over the first's rows and trained 5/3 too fast).
 */
class KerasTrainingStepsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{1}")
    @CsvSource({
            "shared_dense, keras3-zoo/shared_dense.keras",
            "shared_chain, shapes/shared_chain.keras",
            "mha_twice, shared-attention/mha_twice.keras",
            "attention_shared_scale, shared-attention/attention_shared_scale.keras",
            "additive_shared_concat, shared-attention/additive_shared_concat.keras",
            "gqa_shared, shared-attention/gqa_shared.keras",
            "bidirectional_convlstm2d, training-steps/bidirectional_convlstm2d.keras",
            "bidirectional_convlstm2d, training-steps/bidirectional_convlstm2d.h5",
            "bidirectional_convlstm2d_cf, training-steps/bidirectional_convlstm2d_cf.keras"})
    void trainsAsKerasDoes(String name, String file) throws Exception {
        Path model = file.startsWith("keras3-zoo/") ? Path.of("../shared/fixtures").resolve(file) : references().resolve(file);
        Path data = references().resolve("training-steps");
        List<String> args = new ArrayList<>(List.of("train", model.toString()));
        List<HostArray> xs = new ArrayList<>(), after = new ArrayList<>();
        for (int i = 0; Files.exists(data.resolve(name + "_x" + i + ".npy")); i++) {
            args.addAll(List.of("--x", data.resolve(name + "_x" + i + ".npy").toString()));
            xs.add(NpyReader.read(data.resolve(name + "_x" + i + ".npy")));
        }
        for (int j = 0; Files.exists(data.resolve(name + "_y" + j + ".npy")); j++) {
            args.addAll(List.of("--y", data.resolve(name + "_y" + j + ".npy").toString()));
            after.add(NpyReader.read(data.resolve(name + "_after" + j + ".npy")));
        }
        Path trained = dir.resolve(model.getFileName().toString());
        args.addAll(List.of("--optimizer", "sgd", "--learning-rate", "0.05", "--loss", "mse", "--batch-size", "16", "--epochs", "3",
                "-o", trained.toString(), "--quiet"));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());

        ModelGraph before = ModelFiles.read(model), now = ModelFiles.read(trained);
        HostArray[] untrained = EngineModel.ofKeras(before).predict(xs.toArray(HostArray[]::new));
        HostArray[] got = EngineModel.ofKeras(now).predict(xs.toArray(HostArray[]::new));
        assertEquals(after.size(), got.length);
        double moved = 0;
        for (int j = 0; j < got.length; j++) {
            assertClose(after.get(j), got[j], 2e-5);
            for (long i = 0; i < got[j].size(); i++) moved = Math.max(moved, Math.abs(got[j].getDouble(i) - untrained[j].getDouble(i)));
        }
        assertTrue(moved > 1e-3, "training moved the outputs by " + moved);
        for (Layer l : before.layers()) {
            if (l.calls().size() > 1) assertEquals(l.calls().size(), now.layer(l.name()).calls().size(), l.name() + " is still one layer called " + l.calls().size() + " times");
        }
    }

    static Path references() throws URISyntaxException {
        return Paths.get(KerasTrainingStepsTest.class.getResource("/keras-reference").toURI());
    }
}
