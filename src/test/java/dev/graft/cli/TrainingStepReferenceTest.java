package dev.graft.cli;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.data.DataFiles;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.format.hdf5.H5File;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Small models saved by real Keras 3.15.1 with its predictions and one SGD step, made by {@code bench/keras_batchnorm_models.py}:
 * {@code keras-reference/batchnorm}, a BatchNormalization over axes other than the last (a sequence's steps, an image's rows
 * or columns, a volume's axes, negative axes) and with center or scale off, after a Dense or Conv layer; and
 * {@code keras-reference/masked-lstm}, a masked LSTM as the model's output; {@code keras-reference/mask-ops}
 * ({@code bench/keras_mask_op_models.py}), functional models whose Masking or mask_zero Embedding mask Keras recorded as
 * NotEqual/Any operation layers; {@code keras-reference/backprop-paths} ({@code bench/keras_backprop_path_models.py}), a Concatenate
 * of channels-last sequences or images and Bidirectional layers concatenating their halves' sequences (the error passes
 * back through a merge along the last axis) and a Dropout between a GlobalAveragePooling1D and a Dense. graft predicts what Keras predicts from the
 * {@code .keras} and the {@code .h5} file (1e-5; the LSTM 1e-4), and {@code graft train} takes Keras's step: the loss of the
 * training forward pass (batch statistics), and after the step, written back to .h5, the model predicts what Keras's stepped
 * model predicts (trained weights and moving statistics).
 */
class TrainingStepReferenceTest {
    private static final Path REFERENCE = Path.of("src/test/resources/keras-reference");

    @TempDir
    Path dir;

    static Stream<String> models() throws IOException {
        List<String> out = new ArrayList<>();
        for (String folder : List.of("batchnorm", "masked-lstm", "mask-ops", "backprop-paths")) {
            try (Stream<Path> files = Files.list(REFERENCE.resolve(folder))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_inputs_and_outputs.h5") && !n.startsWith(REFUSED)).sorted()
                        .forEach(n -> out.add(folder + "/" + n.replace("_inputs_and_outputs.h5", "")));
            }
        }
        return out.stream();
    }

    static Stream<String> trainedModels() throws IOException {
        return models().filter(n -> !n.endsWith(MASKED_BATCH_NORM));
    }

    /** Masking → BatchNormalization → LSTM: predicted as Keras does, but Keras trains its batch statistics over the unmasked steps. */
    private static final String MASKED_BATCH_NORM = "seq_masking_batchnorm_lstm";

    @org.junit.jupiter.api.Test
    void aBatchNormalizationUnderAMaskIsRefusedInTraining() {
        Path xs = dir.resolve("x.npy"), ys = dir.resolve("y.npy"), out = dir.resolve("trained.h5");
        HostArray x = StoredPredictions.read(REFERENCE.resolve("mask-ops/" + MASKED_BATCH_NORM + "_inputs_and_outputs.h5")).inputs().get(0);
        DataFiles.write(xs, x);
        DataFiles.write(ys, HostArray.ofFloats(new long[] {3, 2}, new float[6]));
        Cli r = Cli.run("train", REFERENCE.resolve("mask-ops/" + MASKED_BATCH_NORM + ".keras").toString(), "--x", xs.toString(), "--y", ys.toString(),
                "--loss", "mse", "-o", out.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("graft: layer 'batch_normalization' (BatchNormalization) reads the mask of layer 'masking_3' and cannot train in graft's"
                + " engine: Keras takes its batch statistics over the unmasked steps only, which graft's does not\n", r.err());
        org.junit.jupiter.api.Assertions.assertFalse(Files.exists(out));
    }

    private static double tolerance(String name) {
        return name.startsWith("batchnorm/") ? 1e-5 : 1e-4;
    }

    /** The mask-ops model whose mask the user computed for a layer that does not read a Masking layer. */
    private static final String REFUSED = "fn_explicit_mask_dense_lstm";

    /** A mask computed by NotEqual/Any for a layer reading a Dense, not a Masking layer: refused naming the operation, from both files. */
    @org.junit.jupiter.api.Test
    void aMaskTheModelComputesItselfIsRefusedByName() {
        for (String ext : new String[] {".keras", ".h5"}) {
            Path file = REFERENCE.resolve("mask-ops/" + REFUSED + ext);
            Cli r = Cli.run("predict", file.toString(), "--input", dir.resolve("none.npy").toString(), "-o", dir.resolve("p.npy").toString());
            assertEquals(1, r.exitCode(), r.err());
            assertEquals("graft: " + file + ": layer 'not_equal_4' is a Keras 3 operation ('NotEqual') the functional model recorded; graft follows"
                    + " the operations recording a mask only where they recompute a Masking or mask_zero Embedding layer's own mask for the layer reading it;"
                    + " graft cannot compute this model\n", r.err());
            org.junit.jupiter.api.Assertions.assertFalse(Files.exists(dir.resolve("p.npy")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void predictsWhatKerasPredictsFromBothFiles(String name) {
        StoredPredictions stored = StoredPredictions.read(REFERENCE.resolve(name + "_inputs_and_outputs.h5"));
        for (String ext : new String[] {".keras", ".h5"}) {
            HostArray[] y = EngineModel.ofKeras(ModelFiles.read(REFERENCE.resolve(name + ext))).predict(stored.inputs().toArray(HostArray[]::new));
            assertEquals(1, y.length);
            assertClose(stored.outputs().get(0), y[0], tolerance(name));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trainedModels")
    void trainsOneStepAsKerasAndWritesItBack(String name) {
        Path io = REFERENCE.resolve(name + "_inputs_and_outputs.h5");
        HostArray x, y, after;
        double loss;
        try (H5File h = H5File.openReadOnly(io)) {
            x = h.readDataset("inputs/x");
            y = h.readDataset("training/y");
            after = h.readDataset("training/after");
            loss = h.readDataset("training/loss").getDouble(0);
        }
        Path xs = dir.resolve("x.npy"), ys = dir.resolve("y.npy"), out = dir.resolve("trained.h5");
        DataFiles.write(xs, x);
        DataFiles.write(ys, y);
        Cli r = Cli.run("train", REFERENCE.resolve(name + ".keras").toString(), "--x", xs.toString(), "--y", ys.toString(), "--epochs", "1",
                "--batch-size", "3", "--optimizer", "sgd", "--learning-rate", "0.1", "--loss", "mse", "--json", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(loss, r.json().path("history").get(0).path("loss").asDouble(), 1e-5, "loss of the step");
        HostArray[] p = EngineModel.ofKeras(ModelFiles.read(out)).predict(x);
        assertClose(after, p[0], tolerance(name));
    }
}
