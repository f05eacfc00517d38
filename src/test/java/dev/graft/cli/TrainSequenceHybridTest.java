package dev.graft.cli;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.data.DataFiles;
import dev.graft.data.RowSelection;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import dev.graft.surgery.KerasLayerFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft train} on the time-series samples: ts_extractor (Conv1D + MaxPooling1D) and ts_lstm
 * (LSTM + Dense) merged through a dense:8 bridge applied to every step, which the .h5 holds as a
 * kernel-size-1 Conv1D. DL4J's channels-last Conv1D and pooling cannot backpropagate; the engine's
 * own versions can, so the bridge learns with the donors frozen bit for bit, and with
 * {@code --trainable all} the convolutional donor is fine-tuned too. The trained weights written back
 * to Keras give the network's own predictions.
 */
class TrainSequenceHybridTest {
    static final Path X = Path.of("samples/ts_train_x.npy");
    static final Path Y = Path.of("samples/ts_train_y.npy");

    @TempDir
    Path dir;
    Path hybrid;

    @BeforeEach
    void merge() {
        hybrid = dir.resolve("hybrid.h5");
        Cli r = Cli.run("merge", "samples/ts_extractor.h5", "samples/ts_lstm.h5", "--bridge", "dense:8", "--freeze", "donors",
                "-o", hybrid.toString());
        assertEquals(0, r.exitCode(), r.err());
    }

    private Cli train(Path out, String... extra) {
        String[] base = {"train", hybrid.toString(), "--x", X.toString(), "--y", Y.toString(), "--validation-split", "0.2",
            "--learning-rate", "0.01", "-o", out.toString(), "--quiet", "--json"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Cli.run(args);
    }

    /** The last 20% of the rows, which --validation-split 0.2 holds out. */
    private static HostArray[] validationRows() {
        HostArray x = DataFiles.read(X), y = DataFiles.read(Y);
        int rows = Math.toIntExact(x.shape()[0]);
        int first = rows - (int) Math.floor(rows * 0.2);
        int[] idx = new int[rows - first];
        for (int i = 0; i < idx.length; i++) idx[i] = first + i;
        return new HostArray[] {RowSelection.of(x, idx), RowSelection.of(y, idx)};
    }

    private static double accuracy(Path model, HostArray x, HostArray y) {
        float[] p = EngineModel.ofKeras(ModelFiles.read(model)).predict(x)[0].toFloatArray();
        float[] l = y.toFloatArray();
        int hits = 0;
        for (int i = 0; i < p.length; i++) hits += (p[i] > 0.5f) == (l[i] > 0.5f) ? 1 : 0;
        return (double) hits / p.length;
    }

    /** Names of the layers whose weights differ (in any bit) between two files of the same model. */
    private static Set<String> changedLayers(ModelGraph before, ModelGraph after) {
        Set<String> changed = new TreeSet<>();
        for (Layer l : before.layers()) {
            Layer a = after.layer(l.name());
            assertEquals(l.weights().size(), a.weights().size(), l.name());
            for (int i = 0; i < l.weights().size(); i++) {
                assertArrayEquals(l.weights().get(i).shape(), a.weights().get(i).shape(), "weights keep their Keras shape");
                if (!l.weights().get(i).read().bitEquals(a.weights().get(i).read())) changed.add(l.name());
            }
        }
        return changed;
    }

    @Test
    void theBridgeLearnsWhileTheFrozenDonorsStayBitForBit() {
        HostArray[] val = validationRows();
        double before = accuracy(hybrid, val[0], val[1]);
        assertTrue(before < 0.6, "untrained bridge near chance (majority class 0.54), got " + before);

        Path out = dir.resolve("trained.h5");
        Cli r = train(out, "--epochs", "20");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = r.json();
        assertEquals("[\"bridge1_dense\"]", j.path("trained_layers").toString());
        double reported = j.path("validation").path("accuracy").asDouble();
        // measured: 0.850 after 20 epochs (0.543 after the first)
        assertTrue(reported >= 0.8, "validation accuracy " + j.path("validation"));
        assertEquals(reported, accuracy(out, val[0], val[1]), 1e-9, "the written .h5 predicts as the trained network did");

        ModelGraph in = ModelFiles.read(hybrid), trained = ModelFiles.read(out);
        assertEquals(Set.of("bridge1_dense"), changedLayers(in, trained), "only the bridge's weights change");
        assertEquals("Conv1D", trained.layer("bridge1_dense").className(), "the bridge keeps the form DL4J's own import reads");
    }

    @Test
    void trainableAllFineTunesTheConvolutionalDonorAndWritesItBack() {
        Path h5 = dir.resolve("all.h5");
        Cli r = train(h5, "--epochs", "3", "--trainable", "all");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = r.json();
        assertEquals(4, j.path("trained_layers").size(), j.path("trained_layers").toString());
        assertEquals(Set.of("bridge1_dense", "conv1d", "dense", "lstm"), changedLayers(ModelFiles.read(hybrid), ModelFiles.read(h5)));
        HostArray[] val = validationRows();
        assertEquals(j.path("validation").path("accuracy").asDouble(), accuracy(h5, val[0], val[1]), 1e-9,
                "the written .h5 predicts as the trained network did");

        // The same run written as a DL4J zip (graft's own layers in DL4J's JSON) predicts the same.
        Path zip = dir.resolve("all.zip");
        assertEquals(0, train(zip, "--epochs", "3", "--trainable", "all").exitCode());
        HostArray fromZip = EngineModel.ofDl4j(zip).predict(val[0])[0];
        HostArray fromH5 = EngineModel.ofKeras(ModelFiles.read(h5)).predict(val[0])[0];
        assertClose(fromH5, fromZip, 1e-6);
    }

    /**
     * The reshape hybrid (ts_extractor's (16, 16) read as ts_lstm32's (32, 8)) fine-tuned whole: the
     * error passes back through the Reshape, and evaluating all rows after batches of 32 works.
     */
    @Test
    void theReshapeHybridTrainsWhole() {
        Path reshaped = dir.resolve("reshaped.h5");
        Cli m = Cli.run("merge", "samples/ts_extractor.h5", "samples/ts_lstm32.h5", "--bridge", "reshape", "-o", reshaped.toString());
        assertEquals(0, m.exitCode(), m.err());
        Path out = dir.resolve("reshaped-trained.h5");
        Cli r = Cli.run("train", reshaped.toString(), "--x", X.toString(), "--y", Y.toString(), "--validation-split", "0.2",
                "--epochs", "2", "--trainable", "all", "-o", out.toString(), "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(Set.of("conv1d", "dense", "lstm"), changedLayers(ModelFiles.read(reshaped), ModelFiles.read(out)));
        HostArray[] val = validationRows();
        assertEquals(r.json().path("validation").path("accuracy").asDouble(), accuracy(out, val[0], val[1]), 1e-9);
    }

    /**
     * One output per step (a Dense on a sequence as the last layer) trains: the loss is Keras's mean over
     * the batch and the steps (the first epoch's loss, one batch, is the mean squared output against zero
     * labels), and the trained kernel is written.
     */
    @Test
    void aPerStepOutputTrainsWithKerasLoss() throws Exception {
        SplittableRandom rng = new SplittableRandom(1);
        Layer in = KerasLayerFactory.input("input", Arrays.asList(null, 6L, 3L));
        Layer out = KerasLayerFactory.dense("per_step_out", 2, "linear", 3, TensorRef.of("input"), rng);
        Path model = dir.resolve("seq2seq.h5");
        KerasH5Writer.write(new ModelGraph("s", "Model", List.of(in, out), List.of(TensorRef.of("input")), List.of(TensorRef.of("per_step_out")),
                null, null, null), model);
        float[] xs = new float[4 * 6 * 3];
        for (int i = 0; i < xs.length; i++) xs[i] = (float) rng.nextDouble(-1, 1);
        HostArray xa = HostArray.ofFloats(new long[] {4, 6, 3}, xs);
        Path x = dir.resolve("x.npy"), y = dir.resolve("y.npy");
        DataFiles.write(x, xa);
        DataFiles.write(y, HostArray.ofFloats(new long[] {4, 6, 2}, new float[4 * 6 * 2]));
        HostArray pred = dev.graft.engine.EngineModel.ofKeras(dev.graft.format.ModelFiles.read(model)).predict(xa)[0];
        double want = 0;
        for (long i = 0; i < pred.size(); i++) want += pred.getDouble(i) * pred.getDouble(i) / pred.size();
        Path trained = dir.resolve("t.h5");
        Cli r = Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--loss", "mse", "--optimizer", "sgd",
                "--epochs", "1", "--batch-size", "4", "-o", trained.toString(), "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(want, r.json().path("history").get(0).path("loss").asDouble(), 1e-5);
        ModelGraph after = dev.graft.format.ModelFiles.read(trained);
        assertTrue(!after.layer("per_step_out").weights().get(0).read().bitEquals(dev.graft.format.ModelFiles.read(model)
                .layer("per_step_out").weights().get(0).read()), "the per-step Dense trained");
    }
}
